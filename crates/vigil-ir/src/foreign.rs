//! The foreign functions the emulated OS and runtime provide, declared once in a table by
//! concern: the table generates one enum per concern, `ForeignShim` over them, the mapping
//! from link names and the names back (for reports), so a function belongs to exactly one
//! module of the machine's `shims/`.

/// The table: `Concern(Enum) { Variant = "link_name" | "alias": SIGNATURE, ... }`, where the
/// signature is `(PARAM, ...) -> RET` in `CType`s, prefixed with `variadic` for a C-variadic
/// function (the parameters are then the fixed ones before its `...`).
macro_rules! foreign_shims {
    ($(
        $(#[$cdoc:meta])*
        $concern:ident($enum:ident) {
            $(
                $(#[$vdoc:meta])*
                $variant:ident = $first:literal $(| $alias:literal)*:
                    $($variadic:ident)? ($($param:ident),*) -> $ret:ident
            ),* $(,)?
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

                /// The function's C signature.
                pub fn signature(self) -> Signature {
                    match self {
                        $( $enum::$variant => Signature {
                            params: &[$(CType::$param),*],
                            variadic: false $(|| variadic(stringify!($variadic)))?,
                            ret: CType::$ret,
                        }, )*
                    }
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

            /// The signature a program's declaration of the function must have.
            pub fn signature(self) -> Signature {
                match self {
                    $( ForeignShim::$concern(s) => s.signature(), )*
                    ForeignShim::Libm { f, f32 } => f.signature(f32),
                }
            }
        }
    };
}

/// The marker of a C-variadic function in the table.
const fn variadic(marker: &str) -> bool {
    matches!(marker.as_bytes(), b"variadic")
}

/// A parameter or return type of a foreign function, as the ABI sees it (on x86_64 Linux:
/// `int` is `I32`, `long`, `off_t` and `pthread_t` are `I64`/`U64`, `size_t` is `Usize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CType {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    Isize,
    Usize,
    F32,
    F64,
    Bool,
    /// Any thin pointer: raw pointers, references, function pointers and their `Option`s.
    Ptr,
    Unit,
    /// `!` (a declaration may also say `()`).
    Never,
    /// Not checked (a struct, a slice, or a type declarations disagree on).
    Any,
    /// Miri's `MiriFrame`: a `repr(C)` struct of five fields (or the deprecated four).
    MiriFrame,
}

impl CType {
    /// The Rust spelling (for reports).
    pub fn name(self) -> &'static str {
        match self {
            CType::I8 => "i8",
            CType::U8 => "u8",
            CType::I16 => "i16",
            CType::U16 => "u16",
            CType::I32 => "i32",
            CType::U32 => "u32",
            CType::I64 => "i64",
            CType::U64 => "u64",
            CType::Isize => "isize",
            CType::Usize => "usize",
            CType::F32 => "f32",
            CType::F64 => "f64",
            CType::Bool => "bool",
            CType::Ptr => "*mut _",
            CType::Unit => "()",
            CType::Never => "!",
            CType::Any => "_",
            CType::MiriFrame => "MiriFrame",
        }
    }

    /// The size in bytes of a scalar type (`None` for `Unit`, `Never` and `Any`).
    pub fn size(self) -> Option<u32> {
        Some(match self {
            CType::I8 | CType::U8 | CType::Bool => 1,
            CType::I16 | CType::U16 => 2,
            CType::I32 | CType::U32 | CType::F32 => 4,
            CType::I64 | CType::U64 | CType::Isize | CType::Usize | CType::F64 | CType::Ptr => 8,
            CType::Unit | CType::Never | CType::Any | CType::MiriFrame => return None,
        })
    }

    /// Whether a declared type of kind `declared` may stand for this one: the same type, or
    /// one the ABI guarantees compatible (`usize` with `u64`, `()` for `!`).
    pub fn accepts(self, declared: CType) -> bool {
        let canon = |t: CType| match t {
            CType::Isize => CType::I64,
            CType::Usize => CType::U64,
            t => t,
        };
        match self {
            CType::Any => true,
            CType::Never => matches!(declared, CType::Never | CType::Unit),
            _ => canon(self) == canon(declared),
        }
    }
}

/// A foreign function's C signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The parameters (of a C-variadic function: the fixed ones).
    pub params: &'static [CType],
    pub variadic: bool,
    pub ret: CType,
}

foreign_shims! {
    /// The Rust allocator, the C heap and anonymous memory mappings (`shims/alloc.rs`).
    Alloc(AllocShim) {
        RustAlloc = "__rust_alloc": (Usize, Usize) -> Ptr,
        RustAllocZeroed = "__rust_alloc_zeroed": (Usize, Usize) -> Ptr,
        RustDealloc = "__rust_dealloc": (Ptr, Usize, Usize) -> Unit,
        RustRealloc = "__rust_realloc": (Ptr, Usize, Usize, Usize) -> Ptr,
        RustNoAllocShimIsUnstable = "__rust_no_alloc_shim_is_unstable_v2": () -> Unit,
        RustAllocErrorHandler = "__rust_alloc_error_handler": (Usize, Usize) -> Never,
        MiriAlloc = "miri_alloc": (Usize, Usize) -> Ptr,
        MiriDealloc = "miri_dealloc": (Ptr, Usize, Usize) -> Unit,
        MiriPromiseSymbolicAlignment = "miri_promise_symbolic_alignment": (Ptr, Usize) -> Unit,
        Malloc = "malloc": (Usize) -> Ptr,
        Calloc = "calloc": (Usize, Usize) -> Ptr,
        Realloc = "realloc": (Ptr, Usize) -> Ptr,
        Free = "free": (Ptr) -> Unit,
        PosixMemalign = "posix_memalign": (Ptr, Usize, Usize) -> I32,
        AlignedAlloc = "aligned_alloc": (Usize, Usize) -> Ptr,
        Mmap = "mmap" | "mmap64": (Ptr, Usize, I32, I32, I32, I64) -> Ptr,
        Munmap = "munmap": (Ptr, Usize) -> I32,
    }

    /// Miri's runtime hooks, unwinding, backtraces, symbol lookup, errno and the `syscall`
    /// entry point, which hands each system call to its concern (`shims/runtime.rs`).
    Runtime(RuntimeShim) {
        /// std's unwinder on Unix raises the exception object; unwinding carries it.
        MiriStartUnwind = "miri_start_unwind" | "_Unwind_RaiseException": (Ptr) -> Any,
        MiriBacktraceSize = "miri_backtrace_size": (U64) -> Usize,
        MiriGetBacktrace = "miri_get_backtrace": (U64, Ptr) -> Unit,
        MiriResolveFrame = "miri_resolve_frame": (Ptr, U64) -> MiriFrame,
        MiriResolveFrameNames = "miri_resolve_frame_names": (Ptr, U64, Ptr, Ptr) -> Unit,
        MiriSpinLoop = "miri_spin_loop" | "llvm.x86.sse2.pause": () -> Unit,
        MiriWriteToStdout = "miri_write_to_stdout": (Any) -> Unit,
        MiriWriteToStderr = "miri_write_to_stderr": (Any) -> Unit,
        /// Finds the emulated `getrandom`; no other symbol (std then uses its fallbacks).
        Dlsym = "dlsym": (Ptr, Ptr) -> Ptr,
        CxaThreadAtexitImpl = "__cxa_thread_atexit_impl": (Ptr, Ptr, Ptr) -> I32,
        Errno = "__errno_location": () -> Ptr,
        Syscall = "syscall": variadic (I64) -> I64,
        /// Miri's path conversion for its own tests: the identity on Linux.
        MiriHostToTargetPath = "miri_host_to_target_path": (Ptr, Ptr, Usize) -> Usize,
    }

    /// Miri's debugging hooks for the aliasing models: allocation ids, names for tags, the
    /// printed borrow state, collecting dead tags, extra roots for the leak check
    /// (`shims/borrow_debug.rs`).
    BorrowDebug(BorrowDebugShim) {
        MiriGetAllocId = "miri_get_alloc_id": (Ptr) -> U64,
        MiriPointerName = "miri_pointer_name": (Ptr, U8, Any) -> Unit,
        MiriPrintBorrowState = "miri_print_borrow_state": (U64, Bool) -> Unit,
        MiriRunProvenanceGc = "miri_run_provenance_gc": () -> Unit,
        MiriStaticRoot = "miri_static_root": (Ptr) -> Unit,
    }

    /// The process: exit, identity, limits, entropy and signals (`shims/process.rs`).
    Process(ProcessShim) {
        Exit = "exit" | "_exit": (I32) -> Never,
        Abort = "abort": () -> Never,
        Getpid = "getpid": () -> I32,
        Getuid = "getuid": () -> U32,
        Geteuid = "geteuid": () -> U32,
        Getgid = "getgid": () -> U32,
        Getegid = "getegid": () -> U32,
        Sysconf = "sysconf": (I32) -> I64,
        Getrandom = "getrandom": (Ptr, Usize, U32) -> Isize,
        Gethostname = "gethostname": (Ptr, Usize) -> I32,
        Uname = "uname": (Ptr) -> I32,
        /// The C library's version std asks for (that of glibc 2.39).
        GnuGetLibcVersion = "gnu_get_libc_version": () -> Ptr,
        /// Only for the current user, and only `pw_dir` (std's `home_dir`).
        GetpwuidR = "getpwuid_r": (U32, Ptr, Ptr, Usize, Ptr) -> I32,
        Signal = "signal": (I32, Any) -> Any,
        Sigaction = "sigaction": (I32, Ptr, Ptr) -> I32,
        Sigaltstack = "sigaltstack": (Ptr, Ptr) -> I32,
        /// The program never forks, so the handlers never run.
        PthreadAtfork = "pthread_atfork": (Ptr, Ptr, Ptr) -> I32,
    }

    /// Environment variables and the current directory (`shims/env.rs`).
    Env(EnvShim) {
        Getenv = "getenv": (Ptr) -> Ptr,
        Setenv = "setenv": (Ptr, Ptr, I32) -> I32,
        Unsetenv = "unsetenv": (Ptr) -> I32,
        Getcwd = "getcwd": (Ptr, Usize) -> Ptr,
        Chdir = "chdir": (Ptr) -> I32,
    }

    /// Clocks (`shims/time.rs`); sleeping blocks a thread and is in `Thread`.
    Time(TimeShim) {
        ClockGettime = "clock_gettime": (I32, Ptr) -> I32,
        ClockGetres = "clock_getres": (I32, Ptr) -> I32,
        Gettimeofday = "gettimeofday": (Ptr, Ptr) -> I32,
        /// The host's time zone (isolation off).
        LocaltimeR = "localtime_r": (Ptr, Ptr) -> Ptr,
    }

    /// Operations on file descriptors, whatever they refer to (`shims/fd/`).
    Fd(FdShim) {
        Read = "read": (I32, Ptr, Usize) -> Isize,
        Write = "write": (I32, Ptr, Usize) -> Isize,
        Pread = "pread" | "pread64": (I32, Ptr, Usize, I64) -> Isize,
        Pwrite = "pwrite" | "pwrite64": (I32, Ptr, Usize, I64) -> Isize,
        Readv = "readv": (I32, Ptr, I32) -> Isize,
        Writev = "writev": (I32, Ptr, I32) -> Isize,
        Preadv = "preadv" | "preadv64": (I32, Ptr, I32, I64) -> Isize,
        Pwritev = "pwritev" | "pwritev64": (I32, Ptr, I32, I64) -> Isize,
        Lseek = "lseek" | "lseek64": (I32, I64, I32) -> I64,
        Close = "close": (I32) -> I32,
        Dup = "dup": (I32) -> I32,
        Dup2 = "dup2": (I32, I32) -> I32,
        Dup3 = "dup3": (I32, I32, I32) -> I32,
        Fcntl = "fcntl" | "fcntl64": variadic (I32, I32) -> I32,
        Isatty = "isatty": (I32) -> I32,
        Fstat = "fstat" | "fstat64": (I32, Ptr) -> I32,
        Fsync = "fsync": (I32) -> I32,
        Fdatasync = "fdatasync": (I32) -> I32,
        Ftruncate = "ftruncate" | "ftruncate64": (I32, I64) -> I32,
        Flock = "flock": (I32, I32) -> I32,
        Poll = "poll": (Ptr, U64, I32) -> I32,
        Pipe = "pipe": (Ptr) -> I32,
        Pipe2 = "pipe2": (Ptr, I32) -> I32,
        Socketpair = "socketpair": (I32, I32, I32, Ptr) -> I32,
        Eventfd = "eventfd": (U32, I32) -> I32,
        EpollCreate = "epoll_create": (I32) -> I32,
        EpollCreate1 = "epoll_create1": (I32) -> I32,
        EpollCtl = "epoll_ctl": (I32, I32, I32, Ptr) -> I32,
        EpollWait = "epoll_wait": (I32, Ptr, I32, I32) -> I32,
        /// The signal mask is ignored: no signal is ever delivered.
        EpollPwait = "epoll_pwait": (I32, Ptr, I32, I32, Ptr) -> I32,
        /// `FIONBIO`, `FIOCLEX`, `FIONCLEX`.
        Ioctl = "ioctl": variadic (I32, U64) -> I32,
        /// Kernel copies: not available (std falls back to reads and writes).
        Sendfile = "sendfile" | "sendfile64": (I32, I32, Ptr, Usize) -> Isize,
        Splice = "splice": (I32, Ptr, I32, Ptr, Usize, U32) -> Isize,
    }

    /// The file system: opening by path, metadata, directories, links (`shims/fs.rs`).
    Fs(FsShim) {
        Open = "open" | "open64": variadic (Ptr, I32) -> I32,
        Openat = "openat" | "openat64": variadic (I32, Ptr, I32) -> I32,
        Creat = "creat" | "creat64": (Ptr, U32) -> I32,
        Stat = "stat" | "stat64": (Ptr, Ptr) -> I32,
        Lstat = "lstat" | "lstat64": (Ptr, Ptr) -> I32,
        Statx = "statx": (I32, Ptr, I32, U32, Ptr) -> I32,
        Mkdir = "mkdir": (Ptr, U32) -> I32,
        Rmdir = "rmdir": (Ptr) -> I32,
        Unlink = "unlink": (Ptr) -> I32,
        Rename = "rename": (Ptr, Ptr) -> I32,
        Link = "link": (Ptr, Ptr) -> I32,
        Linkat = "linkat": (I32, Ptr, I32, Ptr, I32) -> I32,
        Symlink = "symlink": (Ptr, Ptr) -> I32,
        Readlink = "readlink": (Ptr, Ptr, Usize) -> Isize,
        Realpath = "realpath": (Ptr, Ptr) -> Ptr,
        Chmod = "chmod": (Ptr, U32) -> I32,
        Fchmod = "fchmod": (I32, U32) -> I32,
        Opendir = "opendir": (Ptr) -> Ptr,
        Fdopendir = "fdopendir": (I32) -> Ptr,
        Readdir = "readdir" | "readdir64": (Ptr) -> Ptr,
        Closedir = "closedir": (Ptr) -> I32,
        Dirfd = "dirfd": (Ptr) -> I32,
        Mkdtemp = "mkdtemp": (Ptr) -> Ptr,
    }

    /// Sockets of the host (isolation off): TCP and UDP through the host's network stack
    /// (`shims/net.rs`).
    Net(NetShim) {
        Socket = "socket": (I32, I32, I32) -> I32,
        Bind = "bind": (I32, Ptr, U32) -> I32,
        Listen = "listen": (I32, I32) -> I32,
        Accept = "accept": (I32, Ptr, Ptr) -> I32,
        Accept4 = "accept4": (I32, Ptr, Ptr, I32) -> I32,
        Connect = "connect": (I32, Ptr, U32) -> I32,
        Send = "send": (I32, Ptr, Usize, I32) -> Isize,
        Sendto = "sendto": (I32, Ptr, Usize, I32, Ptr, U32) -> Isize,
        Recv = "recv": (I32, Ptr, Usize, I32) -> Isize,
        Recvfrom = "recvfrom": (I32, Ptr, Usize, I32, Ptr, Ptr) -> Isize,
        Setsockopt = "setsockopt": (I32, I32, I32, Ptr, U32) -> I32,
        Getsockopt = "getsockopt": (I32, I32, I32, Ptr, Ptr) -> I32,
        Getsockname = "getsockname": (I32, Ptr, Ptr) -> I32,
        Getpeername = "getpeername": (I32, Ptr, Ptr) -> I32,
        Shutdown = "shutdown": (I32, I32) -> I32,
        /// Host names through the host's resolver; the list is C heap memory of the program.
        Getaddrinfo = "getaddrinfo": (Ptr, Ptr, Ptr, Ptr) -> I32,
        Freeaddrinfo = "freeaddrinfo": (Ptr) -> Unit,
        GaiStrerror = "gai_strerror": (I32) -> Ptr,
    }

    /// Threads, names, affinity, sleeping and pthread keys (`shims/thread.rs`).
    Thread(ThreadShim) {
        PthreadCreate = "pthread_create": (Ptr, Ptr, Ptr, Ptr) -> I32,
        PthreadJoin = "pthread_join": (U64, Ptr) -> I32,
        PthreadDetach = "pthread_detach": (U64) -> I32,
        PthreadSelf = "pthread_self": () -> U64,
        PthreadSetnameNp = "pthread_setname_np": (U64, Ptr) -> I32,
        PthreadGetnameNp = "pthread_getname_np": (U64, Ptr, Usize) -> I32,
        PthreadAttrInit = "pthread_attr_init": (Ptr) -> I32,
        PthreadAttrDestroy = "pthread_attr_destroy": (Ptr) -> I32,
        PthreadAttrSetstacksize = "pthread_attr_setstacksize": (Ptr, Usize) -> I32,
        PthreadAttrGetstacksize = "pthread_attr_getstacksize": (Ptr, Ptr) -> I32,
        PthreadGetattrNp = "pthread_getattr_np": (U64, Ptr) -> I32,
        PthreadAttrGetstack = "pthread_attr_getstack": (Ptr, Ptr, Ptr) -> I32,
        SchedGetaffinity = "sched_getaffinity": (I32, Usize, Ptr) -> I32,
        SchedSetaffinity = "sched_setaffinity": (I32, Usize, Ptr) -> I32,
        SchedYield = "sched_yield": () -> I32,
        Nanosleep = "nanosleep": (Ptr, Ptr) -> I32,
        ClockNanosleep = "clock_nanosleep": (I32, I32, Ptr, Ptr) -> I32,
        Usleep = "usleep": (U32) -> I32,
        PthreadKeyCreate = "pthread_key_create": (Ptr, Ptr) -> I32,
        PthreadKeyDelete = "pthread_key_delete": (U32) -> I32,
        PthreadGetspecific = "pthread_getspecific": (U32) -> Ptr,
        PthreadSetspecific = "pthread_setspecific": (U32, Ptr) -> I32,
        Gettid = "gettid": () -> I32,
        MiriThreadSpawn = "miri_thread_spawn": (Ptr, Ptr) -> Usize,
        MiriThreadJoin = "miri_thread_join": (Usize) -> Bool,
    }

    /// pthread mutexes, rwlocks and condition variables (`shims/sync.rs`; std itself uses
    /// the futex, a system call).
    Sync(SyncShim) {
        PthreadMutexLock = "pthread_mutex_lock": (Ptr) -> I32,
        PthreadMutexUnlock = "pthread_mutex_unlock": (Ptr) -> I32,
        PthreadMutexTrylock = "pthread_mutex_trylock": (Ptr) -> I32,
        PthreadMutexInit = "pthread_mutex_init": (Ptr, Ptr) -> I32,
        PthreadMutexDestroy = "pthread_mutex_destroy": (Ptr) -> I32,
        PthreadMutexattrInit = "pthread_mutexattr_init": (Ptr) -> I32,
        PthreadMutexattrSettype = "pthread_mutexattr_settype": (Ptr, I32) -> I32,
        PthreadMutexattrGettype = "pthread_mutexattr_gettype": (Ptr, Ptr) -> I32,
        PthreadMutexattrDestroy = "pthread_mutexattr_destroy": (Ptr) -> I32,
        PthreadRwlockInit = "pthread_rwlock_init": (Ptr, Ptr) -> I32,
        PthreadRwlockDestroy = "pthread_rwlock_destroy": (Ptr) -> I32,
        PthreadRwlockRdlock = "pthread_rwlock_rdlock": (Ptr) -> I32,
        PthreadRwlockTryrdlock = "pthread_rwlock_tryrdlock": (Ptr) -> I32,
        PthreadRwlockWrlock = "pthread_rwlock_wrlock": (Ptr) -> I32,
        PthreadRwlockTrywrlock = "pthread_rwlock_trywrlock": (Ptr) -> I32,
        PthreadRwlockUnlock = "pthread_rwlock_unlock": (Ptr) -> I32,
        PthreadCondattrInit = "pthread_condattr_init": (Ptr) -> I32,
        PthreadCondattrSetclock = "pthread_condattr_setclock": (Ptr, I32) -> I32,
        PthreadCondattrGetclock = "pthread_condattr_getclock": (Ptr, Ptr) -> I32,
        PthreadCondattrDestroy = "pthread_condattr_destroy": (Ptr) -> I32,
        PthreadCondInit = "pthread_cond_init": (Ptr, Ptr) -> I32,
        PthreadCondDestroy = "pthread_cond_destroy": (Ptr) -> I32,
        PthreadCondSignal = "pthread_cond_signal": (Ptr) -> I32,
        PthreadCondBroadcast = "pthread_cond_broadcast": (Ptr) -> I32,
        PthreadCondWait = "pthread_cond_wait": (Ptr, Ptr) -> I32,
        PthreadCondTimedwait = "pthread_cond_timedwait": (Ptr, Ptr, Ptr) -> I32,
    }

    /// C string and memory functions (`shims/libc.rs`, with libm).
    Libc(LibcShim) {
        Strlen = "strlen": (Ptr) -> Usize,
        Memcmp = "memcmp" | "bcmp": (Ptr, Ptr, Usize) -> I32,
        Memchr = "memchr": (Ptr, I32, Usize) -> Ptr,
        Memrchr = "memrchr": (Ptr, I32, Usize) -> Ptr,
        Memcpy = "memcpy": (Ptr, Ptr, Usize) -> Ptr,
        Memmove = "memmove": (Ptr, Ptr, Usize) -> Ptr,
        Memset = "memset": (Ptr, I32, Usize) -> Ptr,
        StrerrorR = "strerror_r" | "__xpg_strerror_r": (I32, Ptr, Usize) -> I32,
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
    /// `lgamma_r(x, &sign)`.
    Lgamma,
    /// `ldexp(x, n)` (also `scalbn`): `x * 2^n`, exact.
    Ldexp,
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
    ("ldexp", LibmFn::Ldexp),
    ("scalbn", LibmFn::Ldexp),
];

impl LibmFn {
    /// The signature of the f64 function (`f32: false`) or of its f32 variant.
    pub fn signature(self, f32: bool) -> Signature {
        const F64_1: &[CType] = &[CType::F64];
        const F64_2: &[CType] = &[CType::F64, CType::F64];
        const F64_LGAMMA: &[CType] = &[CType::F64, CType::Ptr];
        const F32_1: &[CType] = &[CType::F32];
        const F32_2: &[CType] = &[CType::F32, CType::F32];
        const F32_LGAMMA: &[CType] = &[CType::F32, CType::Ptr];
        const F64_LDEXP: &[CType] = &[CType::F64, CType::I32];
        const F32_LDEXP: &[CType] = &[CType::F32, CType::I32];
        let params = match (self, f32) {
            (LibmFn::Atan2 | LibmFn::Hypot | LibmFn::Fdim, false) => F64_2,
            (LibmFn::Atan2 | LibmFn::Hypot | LibmFn::Fdim, true) => F32_2,
            (LibmFn::Lgamma, false) => F64_LGAMMA,
            (LibmFn::Lgamma, true) => F32_LGAMMA,
            (LibmFn::Ldexp, false) => F64_LDEXP,
            (LibmFn::Ldexp, true) => F32_LDEXP,
            (_, false) => F64_1,
            (_, true) => F32_1,
        };
        Signature { params, variadic: false, ret: if f32 { CType::F32 } else { CType::F64 } }
    }

    /// The f64 function's C name.
    pub fn name(self) -> &'static str {
        LIBM.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).unwrap_or("libm")
    }
}

