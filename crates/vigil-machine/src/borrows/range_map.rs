//! A map from byte ranges of one allocation to values, merging equal neighbours, so that
//! per-location state costs memory per distinct run rather than per byte.

/// Runs of `(end, value)` sorted by end; run `i` covers `[end[i-1], end[i])`.
#[derive(Clone, Debug)]
pub struct RangeMap<T> {
    runs: Vec<(u64, T)>,
}

impl<T: Clone + PartialEq> RangeMap<T> {
    /// A map of no runs, holding no memory: only a placeholder for one moved out (every
    /// operation on it but `refill` is wrong).
    pub fn empty() -> RangeMap<T> {
        RangeMap { runs: Vec::new() }
    }

    /// One run over `[0, size)`.
    pub fn new(size: u64, value: T) -> RangeMap<T> {
        RangeMap { runs: vec![(size.max(1), value)] }
    }

    /// One run over `[0, size)`, in this map's memory: the first run's value is reset in
    /// place by `reset` (`make` builds one if the map has no run).
    pub fn reset(&mut self, size: u64, reset: impl FnOnce(&mut T), make: impl FnOnce() -> T) {
        self.runs.truncate(1);
        match self.runs.first_mut() {
            Some(run) => {
                run.0 = size.max(1);
                reset(&mut run.1);
            }
            None => self.runs.push((size.max(1), make())),
        }
    }

    /// `value` over `[0, size)` but for the sorted, disjoint `ranges` `(start, end, value)`
    /// (clipped to the size), built in one pass with equal neighbours merged.
    pub fn from_ranges(size: u64, value: T, ranges: impl ExactSizeIterator<Item = (u64, u64, T)>) -> RangeMap<T> {
        let mut map = RangeMap { runs: Vec::with_capacity(ranges.len() + 2) };
        map.refill(size, value, ranges);
        map
    }

    /// Makes this map what `from_ranges` would build, in its own memory.
    pub fn refill(&mut self, size: u64, value: T, ranges: impl ExactSizeIterator<Item = (u64, u64, T)>) {
        let size = size.max(1);
        let runs = &mut self.runs;
        runs.clear();
        let mut push = |end: u64, v: &T| match runs.last_mut() {
            Some(last) if last.1 == *v => last.0 = end,
            _ => runs.push((end, v.clone())),
        };
        let mut at = 0;
        for (s, e, v) in ranges {
            let (s, e) = (s.max(at), e.min(size));
            if e <= s {
                continue;
            }
            if s > at {
                push(s, &value);
            }
            push(e, &v);
            at = e;
        }
        if at < size {
            push(size, &value);
        }
    }

    #[inline]
    fn run_index(&self, offset: u64) -> usize {
        self.runs.partition_point(|&(end, _)| end <= offset)
    }

    /// Splits run `i` at `at` if `at` lies strictly inside it; whether it did (the part
    /// before `at` is then run `i`, the rest run `i + 1`).
    #[inline]
    fn split_run(&mut self, i: usize, at: u64) -> bool {
        let Some(&(end, _)) = self.runs.get(i) else { return false };
        let start = if i == 0 { 0 } else { self.runs[i - 1].0 };
        if at > start && at < end {
            let v = self.runs[i].1.clone();
            self.runs.insert(i, (at, v));
            return true;
        }
        false
    }

    /// Splits runs so that `start` and `end` (`start` < `end`) are run boundaries, and
    /// returns the index of the first run of `[start, end)` (its run is found once; the
    /// run of `end` is looked for from there).
    #[inline]
    fn split_edges(&mut self, start: u64, end: u64) -> usize {
        let mut first = self.run_index(start);
        if self.split_run(first, start) {
            first += 1;
        }
        let last = first + self.runs[first.min(self.runs.len())..].partition_point(|&(e, _)| e <= end);
        self.split_run(last, end);
        first
    }

    /// Calls `f` on every run intersecting `[start, start+len)`, after splitting runs at the
    /// range's edges; afterwards merges equal neighbours. Stops at the first error.
    pub fn for_each_mut<E>(&mut self, start: u64, len: u64, mut f: impl FnMut(u64, &mut T) -> Result<(), E>) -> Result<(), E> {
        self.update(start, len, |s, _, v| f(s, v))
    }

    /// Like `for_each_mut`, with each run's start and end.
    pub fn update<E>(&mut self, start: u64, len: u64, mut f: impl FnMut(u64, u64, &mut T) -> Result<(), E>) -> Result<(), E> {
        self.update_same(start, len, |s, e, v| f(s, e, v).map(|()| false))
    }

