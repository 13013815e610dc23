//! Integer-lane x86 intrinsics (sse2, ssse3, sse4.1, avx2, avx512): sums of absolute
//! differences, shifts by a register count, packs with saturation, multiply-adds, sign
//! transfer, byte shuffles, horizontal saturating adds, permutes, ternary logic, dot products
//! of bytes, population counts. 256- and 512-bit forms work per 128-bit chunk where the
//! hardware does.

use vigil_ir::ShiftKind;

use super::lanes::{Res, check, get, get_signed, put};

/// `psadbw`: per 8 bytes, the sum of absolute differences, as a 64-bit lane.
pub fn psadbw(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() / 8 {
        let s: u64 = (0..8).map(|j| a[8 * i + j].abs_diff(b[8 * i + j]) as u64).sum();
        put(out, 8, i, s);
    }
    Ok(())
}

/// Shifts every lane by the count in the low 64 bits of `count` (too large: zeros, or the
/// sign for arithmetic shifts).
pub fn shift_by_scalar(elem: usize, kind: ShiftKind, a: &[u8], count: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && count.len() >= 8)?;
    let n = get(count, 8, 0);
    let bits = 8 * elem as u64;
    for i in 0..out.len() / elem {
        let v = match kind {
            ShiftKind::Left if n < bits => get(a, elem, i) << n,
            ShiftKind::RightLogical if n < bits => get(a, elem, i) >> n,
            ShiftKind::RightArith => (get_signed(a, elem, i) >> n.min(bits - 1)) as u64,
            _ => 0,
        };
        put(out, elem, i, v);
    }
    Ok(())
}

/// Narrows the signed `from`-byte lanes of `a` and `b` to half their width with signed or
/// unsigned saturation; per 128-bit chunk, `a`'s lanes then `b`'s.
pub fn pack(from: usize, signed: bool, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len() && out.len().is_multiple_of(16))?;
    let to = from / 2;
    let bits = 8 * to as u32;
    let (lo, hi) = if signed { (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1) } else { (0, (1i64 << bits) - 1) };
    let per = 16 / from;
    for c in 0..out.len() / 16 {
        for (k, src) in [a, b].into_iter().enumerate() {
            for j in 0..per {
                let v = get_signed(src, from, c * per + j).clamp(lo, hi);
                put(out, to, c * 2 * per + k * per + j, v as u64);
            }
        }
    }
    Ok(())
}

/// `pmaddwd`: adjacent products of i16 lanes summed into i32 lanes (wrapping).
pub fn pmaddwd(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() / 4 {
        let p = |j: usize| (get_signed(a, 2, j) * get_signed(b, 2, j)) as i32;
        put(out, 4, i, p(2 * i).wrapping_add(p(2 * i + 1)) as u32 as u64);
    }
    Ok(())
}

/// `pmaddubsw`: adjacent products of u8 (from `a`) and i8 (from `b`) lanes, summed with
/// saturation into i16 lanes.
pub fn pmaddubsw(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() / 2 {
        let p = |j: usize| a[j] as i16 * (b[j] as i8) as i16;
        put(out, 2, i, p(2 * i).saturating_add(p(2 * i + 1)) as u16 as u64);
    }
    Ok(())
}

/// `pmulhrsw`: i16 products, scaled down by 2^15 with rounding.
pub fn pmulhrsw(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() / 2 {
        let p = get_signed(a, 2, i) * get_signed(b, 2, i);
        put(out, 2, i, (((p >> 14) + 1) >> 1) as u64);
    }
    Ok(())
}

/// `psign`: each lane of `a` negated, zeroed or kept as the lane of `b` is negative, zero or
/// positive.
pub fn psign(elem: usize, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() / elem {
        let v = get_signed(a, elem, i).wrapping_mul(get_signed(b, elem, i).signum());
        put(out, elem, i, v as u64);
    }
    Ok(())
}

/// `pshufb`: bytes of `a` picked within each 16-byte block by the low 4 bits of `b`'s bytes
/// (zero where the byte's high bit is set).
pub fn pshufb(a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len())?;
    for i in 0..out.len() {
        out[i] = if b[i] & 0x80 != 0 { 0 } else { a[(i & !15) + (b[i] & 15) as usize] };
    }
    Ok(())
}

/// `phadd.sw`/`phsub.sw`: saturating sums (differences) of adjacent i16 lanes, per 128-bit
/// chunk `a`'s pairs then `b`'s.
pub fn hadd_sat_i16(sub: bool, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len() && out.len().is_multiple_of(16))?;
    for c in 0..out.len() / 16 {
        for j in 0..8 {
            let (src, k) = if j < 4 { (a, j) } else { (b, j - 4) };
            let (x, y) = (get_signed(src, 2, c * 8 + 2 * k) as i16, get_signed(src, 2, c * 8 + 2 * k + 1) as i16);
            let v = if sub { x.saturating_sub(y) } else { x.saturating_add(y) };
            put(out, 2, c * 8 + j, v as u16 as u64);
        }
    }
    Ok(())
}

