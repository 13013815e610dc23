//! Operations the machine implements itself: intrinsics and foreign functions.
//! The frontend picks the variant (with the sizes it needs) once, at lowering time.

use crate::{FloatTy, IntTy};

/// Layout of a possibly-unsized type, for `size_of_val`/`align_of_val` and drop glue.
#[derive(Clone, Copy, Debug)]
pub enum DynLayout {
    Sized {
        size: u64,
        align: u64,
    },
    /// A sized header followed by `len` elements.
    Slice {
        header: u64,
        elem_size: u64,
        align: u64,
    },
    /// A sized header followed by a trait object (size and alignment from the vtable).
    Dyn {
        header: u64,
        align: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatUnOp {
    Sqrt,
    Floor,
    Ceil,
    Trunc,
    Round,
    RoundTiesEven,
    Abs,
    Sin,
    Cos,
    Exp,
    Exp2,
    Ln,
    Log10,
    Log2,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatBinOp {
    Copysign,
    Pow,
    Min,
    Max,
    Minimum,
    Maximum,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// The memory ordering of an atomic access or fence (the intrinsic's `ORD` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOrd {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

impl AtomicOrd {
    /// Whether the ordering has acquire semantics (for loads and read-modify-writes).
    pub fn acquires(self) -> bool {
        matches!(self, AtomicOrd::Acquire | AtomicOrd::AcqRel | AtomicOrd::SeqCst)
    }
    /// Whether the ordering has release semantics (for stores and read-modify-writes).
    pub fn releases(self) -> bool {
        matches!(self, AtomicOrd::Release | AtomicOrd::AcqRel | AtomicOrd::SeqCst)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOp {
    Xchg,
    Add,
    Sub,
    And,
    Nand,
    Or,
    Xor,
    Max,
    Min,
}

/// Lane-wise SIMD operations (integer lanes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimdOp {
    Splat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Xor,
    Add,
    Sub,
    Mul,
    /// Lane-wise shifts; a shift by the lane's width or more is undefined behavior.
    Shl,
    /// Arithmetic for signed lanes, logical for unsigned ones.
    Shr,
    /// One bit per lane (the lane's sign bit), lane 0 in bit 0.
    Bitmask,
    ReduceOr,
    ReduceAnd,
    ReduceAny,
    ReduceAll,
    /// Lanes of the concatenation of both inputs, picked by the u32 indices of the third
    /// argument; `lanes` is the input lane count, the output has as many lanes as indices.
    Shuffle,
}

#[derive(Clone, Debug)]
pub enum Intrinsic {
    /// A SIMD operation on vectors of `lanes` integer lanes of `elem` (results in `out` lanes).
    Simd {
        op: SimdOp,
        lanes: u32,
        elem: IntTy,
        out: IntTy,
    },
    CopyNonOverlapping {
        elem_size: u64,
    },
    Copy {
        elem_size: u64,
    },
    WriteBytes {
        elem_size: u64,
    },
    Load {
        size: u32,
    },
    Store {
        size: u32,
    },
    SizeOfVal(DynLayout),
    AlignOfVal(DynLayout),
    Ctpop(IntTy),
    Ctlz(IntTy),
    Cttz(IntTy),
    Bswap(IntTy),
    Bitreverse(IntTy),
    RotateLeft(IntTy),
    RotateRight(IntTy),
    ExactDiv(IntTy),
    UncheckedDiv(IntTy),
    UncheckedRem(IntTy),
    SaturatingAdd(IntTy),
    SaturatingSub(IntTy),
    WrappingAdd(IntTy),
    WrappingSub(IntTy),
    WrappingMul(IntTy),
    ThreeWayCompare(IntTy),
    DisjointBitor(IntTy),
    PtrOffsetFrom {
        elem_size: u64,
        unsigned: bool,
    },
    ArithOffset {
        elem_size: u64,
    },
    PtrGuaranteedCmp,
    PtrMask,
    Abort,
    Unreachable,
    Assume,
    CatchUnwind,
    /// Return the first argument unchanged (black_box, ptr metadata helpers...).
    Identity {
        size: u32,
    },
    /// Returns nothing, does nothing (hints).
    Nop,
    RawEq {
        size: u64,
    },
    CompareBytes,
    AtomicLoad {
        size: u32,
        ord: AtomicOrd,
    },
    AtomicStore {
        size: u32,
        ord: AtomicOrd,
    },
    AtomicRmw {
        op: AtomicOp,
        ty: IntTy,
        ord: AtomicOrd,
    },
    /// Compare-exchange; `weak` ones may fail spuriously.
    AtomicCxchg {
        ty: IntTy,
        success: AtomicOrd,
        failure: AtomicOrd,
        weak: bool,
    },
    /// `atomic_fence`; compiler (single-thread) fences are `Nop`.
    Fence(AtomicOrd),
    FloatUn {
        op: FloatUnOp,
        ty: FloatTy,
    },
    FloatBin {
        op: FloatBinOp,
        ty: FloatTy,
    },
    Fma(FloatTy),
    Powi(FloatTy),
    CallerLocation,
    /// `ptr::align_offset` (the lang item): with symbolic alignment only what the allocation
    /// guarantees counts, so it may answer "impossible" (`usize::MAX`).
    AlignOffset {
        elem_size: u64,
    },
    /// `ptr::read_via_copy`-style: load `size` bytes from the pointer argument.
    ReadViaCopy {
        size: u32,
    },
    /// `ptr::write_via_move`: store the second argument through the first.
    WriteViaMove {
        size: u32,
    },
    /// A runtime bool the interpreter decides (is_val_statically_known: false).
    ConstFalse,
}

/// Foreign functions (no MIR body) the emulated OS and runtime provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForeignShim {
    // Rust allocator and runtime hooks
    RustAlloc,
    RustAllocZeroed,
    RustDealloc,
    RustRealloc,
    RustNoAllocShimIsUnstable,
    RustAllocErrorHandler,
    MiriStartUnwind,
    MiriBacktraceSize,
    MiriGetBacktrace,
    MiriResolveFrame,
    MiriResolveFrameNames,
    MiriPromiseSymbolicAlignment,
    MiriSpinLoop,
    MiriThreadSpawn,
    MiriThreadJoin,
    MiriWriteToStdout,
    MiriWriteToStderr,
    MiriAlloc,
    MiriDealloc,
    // libc
    Malloc,
    Calloc,
    Realloc,
    Free,
    PosixMemalign,
    AlignedAlloc,
    Write,
    Read,
    Getrandom,
    ClockGettime,
    Sysconf,
    Getenv,
    Getcwd,
    Exit,
    Abort,
    Isatty,
    Errno,
    Strlen,
    Memcmp,
    Memchr,
    Memrchr,
    Memcpy,
    Memmove,
    Memset,
    Getpid,
    Gettid,
    PthreadSelf,
    PthreadGetattrNp,
    PthreadAttrGetstack,
    PthreadAttrDestroy,
    PthreadAttrInit,
    PthreadKeyCreate,
    PthreadKeyDelete,
    PthreadGetspecific,
    PthreadSetspecific,
    PthreadMutexLock,
    PthreadMutexUnlock,
    PthreadMutexTrylock,
    PthreadMutexInit,
    PthreadMutexDestroy,
    PthreadMutexattrInit,
    PthreadMutexattrSettype,
    PthreadMutexattrDestroy,
    PthreadSetnameNp,
    PthreadGetnameNp,
    Signal,
    Sigaction,
    Sigaltstack,
    Mmap,
    Munmap,
    Fcntl,
    Poll,
    CxaThreadAtexitImpl,
    SchedYield,
    Syscall,
    Close,
    Futex,
    // threads
    PthreadCreate,
    PthreadJoin,
    PthreadDetach,
    PthreadAttrSetstacksize,
    PthreadAttrGetstacksize,
    SchedGetaffinity,
    SchedSetaffinity,
    Nanosleep,
    ClockNanosleep,
    Usleep,
    // pthread synchronization objects used directly by libraries (std uses futexes)
    PthreadMutexattrGettype,
    PthreadRwlockInit,
    PthreadRwlockDestroy,
    PthreadRwlockRdlock,
    PthreadRwlockTryrdlock,
    PthreadRwlockWrlock,
    PthreadRwlockTrywrlock,
    PthreadRwlockUnlock,
    PthreadCondattrInit,
    PthreadCondattrSetclock,
    PthreadCondattrGetclock,
    PthreadCondattrDestroy,
    PthreadCondInit,
    PthreadCondDestroy,
    PthreadCondSignal,
    PthreadCondBroadcast,
    PthreadCondWait,
    PthreadCondTimedwait,
    /// `dlsym`: finds the emulated `getrandom`; no other symbol (std then uses its fallbacks).
    Dlsym,
    /// `pthread_atfork`: the program never forks, so the handlers never run.
    PthreadAtfork,
    /// A libm function on f64 (`f32: false`) or f32, with one or two arguments.
    Libm {
        f: LibmFn,
        f32: bool,
    },
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

impl ForeignShim {
    /// The shim for a foreign item, by its name in the Rust declaration.
    pub fn from_name(name: &str) -> Option<ForeignShim> {
        use ForeignShim::*;
        Some(match name {
            "__rust_alloc" => RustAlloc,
            "__rust_alloc_zeroed" => RustAllocZeroed,
            "__rust_dealloc" => RustDealloc,
            "__rust_realloc" => RustRealloc,
            "__rust_no_alloc_shim_is_unstable_v2" => RustNoAllocShimIsUnstable,
            "__rust_alloc_error_handler" => RustAllocErrorHandler,
            // std's unwinder on Unix raises the exception object; unwinding carries it as payload.
            "miri_start_unwind" | "_Unwind_RaiseException" => MiriStartUnwind,
            "miri_backtrace_size" => MiriBacktraceSize,
            "miri_get_backtrace" => MiriGetBacktrace,
            "miri_resolve_frame" => MiriResolveFrame,
            "miri_resolve_frame_names" => MiriResolveFrameNames,
            "miri_promise_symbolic_alignment" => MiriPromiseSymbolicAlignment,
            "miri_spin_loop" | "llvm.x86.sse2.pause" => MiriSpinLoop,
            "miri_thread_spawn" => MiriThreadSpawn,
            "miri_thread_join" => MiriThreadJoin,
            "miri_write_to_stdout" => MiriWriteToStdout,
            "miri_write_to_stderr" => MiriWriteToStderr,
            "miri_alloc" => MiriAlloc,
            "miri_dealloc" => MiriDealloc,
            "malloc" => Malloc,
            "calloc" => Calloc,
            "realloc" => Realloc,
            "free" => Free,
            "posix_memalign" => PosixMemalign,
            "aligned_alloc" => AlignedAlloc,
            "write" => Write,
            "read" => Read,
            "getrandom" => Getrandom,
            "clock_gettime" => ClockGettime,
            "sysconf" => Sysconf,
            "getenv" => Getenv,
            "getcwd" => Getcwd,
            "exit" | "_exit" => Exit,
            "abort" => Abort,
            "isatty" => Isatty,
            "__errno_location" => Errno,
            "strlen" => Strlen,
            "memcmp" | "bcmp" => Memcmp,
            "memchr" => Memchr,
            "memrchr" => Memrchr,
            "memcpy" => Memcpy,
            "memmove" => Memmove,
            "memset" => Memset,
            "getpid" => Getpid,
            "gettid" => Gettid,
            "pthread_self" => PthreadSelf,
            "pthread_getattr_np" => PthreadGetattrNp,
            "pthread_attr_getstack" => PthreadAttrGetstack,
            "pthread_attr_destroy" => PthreadAttrDestroy,
            "pthread_attr_init" => PthreadAttrInit,
            "pthread_key_create" => PthreadKeyCreate,
            "pthread_key_delete" => PthreadKeyDelete,
            "pthread_getspecific" => PthreadGetspecific,
            "pthread_setspecific" => PthreadSetspecific,
            "pthread_mutex_lock" => PthreadMutexLock,
            "pthread_mutex_unlock" => PthreadMutexUnlock,
            "pthread_mutex_trylock" => PthreadMutexTrylock,
            "pthread_mutex_init" => PthreadMutexInit,
            "pthread_mutex_destroy" => PthreadMutexDestroy,
            "pthread_mutexattr_init" => PthreadMutexattrInit,
            "pthread_mutexattr_settype" => PthreadMutexattrSettype,
            "pthread_mutexattr_destroy" => PthreadMutexattrDestroy,
            "pthread_setname_np" => PthreadSetnameNp,
            "pthread_getname_np" => PthreadGetnameNp,
            "signal" => Signal,
            "sigaction" => Sigaction,
            "sigaltstack" => Sigaltstack,
            "mmap" | "mmap64" => Mmap,
            "munmap" => Munmap,
            "fcntl" | "fcntl64" => Fcntl,
            "poll" => Poll,
            "__cxa_thread_atexit_impl" => CxaThreadAtexitImpl,
            "sched_yield" => SchedYield,
            "syscall" => Syscall,
            "close" => Close,
            "pthread_create" => PthreadCreate,
            "pthread_join" => PthreadJoin,
            "pthread_detach" => PthreadDetach,
            "pthread_attr_setstacksize" => PthreadAttrSetstacksize,
            "pthread_attr_getstacksize" => PthreadAttrGetstacksize,
            "sched_getaffinity" => SchedGetaffinity,
            "sched_setaffinity" => SchedSetaffinity,
            "nanosleep" => Nanosleep,
            "clock_nanosleep" => ClockNanosleep,
            "usleep" => Usleep,
            "pthread_mutexattr_gettype" => PthreadMutexattrGettype,
            "pthread_rwlock_init" => PthreadRwlockInit,
            "pthread_rwlock_destroy" => PthreadRwlockDestroy,
            "pthread_rwlock_rdlock" => PthreadRwlockRdlock,
            "pthread_rwlock_tryrdlock" => PthreadRwlockTryrdlock,
            "pthread_rwlock_wrlock" => PthreadRwlockWrlock,
            "pthread_rwlock_trywrlock" => PthreadRwlockTrywrlock,
            "pthread_rwlock_unlock" => PthreadRwlockUnlock,
            "pthread_condattr_init" => PthreadCondattrInit,
            "pthread_condattr_setclock" => PthreadCondattrSetclock,
            "pthread_condattr_getclock" => PthreadCondattrGetclock,
            "pthread_condattr_destroy" => PthreadCondattrDestroy,
            "pthread_cond_init" => PthreadCondInit,
            "pthread_cond_destroy" => PthreadCondDestroy,
            "pthread_cond_signal" => PthreadCondSignal,
            "pthread_cond_broadcast" => PthreadCondBroadcast,
            "pthread_cond_wait" => PthreadCondWait,
            "pthread_cond_timedwait" => PthreadCondTimedwait,
            "dlsym" => Dlsym,
            "pthread_atfork" => PthreadAtfork,
            _ => return libm(name),
        })
    }
}

fn libm(name: &str) -> Option<ForeignShim> {
    use LibmFn::*;
    let (base, f32) = match name.strip_suffix('f') {
        Some(b) if !matches!(name, "erf") => (b, true),
        _ => (name, false),
    };
    let f = match base {
        "tan" => Tan,
        "asin" => Asin,
        "acos" => Acos,
        "atan" => Atan,
        "atan2" => Atan2,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "tanh" => Tanh,
        "asinh" => Asinh,
        "acosh" => Acosh,
        "atanh" => Atanh,
        "cbrt" => Cbrt,
        "hypot" => Hypot,
        "expm1" => Expm1,
        "log1p" => Log1p,
        "fdim" => Fdim,
        "erf" => Erf,
        "erfc" => Erfc,
        "tgamma" => Tgamma,
        "lgamma_r" => Lgamma,
        _ => return None,
    };
    Some(ForeignShim::Libm { f, f32 })
}
