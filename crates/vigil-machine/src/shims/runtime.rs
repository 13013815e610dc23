//! Miri's runtime hooks (`miri_*`: unwinding, backtraces, output for `no_std` programs),
//! `dlsym`, errno's location, and the `syscall` entry point, which hands each system call
//! to its concern.

use vigil_ir::{RuntimeShim, Unwind};

use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::Prov;

const SYS_GETRANDOM: u64 = 318;
const SYS_FUTEX: u64 = 202;
const SYS_GETTID: u64 = 186;
const SYS_STATX: u64 = 332;
const SYS_COPY_FILE_RANGE: u64 = 326;

impl Machine<'_> {
    pub(crate) fn runtime_shim(&mut self, shim: RuntimeShim, ret: CallReturn, unwind: Unwind) -> Res<()> {
        use RuntimeShim::*;
        match shim {
            // A spin loop's hint (`std::hint::spin_loop`, `miri_spin_loop`) yields, as in
            // Miri: the thread it waits for gets to run, and a bug that shows only when
            // another thread runs here has its chance.
            MiriSpinLoop => {
                self.threads.reschedule = true;
                self.complete_unit(ret)
            }
            // Miri's backtrace API, version 1 (flags 1 for `miri_get_backtrace` and
            // `miri_resolve_frame`, 0 for the others); the lowering checked the declarations.
            MiriBacktraceSize => {
                self.backtrace_flags(shim, &[0])?;
                // As many as `miri_get_backtrace` writes: inlined calls count as frames.
                let n = self.backtrace().len();
                self.complete_call(ret, n as i64)
            }
            MiriGetBacktrace => {
                self.backtrace_flags(shim, &[1])?;
                // One token per frame, innermost first: the function's address plus the span id.
                let buf = self.arg_ptr(1);
                for (i, (f, span)) in self.backtrace().into_iter().enumerate() {
                    let p = self.mem.fn_ptr(f).offset(span.0 as u64);
                    self.mem.write_scalar(buf.offset(i as u64 * 8), 8, p.addr as u128, p.prov)?;
                }
                self.complete_unit(ret)
            }
            MiriResolveFrame | MiriResolveFrameNames => {
                if shim == MiriResolveFrameNames {
                    self.backtrace_flags(shim, &[0])?;
                }
                let token = self.arg_ptr(0);
                let (f, span) = self
                    .mem
                    .fn_of_derived_ptr(token)
                    .ok_or_else(|| Error::ub("resolving a backtrace frame from a pointer that is not one"))?;
                let name = self.frontend.fn_name(f);
                let (file, line, col) = self.frontend.span_location(vigil_ir::SpanId(span as u32));
                if shim == MiriResolveFrame {
                    self.backtrace_flags(shim, &[1])?;
                    let (dst, fp) = (ret.dst, self.mem.fn_ptr(f));
                    self.write_loc_scalar(dst, 8, name.len() as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(8), 8, file.len() as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(16), 4, line as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(20), 4, col as u128, Prov::NONE)?;
                    // (The deprecated four-field frame has no function pointer.)
                    if ret.size >= 32 {
                        self.write_loc_scalar(dst.offset(24), 8, fp.addr as u128, fp.prov)?;
                    }
                } else {
                    let (name_buf, file_buf) = (self.arg_ptr(2), self.arg_ptr(3));
                    self.mem.write(name_buf, name.as_bytes(), &[])?;
                    self.mem.write(file_buf, file.as_bytes(), &[])?;
                }
                self.complete_unit(ret)
            }
            // Miri's own API for `no_std` programs.
            MiriWriteToStdout | MiriWriteToStderr => {
                let (data, (len, _)) = (self.arg_ptr(0), self.arg_meta(0));
                let bytes = self.mem.read_init(data, len)?.to_vec();
                self.os.write_stdio(if shim == MiriWriteToStdout { 1 } else { 2 }, &bytes);
                self.complete_unit(ret)
            }
            MiriStartUnwind => {
                let payload = self.arg_ptr(0);
                self.start_unwind(payload, unwind)
            }
            // What the program may look up and call (getrandom's crate does so for
            // `getrandom`); anything else is not found, and std uses its fallbacks.
            Dlsym => {
                let name = self.read_c_string(self.arg_ptr(1))?;
                let found = match std::str::from_utf8(&name) {
                    Ok(name @ "getrandom") => self.frontend.dlsym(name),
                    _ => None,
                };
                let p = match found {
                    Some(f) => self.mem.fn_ptr(f),
                    None => super::NULL,
                };
                self.complete_ptr(ret, p)
            }
            MiriHostToTargetPath => {
                let (path, out, size) = (self.read_c_string(self.arg_ptr(0))?, self.arg_ptr(1), self.arg_u64(2));
                if self.write_c_string(out, size, &path)? {
                    self.complete_call(ret, 0)
                } else {
                    self.complete_call(ret, path.len() as i64 + 1)
                }
            }
            Errno => {
                let p = self.threads.active().errno;
                self.complete_ptr(ret, p)
            }
            // std links this weakly and Vigil does not define it (std falls back to a pthread
            // key whose destructor runs the thread's destructors, as under Miri).
            CxaThreadAtexitImpl => Err(Error::unsupported("can't call foreign function `__cxa_thread_atexit_impl` on OS `linux`")),
            Syscall => match self.arg_u64(0) {
                SYS_FUTEX => self.futex(ret),
                SYS_GETRANDOM => {
                    let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                    let bytes = self.os.random_bytes(n as usize);
                    self.mem.write(buf, &bytes, &[])?;
                    self.complete_call(ret, n as i64)
                }
                SYS_GETTID => {
                    let tid = self.gettid();
                    self.complete_call(ret, tid)
                }
                // std tries these first and falls back (to `stat64`, to reads and writes) when
                // they are not there.
                SYS_STATX | SYS_COPY_FILE_RANGE => self.fail_call(ret, super::errno::ENOSYS),
                n => Err(Error::unsupported(format!("can't execute syscall with ID {n}"))),
            },
        }
    }
}

impl Machine<'_> {
    /// Refuses flags of a backtrace function other than `supported` (argument 0, after the
    /// frame for the resolving functions), as Miri does: version 0 of the API is gone.
    fn backtrace_flags(&self, shim: RuntimeShim, supported: &[u64]) -> Res<()> {
        let i = if matches!(shim, RuntimeShim::MiriBacktraceSize | RuntimeShim::MiriGetBacktrace) { 0 } else { 1 };
        let flags = self.arg_u64(i);
        if supported.contains(&flags) {
            return Ok(());
        }
        Err(match (shim, flags) {
            (RuntimeShim::MiriGetBacktrace | RuntimeShim::MiriResolveFrame, 0) => {
                Error::unsupported(format!("{}: v0 is not supported any more", shim.name()))
            }
            _ => Error::unsupported(format!("unknown `{}` flags {flags}", shim.name())),
        })
    }
}
