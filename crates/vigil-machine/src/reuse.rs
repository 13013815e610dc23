//! Address reuse: freed heap and stack addresses handed out again to new allocations of the
//! same size and kind (`-Zmiri-address-reuse-rate`, from another thread's frees at
//! `-Zmiri-address-reuse-cross-thread-rate`), so programs see addresses repeat as they do
//! natively; taking an address another thread freed synchronizes with that free.

use std::collections::VecDeque;

use crate::concurrency::ThreadId;
use crate::concurrency::vector_clock::VClock;
use crate::memory::AllocKind;

/// How many freed addresses the pool keeps (the oldest are forgotten).
const CAPACITY: usize = 64;

/// A freed address waiting to be reused.
struct Freed {
    addr: u64,
    size: u64,
    kind: AllocKind,
    thread: ThreadId,
    /// The freeing thread's clock at the free (only while several threads run).
    clock: Option<VClock>,
}

pub struct ReusePool {
    /// Oldest first; a ring so that forgetting the oldest at capacity moves nothing.
    entries: VecDeque<Freed>,
    rate: f64,
    cross_thread_rate: f64,
    rng: u64,
}

impl ReusePool {
    pub fn new(rate: f64, cross_thread_rate: f64, seed: u64) -> ReusePool {
        ReusePool { entries: VecDeque::with_capacity(CAPACITY), rate, cross_thread_rate, rng: (seed ^ 0x5851_F42D_4C95_7F2D).max(1) }
    }

    /// Whether allocations of `kind` take part (heap and stack; not statics, functions or the
    /// emulated OS's own memory).
    pub fn applies(&self, kind: AllocKind, size: u64) -> bool {
        self.rate > 0.0 && size > 0 && matches!(kind, AllocKind::Rust | AllocKind::C | AllocKind::Stack)
    }

    /// A random gap (0 to 15 bytes, so possibly none) to leave before a fresh address, so
    /// that an allocation is aligned no more than it asks for as often as not (code that
    /// relies on luckier alignment is caught, as under the reference interpreter).
    pub fn slack(&mut self) -> u64 {
        crate::os::xorshift64_star(&mut self.rng) >> 60
    }

    fn chance(&mut self, p: f64) -> bool {
        ((crate::os::xorshift64_star(&mut self.rng) >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// Records the free of `[addr, addr + size)` by `thread`.
    pub fn add(&mut self, addr: u64, size: u64, kind: AllocKind, thread: ThreadId, clock: Option<VClock>) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(Freed { addr, size, kind, thread, clock });
    }

    /// An address for a new allocation of `size` bytes aligned to `align`, if one is reused
    /// this time: the most recently freed that fits, with the clock to acquire when another
    /// thread freed it.
    pub fn take(&mut self, size: u64, align: u64, kind: AllocKind, thread: ThreadId) -> Option<(u64, Option<VClock>)> {
        if !self.chance(self.rate) {
            return None;
        }
        let i = self.entries.iter().rposition(|f| f.size == size && f.kind == kind && f.addr.is_multiple_of(align))?;
        if self.entries[i].thread != thread && !self.chance(self.cross_thread_rate) {
            return None;
        }
        let f = self.entries.remove(i)?;
        Some((f.addr, f.clock.filter(|_| f.thread != thread)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_same_size_and_kind_only() {
        let t = ThreadId::MAIN;
        let mut p = ReusePool::new(1.0, 0.0, 7);
        p.add(0x1000, 16, AllocKind::Rust, t, None);
        assert!(p.take(8, 8, AllocKind::Rust, t).is_none(), "another size");
        assert!(p.take(16, 8, AllocKind::C, t).is_none(), "another kind");
        assert!(p.take(16, 0x2000, AllocKind::Rust, t).is_none(), "not aligned enough");
        assert_eq!(p.take(16, 8, AllocKind::Rust, t).map(|r| r.0), Some(0x1000));
        assert!(p.take(16, 8, AllocKind::Rust, t).is_none(), "taken once");
    }

    #[test]
    fn other_threads_frees_only_at_the_cross_thread_rate() {
        let mut p = ReusePool::new(1.0, 0.0, 7);
        p.add(0x1000, 16, AllocKind::Rust, ThreadId(1), Some(VClock::default()));
        assert!(p.take(16, 8, AllocKind::Rust, ThreadId::MAIN).is_none());
        let mut p = ReusePool::new(1.0, 1.0, 7);
        p.add(0x1000, 16, AllocKind::Rust, ThreadId(1), Some(VClock::default()));
        let (addr, clock) = p.take(16, 8, AllocKind::Rust, ThreadId::MAIN).unwrap();
        assert_eq!(addr, 0x1000);
        assert!(clock.is_some(), "the free's clock comes along");
    }

    #[test]
    fn rate_zero_never_reuses() {
        let mut p = ReusePool::new(0.0, 1.0, 7);
        assert!(!p.applies(AllocKind::Rust, 16));
        p.add(0x1000, 16, AllocKind::Rust, ThreadId::MAIN, None);
        assert!(p.take(16, 8, AllocKind::Rust, ThreadId::MAIN).is_none());
    }
}
