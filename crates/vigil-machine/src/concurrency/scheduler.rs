//! The scheduler's policy: which enabled thread runs next, and when the running thread is
//! preempted. Deterministic for a given seed.
//!
//! The running thread keeps running until it blocks, yields, ends or is preempted. It is
//! preempted at the end of a basic block with probability `preemption_rate`; instead of a
//! random draw per block, the scheduler draws the number of block ends until the next
//! preemption from the matching geometric distribution, and the interpreter counts it down
//! (one decrement per block end, and nothing else while a single thread exists).

/// How threads are scheduled (set from the command line).
#[derive(Clone, Debug)]
pub struct SchedConfig {
    pub seed: u64,
    /// Probability of a preemption at each basic block end (0: never).
    pub preemption_rate: f64,
    /// Round-robin instead of a random choice among the enabled threads (no preemption).
    pub fixed: bool,
    /// How often a weak compare-exchange fails although the values are equal.
    pub cmpxchg_weak_failure_rate: f64,
}

impl Default for SchedConfig {
    fn default() -> Self {
        SchedConfig { seed: 0, preemption_rate: 0.01, fixed: false, cmpxchg_weak_failure_rate: 0.8 }
    }
}

/// A small deterministic generator (SplitMix64): scheduling decisions must not depend on the
/// host, only on the seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.next_f64() < p
    }

    /// A uniform index below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

pub struct Scheduler {
    pub config: SchedConfig,
    pub rng: Rng,
}

impl Scheduler {
    pub fn new(config: SchedConfig) -> Scheduler {
        let rng = Rng::new(config.seed);
        Scheduler { config, rng }
    }

    /// Block ends until the next preemption: 1 + a geometric draw with the preemption rate
    /// (`u64::MAX`, never, when preemption is off). The step that resumes a thread counts as
    /// one: with a rate of 1, each turn is that step and one block (a budget of 1 would
    /// preempt every thread before it ran anything).
    pub fn preemption_budget(&mut self) -> u64 {
        let p = self.config.preemption_rate;
        if self.config.fixed || p <= 0.0 {
            return u64::MAX;
        }
        if p >= 1.0 {
            return 2;
        }
        let u = 1.0 - self.rng.next_f64(); // in (0, 1]
        let k = (u.ln() / (1.0 - p).ln()).floor();
        if k >= (u64::MAX / 2) as f64 { u64::MAX / 2 } else { k as u64 + 1 }
    }

    /// Picks the next thread among `enabled` (in id order), given the running one: the next
    /// one after it in round-robin order with a fixed schedule, else a uniform choice.
    pub fn pick(&mut self, enabled: &[u32], current: u32) -> Option<u32> {
        if enabled.is_empty() {
            return None;
        }
        if self.config.fixed {
            return enabled.iter().copied().find(|&t| t > current).or_else(|| enabled.first().copied());
        }
        Some(enabled[self.rng.below(enabled.len())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_decisions() {
        let mut a = Scheduler::new(SchedConfig { seed: 7, ..Default::default() });
        let mut b = Scheduler::new(SchedConfig { seed: 7, ..Default::default() });
        for _ in 0..100 {
            assert_eq!(a.preemption_budget(), b.preemption_budget());
            assert_eq!(a.pick(&[0, 2, 5], 2), b.pick(&[0, 2, 5], 2));
        }
        let mut c = Scheduler::new(SchedConfig { seed: 8, ..Default::default() });
        let xs: Vec<u64> = (0..20).map(|_| a.preemption_budget()).collect();
        let ys: Vec<u64> = (0..20).map(|_| c.preemption_budget()).collect();
        assert_ne!(xs, ys);
    }

    #[test]
    fn budgets_follow_the_preemption_rate() {
        let mut s = Scheduler::new(SchedConfig { seed: 1, preemption_rate: 0.01, ..Default::default() });
        let n = 20_000;
        let mean = (0..n).map(|_| s.preemption_budget() as f64).sum::<f64>() / n as f64;
        assert!((90.0..110.0).contains(&mean), "mean block ends between preemptions: {mean}");
        let mut off = Scheduler::new(SchedConfig { preemption_rate: 0.0, ..Default::default() });
        assert_eq!(off.preemption_budget(), u64::MAX);
        let mut always = Scheduler::new(SchedConfig { preemption_rate: 1.0, ..Default::default() });
        assert_eq!(always.preemption_budget(), 2, "the resuming step and one block");
    }

    #[test]
    fn fixed_scheduling_is_round_robin() {
        let mut s = Scheduler::new(SchedConfig { fixed: true, ..Default::default() });
        assert_eq!(s.preemption_budget(), u64::MAX);
        assert_eq!(s.pick(&[0, 1, 3], 1), Some(3));
        assert_eq!(s.pick(&[0, 1, 3], 3), Some(0));
        assert_eq!(s.pick(&[1], 1), Some(1));
        assert_eq!(s.pick(&[], 0), None);
    }

    #[test]
    fn random_choice_reaches_every_enabled_thread() {
        let mut s = Scheduler::new(SchedConfig::default());
        let mut seen = [false; 3];
        for _ in 0..100 {
            seen[s.pick(&[0, 1, 2], 0).unwrap() as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
    }
}
