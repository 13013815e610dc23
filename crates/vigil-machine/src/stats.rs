//! Profile counters of a `stats` build (`cargo build --release -p vigil-driver --features
//! stats`), for finding where the time of a run goes by what the machine waits on rather
//! than by instruction counts: per opcode, how many instructions ran and the cycles from
//! each one's dispatch to the next (the time-stamp counter, so each also carries the
//! counting's own 30-40 cycles), and lowering's cycles, kept apart from the call that
//! caused them. Printed to stderr at the end of a run when `VIGIL_STATS` is set. In every
//! other build the hooks are empty and compile to nothing.

#[cfg(feature = "stats")]
mod imp {
    use std::cell::RefCell;

    use vigil_ir::Opcode;

    #[derive(Default)]
    struct Counters {
        on: bool,
        /// Per opcode (`Opcode as usize`): instructions run, cycles until the next dispatch
        /// (lowering's left out).
        ops: Vec<(u64, u64)>,
        /// The opcode dispatched last and when.
        last: Option<(Opcode, u64)>,
        /// Lowering's cycles since the last dispatch, and over the run.
        lowering_pending: u64,
        lowering: u64,
        start: u64,
    }

    thread_local!(static COUNTERS: RefCell<Counters> = RefCell::new(Counters::default()));

    fn now() -> u64 {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: reading the time-stamp counter has no preconditions on x86-64.
        unsafe {
            core::arch::x86_64::_rdtsc()
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed().as_nanos() as u64
        }
    }

    pub(crate) fn start_run() {
        COUNTERS.with(|c| {
            let mut c = c.borrow_mut();
            c.on = std::env::var_os("VIGIL_STATS").is_some();
            c.ops = vec![(0, 0); Opcode::NAMES.len()];
            c.start = now();
        });
    }

    pub(crate) fn dispatch(op: Opcode) {
        COUNTERS.with(|c| {
            let mut c = c.borrow_mut();
            if !c.on {
                return;
            }
            let t = now();
            if let Some((last, at)) = c.last {
                let spent = (t - at).saturating_sub(std::mem::take(&mut c.lowering_pending));
                let e = &mut c.ops[last as usize];
                e.0 += 1;
                e.1 += spent;
            }
            c.last = Some((op, t));
        });
    }

    pub(crate) fn lowering<R>(f: impl FnOnce() -> R) -> R {
        let t = now();
        let r = f();
        let spent = now() - t;
        COUNTERS.with(|c| {
            let mut c = c.borrow_mut();
            c.lowering_pending += spent;
            c.lowering += spent;
        });
        r
    }

    pub(crate) fn report() {
        COUNTERS.with(|c| {
            let c = c.borrow();
            if !c.on {
                return;
            }
            let total = (now() - c.start).max(1);
            let (count, cycles): (u64, u64) = c.ops.iter().fold((0, 0), |(n, s), &(a, b)| (n + a, s + b));
            let pct = |x: u64, of: u64| x as f64 * 100.0 / of.max(1) as f64;
            eprintln!("vigil stats: {total} cycles in the run, lowering {:.1}%, {count} instructions", pct(c.lowering, total));
            eprintln!("{:<24} {:>12} {:>7} {:>10} {:>7}", "opcode", "count", "count%", "cycles/op", "cycles%");
            let mut ops: Vec<(&str, u64, u64)> =
                Opcode::NAMES.iter().zip(&c.ops).filter(|(_, op)| op.0 > 0).map(|(name, op)| (*name, op.0, op.1)).collect();
            ops.sort_by_key(|op| std::cmp::Reverse(op.2));
            for (op, n, s) in ops {
                eprintln!("{op:<24} {n:>12} {:>6.2}% {:>10.1} {:>6.2}%", pct(n, count), s as f64 / n as f64, pct(s, cycles));
            }
        });
    }
}

#[cfg(feature = "stats")]
pub(crate) use imp::*;

#[cfg(not(feature = "stats"))]
mod off {
    #[inline(always)]
    pub(crate) fn start_run() {}

    #[inline(always)]
    pub(crate) fn report() {}

    #[inline(always)]
    pub(crate) fn lowering<R>(f: impl FnOnce() -> R) -> R {
        f()
    }
}

#[cfg(not(feature = "stats"))]
pub(crate) use off::*;