    /// Like `update`, for an `f` that tells whether it made the same change to every run it
    /// returns `true` for, one that keeps unequal values unequal (such as pushing one item
    /// onto a stack). When every run says so, runs inside the range that differed still
    /// differ (neighbours never stay equal), so only the range's two edges are merged: an
    /// operation over many distinct runs does not compare them all again.
    pub fn update_same<E>(&mut self, start: u64, len: u64, f: impl FnMut(u64, u64, &mut T) -> Result<bool, E>) -> Result<(), E> {
        if len == 0 {
            return Ok(());
        }
        self.update_same_from(self.run_index(start), start, len, f)
    }

    /// `update_same` of a non-empty range whose first run, `run_index(start)`, is known.
    fn update_same_from<E>(
        &mut self,
        first: usize,
        start: u64,
        len: u64,
        mut f: impl FnMut(u64, u64, &mut T) -> Result<bool, E>,
    ) -> Result<(), E> {
        if let Some(&(end, _)) = self.runs.get(first)
            && end == start + len
            && start == if first == 0 { 0 } else { self.runs[first - 1].0 }
        {
            // The range is one run (a node's pointee, a whole field): nothing to split, and
            // only that run can now equal a neighbour.
            let result = f(start, end, &mut self.runs[first].1).map(drop);
            self.merge_pair(first + 1);
            self.merge_pair(first);
            return result;
        }
        let first = self.split_edges(start, start + len);
        let mut i = first;
        let mut same = true;
        let mut result = Ok(());
        while i < self.runs.len() {
            let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
            if run_start >= start + len {
                break;
            }
            let run_end = self.runs[i].0;
            match f(run_start, run_end, &mut self.runs[i].1) {
                Ok(s) => same &= s,
                Err(e) => {
                    result = Err(e);
                    same = false;
                    break;
                }
            }
            i += 1;
        }
        if same {
            // The far edge first: merging there leaves the indices before it unchanged.
            self.merge(i, i + 1);
            self.merge(first, first + 1);
        } else {
            self.merge(first.saturating_sub(1), (i + 1).min(self.runs.len()));
        }
        result
    }

    /// `update` for maps of small `Copy` values (Tree Borrows' byte states), quicker when the
    /// range lies inside one run without being all of it: `f` sees a copy of the run's value,
    /// and only if it changes is the run cut, once, around the range (the changed part can
    /// then meet a neighbour only where it starts or ends the old run).
    pub fn update_copy<E>(&mut self, start: u64, len: u64, mut f: impl FnMut(u64, u64, &mut T) -> Result<(), E>) -> Result<(), E>
    where
        T: Copy,
    {
        if len == 0 {
            return Ok(());
        }
        let end = start + len;
        let i = self.run_index(start);
        let Some(&(run_end, old)) = self.runs.get(i) else {
            return self.update_same_from(i, start, len, |s, e, v| f(s, e, v).map(|()| false));
        };
        let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
        if end > run_end || (run_start == start && run_end == end) {
            // (Several runs, or exactly one: `update`'s paths, from the run just found.)
            return self.update_same_from(i, start, len, |s, e, v| f(s, e, v).map(|()| false));
        }
        let mut new = old;
        let result = f(start, end, &mut new);
        if new == old {
            return result;
        }
        match (run_start < start, end < run_end) {
            // Old value on both sides: nothing to merge.
            (true, true) => drop(self.runs.splice(i..i, [(start, old), (end, new)])),
            // The changed part ends the run: it may equal the next one.
            (true, false) => {
                self.runs[i].1 = new;
                self.runs.insert(i, (start, old));
                self.merge_pair(i + 2);
            }
            // It starts the run: it may equal the previous one.
            _ => {
                self.runs.insert(i, (end, new));
                self.merge_pair(i);
            }
        }
        result
    }

    /// The value of the one run holding all of `[start, start+len)` (`len` > 0), if a single
    /// run does.
    #[inline]
    pub fn run_holding(&self, start: u64, len: u64) -> Option<&T> {
        let (end, value) = self.runs.get(self.run_index(start))?;
        (*end >= start + len).then_some(value)
    }

