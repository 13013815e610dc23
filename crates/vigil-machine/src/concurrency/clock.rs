//! The virtual monotonic clock: time advances with the work the program does (without
//! isolation, at least as fast as the host's time) and jumps forward when every thread
//! waits for a deadline, so that sleeps and time-outs cost no real time and isolated runs
//! are reproducible.

/// `CLOCK_MONOTONIC` reads as the virtual time plus this (never zero).
pub const MONOTONIC_EPOCH: u128 = 1_000_000_000;

/// Virtual nanoseconds each step of the machine (a call or a return) stands for.
pub const NANOS_PER_STEP: u128 = 5_000;

#[derive(Debug, Default)]
pub struct VirtualClock {
    /// Nanoseconds skipped by sleeping (all threads waiting for a deadline).
    slept: u128,
    /// Without isolation, the host's time since this instant is added to the steps' time.
    host: Option<std::time::Instant>,
}

impl VirtualClock {
    /// A clock that follows the host's time (plus what sleeping skipped).
    pub fn following_host() -> VirtualClock {
        VirtualClock { slept: 0, host: Some(std::time::Instant::now()) }
    }

    /// The current time in nanoseconds, given the machine's step count.
    pub fn now(&self, steps: u64) -> u128 {
        // Without isolation the host's time is added to the steps': time then passes at least
        // as fast as on the host, and each step still takes time of its own.
        let mut worked = steps as u128 * NANOS_PER_STEP;
        if let Some(start) = self.host {
            worked += start.elapsed().as_nanos();
        }
        worked + self.slept
    }

    /// Lets time pass until `deadline` (if it is in the future).
    pub fn sleep_until(&mut self, steps: u64, deadline: u128) {
        let now = self.now(steps);
        if deadline > now {
            self.slept += deadline - now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_follows_work_and_sleeps() {
        let mut c = VirtualClock::default();
        assert_eq!(c.now(0), 0);
        assert_eq!(c.now(10), 10 * NANOS_PER_STEP);
        c.sleep_until(10, 1_000_000_000);
        assert_eq!(c.now(10), 1_000_000_000);
        c.sleep_until(10, 5);
        assert_eq!(c.now(10), 1_000_000_000, "a deadline in the past does not move time back");
        assert_eq!(c.now(11), 1_000_000_000 + NANOS_PER_STEP);
    }

    #[test]
    fn following_the_host_adds_real_time_to_the_steps() {
        let mut c = VirtualClock::following_host();
        let a = c.now(10);
        assert!(a >= 10 * NANOS_PER_STEP);
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = c.now(10);
        assert!(b >= a + 2_000_000, "real time passed");
        assert!(c.now(11) > b, "a step takes time");
        c.sleep_until(11, b + 1_000_000_000);
        assert!(c.now(11) >= b + 1_000_000_000, "sleeping skips ahead");
    }
}
