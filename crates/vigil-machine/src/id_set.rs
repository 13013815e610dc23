//! A set of small dense ids (allocation ids) as a bit vector: insertion and removal without
//! hashing, iteration in id order.

#[derive(Default, Debug)]
pub struct IdSet {
    words: Vec<u64>,
}

impl IdSet {
    #[inline]
    pub fn insert(&mut self, id: u32) {
        match self.words.get_mut((id / 64) as usize) {
            Some(word) => *word |= 1 << (id % 64),
            None => self.insert_growing(id),
        }
    }

    /// `insert` of an id beyond the words.
    #[inline(never)]
    fn insert_growing(&mut self, id: u32) {
        let w = (id / 64) as usize;
        self.words.resize(w + 1, 0);
        self.words[w] |= 1 << (id % 64);
    }

    #[inline]
    pub fn remove(&mut self, id: u32) {
        if let Some(word) = self.words.get_mut((id / 64) as usize) {
            *word &= !(1 << (id % 64));
        }
    }

    /// Empties the set, keeping its words' allocation.
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    #[cfg(test)]
    pub fn contains(&self, id: u32) -> bool {
        self.words.get((id / 64) as usize).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    /// The ids in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut rest = w;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some(i as u32 * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn behaves_like_a_set() {
        let mut s = IdSet::default();
        let mut model = std::collections::BTreeSet::new();
        let mut x = 12345u32;
        for _ in 0..2_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let id = (x >> 8) % 700;
            if x & 1 == 0 {
                s.insert(id);
                model.insert(id);
            } else {
                s.remove(id);
                model.remove(&id);
            }
            assert_eq!(s.contains(id), model.contains(&id));
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), model.into_iter().collect::<Vec<_>>());
        s.clear();
        assert_eq!(s.iter().count(), 0);
        s.remove(1_000_000);
        assert!(!s.contains(1_000_000));
    }
}