    /// When one run holds all of `[start, start+len)` (`len` > 0) and `ok` accepts its value,
    /// splits that run so that the range is a run of its own (copying the value into the
    /// parts outside it) and returns the range's value; else `None`, having changed nothing.
    /// The caller merges nothing back: it is for a change that makes the range differ from
    /// both neighbours. (One search for the run, where `run_holding` and then splitting at
    /// each edge made four.)
    #[inline]
    pub fn isolate_if(&mut self, start: u64, len: u64, ok: impl FnOnce(&T) -> bool) -> Option<&mut T> {
        let mut i = self.run_index(start);
        let &(run_end, ref value) = self.runs.get(i)?;
        if run_end < start + len || !ok(value) {
            return None;
        }
        let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
        // The right edge first, so that the run's index stays that of its left part. (As
        // `split_run`, with the run's bounds known: through it, 0.3% more instructions.)
        if start + len < run_end {
            let v = self.runs[i].1.clone();
            self.runs.insert(i, (start + len, v));
        }
        if start > run_start {
            let v = self.runs[i].1.clone();
            self.runs.insert(i, (start, v));
            i += 1;
        }
        Some(&mut self.runs[i].1)
    }

    /// Makes `[start, start+len)` (`len` > 0) one run: the value of its first run, changed
    /// by `f`; then merges it with equal neighbours.
    pub fn collapse(&mut self, start: u64, len: u64, f: impl FnOnce(&mut T)) {
        let first = self.split_edges(start, start + len);
        let last = first + self.runs[first..].partition_point(|&(e, _)| e < start + len);
        self.runs[first].0 = self.runs[last].0;
        self.runs.drain(first + 1..=last);
        f(&mut self.runs[first].1);
        self.merge(first.saturating_sub(1), first + 2);
    }

