//! Cryptographic and finite-field x86 intrinsics: AES rounds (aes, vaes), carry-less
//! multiplication (pclmulqdq, vpclmulqdq), SHA-256 message and round steps (sha), and GF(2^8)
//! multiplication and affine transforms (gfni). AES's S-box is computed from its definition
//! (the GF(2^8) inverse followed by the affine map), shared with gfni's inverse.

use vigil_ir::AesOp;

use super::lanes::{Res, check, get, put};

/// Product in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (AES's and gfni's field).
pub fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 };
        b >>= 1;
    }
    r
}

/// Multiplicative inverse in GF(2^8) (0 for 0): a^254.
pub fn gf_inv(a: u8) -> u8 {
    let mut r = 1u8;
    let mut p = a;
    let mut e = 254u32;
    while e != 0 {
        if e & 1 != 0 {
            r = gf_mul(r, p);
        }
        p = gf_mul(p, p);
        e >>= 1;
    }
    if a == 0 { 0 } else { r }
}

/// AES's S-box.
fn sbox(x: u8) -> u8 {
    let b = gf_inv(x);
    b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4) ^ 0x63
}

/// AES's inverse S-box.
fn inv_sbox(y: u8) -> u8 {
    gf_inv(y.rotate_left(1) ^ y.rotate_left(3) ^ y.rotate_left(6) ^ 0x05)
}

/// The state is 16 bytes in column-major order: byte `r + 4c` is row `r`, column `c`.
fn shift_rows(s: &[u8; 16], inverse: bool) -> [u8; 16] {
    let mut o = [0u8; 16];
    for r in 0..4 {
        for c in 0..4 {
            if inverse {
                o[r + 4 * ((c + r) % 4)] = s[r + 4 * c];
            } else {
                o[r + 4 * c] = s[r + 4 * ((c + r) % 4)];
            }
        }
    }
    o
}

fn mix_columns(s: &mut [u8; 16], inverse: bool) {
    let m: [u8; 4] = if inverse { [14, 11, 13, 9] } else { [2, 3, 1, 1] };
    for c in 0..4 {
        let col = [s[4 * c], s[4 * c + 1], s[4 * c + 2], s[4 * c + 3]];
        for r in 0..4 {
            s[4 * c + r] = (0..4).fold(0, |acc, k| acc ^ gf_mul(m[(k + 4 - r) % 4], col[k]));
        }
    }
}

/// One AES step on a 128-bit block with round key `key`.
pub fn aes_block(op: AesOp, state: [u8; 16], key: [u8; 16]) -> [u8; 16] {
    let mut s = state;
    match op {
        AesOp::Enc | AesOp::EncLast => {
            s = shift_rows(&s, false);
            s.iter_mut().for_each(|b| *b = sbox(*b));
            if op == AesOp::Enc {
                mix_columns(&mut s, false);
            }
        }
        AesOp::Dec | AesOp::DecLast => {
            s = shift_rows(&s, true);
            s.iter_mut().for_each(|b| *b = inv_sbox(*b));
            if op == AesOp::Dec {
                mix_columns(&mut s, true);
            }
        }
        AesOp::Imc => {
            mix_columns(&mut s, true);
            return s;
        }
        AesOp::KeyGenAssist => {
            // SubWord of words 1 and 3, and RotWord of them xor the round constant (in `key[0]`).
            let word = |i: usize| u32::from_le_bytes([s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]]);
            let sub = |w: u32| u32::from_le_bytes(w.to_le_bytes().map(sbox));
            let rcon = key[0] as u32;
            let (x1, x3) = (sub(word(1)), sub(word(3)));
            let out = [x1, x1.rotate_right(8) ^ rcon, x3, x3.rotate_right(8) ^ rcon];
            for (i, w) in out.into_iter().enumerate() {
                s[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
            }
            return s;
        }
    }
    for (b, k) in s.iter_mut().zip(key) {
        *b ^= k;
    }
    s
}

/// AES steps per 128-bit block (`aesimc` has no key; `aeskeygenassist` has an immediate).
pub fn aes(op: AesOp, args: &[&[u8]], out: &mut [u8]) -> Res<()> {
    let state = args[0];
    let imm = (op == AesOp::KeyGenAssist).then(|| [super::lanes::scalar(args[1]) as u8; 16]);
    check(state.len() == out.len() && out.len().is_multiple_of(16) && (imm.is_some() || args.get(1).is_none_or(|k| k.len() == out.len())))?;
    for c in 0..out.len() / 16 {
        let block = |v: &[u8]| -> [u8; 16] { v[16 * c..16 * c + 16].try_into().unwrap() };
        let key = imm.unwrap_or_else(|| args.get(1).map_or([0; 16], |k| block(k)));
        out[16 * c..16 * c + 16].copy_from_slice(&aes_block(op, block(state), key));
    }
    Ok(())
}

/// Carry-less product of two 64-bit values.
pub fn clmul(a: u64, b: u64) -> u128 {
    (0..64).filter(|i| b >> i & 1 != 0).fold(0u128, |acc, i| acc ^ ((a as u128) << i))
}

/// `pclmulqdq`: per 128-bit chunk, the carry-less product of the quadwords of `a` and `b` that
/// immediate bits 0 and 4 choose.
pub fn pclmulqdq(a: &[u8], b: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len() && out.len().is_multiple_of(16))?;
    for c in 0..out.len() / 16 {
        let x = get(a, 8, 2 * c + (imm & 1) as usize);
        let y = get(b, 8, 2 * c + ((imm >> 4) & 1) as usize);
        let p = clmul(x, y);
        put(out, 8, 2 * c, p as u64);
        put(out, 8, 2 * c + 1, (p >> 64) as u64);
    }
    Ok(())
}

