//! Why execution stopped: program exit, undefined behavior, unsupported operations.

use vigil_ir::{FnId, SpanId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The program called `exit` (or returned from main) with this code.
    Exit(i32),
    /// The program aborted (`abort()`, a panic with panic=abort, a panic while panicking).
    Abort,
    UndefinedBehavior(String),
    Unsupported(String),
    /// The program needs the host (files, real time, the current directory) and isolation
    /// forbids it: the operation's name, e.g. "`open`".
    UnsupportedInIsolation(String),
    /// The program used up a resource Vigil limits (memory, descriptors, threads): what ran
    /// out; the report points where the last one was taken.
    ResourceExhaustion(String),
    /// Unwinding left the entry function, or the stack overflowed, or similar.
    Terminated(String),
    /// The program cannot run as linked: one exported symbol defined twice, or a symbol
    /// the program defines that clashes with a built-in shim.
    LinkError(String),
    /// Heap memory unreachable when the program ended.
    MemoryLeak(Vec<Leak>),
    /// A violation of the aliasing model (Stacked Borrows).
    Aliasing(String),
    /// A violation of Tree Borrows: the title, then one detail per line.
    TreeBorrows(String),
    /// A data race: the message; `history` holds where the earlier access happened.
    DataRace {
        msg: String,
        extra: Option<&'static str>,
    },
    /// No thread can run: each blocked thread with its name and backtrace.
    Deadlock(Vec<(String, Vec<(FnId, SpanId)>)>),
    /// A thread waits for itself (relocking a non-recursive mutex it holds).
    LocalDeadlock,
    /// The main thread ended while other threads were still running (with leak checks on):
    /// their names and where they were spawned.
    ThreadLeak(Vec<(String, Option<(FnId, SpanId)>)>),
}

/// One leaked allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub alloc: u32,
    pub kind: &'static str,
    pub size: u64,
    pub align: u64,
    /// Where it was allocated (the innermost frame of the user's crate when there is one).
    pub site: Option<(FnId, SpanId)>,
}

/// A stop of execution together with the interpreted backtrace where it happened.
///
/// Boxed, so that `Res<T>` stays a word or two: every instruction returns one, and a large
/// error type would make each of them pass its result through memory.
#[derive(Debug, Clone)]
pub struct Error(Box<ErrorData>);

/// What an `Error` holds.
#[derive(Debug, Clone)]
pub struct ErrorData {
    pub kind: ErrorKind,
    /// Innermost frame first: (function, span of the current instruction).
    pub backtrace: Vec<(FnId, SpanId)>,
    /// The allocation the error is about, if any.
    pub alloc: Option<u32>,
    /// What explains the verdict, in order: a label and the program point it is about (e.g.
    /// where the memory was freed), or a label alone (a note on the line before).
    pub history: Vec<(String, Option<(FnId, SpanId)>)>,
    /// The thread it happened on (once the program has more than one).
    pub thread: Option<String>,
}

pub type Res<T> = Result<T, Error>;

impl std::ops::Deref for Error {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

// Every instruction returns a `Res`: keep it small.
const _: () = assert!(std::mem::size_of::<Res<()>>() == 8);

// Errors are made on cold paths: out of line, so that the interpreter's hot code stays
// small (its instruction-cache misses are a real share of its time, docs/speed.md).
impl Error {
    #[cold]
    #[inline(never)]
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(ErrorData { kind, backtrace: Vec::new(), alloc: None, history: Vec::new(), thread: None }))
    }
    #[cold]
    #[inline(never)]
    pub fn ub(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::UndefinedBehavior(msg.into()))
    }
    #[cold]
    #[inline(never)]
    pub fn unsupported(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unsupported(msg.into()))
    }
    #[cold]
    #[inline(never)]
    pub fn isolated(op: impl Into<String>) -> Error {
        Error::new(ErrorKind::UnsupportedInIsolation(op.into()))
    }
    #[cold]
    #[inline(never)]
    pub fn exhausted(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::ResourceExhaustion(msg.into()))
    }
    #[cold]
    #[inline(never)]
    pub fn exit(code: i32) -> Error {
        Error::new(ErrorKind::Exit(code))
    }
    #[cold]
    #[inline(never)]
    pub fn abort() -> Error {
        Error::new(ErrorKind::Abort)
    }
    #[cold]
    #[inline(never)]
    pub fn terminated(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Terminated(msg.into()))
    }
    /// Names the allocation the error is about (its history is added to the report).
    pub fn about(mut self, alloc: u32) -> Error {
        self.alloc = Some(alloc);
        self
    }
}