    /// Whether `f` holds for every run intersecting `[start, start+len)` (no splitting).
    pub fn all_in(&self, start: u64, len: u64, mut f: impl FnMut(&T) -> bool) -> bool {
        let mut i = self.run_index(start);
        while i < self.runs.len() {
            let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
            if run_start >= start + len {
                break;
            }
            if !f(&self.runs[i].1) {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Calls `f` with the start of every run intersecting `[start, start+len)` (no
    /// splitting) until it returns false.
    #[inline]
    pub fn for_each_in<'a>(&'a self, start: u64, len: u64, mut f: impl FnMut(u64, &'a T) -> bool) {
        self.for_each_in_with_end(start, len, |s, _, v| f(s, v));
    }

    /// `for_each_in` inlined into its caller: Tree Borrows' scan of an access calls it for
    /// every node the access visits, mostly over one run, where the call costs as much as
    /// the scan. (The same loop as `for_each_in_with_end`'s: sharing it through an inlined
    /// helper made `threads_mix` under Tree Borrows 0.8% slower; inlining it into `settled`
    /// too, 0.9%.)
    #[inline(always)]
    pub fn for_each_in_inlined<'a>(&'a self, start: u64, len: u64, mut f: impl FnMut(u64, &'a T) -> bool) {
        let mut i = self.run_index(start);
        while i < self.runs.len() {
            let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
            if run_start >= start + len || !f(run_start, &self.runs[i].1) {
                break;
            }
            i += 1;
        }
    }

    /// Like `for_each_in`, with each run's end too.
    pub fn for_each_in_with_end<'a>(&'a self, start: u64, len: u64, mut f: impl FnMut(u64, u64, &'a T) -> bool) {
        let mut i = self.run_index(start);
        while i < self.runs.len() {
            let run_start = if i == 0 { 0 } else { self.runs[i - 1].0 };
            if run_start >= start + len || !f(run_start, self.runs[i].0, &self.runs[i].1) {
                break;
            }
            i += 1;
        }
    }

    /// Whether both maps hold the same runs.
    #[inline]
    pub fn same_runs(&self, other: &RangeMap<T>) -> bool {
        self.runs == other.runs
    }

    /// Makes this map `other`'s copy, in this map's memory if it has room.
    #[inline]
    pub fn copy_from(&mut self, other: &RangeMap<T>) {
        self.runs.clone_from(&other.runs);
    }

    /// The value at byte `at` (the last run's beyond the end).
    pub fn get(&self, at: u64) -> &T {
        let i = self.run_index(at).min(self.runs.len() - 1);
        &self.runs[i].1
    }

    /// Calls `f` with every run's start, end and value, in order (a plain loop, for hot
    /// callers: `runs` chains iterators).
    #[inline]
    pub fn for_each_run(&self, mut f: impl FnMut(u64, u64, &T)) {
        let mut start = 0;
        for (end, v) in &self.runs {
            f(start, *end, v);
            start = *end;
        }
    }

    /// Every run as (start, end, value).
    pub fn runs(&self) -> impl Iterator<Item = (u64, u64, &T)> {
        let starts = std::iter::once(0).chain(self.runs.iter().map(|r| r.0));
        starts.zip(self.runs.iter()).map(|(s, (e, v))| (s, *e, v))
    }

    /// How many runs intersect `[start, start+len)` (`len` > 0).
    pub fn runs_in(&self, start: u64, len: u64) -> usize {
        let last = self.run_index(start + len - 1).min(self.runs.len() - 1);
        (last + 1).saturating_sub(self.run_index(start))
    }

    /// Every run's value, in order, for changes that keep them all distinct or are followed
    /// by no further use of the map (no merging afterwards).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.runs.iter_mut().map(|(_, v)| v)
    }

    /// Calls `f` on every run (e.g. for garbage collection); merges afterwards.
    pub fn for_all_mut(&mut self, mut f: impl FnMut(&mut T)) {
        for (_, v) in self.runs.iter_mut() {
            f(v);
        }
        let n = self.runs.len();
        self.merge(0, n);
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.runs.iter().map(|(_, v)| v)
    }

    /// Merges run `i` into run `i - 1` if their values are equal.
    #[inline]
    fn merge_pair(&mut self, i: usize) {
        if i > 0 && i < self.runs.len() && self.runs[i - 1].1 == self.runs[i].1 {
            self.runs[i - 1].0 = self.runs[i].0;
            self.runs.remove(i);
        }
    }

    /// Merges equal adjacent runs within `[from, to)`, in one pass.
    fn merge(&mut self, from: usize, to: usize) {
        let to = to.min(self.runs.len());
        let from = from.max(1);
        if from >= to {
            return;
        }
        // Compact runs[from..to] into place: `w` is the last kept run.
        let mut w = from - 1;
        for r in from..to {
            if self.runs[w].1 == self.runs[r].1 {
                self.runs[w].0 = self.runs[r].0;
            } else {
                w += 1;
                self.runs.swap(w, r);
            }
        }
        // Runs past `to` move down to follow the compacted part.
        let removed = to - (w + 1);
        if removed > 0 {
            self.runs.drain(w + 1..w + 1 + removed);
        }
    }

    /// How many runs the map has room for.
    pub fn capacity(&self) -> usize {
        self.runs.capacity()
    }

    /// The value of the first run.
    pub fn first(&self) -> Option<&T> {
        self.runs.first().map(|r| &r.1)
    }

    pub fn run_count(&self) -> usize {
        self.runs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_split_and_merge_back() {
        let mut m = RangeMap::new(16, 0u32);
        m.for_each_mut::<()>(4, 4, |_, v| {
            *v = 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(m.run_count(), 3);
        let mut seen = Vec::new();
        m.for_each_mut::<()>(0, 16, |s, v| {
            seen.push((s, *v));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(0, 0), (4, 1), (8, 0)]);
        m.for_each_mut::<()>(4, 4, |_, v| {
            *v = 0;
            Ok(())
        })
        .unwrap();
        assert_eq!(m.run_count(), 1, "equal neighbours merge");
    }

    #[test]
    fn a_range_inside_one_run_is_isolated() {
        let runs = |m: &RangeMap<u32>| m.runs().map(|(s, e, v)| (s, e, *v)).collect::<Vec<_>>();
        let mut m = RangeMap::from_ranges(16, 0u32, [(8, 12, 1)].into_iter());
        // In the middle of a run: three parts, the range's value changed alone.
        *m.isolate_if(2, 4, |&v| v == 0).unwrap() = 5;
        assert_eq!(runs(&m), vec![(0, 2, 0), (2, 6, 5), (6, 8, 0), (8, 12, 1), (12, 16, 0)]);
        // At a run's start, at its end, and a whole run: nothing to split on those sides.
        *m.isolate_if(8, 2, |_| true).unwrap() = 6;
        *m.isolate_if(14, 2, |_| true).unwrap() = 7;
        *m.isolate_if(2, 4, |_| true).unwrap() = 8;
        assert_eq!(runs(&m), vec![(0, 2, 0), (2, 6, 8), (6, 8, 0), (8, 10, 6), (10, 12, 1), (12, 14, 0), (14, 16, 7)]);
        // Across runs, or refused by `ok`: unchanged.
        let before = runs(&m);
        assert!(m.isolate_if(5, 2, |_| true).is_none());
        assert!(m.isolate_if(0, 1, |&v| v == 1).is_none());
        assert_eq!(runs(&m), before);
    }

    #[test]
    fn built_from_ranges_like_by_updates() {
        let built = RangeMap::from_ranges(16, 0u32, [(2, 4, 1), (4, 6, 1), (6, 8, 2), (10, 20, 0)].into_iter());
        let mut updated = RangeMap::new(16, 0u32);
        for (s, e, v) in [(2, 6, 1), (6, 8, 2)] {
            updated
                .for_each_mut::<()>(s, e - s, |_, x| {
                    *x = v;
                    Ok(())
                })
                .unwrap();
        }
        let runs = |m: &RangeMap<u32>| m.runs().map(|(s, e, v)| (s, e, *v)).collect::<Vec<_>>();
        assert_eq!(runs(&built), vec![(0, 2, 0), (2, 6, 1), (6, 8, 2), (8, 16, 0)]);
        assert_eq!(runs(&built), runs(&updated));
        assert_eq!(RangeMap::from_ranges(0, 5u32, [].into_iter()).run_count(), 1);
    }

    #[test]
    fn uniform_updates_merge_only_at_the_edges() {
        // Runs 0..4: [1], 4..8: [2], 8..16: [1]; push 9 onto [2, 12).
        let mut m = RangeMap::new(16, vec![1u32]);
        m.for_each_mut::<()>(4, 4, |_, v| {
            *v = vec![2];
            Ok(())
        })
        .unwrap();
        m.update_same::<()>(2, 10, |_, _, v| {
            v.push(9);
            Ok(true)
        })
        .unwrap();
        let runs: Vec<_> = m.runs().map(|(s, e, v)| (s, e, v.clone())).collect();
        assert_eq!(runs, vec![(0, 2, vec![1]), (2, 4, vec![1, 9]), (4, 8, vec![2, 9]), (8, 12, vec![1, 9]), (12, 16, vec![1])]);
        // Pushing onto the runs next to [2, 12) makes the edges equal again: they merge.
        m.update_same::<()>(0, 2, |_, _, v| {
            v.push(9);
            Ok(true)
        })
        .unwrap();
        m.update_same::<()>(12, 4, |_, _, v| {
            v.push(9);
            Ok(true)
        })
        .unwrap();
        let runs: Vec<_> = m.runs().map(|(s, e, v)| (s, e, v.clone())).collect();
        assert_eq!(runs, vec![(0, 4, vec![1, 9]), (4, 8, vec![2, 9]), (8, 16, vec![1, 9])]);
    }

    /// Random updates made by `update` (set the value over a range), against a value per
    /// byte; runs must stay maximal. Half of them cover exactly one run, the rest start and
    /// end anywhere (often inside one run, or over several).
    fn random_updates_agree_with_a_value_per_byte(update: impl Fn(&mut RangeMap<u8>, u64, u64, u8)) {
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let mut m = RangeMap::new(32, 0u8);
        let mut bytes = [0u8; 32];
        for _ in 0..4000 {
            let (start, len) = if next(2) == 0 {
                let runs: Vec<_> = m.runs().map(|(s, e, _)| (s, e)).collect();
                let (s, e) = runs[next(runs.len() as u64) as usize];
                (s, e - s)
            } else {
                let s = next(32);
                (s, 1 + next(32 - s))
            };
            let v = next(3) as u8;
            update(&mut m, start, len, v);
            bytes[start as usize..(start + len) as usize].fill(v);
            let runs: Vec<_> = m.runs().map(|(s, e, v)| (s, e, *v)).collect();
            for w in runs.windows(2) {
                assert_ne!(w[0].2, w[1].2, "neighbours merged: {runs:?}");
            }
            for (s, e, v) in runs {
                assert!(bytes[s as usize..e as usize].iter().all(|&b| b == v));
            }
        }
    }

    #[test]
    fn updates_agree_with_a_value_per_byte() {
        // (Those over exactly one run take the path that splits nothing.)
        random_updates_agree_with_a_value_per_byte(|m, start, len, v| {
            m.update::<()>(start, len, |_, _, x| {
                *x = v;
                Ok(())
            })
            .unwrap()
        });
    }

    #[test]
    fn copy_updates_agree_with_a_value_per_byte() {
        // (Those inside one run take the cut, the others `update`'s paths.)
        random_updates_agree_with_a_value_per_byte(|m, start, len, v| {
            m.update_copy::<()>(start, len, |_, _, x| {
                *x = v;
                Ok(())
            })
            .unwrap()
        });
    }
}