/// The 32-bit lanes of a 128-bit vector.
fn words(v: &[u8]) -> [u32; 4] {
    [0, 1, 2, 3].map(|i| get(v, 4, i) as u32)
}

fn put_words(out: &mut [u8], w: [u32; 4]) {
    for (i, x) in w.into_iter().enumerate() {
        put(out, 4, i, x as u64);
    }
}

/// `sha256rnds2(cdgh, abef, wk)`: two SHA-256 rounds with the message-plus-constant words in
/// the low two lanes of `wk`; the result is the new A, B, E, F.
pub fn sha256rnds2(cdgh: &[u8], abef: &[u8], wk: &[u8], out: &mut [u8]) -> Res<()> {
    check(cdgh.len() == 16 && abef.len() == 16 && wk.len() == 16 && out.len() == 16)?;
    let ([h, g, d, c], [f, e, b, a], [w0, w1, _, _]) = (words(cdgh), words(abef), words(wk));
    let (mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h) = (a, b, c, d, e, f, g, h);
    for w in [w0, w1] {
        let ch = (e & f) ^ (!e & g);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let t = ch.wrapping_add(s1).wrapping_add(w).wrapping_add(h);
        (h, g, f, e, d, c, b, a) = (g, f, e, t.wrapping_add(d), c, b, a, t.wrapping_add(maj).wrapping_add(s0));
    }
    put_words(out, [f, e, b, a]);
    Ok(())
}

/// `sha256msg1`: the first message schedule step (`W[i] + σ0(W[i+1])`).
pub fn sha256msg1(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == 16 && b.len() == 16 && out.len() == 16)?;
    let s0 = |x: u32| x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3);
    let (w, w4) = (words(a), words(b)[0]);
    put_words(out, [w[0].wrapping_add(s0(w[1])), w[1].wrapping_add(s0(w[2])), w[2].wrapping_add(s0(w[3])), w[3].wrapping_add(s0(w4))]);
    Ok(())
}

/// `sha256msg2`: the second message schedule step (adds `σ1` of the words two back).
pub fn sha256msg2(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == 16 && b.len() == 16 && out.len() == 16)?;
    let s1 = |x: u32| x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10);
    let (x, y) = (words(a), words(b));
    let w16 = x[0].wrapping_add(s1(y[2]));
    let w17 = x[1].wrapping_add(s1(y[3]));
    let w18 = x[2].wrapping_add(s1(w16));
    let w19 = x[3].wrapping_add(s1(w17));
    put_words(out, [w16, w17, w18, w19]);
    Ok(())
}

/// `gf2p8mulb`: bytewise GF(2^8) products.
pub fn gf2p8mul(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len())?;
    for i in 0..out.len() {
        out[i] = gf_mul(a[i], b[i]);
    }
    Ok(())
}

/// `gf2p8affine(inv)qb(x, m, imm)`: each byte of `x` (inverted first for `inverse`) times the
/// 8x8 bit matrix in the corresponding quadword of `m`, plus the immediate: result bit `i`
/// is the parity of `m.byte[7 - i] & x` xor immediate bit `i`.
pub fn gf2p8affine(inverse: bool, x: &[u8], m: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(x.len() == out.len() && m.len() == out.len() && out.len().is_multiple_of(8))?;
    for j in 0..out.len() {
        let v = if inverse { gf_inv(x[j]) } else { x[j] };
        let q = &m[j / 8 * 8..j / 8 * 8 + 8];
        let mut r = 0u8;
        for i in 0..8 {
            let bit = ((q[7 - i] & v).count_ones() & 1) as u8 ^ ((imm >> i) & 1) as u8;
            r |= bit << i;
        }
        out[j] = r;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbox_matches_the_standard() {
        assert_eq!(sbox(0x00), 0x63);
        assert_eq!(sbox(0x53), 0xed);
        assert_eq!(sbox(0xff), 0x16);
        assert!((0..=255u8).all(|x| inv_sbox(sbox(x)) == x));
    }

    #[test]
    fn aes_round_trip() {
        // FIPS-197 appendix B, round 1: start of round state and round key 1.
        let input: [u8; 16] = [0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b, 0x9a, 0xc6, 0x8d, 0x2a, 0xe9, 0xf8, 0x48, 0x08];
        let key: [u8; 16] = [0xa0, 0xfa, 0xfe, 0x17, 0x88, 0x54, 0x2c, 0xb1, 0x23, 0xa3, 0x39, 0x39, 0x2a, 0x6c, 0x76, 0x05];
        let want: [u8; 16] = [0xa4, 0x9c, 0x7f, 0xf2, 0x68, 0x9f, 0x35, 0x2b, 0x6b, 0x5b, 0xea, 0x43, 0x02, 0x6a, 0x50, 0x49];
        let enc = aes_block(AesOp::Enc, input, key);
        assert_eq!(enc, want);
        // The last rounds undo each other, and `aesimc` undoes MixColumns.
        assert_eq!(aes_block(AesOp::DecLast, aes_block(AesOp::EncLast, input, [0; 16]), [0; 16]), input);
        let mut mixed = input;
        mix_columns(&mut mixed, false);
        assert_eq!(aes_block(AesOp::Imc, mixed, [0; 16]), input);
    }

    #[test]
    fn clmul_examples() {
        assert_eq!(clmul(0b11, 0b11), 0b101);
        assert_eq!(clmul(u64::MAX, 2), (u64::MAX as u128) << 1);
    }

    #[test]
    fn gf_field() {
        assert_eq!(gf_mul(0x57, 0x83), 0xc1);
        assert!((1..=255u8).all(|x| gf_mul(x, gf_inv(x)) == 1));
    }
}
