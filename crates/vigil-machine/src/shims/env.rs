//! Environment variables (`getenv`/`setenv`/`unsetenv`, kept consistent with `environ`) and
//! the current directory (the host's, which isolation hides).

use vigil_ir::EnvShim;

use super::errno::{EINVAL, EPERM, ERANGE};
use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::Res;

impl Machine<'_> {
    pub(crate) fn env_shim(&mut self, shim: EnvShim, ret: CallReturn) -> Res<()> {
        use EnvShim::*;
        match shim {
            Getenv => {
                let name = self.read_c_string(self.arg_ptr(0))?;
                let found = self.os.getenv(&name).unwrap_or(super::NULL);
                self.complete_ptr(ret, found)
            }
            Setenv | Unsetenv => {
                let name_ptr = self.arg_ptr(0);
                let name = if name_ptr.addr == 0 { Vec::new() } else { self.read_c_string(name_ptr)? };
                let Some(name) = String::from_utf8(name).ok().filter(|n| !n.is_empty() && !n.contains('=')) else {
                    return self.fail_call(ret, EINVAL);
                };
                if shim == Setenv {
                    let (value, overwrite) = (self.read_c_string(self.arg_ptr(1))?, self.arg_u64(2) as u32 != 0);
                    if overwrite || self.os.getenv(name.as_bytes()).is_none() {
                        self.os.setenv(&mut self.mem, &name, Some(&value))?;
                    }
                } else {
                    self.os.setenv(&mut self.mem, &name, None)?;
                }
                self.complete_call(ret, 0)
            }
            Getcwd => {
                let (buf, size) = (self.arg_ptr(0), self.arg_u64(1));
                if self.isolated() {
                    self.reject_in_isolation("`getcwd`")?;
                    return self.fail_ptr(ret, EPERM);
                }
                let cwd = match std::env::current_dir() {
                    Ok(p) => p.into_os_string().into_encoded_bytes(),
                    Err(e) => {
                        return self.fail_ptr(ret, e.raw_os_error().unwrap_or(EINVAL));
                    }
                };
                if self.write_c_string(buf, size, &cwd)? { self.complete_ptr(ret, buf) } else { self.fail_ptr(ret, ERANGE) }
            }
            Chdir => {
                let path = self.read_path(self.arg_ptr(0))?;
                if self.isolated() {
                    self.reject_in_isolation("`chdir`")?;
                    return self.fail_call(ret, EPERM);
                }
                match std::env::set_current_dir(&path) {
                    Ok(()) => self.complete_call(ret, 0),
                    Err(e) => self.fail_io(ret, e),
                }
            }
        }
    }
}
