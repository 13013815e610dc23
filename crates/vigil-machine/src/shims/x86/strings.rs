//! SSE4.2: CRC-32C (`crc32`) and the packed string comparisons (`pcmp{e,i}str*`), after the
//! instruction set reference's definition (per-element comparisons, their override for
//! invalid elements, aggregation, polarity, then the index, mask or flag).

use vigil_ir::StrResult;

use super::lanes::{Fault, Res, check, get, get_signed, put, scalar};

/// CRC-32C (Castagnoli, reflected) of the `bits / 8` little-endian bytes of `data`, continuing
/// from `crc` (no inversion before or after, as the instruction).
pub fn crc32c(mut crc: u32, data: u64, bits: u32) -> u32 {
    for byte in 0..bits / 8 {
        crc ^= (data >> (8 * byte)) as u8 as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ if crc & 1 != 0 { 0x82F6_3B78 } else { 0 };
        }
    }
    crc
}

pub fn crc32(bits: u32, crc: &[u8], data: &[u8], out: &mut [u8]) -> Res<()> {
    check(data.len() * 8 == bits as usize && (out.len() == 4 || out.len() == 8))?;
    let r = crc32c(scalar(crc) as u32, scalar(data), bits);
    out.fill(0);
    put(out, 4, 0, r as u64);
    Ok(())
}

/// The comparison's control byte.
#[derive(Clone, Copy)]
struct Control(u8);

impl Control {
    fn words(self) -> bool {
        self.0 & 1 != 0
    }
    fn signed(self) -> bool {
        self.0 & 2 != 0
    }
    /// Elements per vector.
    fn lanes(self) -> usize {
        if self.words() { 8 } else { 16 }
    }
    fn elem(self) -> usize {
        if self.words() { 2 } else { 1 }
    }
    fn aggregation(self) -> u8 {
        (self.0 >> 2) & 3
    }
    fn polarity(self) -> u8 {
        (self.0 >> 4) & 3
    }
    /// Bit 6: the most significant index, or the mask expanded to elements.
    fn msb_or_unit(self) -> bool {
        self.0 & 0x40 != 0
    }
}

/// The element `i` of a string, as a comparable integer.
fn elem(v: &[u8], ctl: Control, i: usize) -> i64 {
    if ctl.signed() { get_signed(v, ctl.elem(), i) } else { get(v, ctl.elem(), i) as i64 }
}

/// The length of an implicit (zero-terminated) string: its first zero element, or all.
fn implicit_len(v: &[u8], ctl: Control) -> usize {
    (0..ctl.lanes()).find(|&i| elem(v, ctl, i) == 0).unwrap_or(ctl.lanes())
}

/// An explicit length: the absolute value of the signed register, saturated to the vector.
fn explicit_len(v: &[u8], ctl: Control) -> usize {
    (scalar(v) as u32 as i32).unsigned_abs().min(ctl.lanes() as u32) as usize
}

/// The comparison's result bits (IntRes2), one per element of the second string.
fn compare(a: &[u8], la: usize, b: &[u8], lb: usize, ctl: Control) -> u32 {
    let n = ctl.lanes();
    let eq = |i: usize, j: usize| elem(a, ctl, i) == elem(b, ctl, j);
    let mut res: u32 = 0;
    for j in 0..n {
        let hit = match ctl.aggregation() {
            // Equal any: element j of `b` is one of `a`'s (both valid).
            0 => j < lb && (0..la).any(|i| eq(i, j)),
            // Ranges: element j of `b` is in one of `a`'s ranges [a[2k], a[2k+1]] (all valid).
            1 => {
                let x = elem(b, ctl, j);
                j < lb && (0..la / 2).any(|k| elem(a, ctl, 2 * k) <= x && x <= elem(a, ctl, 2 * k + 1))
            }
            // Equal each: element j of both equal; both invalid counts as equal.
            2 => match (j < la, j < lb) {
                (true, true) => eq(j, j),
                (false, false) => true,
                _ => false,
            },
            // Equal ordered: `a` occurs in `b` at j (an invalid element of `a` matches
            // anything, a valid one never matches an invalid one of `b`).
            _ => (0..n - j).all(|i| i >= la || (i + j < lb && eq(i, i + j))),
        };
        res |= (hit as u32) << j;
    }
    let all = (1u32 << n) - 1;
    match ctl.polarity() {
        1 => res ^ all,
        3 => res ^ ((1u32 << lb) - 1),
        _ => res,
    }
}