fn libm(name: &str) -> Option<ForeignShim> {
    let (base, f32) = match name.strip_suffix('f') {
        _ if name == "lgammaf_r" => ("lgamma_r", true),
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

    #[test]
    fn signatures() {
        let open = ForeignShim::from_name("open64").unwrap().signature();
        assert!(open.variadic);
        assert_eq!(open.params, &[CType::Ptr, CType::I32]);
        let close = ForeignShim::from_name("close").unwrap().signature();
        assert!(!close.variadic);
        assert_eq!((close.params, close.ret), (&[CType::I32][..], CType::I32));
        assert!(CType::Usize.accepts(CType::U64));
        assert!(!CType::I32.accepts(CType::U32));
        assert!(CType::Never.accepts(CType::Unit));
        assert!(!CType::Unit.accepts(CType::Never));
        assert_eq!(ForeignShim::from_name("lgammaf_r"), Some(ForeignShim::Libm { f: LibmFn::Lgamma, f32: true }));
        let ldexp = ForeignShim::from_name("scalbn").unwrap().signature();
        assert_eq!((ldexp.params, ldexp.ret), (&[CType::F64, CType::I32][..], CType::F64));
        let atan2f = ForeignShim::from_name("atan2f").unwrap().signature();
        assert_eq!((atan2f.params, atan2f.ret), (&[CType::F32, CType::F32][..], CType::F32));
    }
}
