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
    /// Unwinding left the entry function, or the stack overflowed, or similar.
    Terminated(String),
}

/// A stop of execution together with the interpreted backtrace where it happened.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    /// Innermost frame first: (function, span of the current instruction).
    pub backtrace: Vec<(FnId, SpanId)>,
}

pub type Res<T> = Result<T, Error>;

impl Error {
    pub fn ub(msg: impl Into<String>) -> Error {
        Error { kind: ErrorKind::UndefinedBehavior(msg.into()), backtrace: Vec::new() }
    }
    pub fn unsupported(msg: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Unsupported(msg.into()), backtrace: Vec::new() }
    }
    pub fn exit(code: i32) -> Error {
        Error { kind: ErrorKind::Exit(code), backtrace: Vec::new() }
    }
    pub fn terminated(msg: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Terminated(msg.into()), backtrace: Vec::new() }
    }
}