/// `pcmpistr*` (`(a, b, imm)`) and `pcmpestr*` (`(a, la, b, lb, imm)`).
pub fn str_cmp(explicit: bool, result: StrResult, name: &str, args: &[&[u8]], out: &mut [u8]) -> Res<()> {
    let ctl = Control(scalar(args[args.len() - 1]) as u8);
    let (a, b, la, lb) = if explicit {
        (args[0], args[2], explicit_len(args[1], ctl), explicit_len(args[3], ctl))
    } else {
        (args[0], args[1], implicit_len(args[0], ctl), implicit_len(args[1], ctl))
    };
    check(a.len() == 16 && b.len() == 16)?;
    let res = compare(a, la, b, lb, ctl);
    let n = ctl.lanes();
    let flag = |v: bool| v as u64;
    let value = match result {
        StrResult::Mask => {
            check(out.len() == 16)?;
            out.fill(0);
            if ctl.msb_or_unit() {
                for j in 0..n {
                    put(out, ctl.elem(), j, if res & (1 << j) != 0 { u64::MAX } else { 0 });
                }
            } else {
                put(out, 4, 0, res as u64);
            }
            return Ok(());
        }
        StrResult::Index if res == 0 => n as u64,
        StrResult::Index if ctl.msb_or_unit() => 31 - res.leading_zeros() as u64,
        StrResult::Index => res.trailing_zeros() as u64,
        StrResult::A => flag(res == 0 && lb == n),
        StrResult::C => flag(res != 0),
        StrResult::O => flag(res & 1 != 0),
        StrResult::S => flag(la < n),
        StrResult::Z => flag(lb < n),
    };
    if out.len() != 4 {
        return Err(Fault::Unsupported(format!("`{name}` declared with a return value of unexpected size")));
    }
    put(out, 4, 0, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &[u8]) -> [u8; 16] {
        let mut v = [0u8; 16];
        v[..text.len()].copy_from_slice(text);
        v
    }

    #[test]
    fn crc32c_known_value() {
        // CRC-32C of "123456789" is 0xE3069283 (with the usual inversions around it).
        let crc = b"123456789".iter().fold(!0u32, |c, &b| crc32c(c, b as u64, 8));
        assert_eq!(!crc, 0xE306_9283);
        assert_eq!(crc32c(!0, u32::from_le_bytes(*b"1234") as u64, 32), b"1234".iter().fold(!0u32, |c, &b| crc32c(c, b as u64, 8)));
    }

    #[test]
    fn string_compare_modes() {
        let ctl = |agg: u8| Control(agg << 2);
        // Equal any: which bytes of "hello" are vowels.
        let (a, b) = (s(b"aeiou"), s(b"hello"));
        assert_eq!(compare(&a, 5, &b, 5, ctl(0)), 0b10010);
        // Ranges: bytes of "a1B2" in [a-z] or [0-9].
        let (a, b) = (s(b"az09"), s(b"a1B2"));
        assert_eq!(compare(&a, 4, &b, 4, ctl(1)), 0b1011);
        // Equal each, with both strings ending at 3: elements past both ends count as equal.
        let (a, b) = (s(b"abc"), s(b"abd"));
        assert_eq!(compare(&a, 3, &b, 3, ctl(2)), 0xfff8 | 0b011);
        // Equal ordered: "lo" in "hello lo" at 3 and 6.
        let (a, b) = (s(b"lo"), s(b"hello lo"));
        assert_eq!(compare(&a, 2, &b, 8, ctl(3)), (1 << 3) | (1 << 6));
        // Negative polarity, masked to the valid elements of `b`.
        let (a, b) = (s(b"aeiou"), s(b"hello"));
        assert_eq!(compare(&a, 5, &b, 5, Control(0b11_0000)), 0b01101);
        // Index of the most significant set bit, and "not found".
        let mut out = [0u8; 4];
        let imm = [0x40u8];
        str_cmp(false, StrResult::Index, "t", &[&s(b"l"), &s(b"hello"), &imm], &mut out).unwrap();
        assert_eq!(u32::from_le_bytes(out), 3);
        str_cmp(false, StrResult::Index, "t", &[&s(b"z"), &s(b"hello"), &imm], &mut out).unwrap();
        assert_eq!(u32::from_le_bytes(out), 16);
    }
}