/// `mpsadbw`: per 128-bit chunk, eight sums of absolute differences of byte quadruplets; the
/// chunk's three immediate bits (bits 2:0 for the first chunk, 5:3 for the second) choose the
/// offsets in `a` (bit 2) and `b` (bits 1:0).
pub fn mpsadbw(a: &[u8], b: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(a.len() == b.len() && out.len() == a.len() && out.len().is_multiple_of(16))?;
    for c in 0..out.len() / 16 {
        let bits = (imm >> (3 * c)) & 0b111;
        let (a_off, b_off) = (c * 16 + ((bits >> 2) & 1) as usize * 4, c * 16 + (bits & 3) as usize * 4);
        for j in 0..8 {
            let s: u64 = (0..4).map(|k| a[a_off + j + k].abs_diff(b[b_off + k]) as u64).sum();
            put(out, 2, c * 8 + j, s);
        }
    }
    Ok(())
}

/// `phminposuw`: the minimum u16 lane and its (first) index; the other lanes zero.
pub fn phminposuw(a: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == 16 && out.len() == 16)?;
    let (idx, min) = (0..8).map(|i| (i, get(a, 2, i))).min_by_key(|&(i, v)| (v, i)).unwrap_or((0, 0));
    out.fill(0);
    put(out, 2, 0, min);
    put(out, 2, 1, idx as u64);
    Ok(())
}

/// Lanes of `a` picked across the whole vector by the low bits of the index lanes.
pub fn permute(elem: usize, a: &[u8], idx: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && idx.len() == out.len())?;
    let n = out.len() / elem;
    check(n.is_power_of_two())?;
    for i in 0..n {
        put(out, elem, i, get(a, elem, get(idx, elem, i) as usize & (n - 1)));
    }
    Ok(())
}

/// Lanes of `a` or `b` (the index bit above the lane bits chooses) picked by the index lanes.
pub fn permute2(elem: usize, a: &[u8], idx: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && idx.len() == out.len() && b.len() == out.len())?;
    let n = out.len() / elem;
    check(n.is_power_of_two())?;
    for i in 0..n {
        let sel = get(idx, elem, i) as usize;
        let src = if sel & n == 0 { a } else { b };
        put(out, elem, i, get(src, elem, sel & (n - 1)));
    }
    Ok(())
}

/// `pternlog`: every result bit is the immediate's bit at the index formed by the bits of
/// `a`, `b` and `c` (`a` most significant).
pub fn pternlog(a: &[u8], b: &[u8], c: &[u8], imm: u64, out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len() && b.len() == out.len() && c.len() == out.len())?;
    for i in 0..out.len() {
        let mut r = 0u8;
        for bit in 0..8 {
            let k = ((a[i] >> bit) & 1) << 2 | ((b[i] >> bit) & 1) << 1 | ((c[i] >> bit) & 1);
            r |= (((imm >> k) & 1) as u8) << bit;
        }
        out[i] = r;
    }
    Ok(())
}

/// `vpdpbusd`: per i32 lane, `src` plus the four products of u8 (from `a`) and i8 (from `b`)
/// bytes (wrapping).
pub fn vpdpbusd(src: &[u8], a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check(src.len() == out.len() && a.len() == out.len() && b.len() == out.len())?;
    for i in 0..out.len() / 4 {
        let sum: i32 = (0..4).map(|k| a[4 * i + k] as i32 * (b[4 * i + k] as i8) as i32).sum();
        put(out, 4, i, (get_signed(src, 4, i) as i32).wrapping_add(sum) as u32 as u64);
    }
    Ok(())
}

/// Population count per lane.
pub fn ctpop(elem: usize, a: &[u8], out: &mut [u8]) -> Res<()> {
    check(a.len() == out.len())?;
    for i in 0..out.len() / elem {
        put(out, elem, i, get(a, elem, i).count_ones() as u64);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_saturates_per_chunk() {
        let a: Vec<u8> = [300i16, -300, 5, -5, 127, -128, 0, 1].iter().flat_map(|v| v.to_le_bytes()).collect();
        let b: Vec<u8> = [1000i16; 8].iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut out = [0u8; 16];
        pack(2, true, &a, &b, &mut out).unwrap();
        assert_eq!(&out[..8], &[127, 128, 5, 251, 127, 128, 0, 1]);
        pack(2, false, &a, &b, &mut out).unwrap();
        assert_eq!(&out[..8], &[255, 0, 5, 0, 127, 0, 0, 1]);
        assert_eq!(&out[8..], &[255; 8]);
    }

    #[test]
    fn mpsadbw_uses_three_bits_per_chunk() {
        let a: Vec<u8> = (0..32).collect();
        let mut out = [0u8; 32];
        mpsadbw(&a, &a, 0b001_000, &mut out).unwrap();
        // First chunk: offsets 0/0: |j+k - k| summed = 4j.
        assert_eq!(get(&out, 2, 1), 4);
        // Second chunk: b offset 4: |j+k - (4+k)| = |j-4| * 4.
        assert_eq!(get(&out, 2, 8), 16);
    }
}
