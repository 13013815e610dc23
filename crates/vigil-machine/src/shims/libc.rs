//! C string and memory functions, and the libm functions (evaluated with the host's
//! implementations, as native code would, then given `float.rs`'s extra rounding error).

use vigil_ir::{FloatTy, LibcShim, LibmFn};

use crate::concurrency::CallReturn;
use crate::error::Res;
use crate::memory::Prov;
use crate::{Loc, Machine};

impl Machine<'_> {
    pub(crate) fn libc_shim(&mut self, shim: LibcShim, ret: CallReturn) -> Res<()> {
        use LibcShim::*;
        match shim {
            Strlen => {
                let s = self.read_c_string(self.arg_ptr(0))?;
                self.complete_call(ret, s.len() as i64)
            }
            Memcmp => {
                let (a, b, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                let ord = self.mem.read_init(a, n)?.cmp(self.mem.read_init(b, n)?);
                self.complete_call(ret, ord as i64)
            }
            Memchr | Memrchr => {
                let (p, c, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                let bytes = self.mem.read_init(p, n)?;
                let pos = if shim == Memchr { bytes.iter().position(|&b| b == c) } else { bytes.iter().rposition(|&b| b == c) };
                self.complete_ptr(ret, pos.map(|i| p.offset(i as u64)).unwrap_or(super::NULL))
            }
            Memcpy | Memmove => {
                let (d, s, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                self.copy_loc(Loc::Mem(s), Loc::Mem(d), n)?;
                self.complete_ptr(ret, d)
            }
            // The host's message for the error number (Vigil runs on Linux: the same numbers).
            StrerrorR => {
                let (n, buf, len) = (self.arg_u64(0) as i32, self.arg_ptr(1), self.arg_u64(2));
                let text = std::io::Error::from_raw_os_error(n).to_string();
                let text = text.strip_suffix(&format!(" (os error {n})")).unwrap_or(&text).to_string();
                if self.write_c_string(buf, len, text.as_bytes())? {
                    self.complete_call(ret, 0)
                } else {
                    self.complete_call(ret, super::errno::ERANGE as i64)
                }
            }
            Memset => {
                let (d, c, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                self.mem.write(d, &vec![c; n as usize], &[])?;
                self.complete_ptr(ret, d)
            }
        }
    }

    /// A libm function: the host's implementation, with the extra rounding error, ranges
    /// and exact values of `float.rs` (`ldexp` is exact).
    pub(crate) fn libm_shim(&mut self, f: LibmFn, f32: bool, ret: CallReturn) -> Res<()> {
        let ty = if f32 { FloatTy::F32 } else { FloatTy::F64 };
        let x = self.arg_scalar(0).0;
        let r = match f {
            LibmFn::Ldexp => {
                let n = self.arg_scalar(1).0 as u32 as i32;
                let r = libm_host!(ty, x, |x| x.scalbn(n));
                self.float_result(ty, r, &[x])
            }
            LibmFn::Lgamma => {
                let signp = self.arg_ptr(1);
                let mut sign = 0;
                let r = self.float_approx(ty, "lgamma", &[x], || {
                    libm_host!(ty, x, |x| {
                        let (v, s) = x.ln_gamma();
                        sign = s;
                        v
                    })
                });
                self.mem.write(signp, &sign.to_le_bytes(), &[])?;
                r
            }
            LibmFn::Atan2 | LibmFn::Hypot | LibmFn::Fdim => {
                let y = self.arg_scalar(1).0;
                let host = || match ty {
                    FloatTy::F32 => libm2(f, f32::from_bits(x as u32), f32::from_bits(y as u32)).to_bits() as u128,
                    FloatTy::F64 => libm2(f, f64::from_bits(x as u64), f64::from_bits(y as u64)).to_bits() as u128,
                };
                self.float_approx(ty, f.name(), &[x, y], host)
            }
            _ => self.float_approx(ty, f.name(), &[x], || libm_host!(ty, x, |x| libm1(f, x))),
        };
        self.write_loc_scalar(ret.dst, ret.size as u64, r, Prov::NONE)?;
        self.complete_unit(ret)
    }
}

/// Runs `$body` on argument bits `$x` read as the host float of type `$ty`; the result's
/// bits.
macro_rules! libm_host {
    ($ty:expr, $x:expr, |$v:ident| $body:expr) => {
        match $ty {
            FloatTy::F32 => {
                let $v = f32::from_bits($x as u32);
                ($body).to_bits() as u128
            }
            FloatTy::F64 => {
                let $v = f64::from_bits($x as u64);
                ($body).to_bits() as u128
            }
        }
    };
}
use libm_host;

/// The host's libm functions on either float type.
trait HostLibm: Sized {
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;
    fn cbrt(self) -> Self;
    fn exp_m1(self) -> Self;
    fn ln_1p(self) -> Self;
    fn erf(self) -> Self;
    fn erfc(self) -> Self;
    fn gamma(self) -> Self;
    fn atan2(self, other: Self) -> Self;
    fn hypot(self, other: Self) -> Self;
    fn fdim(self, other: Self) -> Self;
}

macro_rules! host_libm {
    ($t:ty) => {
        impl HostLibm for $t {
            host_libm!(@un $t: tan asin acos atan sinh cosh tanh asinh acosh atanh cbrt exp_m1 ln_1p erf erfc gamma);
            fn atan2(self, other: Self) -> Self {
                <$t>::atan2(self, other)
            }
            fn hypot(self, other: Self) -> Self {
                <$t>::hypot(self, other)
            }
            fn fdim(self, other: Self) -> Self {
                // C's `fdim`: the positive difference, a NaN for a NaN operand.
                if self.is_nan() || other.is_nan() { self + other } else if self > other { self - other } else { 0.0 }
            }
        }
    };
    (@un $t:ty: $($f:ident)+) => {
        $(fn $f(self) -> Self {
            <$t>::$f(self)
        })+
    };
}
host_libm!(f32);
host_libm!(f64);

unsafe extern "C" {
    // The host's (exact) `x * 2^n`.
    fn ldexp(x: f64, n: i32) -> f64;
    fn ldexpf(x: f32, n: i32) -> f32;
}

/// `x * 2^n`, exact (rounded once where the result is subnormal).
trait Scalbn {
    fn scalbn(self, n: i32) -> Self;
}

impl Scalbn for f32 {
    fn scalbn(self, n: i32) -> f32 {
        // SAFETY: a pure libm function.
        unsafe { ldexpf(self, n) }
    }
}

impl Scalbn for f64 {
    fn scalbn(self, n: i32) -> f64 {
        // SAFETY: a pure libm function.
        unsafe { ldexp(self, n) }
    }
}

/// A one-argument libm function, the host's implementation (as native code would call).
fn libm1<F: HostLibm>(f: LibmFn, a: F) -> F {
    use LibmFn::*;
    match f {
        Tan => a.tan(),
        Asin => a.asin(),
        Acos => a.acos(),
        Atan => a.atan(),
        Sinh => a.sinh(),
        Cosh => a.cosh(),
        Tanh => a.tanh(),
        Asinh => a.asinh(),
        Acosh => a.acosh(),
        Atanh => a.atanh(),
        Cbrt => a.cbrt(),
        Expm1 => a.exp_m1(),
        Log1p => a.ln_1p(),
        Erf => a.erf(),
        Erfc => a.erfc(),
        Tgamma => a.gamma(),
        Atan2 | Hypot | Fdim | Lgamma | Ldexp => unreachable!("not a one-argument function"),
    }
}

/// A two-argument libm function.
fn libm2<F: HostLibm>(f: LibmFn, a: F, b: F) -> F {
    match f {
        LibmFn::Atan2 => a.atan2(b),
        LibmFn::Hypot => a.hypot(b),
        _ => a.fdim(b),
    }
}
