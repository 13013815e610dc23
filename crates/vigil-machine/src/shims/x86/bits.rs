//! Scalar bit manipulation: bmi1 (`bextr`), bmi2 (`bzhi`, `pext`, `pdep`) and adx
//! (`addcarry`, `subborrow`); the operand width is the return value's.

use super::lanes::{Res, check, put, scalar};

/// `bextr`: `len` bits of `a` from bit `start` (control bits 7:0 and 15:8).
pub fn bextr(a: u64, control: u64, bits: u32) -> u64 {
    let (start, len) = ((control & 0xff) as u32, ((control >> 8) & 0xff) as u32);
    let shifted = if start >= bits { 0 } else { a >> start };
    if len >= bits { shifted } else { shifted & ((1u64 << len) - 1) }
}

/// `bzhi`: `a` with the bits from index `n` (control bits 7:0) up cleared.
pub fn bzhi(a: u64, control: u64, bits: u32) -> u64 {
    let n = (control & 0xff) as u32;
    if n >= bits { a } else { a & ((1u64 << n) - 1) }
}

/// `pext`: the bits of `a` under `mask`, packed to the low end.
pub fn pext(a: u64, mask: u64) -> u64 {
    let (mut r, mut k) = (0, 0);
    for i in 0..64 {
        if mask >> i & 1 != 0 {
            r |= (a >> i & 1) << k;
            k += 1;
        }
    }
    r
}

/// `pdep`: the low bits of `a` spread to the positions of `mask`.
pub fn pdep(a: u64, mask: u64) -> u64 {
    let (mut r, mut k) = (0, 0);
    for i in 0..64 {
        if mask >> i & 1 != 0 {
            r |= (a >> k & 1) << i;
            k += 1;
        }
    }
    r
}

/// The bmi operations on two operands of the return's width.
pub fn bmi(op: vigil_ir::X86Op, a: &[u8], b: &[u8], out: &mut [u8]) -> Res<()> {
    check((out.len() == 4 || out.len() == 8) && a.len() == out.len() && b.len() == out.len())?;
    let bits = 8 * out.len() as u32;
    let (a, b) = (scalar(a), scalar(b));
    let r = match op {
        vigil_ir::X86Op::Bextr => bextr(a, b, bits),
        vigil_ir::X86Op::Bzhi => bzhi(a, b, bits),
        vigil_ir::X86Op::Pext => pext(a, b),
        _ => pdep(a, b),
    };
    put(out, out.len(), 0, r);
    Ok(())
}

/// `addcarry`/`subborrow`: `a + b + c` (or `a - b - c`) with `c` the input carry (any
/// non-zero byte is 1); writes the carry out (0 or 1) and the result at their offsets.
pub fn add_carry(sub: bool, carry_off: usize, sum_off: usize, args: &[&[u8]], out: &mut [u8]) -> Res<()> {
    let (c, a, b) = (args[0], args[1], args[2]);
    let w = a.len();
    check(c.len() == 1 && (w == 4 || w == 8) && b.len() == w && carry_off < out.len() && sum_off + w <= out.len())?;
    let bits = 8 * w as u32;
    let (a, b, c) = (scalar(a) as u128, scalar(b) as u128, (c[0] != 0) as u128);
    let full = if sub { a.wrapping_sub(b).wrapping_sub(c) } else { a + b + c };
    let carry = full >> bits != 0;
    out.fill(0);
    out[carry_off] = carry as u8;
    put(&mut out[sum_off..], w, 0, full as u64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_fields() {
        assert_eq!(bextr(0b1011_0000, 4 | (3 << 8), 32), 0b011);
        assert_eq!(bextr(u64::MAX, 40, 32), 0);
        assert_eq!(bzhi(0xff, 4, 32), 0xf);
        assert_eq!(pext(0b1010_1100, 0b1111_0000), 0b1010);
        assert_eq!(pdep(0b101, 0b1110_0000), 0b1010_0000);
    }

    #[test]
    fn carries() {
        let mut out = [0u8; 8];
        add_carry(false, 4, 0, &[&[1], &u32::MAX.to_le_bytes(), &0u32.to_le_bytes()], &mut out).unwrap();
        assert_eq!((out[4], u32::from_le_bytes(out[..4].try_into().unwrap())), (1, 0));
        add_carry(true, 4, 0, &[&[0], &1u32.to_le_bytes(), &2u32.to_le_bytes()], &mut out).unwrap();
        assert_eq!((out[4], u32::from_le_bytes(out[..4].try_into().unwrap())), (1, u32::MAX));
    }
}
