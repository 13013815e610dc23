//! The foreign functions the emulated OS and runtime provide, declared once in a table by
//! concern: the table generates one enum per concern, `ForeignShim` over them, the mapping
//! from link names and the names back (for reports), so a function belongs to exactly one
//! module of the machine's `shims/`.

/// The table: `Concern(Enum) { Variant = "link_name" | "alias", ... }`.
macro_rules! foreign_shims {
    ($(
        $(#[$cdoc:meta])*
        $concern:ident($enum:ident) {
            $( $(#[$vdoc:meta])* $variant:ident = $first:literal $(| $alias:literal)* ),* $(,)?
        }
    )*) => {
        /// A foreign function (no MIR body) the machine implements, by concern.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ForeignShim {
            $( $(#[$cdoc])* $concern($enum), )*
            /// A libm function on f64 (`f32: false`) or f32, with one or two arguments.
            Libm { f: LibmFn, f32: bool },
        }

        $(
            $(#[$cdoc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum $enum { $( $(#[$vdoc])* $variant, )* }

            impl $enum {
                /// The function's C name.
                pub fn name(self) -> &'static str {
                    match self { $( $enum::$variant => $first, )* }
                }
            }
        )*

        impl ForeignShim {
            /// The shim for a foreign item, by its link name.
            pub fn from_name(name: &str) -> Option<ForeignShim> {
                Some(match name {
                    $( $( $first $(| $alias)* => ForeignShim::$concern($enum::$variant), )* )*
                    _ => return libm(name),
                })
            }

            /// The function's C name (for reports).
            pub fn name(self) -> &'static str {
                match self {
                    $( ForeignShim::$concern(s) => s.name(), )*
                    ForeignShim::Libm { f, .. } => f.name(),
                }
            }
        }
    };
}

foreign_shims! {
    /// The Rust allocator, the C heap and anonymous memory mappings (`shims/alloc.rs`).
    Alloc(AllocShim) {
        RustAlloc = "__rust_alloc",
        RustAllocZeroed = "__rust_alloc_zeroed",
        RustDealloc = "__rust_dealloc",
        RustRealloc = "__rust_realloc",
        RustNoAllocShimIsUnstable = "__rust_no_alloc_shim_is_unstable_v2",
        RustAllocErrorHandler = "__rust_alloc_error_handler",
        MiriAlloc = "miri_alloc",
        MiriDealloc = "miri_dealloc",
        MiriPromiseSymbolicAlignment = "miri_promise_symbolic_alignment",
        Malloc = "malloc",
        Calloc = "calloc",
        Realloc = "realloc",
        Free = "free",
        PosixMemalign = "posix_memalign",
        AlignedAlloc = "aligned_alloc",
        Mmap = "mmap" | "mmap64",
        Munmap = "munmap",
    }

    /// Miri's runtime hooks, unwinding, backtraces, symbol lookup, errno and the `syscall`
    /// entry point, which hands each system call to its concern (`shims/runtime.rs`).
    Runtime(RuntimeShim) {
        /// std's unwinder on Unix raises the exception object; unwinding carries it.
        MiriStartUnwind = "miri_start_unwind" | "_Unwind_RaiseException",
        MiriBacktraceSize = "miri_backtrace_size",
        MiriGetBacktrace = "miri_get_backtrace",
        MiriResolveFrame = "miri_resolve_frame",
        MiriResolveFrameNames = "miri_resolve_frame_names",
        MiriSpinLoop = "miri_spin_loop" | "llvm.x86.sse2.pause",
        MiriWriteToStdout = "miri_write_to_stdout",
        MiriWriteToStderr = "miri_write_to_stderr",
        /// Finds the emulated `getrandom`; no other symbol (std then uses its fallbacks).
        Dlsym = "dlsym",
        CxaThreadAtexitImpl = "__cxa_thread_atexit_impl",
        Errno = "__errno_location",
        Syscall = "syscall",
        /// Miri's path conversion for its own tests: the identity on Linux.
        MiriHostToTargetPath = "miri_host_to_target_path",
    }

    /// The process: exit, identity, limits, entropy and signals (`shims/process.rs`).
    Process(ProcessShim) {
        Exit = "exit" | "_exit",
        Abort = "abort",
        Getpid = "getpid",
        Getuid = "getuid",
        Geteuid = "geteuid",
        Getgid = "getgid",
        Getegid = "getegid",
        Sysconf = "sysconf",
        Getrandom = "getrandom",
        Gethostname = "gethostname",
        Uname = "uname",
        /// The C library's version std asks for (that of glibc 2.39).
        GnuGetLibcVersion = "gnu_get_libc_version",
        /// Only for the current user, and only `pw_dir` (std's `home_dir`).
        GetpwuidR = "getpwuid_r",
        Signal = "signal",
        Sigaction = "sigaction",
        Sigaltstack = "sigaltstack",
        /// The program never forks, so the handlers never run.
        PthreadAtfork = "pthread_atfork",
    }

    /// Environment variables and the current directory (`shims/env.rs`).
    Env(EnvShim) {
        Getenv = "getenv",
        Setenv = "setenv",
        Unsetenv = "unsetenv",
        Getcwd = "getcwd",
        Chdir = "chdir",
    }

    /// Clocks (`shims/time.rs`); sleeping blocks a thread and is in `Thread`.
    Time(TimeShim) {
        ClockGettime = "clock_gettime",
        ClockGetres = "clock_getres",
        Gettimeofday = "gettimeofday",
        /// The host's time zone (isolation off).
        LocaltimeR = "localtime_r",
    }

    /// Operations on file descriptors, whatever they refer to (`shims/fd/`).
    Fd(FdShim) {
        Read = "read",
        Write = "write",
        Pread = "pread" | "pread64",
        Pwrite = "pwrite" | "pwrite64",
        Readv = "readv",
        Writev = "writev",
        Preadv = "preadv" | "preadv64",
        Pwritev = "pwritev" | "pwritev64",
        Lseek = "lseek" | "lseek64",
        Close = "close",
        Dup = "dup",
        Dup2 = "dup2",
        Dup3 = "dup3",
        Fcntl = "fcntl" | "fcntl64",
        Isatty = "isatty",
        Fstat = "fstat" | "fstat64",
        Fsync = "fsync",
        Fdatasync = "fdatasync",
        Ftruncate = "ftruncate" | "ftruncate64",
        Flock = "flock",
        Poll = "poll",
        Pipe = "pipe",
        Pipe2 = "pipe2",
        Socketpair = "socketpair",
        Eventfd = "eventfd",
        EpollCreate = "epoll_create",
        EpollCreate1 = "epoll_create1",
        EpollCtl = "epoll_ctl",
        /// `epoll_pwait`'s signal mask is ignored: no signal is ever delivered.
        EpollWait = "epoll_wait" | "epoll_pwait",
        /// `FIONBIO`, `FIOCLEX`, `FIONCLEX`.
        Ioctl = "ioctl",
        /// Kernel copies: not available (std falls back to reads and writes).
        Sendfile = "sendfile" | "sendfile64",
        Splice = "splice",
    }

    /// The file system: opening by path, metadata, directories, links (`shims/fs.rs`).
    Fs(FsShim) {
        Open = "open" | "open64",
        Openat = "openat" | "openat64",
        Creat = "creat" | "creat64",
        Stat = "stat" | "stat64",
        Lstat = "lstat" | "lstat64",
        Statx = "statx",
        Mkdir = "mkdir",
        Rmdir = "rmdir",
        Unlink = "unlink",
        Rename = "rename",
        Link = "link",
        Linkat = "linkat",
        Symlink = "symlink",
        Readlink = "readlink",
        Realpath = "realpath",
        Chmod = "chmod",
        Fchmod = "fchmod",
        Opendir = "opendir",
        Fdopendir = "fdopendir",
        Readdir = "readdir" | "readdir64",
        Closedir = "closedir",
        Dirfd = "dirfd",
        Mkdtemp = "mkdtemp",
    }

    /// Sockets of the host (isolation off): TCP and UDP through the host's network stack
    /// (`shims/net.rs`).
    Net(NetShim) {
        Socket = "socket",
        Bind = "bind",
        Listen = "listen",
        Accept = "accept",
        Accept4 = "accept4",
        Connect = "connect",
        Send = "send",
        Sendto = "sendto",
        Recv = "recv",
        Recvfrom = "recvfrom",
        Setsockopt = "setsockopt",
        Getsockopt = "getsockopt",
        Getsockname = "getsockname",
        Getpeername = "getpeername",
        Shutdown = "shutdown",
        /// Host names through the host's resolver; the list is C heap memory of the program.
        Getaddrinfo = "getaddrinfo",
        Freeaddrinfo = "freeaddrinfo",
        GaiStrerror = "gai_strerror",
    }

    /// Threads, names, affinity, sleeping and pthread keys (`shims/thread.rs`).
    Thread(ThreadShim) {
        PthreadCreate = "pthread_create",
        PthreadJoin = "pthread_join",
        PthreadDetach = "pthread_detach",
        PthreadSelf = "pthread_self",
        PthreadSetnameNp = "pthread_setname_np",
        PthreadGetnameNp = "pthread_getname_np",
        PthreadAttrInit = "pthread_attr_init",
        PthreadAttrDestroy = "pthread_attr_destroy",
        PthreadAttrSetstacksize = "pthread_attr_setstacksize",
        PthreadAttrGetstacksize = "pthread_attr_getstacksize",
        PthreadGetattrNp = "pthread_getattr_np",
        PthreadAttrGetstack = "pthread_attr_getstack",
        SchedGetaffinity = "sched_getaffinity",
        SchedSetaffinity = "sched_setaffinity",
        SchedYield = "sched_yield",
        Nanosleep = "nanosleep",
        ClockNanosleep = "clock_nanosleep",
        Usleep = "usleep",
        PthreadKeyCreate = "pthread_key_create",
        PthreadKeyDelete = "pthread_key_delete",
        PthreadGetspecific = "pthread_getspecific",
        PthreadSetspecific = "pthread_setspecific",
        Gettid = "gettid",
        MiriThreadSpawn = "miri_thread_spawn",
        MiriThreadJoin = "miri_thread_join",
    }

    /// pthread mutexes, rwlocks and condition variables (`shims/sync.rs`; std itself uses
    /// the futex, a system call).
    Sync(SyncShim) {
        PthreadMutexLock = "pthread_mutex_lock",
        PthreadMutexUnlock = "pthread_mutex_unlock",
        PthreadMutexTrylock = "pthread_mutex_trylock",
        PthreadMutexInit = "pthread_mutex_init",
        PthreadMutexDestroy = "pthread_mutex_destroy",
        PthreadMutexattrInit = "pthread_mutexattr_init",
        PthreadMutexattrSettype = "pthread_mutexattr_settype",
        PthreadMutexattrGettype = "pthread_mutexattr_gettype",
        PthreadMutexattrDestroy = "pthread_mutexattr_destroy",
        PthreadRwlockInit = "pthread_rwlock_init",
        PthreadRwlockDestroy = "pthread_rwlock_destroy",
        PthreadRwlockRdlock = "pthread_rwlock_rdlock",
        PthreadRwlockTryrdlock = "pthread_rwlock_tryrdlock",
        PthreadRwlockWrlock = "pthread_rwlock_wrlock",
        PthreadRwlockTrywrlock = "pthread_rwlock_trywrlock",
        PthreadRwlockUnlock = "pthread_rwlock_unlock",
        PthreadCondattrInit = "pthread_condattr_init",
        PthreadCondattrSetclock = "pthread_condattr_setclock",
        PthreadCondattrGetclock = "pthread_condattr_getclock",
        PthreadCondattrDestroy = "pthread_condattr_destroy",
        PthreadCondInit = "pthread_cond_init",
        PthreadCondDestroy = "pthread_cond_destroy",
        PthreadCondSignal = "pthread_cond_signal",
        PthreadCondBroadcast = "pthread_cond_broadcast",
        PthreadCondWait = "pthread_cond_wait",
        PthreadCondTimedwait = "pthread_cond_timedwait",
    }

    /// C string and memory functions (`shims/libc.rs`, with libm).
    Libc(LibcShim) {
        Strlen = "strlen",
        Memcmp = "memcmp" | "bcmp",
        Memchr = "memchr",
        Memrchr = "memrchr",
        Memcpy = "memcpy",
        Memmove = "memmove",
        Memset = "memset",
        StrerrorR = "strerror_r" | "__xpg_strerror_r",
    }
}

impl ForeignShim {
    /// For a C-variadic function, how many fixed arguments come before the `...` (the
    /// others are not variadic).
    pub fn variadic_fixed_args(self) -> Option<usize> {
        Some(match self {
            ForeignShim::Fs(FsShim::Open) | ForeignShim::Fd(FdShim::Fcntl) | ForeignShim::Fd(FdShim::Ioctl) => 2,
            ForeignShim::Fs(FsShim::Openat) => 3,
            ForeignShim::Runtime(RuntimeShim::Syscall) => 1,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LibmFn {
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Cbrt,
    Hypot,
    Expm1,
    Log1p,
    Fdim,
    Erf,
    Erfc,
    Tgamma,
    Lgamma,
}

/// The libm functions by name, with their f32 variants (`name` + `f`).
const LIBM: &[(&str, LibmFn)] = &[
    ("tan", LibmFn::Tan),
    ("asin", LibmFn::Asin),
    ("acos", LibmFn::Acos),
    ("atan", LibmFn::Atan),
    ("atan2", LibmFn::Atan2),
    ("sinh", LibmFn::Sinh),
    ("cosh", LibmFn::Cosh),
    ("tanh", LibmFn::Tanh),
    ("asinh", LibmFn::Asinh),
    ("acosh", LibmFn::Acosh),
    ("atanh", LibmFn::Atanh),
    ("cbrt", LibmFn::Cbrt),
    ("hypot", LibmFn::Hypot),
    ("expm1", LibmFn::Expm1),
    ("log1p", LibmFn::Log1p),
    ("fdim", LibmFn::Fdim),
    ("erf", LibmFn::Erf),
    ("erfc", LibmFn::Erfc),
    ("tgamma", LibmFn::Tgamma),
    ("lgamma_r", LibmFn::Lgamma),
];

impl LibmFn {
    /// The f64 function's C name.
    pub fn name(self) -> &'static str {
        LIBM.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).unwrap_or("libm")
    }
}

fn libm(name: &str) -> Option<ForeignShim> {
    let (base, f32) = match name.strip_suffix('f') {
        Some(b) if name != "erf" => (b, true),
        _ => (name, false),
    };
    LIBM.iter().find(|(n, _)| *n == base).map(|&(_, f)| ForeignShim::Libm { f, f32 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_both_ways() {
        for name in ["open64", "read", "pthread_create", "__rust_alloc", "getenv", "clock_gettime", "memcmp", "bcmp"] {
            let shim = ForeignShim::from_name(name).unwrap();
            assert_eq!(ForeignShim::from_name(shim.name()), Some(shim), "{name}");
        }
        assert_eq!(ForeignShim::from_name("open64"), Some(ForeignShim::Fs(FsShim::Open)));
        assert_eq!(ForeignShim::from_name("sinf"), None);
        assert_eq!(ForeignShim::from_name("tanf"), Some(ForeignShim::Libm { f: LibmFn::Tan, f32: true }));
        assert_eq!(ForeignShim::from_name("erf"), Some(ForeignShim::Libm { f: LibmFn::Erf, f32: false }));
        assert_eq!(ForeignShim::from_name("posix_spawnp"), None);
    }
}
