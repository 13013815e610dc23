//! The process: exit, identity (pid, uid, host name), `sysconf`, entropy and signals.

use vigil_ir::ProcessShim;

use crate::Machine;
use crate::concurrency::CallReturn;
use crate::error::{Error, Res};

/// What the emulated process reports as its user and group ids.
const UID: i64 = 1000;

impl Machine<'_> {
    pub(crate) fn process_shim(&mut self, shim: ProcessShim, ret: CallReturn) -> Res<()> {
        use ProcessShim::*;
        match shim {
            Exit => Err(Error::exit(self.arg_u64(0) as i32)),
            Abort => Err(Error::abort()),
            Getpid => {
                let pid = self.os.pid();
                self.complete_call(ret, pid as i64)
            }
            Getuid | Geteuid | Getgid | Getegid => self.complete_call(ret, UID),
            Sysconf => {
                let v = match self.arg_u64(0) as i32 {
                    30 => self.os.config.page_size as i64,  // _SC_PAGESIZE
                    4 => 1024,                              // _SC_OPEN_MAX (the descriptor table's size)
                    70 => 512,                              // _SC_GETPW_R_SIZE_MAX
                    83 | 84 => self.config.num_cpus as i64, // _SC_NPROCESSORS_CONF / ONLN
                    _ => -1,
                };
                self.complete_call(ret, v)
            }
            Getrandom => {
                let (buf, n) = (self.arg_ptr(0), self.arg_u64(1));
                let bytes = self.os.random_bytes(n as usize);
                self.mem.write(buf, &bytes, &[])?;
                self.complete_call(ret, n as i64)
            }
            Gethostname => {
                let (buf, len) = (self.arg_ptr(0), self.arg_u64(1));
                let name = self.os.hostname();
                if self.write_c_string(buf, len, &name)? { self.complete_call(ret, 0) } else { self.fail_call(ret, super::errno::EINVAL) }
            }
            GetpwuidR => {
                let (uid, pwd, buf, len, result) =
                    (self.arg_u64(0) as u32, self.arg_ptr(1), self.arg_ptr(2), self.arg_u64(3), self.arg_ptr(4));
                self.require_no_isolation("`getpwuid_r`")?;
                if uid as i64 != UID {
                    return Err(Error::unsupported("`getpwuid_r` on other users"));
                }
                #[allow(deprecated)]
                let home = std::env::home_dir().unwrap_or_default().into_os_string().into_encoded_bytes();
                // Only `pw_dir` (offset 32 of the 48-byte `struct passwd`) is filled in.
                self.mem.write(pwd, &[0u8; 48], &[])?;
                if !self.write_c_string(buf, len, &home)? {
                    self.mem.write_scalar(result, 8, 0, crate::memory::Prov::NONE)?;
                    return self.complete_call(ret, super::errno::ERANGE as i64);
                }
                self.mem.write_scalar(pwd.offset(32), 8, buf.addr as u128, buf.prov)?;
                self.mem.write_scalar(result, 8, pwd.addr as u128, pwd.prov)?;
                self.complete_call(ret, 0)
            }
            Uname => {
                // `struct utsname`: sysname, nodename, release, version, machine, domainname.
                const FIELD: usize = 65;
                let buf = self.arg_ptr(0);
                let mut fields: [Vec<u8>; 6] =
                    [b"Linux".to_vec(), self.os.hostname(), b"6.8.0".to_vec(), b"#1 SMP".to_vec(), b"x86_64".to_vec(), b"(none)".to_vec()];
                if !self.isolated() {
                    let mut host = [0u8; FIELD * 6];
                    // SAFETY: a buffer of `struct utsname`'s size.
                    if unsafe { super::host::uname(host.as_mut_ptr()) } == 0 {
                        for (i, f) in fields.iter_mut().enumerate() {
                            let raw = &host[i * FIELD..(i + 1) * FIELD];
                            *f = raw[..raw.iter().position(|&b| b == 0).unwrap_or(FIELD)].to_vec();
                        }
                    }
                }
                let mut out = vec![0u8; FIELD * 6];
                for (i, f) in fields.iter().enumerate() {
                    let n = f.len().min(FIELD - 1);
                    out[i * FIELD..i * FIELD + n].copy_from_slice(&f[..n]);
                }
                self.mem.write(buf, &out, &[])?;
                self.complete_call(ret, 0)
            }
            GnuGetLibcVersion => {
                let p = self.os.static_c_string(&mut self.mem, b"2.39");
                self.complete_ptr(ret, p)
            }
            // Signal handlers are recorded by nobody: no signal is ever delivered.
            Signal | Sigaltstack | PthreadAtfork => self.complete_call(ret, 0),
            Sigaction => {
                let old = self.arg_ptr(2);
                if old.addr != 0 {
                    self.mem.write(old, &[0u8; 152], &[])?;
                }
                self.complete_call(ret, 0)
            }
        }
    }
}
