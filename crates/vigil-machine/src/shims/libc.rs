//! C string and memory functions, and the libm functions (evaluated with the host's
//! implementations, as native code would).

use vigil_ir::{LibcShim, LibmFn};

use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
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

    pub(crate) fn libm_shim(&mut self, f: LibmFn, f32: bool, ret: CallReturn) -> Res<()> {
        let a = self.arg_scalar(0).0;
        let b = if self.arg_ranges.len() > 1 { self.arg_scalar(1).0 } else { 0 };
        let r = if f32 {
            libm(f, f32::from_bits(a as u32) as f64, f32::from_bits(b as u32) as f64).map(|v| (v as f32).to_bits() as u128)
        } else {
            libm(f, f64::from_bits(a as u64), f64::from_bits(b as u64)).map(|v| v.to_bits() as u128)
        };
        match r {
            Some(v) => {
                self.write_loc_scalar(ret.dst, ret.size as u64, v, Prov::NONE)?;
                self.complete_unit(ret)
            }
            None => {
                let name = if f32 { format!("{}f", f.name()) } else { f.name().to_string() };
                Err(Error::unsupported(format!("can't call foreign function `{name}` on OS `linux`")))
            }
        }
    }
}

/// libm functions evaluated with the host's implementations (as native code would).
fn libm(f: vigil_ir::LibmFn, a: f64, b: f64) -> Option<f64> {
    use vigil_ir::LibmFn::*;
    Some(match f {
        Tan => a.tan(),
        Asin => a.asin(),
        Acos => a.acos(),
        Atan => a.atan(),
        Atan2 => a.atan2(b),
        Sinh => a.sinh(),
        Cosh => a.cosh(),
        Tanh => a.tanh(),
        Asinh => a.asinh(),
        Acosh => a.acosh(),
        Atanh => a.atanh(),
        Cbrt => a.cbrt(),
        Hypot => a.hypot(b),
        Expm1 => a.exp_m1(),
        Log1p => a.ln_1p(),
        Fdim => (a - b).max(0.0),
        Erf | Erfc | Tgamma | Lgamma => return None,
    })
}
