//! The items with a bucket in each storage location, in id order: what
//! putaway, a bin's view and slotting read instead of scanning every item.
//!
//! A bin of a shop holds a few items, held inline; a bulk location may
//! hold most of a large catalogue, and a sorted vector of those pays a
//! move of the whole vector each time a bucket there empties or appears
//! (≈ 2.5% of the writes in the SQLite comparison, where sold-out bins hold
//! 100k items each — and linear in the catalogue). Past [`INLINE_MAX`]
//! items a location's set becomes a B-tree, and stays one until the
//! location empties (no switching back and forth at the boundary).
//!
//! Each set sits behind an `Arc`: a fork shares them, and copies one only
//! when it first changes that location (a B-tree of 100k items is
//! thousands of nodes to copy, which a fork of the state must not pay for
//! every bulk location).

use std::collections::BTreeSet;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::ids::{FxMap, ItemId, LocId};

/// Most items a location's set holds as a sorted vector.
const INLINE_MAX: usize = 32;

#[derive(Clone, Debug)]
enum ItemSet {
    Few(SmallVec<[ItemId; 4]>),
    Many(BTreeSet<ItemId>),
}

/// See the module docs.
#[derive(Clone, Debug, Default)]
pub(crate) struct BinItems(FxMap<LocId, Arc<ItemSet>>);

impl BinItems {
    /// Records that `item` has a bucket at `loc` (`true`) or has none
    /// left there (`false`).
    pub(crate) fn set(&mut self, loc: LocId, item: ItemId, present: bool) {
        if present {
            let set = self.0.entry(loc).or_insert_with(|| Arc::new(ItemSet::Few(SmallVec::new())));
            match Arc::make_mut(set) {
                ItemSet::Few(v) => {
                    if let Err(p) = v.binary_search(&item) {
                        if v.len() < INLINE_MAX {
                            v.insert(p, item);
                        } else {
                            let mut s: BTreeSet<ItemId> = v.iter().copied().collect();
                            s.insert(item);
                            self.0.insert(loc, Arc::new(ItemSet::Many(s)));
                        }
                    }
                }
                ItemSet::Many(s) => {
                    s.insert(item);
                }
            }
            return;
        }
        let Some(set) = self.0.get_mut(&loc) else { return };
        let empty = match Arc::make_mut(set) {
            ItemSet::Few(v) => {
                if let Ok(p) = v.binary_search(&item) {
                    v.remove(p);
                }
                v.is_empty()
            }
            ItemSet::Many(s) => {
                s.remove(&item);
                s.is_empty()
            }
        };
        if empty {
            self.0.remove(&loc);
        }
    }

    /// The items at `loc`, in id order.
    pub(crate) fn at(&self, loc: LocId) -> impl Iterator<Item = ItemId> + '_ {
        let (few, many) = match self.0.get(&loc).map(|s| &**s) {
            Some(ItemSet::Few(v)) => (Some(v.iter()), None),
            Some(ItemSet::Many(s)) => (None, Some(s.iter())),
            None => (None, None),
        };
        few.into_iter().flatten().chain(many.into_iter().flatten()).copied()
    }

    /// Every location with its items (for `verify`), in no set order.
    pub(crate) fn each(&self) -> impl Iterator<Item = (LocId, Vec<ItemId>)> + '_ {
        self.0.keys().map(|l| (*l, self.at(*l).collect()))
    }

    /// Empties the index (before a rebuild).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index against a plain sorted model, across the switch to a
    /// B-tree and back to nothing.
    #[test]
    fn agrees_with_a_sorted_model_through_growth_and_emptying() {
        let mut ix = BinItems::default();
        let mut model: std::collections::BTreeMap<LocId, BTreeSet<ItemId>> = Default::default();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let loc = LocId((x % 3) as u32);
            let item = ItemId(((x >> 8) % 80) as u32);
            // Fill for the first half (sets grow past the inline size),
            // then mostly empty them.
            let present = (x >> 20) % 10 < if step < 10_000 { 7 } else { 2 };
            ix.set(loc, item, present);
            if present {
                model.entry(loc).or_default().insert(item);
            } else if let Some(s) = model.get_mut(&loc) {
                s.remove(&item);
                if s.is_empty() {
                    model.remove(&loc);
                }
            }
            for l in 0..3 {
                let want: Vec<ItemId> = model.get(&LocId(l)).into_iter().flatten().copied().collect();
                assert_eq!(ix.at(LocId(l)).collect::<Vec<_>>(), want, "step {step}, location {l}");
            }
            assert_eq!(ix.0.len(), model.len(), "an emptied location leaves the index");
        }
    }

    #[test]
    fn a_fork_keeps_its_sets_when_the_original_changes() {
        let mut a = BinItems::default();
        for i in 0..100 {
            a.set(LocId(1), ItemId(i), true);
        }
        let b = a.clone();
        a.set(LocId(1), ItemId(5), false);
        a.set(LocId(1), ItemId(500), true);
        assert_eq!(b.at(LocId(1)).collect::<Vec<_>>(), (0..100).map(ItemId).collect::<Vec<_>>());
        assert_eq!(a.at(LocId(1)).count(), 100);
        assert!(!a.at(LocId(1)).any(|i| i == ItemId(5)));
    }

    #[test]
    fn a_large_set_is_a_tree_and_a_small_one_is_inline() {
        let mut ix = BinItems::default();
        for i in 0..INLINE_MAX as u32 {
            ix.set(LocId(1), ItemId(i), true);
        }
        assert!(matches!(*ix.0[&LocId(1)], ItemSet::Few(_)));
        ix.set(LocId(1), ItemId(1_000), true);
        assert!(matches!(*ix.0[&LocId(1)], ItemSet::Many(_)));
        assert_eq!(ix.at(LocId(1)).count(), INLINE_MAX + 1);
        assert_eq!(ix.at(LocId(2)).count(), 0);
    }
}
