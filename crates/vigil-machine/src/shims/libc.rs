//! C string and memory functions, and the libm functions (evaluated with the host's
//! implementations, as native code would, then given `float.rs`'s extra rounding error).

use vigil_ir::{FloatTy, LibcShim, LibmFn};

use crate::concurrency::CallReturn;
use crate::error::Res;
use crate::float::on_host;
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
        use LibmFn::*;
        let ty = if f32 { FloatTy::F32 } else { FloatTy::F64 };
        let x = self.arg_scalar(0).0;
        let r = match f {
            Ldexp => {
                // `x * 2^n` is exact in f64 for an f32 `x`, so one rounding to f32 is right.
                let n = self.arg_scalar(1).0 as u32 as i32;
                // SAFETY (both): a pure libm function.
                let r = match ty {
                    FloatTy::F32 => (unsafe { ldexp(f32::from_bits(x as u32) as f64, n) } as f32).to_bits() as u128,
                    FloatTy::F64 => unsafe { ldexp(f64::from_bits(x as u64), n) }.to_bits() as u128,
                };
                self.float_result(ty, r, &[x])
            }
            Lgamma => {
                let signp = self.arg_ptr(1);
                let mut sign = 0;
                let r = self.float_approx(ty, "lgamma", &[x], || {
                    on_host!(ty, (x = x), {
                        let (v, s) = x.ln_gamma();
                        sign = s;
                        v
                    })
                });
                self.mem.write(signp, &sign.to_le_bytes(), &[])?;
                r
            }
            Atan2 | Hypot | Fdim => {
                let y = self.arg_scalar(1).0;
                let host = || {
                    on_host!(
                        ty,
                        (a = x, b = y),
                        match f {
                            Atan2 => a.atan2(b),
                            Hypot => a.hypot(b),
                            // C's `fdim`: the positive difference, a NaN for a NaN operand.
                            _ if a.is_nan() || b.is_nan() => a + b,
                            _ => (a - b).max(0.0),
                        }
                    )
                };
                self.float_approx(ty, f.name(), &[x, y], host)
            }
            _ => {
                let host = || {
                    on_host!(
                        ty,
                        (a = x),
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
                            Atan2 | Hypot | Fdim | Lgamma | Ldexp => unreachable!("handled above"),
                        }
                    )
                };
                self.float_approx(ty, f.name(), &[x], host)
            }
        };
        self.write_loc_scalar(ret.dst, ret.size as u64, r, Prov::NONE)?;
        self.complete_unit(ret)
    }
}

unsafe extern "C" {
    /// The host's (exact) `x * 2^n`.
    fn ldexp(x: f64, n: i32) -> f64;
}
