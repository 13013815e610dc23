//! Foreign functions: the Rust allocator, the `miri_*` runtime hooks and the libc
//! calls std makes on Linux, emulated on the machine's memory.

use vigil_ir::{ForeignShim, Unwind};

use crate::error::{Error, Res};
use crate::memory::{AllocKind, Prov, Ptr};
use crate::{Loc, Machine};

const EBADF: i32 = 9;
const EINVAL: i32 = 22;
const ENOSYS: i32 = 38;
const ERANGE: i32 = 34;
const SYS_GETRANDOM: u64 = 318;
const SYS_FUTEX: u64 = 202;
const SYS_GETTID: u64 = 186;

impl Machine<'_> {
    pub(crate) fn call_foreign(&mut self, shim: ForeignShim, dst: Loc, ret_size: u32, target: Option<u32>, unwind: Unwind) -> Res<()> {
        use ForeignShim::*;
        // Foreign functions take C scalars: all of them must be initialized.
        self.check_args_init()?;
        let ret = |m: &mut Self, v: i64| m.write_loc_scalar(dst, ret_size as u64, v as u64 as u128, Prov::NONE);
        let ret_ptr = |m: &mut Self, p: Ptr| m.write_loc_scalar(dst, 8, p.addr as u128, p.prov);
        let call = crate::concurrency::CallReturn { dst, size: ret_size, target };
        match shim {
            // Calls that may block the thread complete themselves.
            PthreadCreate
            | PthreadJoin
            | PthreadDetach
            | PthreadSelf
            | PthreadSetnameNp
            | PthreadGetnameNp
            | PthreadAttrInit
            | PthreadAttrDestroy
            | PthreadAttrSetstacksize
            | PthreadAttrGetstacksize
            | SchedGetaffinity
            | SchedSetaffinity
            | SchedYield
            | Nanosleep
            | ClockNanosleep
            | Usleep
            | PthreadKeyCreate
            | PthreadKeyDelete
            | PthreadGetspecific
            | PthreadSetspecific
            | MiriThreadSpawn
            | MiriThreadJoin => return self.thread_shim(shim, call),
            PthreadMutexLock
            | PthreadMutexUnlock
            | PthreadMutexTrylock
            | PthreadMutexInit
            | PthreadMutexDestroy
            | PthreadMutexattrInit
            | PthreadMutexattrSettype
            | PthreadMutexattrGettype
            | PthreadMutexattrDestroy
            | PthreadRwlockInit
            | PthreadRwlockDestroy
            | PthreadRwlockRdlock
            | PthreadRwlockTryrdlock
            | PthreadRwlockWrlock
            | PthreadRwlockTrywrlock
            | PthreadRwlockUnlock
            | PthreadCondattrInit
            | PthreadCondattrSetclock
            | PthreadCondattrGetclock
            | PthreadCondattrDestroy
            | PthreadCondInit
            | PthreadCondDestroy
            | PthreadCondSignal
            | PthreadCondBroadcast
            | PthreadCondWait
            | PthreadCondTimedwait => return self.pthread_sync_shim(shim, call),
            Syscall if self.arg_u64(0) == SYS_FUTEX => return self.futex(call),
            RustAlloc | RustAllocZeroed => {
                let (size, align) = (self.arg_u64(0), self.arg_u64(1));
                let p = if shim == RustAllocZeroed {
                    self.mem.allocate(size, align, AllocKind::Rust)
                } else {
                    self.mem.allocate_uninit(size, align, AllocKind::Rust)
                };
                self.mem.set_alloc_site(p.prov, self.user_site());
                ret_ptr(self, p)?;
            }
            RustDealloc => {
                let (p, size, align) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                self.mem.deallocate(p, Some((size, align)), AllocKind::Rust)?;
                self.mem.set_free_site(p.prov, self.user_site());
            }
            RustRealloc => {
                let (p, old, align, new) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2), self.arg_u64(3));
                let q = self.mem.allocate_uninit(new, align, AllocKind::Rust);
                self.mem.set_alloc_site(q.prov, self.user_site());
                self.copy_loc(Loc::Mem(p), Loc::Mem(q), old.min(new))?;
                self.mem.deallocate(p, Some((old, align)), AllocKind::Rust)?;
                self.mem.set_free_site(p.prov, self.user_site());
                ret_ptr(self, q)?;
            }
            RustNoAllocShimIsUnstable | MiriPromiseSymbolicAlignment | MiriSpinLoop => {}
            MiriBacktraceSize => {
                let n = self.stack.len();
                ret(self, n as i64)?;
            }
            MiriGetBacktrace => {
                // One token per frame, innermost first: the function's address plus the span id.
                let buf = self.arg_ptr(1);
                for (i, (f, span)) in self.backtrace().into_iter().enumerate() {
                    let p = self.mem.fn_ptr(f).offset(span.0 as u64);
                    self.mem.write_scalar(buf.offset(i as u64 * 8), 8, p.addr as u128, p.prov)?;
                }
            }
            MiriResolveFrame | MiriResolveFrameNames => {
                let token = self.arg_ptr(0);
                let (f, span) = self
                    .mem
                    .fn_of_derived_ptr(token)
                    .ok_or_else(|| Error::ub("resolving a backtrace frame from a pointer that is not one"))?;
                let name = self.frontend.fn_name(f);
                let (file, line, col) = self.frontend.span_location(vigil_ir::SpanId(span as u32));
                if shim == MiriResolveFrame {
                    let fp = self.mem.fn_ptr(f);
                    self.write_loc_scalar(dst, 8, name.len() as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(8), 8, file.len() as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(16), 4, line as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(20), 4, col as u128, Prov::NONE)?;
                    self.write_loc_scalar(dst.offset(24), 8, fp.addr as u128, fp.prov)?;
                } else {
                    let (name_buf, file_buf) = (self.arg_ptr(2), self.arg_ptr(3));
                    self.mem.write(name_buf, name.as_bytes(), &[])?;
                    self.mem.write(file_buf, file.as_bytes(), &[])?;
                }
            }
            RustAllocErrorHandler => return Err(Error::terminated("memory allocation failed")),
            // Miri's own API for `no_std` programs.
            MiriWriteToStdout | MiriWriteToStderr => {
                let (data, (len, _)) = (self.arg_ptr(0), self.arg_meta(0));
                let bytes = self.mem.read_init(data, len)?.to_vec();
                self.os.write_fd(if shim == MiriWriteToStdout { 1 } else { 2 }, &bytes);
            }
            MiriAlloc => {
                let p = self.mem.allocate_uninit(self.arg_u64(0), self.arg_u64(1), AllocKind::Machine);
                self.mem.set_alloc_site(p.prov, self.user_site());
                ret_ptr(self, p)?;
            }
            MiriDealloc => {
                let (p, size, align) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                self.mem.deallocate(p, Some((size, align)), AllocKind::Machine)?;
                self.mem.set_free_site(p.prov, self.user_site());
            }
            MiriStartUnwind => {
                let payload = self.arg_ptr(0);
                return self.start_unwind(payload, unwind);
            }
            Malloc => {
                let p = self.mem.allocate_uninit(self.arg_u64(0), 16, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                ret_ptr(self, p)?;
            }
            Calloc => {
                let n = self.arg_u64(0).checked_mul(self.arg_u64(1)).ok_or_else(|| Error::unsupported("calloc size overflow"))?;
                let p = self.mem.allocate(n, 16, AllocKind::C);
                self.mem.set_alloc_site(p.prov, self.user_site());
                ret_ptr(self, p)?;
            }
            Realloc => {
                let (p, new) = (self.arg_ptr(0), self.arg_u64(1));
                let q = self.mem.allocate_uninit(new, 16, AllocKind::C);
                if p.addr != 0 {
                    let old = self.mem.get(p.prov).size;
                    self.copy_loc(Loc::Mem(p), Loc::Mem(q), old.min(new))?;
                    self.mem.deallocate(p, None, AllocKind::C)?;
                }
                ret_ptr(self, q)?;
            }
            Free => {
                let p = self.arg_ptr(0);
                if p.addr != 0 {
                    self.mem.deallocate(p, None, AllocKind::C)?;
                    self.mem.set_free_site(p.prov, self.user_site());
                }
            }
            PosixMemalign => {
                let (out, align, size) = (self.arg_ptr(0), self.arg_u64(1), self.arg_u64(2));
                let p = self.mem.allocate_uninit(size, align, AllocKind::C);
                self.mem.write_scalar(out, 8, p.addr as u128, p.prov)?;
                ret(self, 0)?;
            }
            AlignedAlloc => {
                let (align, size) = (self.arg_u64(0), self.arg_u64(1));
                let p = self.mem.allocate_uninit(size, align, AllocKind::C);
                ret_ptr(self, p)?;
            }
            Write => {
                let (fd, buf, n) = (self.arg_u64(0), self.arg_ptr(1), self.arg_u64(2));
                let bytes = self.mem.read_init(buf, n)?.to_vec();
                if self.os.write_fd(fd, &bytes) {
                    ret(self, n as i64)?;
                } else {
                    self.set_errno(EBADF)?;
                    ret(self, -1)?;
                }
            }
            Read => {
                let (fd, buf, n) = (self.arg_u64(0), self.arg_ptr(1), self.arg_u64(2));
                if fd != 0 {
                    self.set_errno(EBADF)?;
                    ret(self, -1)?;
                } else {
                    use std::io::Read as _;
                    let mut data = vec![0u8; n as usize];
                    let got = std::io::stdin().lock().read(&mut data).unwrap_or(0);
                    self.mem.write(buf, &data[..got], &[])?;
                    ret(self, got as i64)?;
                }
            }
            Getrandom => {
                let (buf, n) = (self.arg_ptr(0), self.arg_u64(1));
                let bytes = self.os.random_bytes(n as usize);
                self.mem.write(buf, &bytes, &[])?;
                ret(self, n as i64)?;
            }
            ClockGettime => {
                let (clock, tp) = (self.arg_u64(0), self.arg_ptr(1));
                let (secs, nanos) = match clock {
                    // CLOCK_REALTIME(_COARSE): the host's time.
                    0 | 5 => {
                        let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                        (d.as_secs(), d.subsec_nanos())
                    }
                    // The monotonic clocks: virtual time (deadlines are measured on it).
                    _ => {
                        let t = self.monotonic_nanos();
                        ((t / 1_000_000_000) as u64, (t % 1_000_000_000) as u32)
                    }
                };
                self.mem.write_scalar(tp, 8, secs as u128, Prov::NONE)?;
                self.mem.write_scalar(tp.offset(8), 8, nanos as u128, Prov::NONE)?;
                ret(self, 0)?;
            }
            Sysconf => {
                let v = match self.arg_u64(0) as i32 {
                    30 => 4096,                             // _SC_PAGESIZE
                    83 | 84 => self.config.num_cpus as i64, // _SC_NPROCESSORS_CONF / ONLN
                    _ => -1,
                };
                ret(self, v)?;
            }
            Getenv => {
                let name = self.read_c_string(self.arg_ptr(0))?;
                let found =
                    self.os.env_entries.iter().find(|(k, _)| k.as_bytes() == name.as_slice()).map(|(k, p)| p.offset(k.len() as u64 + 1));
                ret_ptr(self, found.unwrap_or(Ptr { addr: 0, prov: Prov::NONE }))?;
            }
            Getcwd => {
                let (buf, size) = (self.arg_ptr(0), self.arg_u64(1));
                let cwd = std::env::current_dir().map(|p| p.into_os_string().into_encoded_bytes()).unwrap_or_default();
                if cwd.len() as u64 + 1 > size {
                    self.set_errno(ERANGE)?;
                    ret_ptr(self, Ptr { addr: 0, prov: Prov::NONE })?;
                } else {
                    let mut bytes = cwd;
                    bytes.push(0);
                    self.mem.write(buf, &bytes, &[])?;
                    ret_ptr(self, buf)?;
                }
            }
            Exit => return Err(Error::exit(self.arg_u64(0) as i32)),
            Abort => return Err(Error::abort()),
            Isatty => {
                use std::io::IsTerminal;
                let t = match self.arg_u64(0) {
                    0 => std::io::stdin().is_terminal(),
                    1 => std::io::stdout().is_terminal(),
                    2 => std::io::stderr().is_terminal(),
                    _ => false,
                };
                ret(self, t as i64)?;
            }
            Errno => {
                let p = self.threads.active().errno;
                ret_ptr(self, p)?;
            }
            Strlen => {
                let s = self.read_c_string(self.arg_ptr(0))?;
                ret(self, s.len() as i64)?;
            }
            Memcmp => {
                let (a, b, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                let ord = self.mem.read_init(a, n)?.cmp(self.mem.read_init(b, n)?);
                ret(self, ord as i64)?;
            }
            Memchr | Memrchr => {
                let (p, c, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                let bytes = self.mem.read_init(p, n)?;
                let pos = if shim == Memchr { bytes.iter().position(|&b| b == c) } else { bytes.iter().rposition(|&b| b == c) };
                ret_ptr(self, pos.map(|i| p.offset(i as u64)).unwrap_or(Ptr { addr: 0, prov: Prov::NONE }))?;
            }
            Memcpy | Memmove => {
                let (d, s, n) = (self.arg_ptr(0), self.arg_ptr(1), self.arg_u64(2));
                self.copy_loc(Loc::Mem(s), Loc::Mem(d), n)?;
                ret_ptr(self, d)?;
            }
            Memset => {
                let (d, c, n) = (self.arg_ptr(0), self.arg_u64(1) as u8, self.arg_u64(2));
                self.mem.write(d, &vec![c; n as usize], &[])?;
                ret_ptr(self, d)?;
            }
            Getpid => ret(self, std::process::id() as i64)?,
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
                    None => Ptr { addr: 0, prov: Prov::NONE },
                };
                ret_ptr(self, p)?;
            }
            PthreadAtfork => ret(self, 0)?,
            // The main thread's id is the process id; the others follow it.
            Gettid => ret(self, std::process::id() as i64 + self.threads.active.0 as i64)?,
            Close => ret(self, 0)?,
            Signal => ret(self, 0)?,
            Sigaction => {
                let old = self.arg_ptr(2);
                if old.addr != 0 {
                    self.mem.write(old, &[0u8; 152], &[])?;
                }
                ret(self, 0)?;
            }
            Sigaltstack => ret(self, 0)?,
            Fcntl | Poll => ret(self, 0)?,
            // std links this weakly and Vigil does not define it (std falls back to a pthread
            // key whose destructor runs the thread's destructors, as under Miri).
            CxaThreadAtexitImpl => return Err(Error::unsupported("can't call foreign function `__cxa_thread_atexit_impl` on OS `linux`")),
            Syscall => match self.arg_u64(0) {
                SYS_GETRANDOM => {
                    let (buf, n) = (self.arg_ptr(1), self.arg_u64(2));
                    let bytes = self.os.random_bytes(n as usize);
                    self.mem.write(buf, &bytes, &[])?;
                    ret(self, n as i64)?;
                }
                SYS_GETTID => ret(self, std::process::id() as i64 + self.threads.active.0 as i64)?,
                n => {
                    return Err(Error::unsupported(format!("can't execute syscall with ID {n}")));
                }
            },
            Libm { f, f32 } => {
                let a = self.arg_scalar(0).0;
                let b = if self.arg_ranges.len() > 1 { self.arg_scalar(1).0 } else { 0 };
                let r = if f32 {
                    libm(f, f32::from_bits(a as u32) as f64, f32::from_bits(b as u32) as f64).map(|v| (v as f32).to_bits() as u128)
                } else {
                    libm(f, f64::from_bits(a as u64), f64::from_bits(b as u64)).map(|v| v.to_bits() as u128)
                };
                match r {
                    Some(v) => self.write_loc_scalar(dst, ret_size as u64, v, Prov::NONE)?,
                    None => return Err(Error::unsupported(format!("can't call foreign function `{f:?}` on OS `linux`"))),
                }
            }
            Mmap => {
                let p = self.mmap()?;
                ret_ptr(self, p)?;
            }
            Munmap => {
                let r = self.munmap()?;
                ret(self, r)?;
            }
            Futex | PthreadGetattrNp | PthreadAttrGetstack => {
                self.set_errno(ENOSYS)?;
                return Err(Error::unsupported(format!("can't call foreign function `{shim:?}` on this emulated OS yet")));
            }
        }
        self.shim_return(target)
    }

    /// `mmap(addr, length, prot, flags, fd, offset)`: private anonymous read-write mappings
    /// (new zeroed memory, page-aligned, a whole number of pages); other kinds are unsupported.
    fn mmap(&mut self) -> Res<Ptr> {
        const PROT_READ: u64 = 1;
        const PROT_WRITE: u64 = 2;
        const MAP_SHARED: u64 = 0x1;
        const MAP_PRIVATE: u64 = 0x2;
        const MAP_FIXED: u64 = 0x10;
        const MAP_ANONYMOUS: u64 = 0x20;
        let failed = Ptr { addr: u64::MAX, prov: Prov::NONE };
        let (length, prot, flags) = (self.arg_u64(1), self.arg_u64(2) as u32 as u64, self.arg_u64(3) as u32 as u64);
        let (fd, offset) = (self.arg_u64(4) as u32 as i32, self.arg_u64(5));
        if (flags & (MAP_PRIVATE | MAP_SHARED)).count_ones() != 1 || length == 0 {
            self.set_errno(EINVAL)?;
            return Ok(failed);
        }
        if fd != -1 {
            return Err(Error::unsupported("file-backed memory mappings (`mmap` of a file)"));
        }
        if flags & MAP_FIXED != 0 {
            return Err(Error::unsupported("`mmap` with MAP_FIXED"));
        }
        if prot != PROT_READ | PROT_WRITE {
            return Err(Error::unsupported("`mmap` with protections other than PROT_READ|PROT_WRITE"));
        }
        if flags != MAP_PRIVATE | MAP_ANONYMOUS {
            return Err(Error::unsupported("`mmap` with flags other than MAP_PRIVATE|MAP_ANONYMOUS"));
        }
        if offset != 0 {
            return Err(Error::unsupported("`mmap` with a non-zero offset"));
        }
        let page = self.os.config.page_size;
        let Some(len) = length.checked_next_multiple_of(page).filter(|&l| l <= i64::MAX as u64) else {
            self.set_errno(EINVAL)?;
            return Ok(failed);
        };
        let p = self.mem.allocate(len, page, AllocKind::Mmap);
        self.mem.set_alloc_site(p.prov, self.user_site());
        Ok(p)
    }

    /// `munmap(addr, length)`: frees a whole mapping (`length` rounded up to pages).
    fn munmap(&mut self) -> Res<i64> {
        let (p, length) = (self.arg_ptr(0), self.arg_u64(1));
        let page = self.os.config.page_size;
        let Some(len) = length.checked_next_multiple_of(page).filter(|_| p.addr.is_multiple_of(page)) else {
            self.set_errno(EINVAL)?;
            return Ok(-1);
        };
        self.mem.deallocate(p, Some((len, page)), AllocKind::Mmap)?;
        self.mem.set_free_site(p.prov, self.user_site());
        Ok(0)
    }

    pub(crate) fn set_errno(&mut self, e: i32) -> Res<()> {
        let errno = self.threads.active().errno;
        self.mem.write_scalar(errno, 4, e as u32 as u128, Prov::NONE)
    }

    pub(crate) fn read_c_string(&self, p: Ptr) -> Res<Vec<u8>> {
        let mut out = Vec::new();
        let mut q = p;
        loop {
            let b = self.mem.read_init(q, 1)?[0];
            if b == 0 {
                return Ok(out);
            }
            out.push(b);
            q = q.offset(1);
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
