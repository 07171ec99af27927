//! A fixed-size set of document ids of one segment, as bits: what facet counts
//! are computed with (an AND and a popcount per facet value instead of a pass over
//! every matching document's facets).

/// A set of ids `0..len`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: u32,
}

impl Bits {
    /// No ids.
    pub fn empty(len: u32) -> Self {
        Self {
            words: vec![0; (len as usize).div_ceil(64)],
            len,
        }
    }

    /// Every id `0..len`.
    pub fn full(len: u32) -> Self {
        let mut bits = Self {
            words: vec![u64::MAX; (len as usize).div_ceil(64)],
            len,
        };
        let tail = len % 64;
        if tail != 0
            && let Some(last) = bits.words.last_mut()
        {
            *last = (1u64 << tail) - 1;
        }
        bits
    }

    /// Adds an id (ids past the end are ignored).
    pub fn insert(&mut self, id: u32) {
        if id < self.len {
            self.words[(id / 64) as usize] |= 1 << (id % 64);
        }
    }

    /// Whether the id is in the set.
    pub fn contains(&self, id: u32) -> bool {
        id < self.len && self.words[(id / 64) as usize] & (1 << (id % 64)) != 0
    }

    /// Keeps only the ids also in `other`.
    pub fn and_with(&mut self, other: &Bits) {
        for (word, theirs) in self.words.iter_mut().zip(&other.words) {
            *word &= theirs;
        }
        for word in self.words.iter_mut().skip(other.words.len()) {
            *word = 0;
        }
    }

    /// Adds the ids of `other`.
    pub fn or_with(&mut self, other: &Bits) {
        for (word, theirs) in self.words.iter_mut().zip(&other.words) {
            *word |= theirs;
        }
    }

    /// The ids in both sets.
    pub fn and(&self, other: &Bits) -> Bits {
        let mut out = self.clone();
        out.and_with(other);
        out
    }

    /// How many ids the set holds.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// How many ids are in both sets, without building the intersection.
    pub fn count_and(&self, other: &Bits) -> u64 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }

    /// The ids in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let base = (i as u32) * 64;
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some(base + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn a_full_set_holds_exactly_its_length() {
        for len in [0, 1, 63, 64, 65, 130] {
            let full = Bits::full(len);
            assert_eq!(full.count(), u64::from(len));
            assert!(!full.contains(len));
            assert_eq!(full.iter().count(), len as usize);
        }
    }

    proptest! {
        #[test]
        fn set_operations_agree_with_a_plain_set(
            len in 1u32..400,
            a in proptest::collection::vec(0u32..400, 0..120),
            b in proptest::collection::vec(0u32..400, 0..120),
        ) {
            let mut x = Bits::empty(len);
            let mut y = Bits::empty(len);
            for id in &a { x.insert(*id); }
            for id in &b { y.insert(*id); }
            let sa: BTreeSet<u32> = a.iter().copied().filter(|i| *i < len).collect();
            let sb: BTreeSet<u32> = b.iter().copied().filter(|i| *i < len).collect();
            let both: Vec<u32> = sa.intersection(&sb).copied().collect();
            prop_assert_eq!(x.count(), sa.len() as u64);
            prop_assert_eq!(x.count_and(&y), both.len() as u64);
            prop_assert_eq!(x.and(&y).iter().collect::<Vec<_>>(), both);
            prop_assert_eq!(x.iter().collect::<Vec<_>>(), sa.iter().copied().collect::<Vec<_>>());
            for id in 0..len {
                prop_assert_eq!(x.contains(id), sa.contains(&id));
            }
        }
    }
}
