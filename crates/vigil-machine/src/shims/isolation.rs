//! Isolation from the host: what a call that needs the host (files, the current directory,
//! real time, stdin) does when the program is isolated (`-Zmiri-isolation-error`).

use crate::Machine;
use crate::error::{Error, Res};

/// Whether the program may use the host, and what a call that needs it does otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// `-Zmiri-disable-isolation`: the real environment, file system and clocks.
    Allow,
    Reject(RejectWith),
}

/// `-Zmiri-isolation-error=abort|hide|warn|warn-nobacktrace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectWith {
    /// Stop with "unsupported operation: ... not available when isolation is enabled".
    Abort,
    /// Return an error code to the program, silently.
    Hide,
    /// Return an error code, with a warning and a backtrace each time.
    Warn,
    /// Return an error code, with a warning once per operation.
    WarnNoBacktrace,
}

impl Default for Isolation {
    fn default() -> Self {
        Isolation::Reject(RejectWith::Abort)
    }
}

impl Machine<'_> {
    pub(crate) fn isolated(&self) -> bool {
        self.os.config.isolation != Isolation::Allow
    }

    /// Under isolation, `op` (e.g. "`open`") is refused as `-Zmiri-isolation-error` says: an
    /// error stops the program; otherwise the caller returns an error code to the program
    /// (after a warning, if asked for).
    pub(crate) fn reject_in_isolation(&mut self, op: &str) -> Res<()> {
        let Isolation::Reject(with) = self.os.config.isolation else { return Ok(()) };
        let title = format!("{op} was made to return an error due to isolation");
        match with {
            RejectWith::Abort => return Err(Error::isolated(op)),
            RejectWith::Hide => {}
            RejectWith::Warn => {
                let bt = self.backtrace();
                self.frontend.warn(&title, "operation rejected by isolation", &bt);
            }
            RejectWith::WarnNoBacktrace => {
                if self.os.warned.insert(op.to_string()) {
                    self.frontend.warn(&title, "", &[]);
                }
            }
        }
        Ok(())
    }

    /// `op` needs the host and has no error code to give the program: under isolation it
    /// stops the program whatever `-Zmiri-isolation-error` says.
    pub(crate) fn require_no_isolation(&self, op: &str) -> Res<()> {
        if self.isolated() { Err(Error::isolated(op)) } else { Ok(()) }
    }
}
