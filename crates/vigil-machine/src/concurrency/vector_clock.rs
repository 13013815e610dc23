//! Vector clocks: for each thread, how far its history is known to have happened before
//! some point of the execution (the data-race detector's and the sync objects' currency).

use std::cmp::Ordering;

use vigil_ir::{FnId, SpanId};

/// A program point, for naming the earlier access of a race.
pub type Site = (FnId, SpanId);

pub const NO_SITE: Site = (FnId(u32::MAX), SpanId(0));

/// Index of a thread's entry in vector clocks (today the thread id itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct VectorIdx(pub u32);

impl VectorIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One thread's logical time, with the program point of the last access made at that time
/// (the site is for reports only: comparisons look at the time alone).
#[derive(Clone, Copy, Debug)]
pub struct VTime {
    pub time: u32,
    pub site: Site,
}

impl VTime {
    pub const ZERO: VTime = VTime { time: 0, site: NO_SITE };
}

impl PartialEq for VTime {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
    }
}

impl Eq for VTime {}

/// A vector clock: entry `i` is the time of thread `i` (missing entries are zero).
#[derive(Clone, Debug, Default)]
pub struct VClock(Vec<VTime>);

impl PartialEq for VClock {
    fn eq(&self, other: &Self) -> bool {
        let n = self.0.len().max(other.0.len());
        (0..n).all(|i| self.get(VectorIdx(i as u32)) == other.get(VectorIdx(i as u32)))
    }
}

impl Eq for VClock {}

impl VClock {
    /// The clock that only knows `idx` at `t`.
    pub fn single(idx: VectorIdx, t: VTime) -> VClock {
        let mut c = VClock::default();
        c.set(idx, t);
        c
    }

    #[inline]
    pub fn get(&self, idx: VectorIdx) -> u32 {
        self.0.get(idx.index()).map_or(0, |t| t.time)
    }

    pub fn entry(&self, idx: VectorIdx) -> VTime {
        self.0.get(idx.index()).copied().unwrap_or(VTime::ZERO)
    }

    pub fn set(&mut self, idx: VectorIdx, t: VTime) {
        let i = idx.index();
        if self.0.len() <= i {
            if t.time == 0 {
                return;
            }
            self.0.resize(i + 1, VTime::ZERO);
        }
        self.0[i] = t;
        self.trim();
    }

    /// Advances `idx` by one (a release: later events cannot be confused with earlier ones).
    pub fn increment(&mut self, idx: VectorIdx) {
        let i = idx.index();
        if self.0.len() <= i {
            self.0.resize(i + 1, VTime::ZERO);
        }
        self.0[i].time += 1;
    }

    /// Sets the program point of `idx`'s current time (the thread's latest access).
    pub fn set_site(&mut self, idx: VectorIdx, site: Site) {
        let i = idx.index();
        if self.0.len() <= i {
            self.0.resize(i + 1, VTime::ZERO);
        }
        self.0[i].site = site;
    }

    /// Pointwise maximum (the other clock's history now happened before this one).
    pub fn join(&mut self, other: &VClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), VTime::ZERO);
        }
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            if b.time > a.time {
                *a = *b;
            }
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|t| t.time == 0)
    }

    /// Whether every entry is at most the other's: everything this clock knows happened
    /// before the other point.
    pub fn le(&self, other: &VClock) -> bool {
        self.0.iter().enumerate().all(|(i, t)| t.time <= other.0.get(i).map_or(0, |o| o.time))
    }

    /// The first index where this clock is ahead of `other` (the racing thread of a report).
    pub fn first_ahead_of(&self, other: &VClock) -> Option<VectorIdx> {
        self.0.iter().enumerate().find(|(i, t)| t.time > other.0.get(*i).map_or(0, |o| o.time)).map(|(i, _)| VectorIdx(i as u32))
    }

    fn trim(&mut self) {
        while self.0.last().is_some_and(|t| t.time == 0) {
            self.0.pop();
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl PartialOrd for VClock {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.le(other), other.le(self)) {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (false, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(times: &[u32]) -> VClock {
        let mut c = VClock::default();
        for (i, &t) in times.iter().enumerate() {
            c.set(VectorIdx(i as u32), VTime { time: t, site: NO_SITE });
        }
        c
    }

    #[test]
    fn join_is_the_pointwise_maximum() {
        let mut a = clock(&[3, 0, 5]);
        a.join(&clock(&[1, 4]));
        assert_eq!(a, clock(&[3, 4, 5]));
    }

    #[test]
    fn order_is_partial() {
        assert!(clock(&[1, 2]) < clock(&[1, 3]));
        assert!(clock(&[1, 2]) <= clock(&[1, 2, 0]));
        assert_eq!(clock(&[2, 1]).partial_cmp(&clock(&[1, 2])), None);
        assert_eq!(clock(&[2, 1]).first_ahead_of(&clock(&[1, 2])), Some(VectorIdx(0)));
        assert_eq!(clock(&[1, 2]).first_ahead_of(&clock(&[1, 2])), None);
    }

    #[test]
    fn trailing_zeros_do_not_matter() {
        let mut a = clock(&[1, 0, 0]);
        assert_eq!(a, clock(&[1]));
        a.set(VectorIdx(5), VTime::ZERO);
        assert_eq!(a, clock(&[1]));
        a.increment(VectorIdx(2));
        assert_eq!(a.get(VectorIdx(2)), 1);
        assert!(clock(&[1]) < a);
    }

    #[test]
    fn sites_do_not_affect_comparisons() {
        let mut a = clock(&[1, 1]);
        a.set_site(VectorIdx(1), (FnId(3), SpanId(7)));
        assert_eq!(a, clock(&[1, 1]));
        assert_eq!(a.entry(VectorIdx(1)).site, (FnId(3), SpanId(7)));
    }
}
