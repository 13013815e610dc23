//! The emulated operating system's calls, by concern (the dispatcher is `foreign.rs`).
//!
//! - `thread.rs`: threads, names, affinity, sleeping, pthread keys.
//! - `sync.rs`: the futex and pthread mutexes, rwlocks and condition variables.

mod sync;
mod thread;
