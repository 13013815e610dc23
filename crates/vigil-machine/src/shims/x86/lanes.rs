//! Lane access shared by every x86 intrinsic family: vectors are little-endian byte slices,
//! lanes are read zero- or sign-extended into 64 bits, float lanes through `Float`, and a
//! failed size check is an error, never a panic.

use std::ops::{Add, Div, Mul, Sub};

/// Why an x86 intrinsic cannot complete.
#[derive(Debug, PartialEq)]
pub enum Fault {
    Ub(String),
    Unsupported(String),
}

pub type Res<T> = Result<T, Fault>;

/// The arguments' sizes are not what the intrinsic works on (a declaration with other types).
pub fn check(ok: bool) -> Res<()> {
    if ok { Ok(()) } else { Err(Fault::Unsupported("an x86 intrinsic declared with arguments or return value of unexpected sizes".into())) }
}

/// Lane `i` of `size` bytes, zero-extended.
pub fn get(v: &[u8], size: usize, i: usize) -> u64 {
    let mut b = [0u8; 8];
    b[..size].copy_from_slice(&v[i * size..(i + 1) * size]);
    u64::from_le_bytes(b)
}

/// Lane `i` of `size` bytes, sign-extended.
pub fn get_signed(v: &[u8], size: usize, i: usize) -> i64 {
    let bits = 8 * size as u32;
    ((get(v, size, i) << (64 - bits)) as i64) >> (64 - bits)
}

/// Writes the low `size` bytes of `val` as lane `i`.
pub fn put(out: &mut [u8], size: usize, i: usize, val: u64) {
    out[i * size..(i + 1) * size].copy_from_slice(&val.to_le_bytes()[..size]);
}

/// An immediate or scalar argument, zero-extended (at most 8 bytes of it).
pub fn scalar(v: &[u8]) -> u64 {
    get(&v[..v.len().min(8)], v.len().min(8), 0)
}

/// All ones or all zeros, as a lane of `size` bytes.
pub fn mask(b: bool, size: usize) -> u64 {
    if b { u64::MAX >> (64 - 8 * size as u32) } else { 0 }
}

/// The lane type of float intrinsics (`f32`, `f64`).
pub trait Float: Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> {
    const SIZE: usize;
    const ZERO: Self;
    fn lane(v: &[u8], i: usize) -> Self;
    fn put(self, out: &mut [u8], i: usize);
    fn to_f64(self) -> f64;
    fn is_nan(self) -> bool;
    fn round_mode(self, mode: Rounding) -> Self;
}

/// A rounding direction of `round.*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    NearestEven,
    Down,
    Up,
    TowardZero,
}

macro_rules! float_impl {
    ($t:ty, $bits:ty) => {
        impl Float for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            const ZERO: Self = 0.0;
            fn lane(v: &[u8], i: usize) -> Self {
                <$t>::from_bits(get(v, Self::SIZE, i) as $bits)
            }
            fn put(self, out: &mut [u8], i: usize) {
                put(out, Self::SIZE, i, self.to_bits() as u64)
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn round_mode(self, mode: Rounding) -> Self {
                match mode {
                    Rounding::NearestEven => self.round_ties_even(),
                    Rounding::Down => self.floor(),
                    Rounding::Up => self.ceil(),
                    Rounding::TowardZero => self.trunc(),
                }
            }
        }
    };
}
float_impl!(f32, u32);
float_impl!(f64, u64);

/// Runs `$body` with `$F` the Rust float type of a `FloatTy`.
macro_rules! with_float {
    ($ty:expr, $F:ident => $body:expr) => {
        match $ty {
            vigil_ir::FloatTy::F32 => {
                type $F = f32;
                $body
            }
            vigil_ir::FloatTy::F64 => {
                type $F = f64;
                $body
            }
        }
    };
}
pub(crate) use with_float;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_round_trip() {
        let mut v = [0u8; 8];
        put(&mut v, 2, 1, 0xfffe);
        assert_eq!(get(&v, 2, 1), 0xfffe);
        assert_eq!(get_signed(&v, 2, 1), -2);
        assert_eq!(mask(true, 4), 0xffff_ffff);
        assert_eq!(scalar(&[5, 0, 0, 0]), 5);
    }
}
