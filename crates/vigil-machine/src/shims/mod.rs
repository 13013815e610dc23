//! The emulated operating system's calls, one module per concern; `call_foreign` hands each
//! foreign function to its module (the concern comes from `vigil_ir::ForeignShim`'s table).
//!
//! - `alloc.rs`: the Rust allocator, the C heap, anonymous `mmap`.
//! - `runtime.rs`: Miri's runtime hooks, unwinding, backtraces, `dlsym`, errno, `syscall`.
//! - `borrow_debug.rs`: Miri's debugging hooks for the aliasing models (tag names, printed
//!   borrow state, allocation ids, leak-check roots).
//! - `process.rs`: exit, process identity, `sysconf`, entropy, signals.
//! - `env.rs`: environment variables and the current directory.
//! - `time.rs`: clocks.
//! - `fd/`: the file-descriptor table and what descriptors refer to.
//! - `fs.rs`: the file system by path: opening, metadata, directories, links.
//! - `net.rs`: the host's sockets (isolation off).
//! - `host.rs`: the host's C library, for the calls passed through to the host.
//! - `isolation.rs`: what a call that needs the host does under isolation.
//! - `thread.rs`: threads, names, affinity, sleeping, pthread keys.
//! - `sync.rs`: the futex and pthread mutexes, rwlocks and condition variables.
//! - `libc.rs`: C string and memory functions, libm.
//! - `x86/`: the x86 vendor intrinsics (`llvm.x86.*`; not OS calls, but foreign items too).

mod alloc;
mod borrow_debug;
mod env;
pub(crate) mod fd;
pub(crate) mod fs;
pub(crate) mod host;
pub(crate) mod isolation;
mod libc;
pub(crate) mod net;
mod process;
mod runtime;
mod sync;
mod thread;
mod time;
pub(crate) mod x86;

use vigil_ir::{ForeignShim, Unwind};

use crate::concurrency::CallReturn;
use crate::error::{Error, Res};
use crate::memory::{Prov, Ptr};
use crate::{Loc, Machine};

/// Linux's errno values the shims return.
pub(crate) mod errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const EBADF: i32 = 9;
    pub const EAGAIN: i32 = 11;
    pub const EACCES: i32 = 13;
    pub const EEXIST: i32 = 17;
    pub const EINVAL: i32 = 22;
    pub const ENOTTY: i32 = 25;
    pub const ESPIPE: i32 = 29;
    pub const EPIPE: i32 = 32;
    pub const ERANGE: i32 = 34;
    pub const ENOSYS: i32 = 38;
}

pub(crate) const NULL: Ptr = Ptr { addr: 0, prov: Prov::NONE };

impl Machine<'_> {
    /// Runs a foreign function: each concern's handler completes the call itself (writes the
    /// return value and continues, blocks the thread, or ends the program).
    pub(crate) fn call_foreign(&mut self, shim: ForeignShim, dst: Loc, ret_size: u32, target: Option<u32>, unwind: Unwind) -> Res<()> {
        // Foreign functions take C scalars: all of them must be initialized.
        self.check_args_init()?;
        self.retried = self.threads.active_mut().retried.take();
        let call = CallReturn { dst, size: ret_size, target };
        match shim {
            ForeignShim::Alloc(s) => self.alloc_shim(s, call),
            ForeignShim::Runtime(s) => self.runtime_shim(s, call, unwind),
            ForeignShim::BorrowDebug(s) => self.borrow_debug_shim(s, call),
            ForeignShim::Process(s) => self.process_shim(s, call),
            ForeignShim::Env(s) => self.env_shim(s, call),
            ForeignShim::Time(s) => self.time_shim(s, call),
            ForeignShim::Fd(s) => self.fd_shim(s, call),
            ForeignShim::Fs(s) => self.fs_shim(s, call),
            ForeignShim::Net(s) => self.net_shim(s, call),
            ForeignShim::Thread(s) => self.thread_shim(s, call),
            ForeignShim::Sync(s) => self.pthread_sync_shim(s, call),
            ForeignShim::Libc(s) => self.libc_shim(s, call),
            ForeignShim::Libm { f, f32 } => self.libm_shim(f, f32, call),
        }
    }

    /// Completes a call returning a pointer.
    pub(crate) fn complete_ptr(&mut self, ret: CallReturn, p: Ptr) -> Res<()> {
        self.write_loc_scalar(ret.dst, 8, p.addr as u128, p.prov)?;
        self.shim_return(ret.target)
    }

    /// Completes a call returning nothing.
    pub(crate) fn complete_unit(&mut self, ret: CallReturn) -> Res<()> {
        self.shim_return(ret.target)
    }

    /// Completes a failed call: sets errno and returns -1.
    pub(crate) fn fail_call(&mut self, ret: CallReturn, e: i32) -> Res<()> {
        self.set_errno(e)?;
        self.complete_call(ret, -1)
    }

    /// Fails a call that returns a pointer: sets errno and returns null.
    pub(crate) fn fail_ptr(&mut self, ret: CallReturn, e: i32) -> Res<()> {
        self.set_errno(e)?;
        self.complete_ptr(ret, NULL)
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

    /// Writes `bytes` and a NUL into a caller's buffer of `size` bytes; false if it does not fit.
    pub(crate) fn write_c_string(&mut self, buf: Ptr, size: u64, bytes: &[u8]) -> Res<bool> {
        if bytes.len() as u64 + 1 > size {
            return Ok(false);
        }
        let mut v = bytes.to_vec();
        v.push(0);
        self.mem.write(buf, &v, &[])?;
        Ok(true)
    }

    pub(crate) fn opt_arg_u64(&self, i: usize) -> Option<u64> {
        (i < self.arg_ranges.len()).then(|| self.arg_u64(i))
    }

    pub(crate) fn opt_arg_ptr(&self, i: usize) -> Option<Ptr> {
        (i < self.arg_ranges.len()).then(|| self.arg_ptr(i))
    }

    /// The arguments a variadic function must have been given.
    pub(crate) fn require_args(&self, name: &str, n: usize) -> Res<()> {
        if self.arg_ranges.len() < n {
            return Err(Error::ub(format!(
                "incorrect number of arguments for `{name}`: got {}, expected at least {n}",
                self.arg_ranges.len()
            )));
        }
        Ok(())
    }
}
