//! Stock aging: how long the stock in a scope has been in the engine, in
//! buckets of days. Lot-tracked stock is aged by its lot's received date;
//! untracked stock by its FIFO layers (the date the move that brought each
//! layer in occurred, at the location's site). Age is counted in whole
//! days at `as_of` (each location's own date now, when absent). Bucket
//! edges are inclusive upper bounds: edges `[30, 60, 90]` give `0-30`,
//! `31-60`, `61-90` and `91+`. Only positive stock is aged; stock received
//! after `as_of` is age 0.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Error;
use crate::ids::{Code, ItemId, LocId};
use crate::qty::Minor;
use crate::state::State;
use crate::time::Date;

use super::fold::Fold;
use super::scope::ScopeFilter;

/// Most bucket edges one question may give.
pub const MAX_AGE_EDGES: usize = 64;

/// Default edges: 30, 60, 90 days.
pub const DEFAULT_AGE_EDGES: [u32; 3] = [30, 60, 90];

/// One item's stock by age bucket (base unit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemAging {
    /// The item.
    pub item: Code,
    /// Quantity per bucket, in the order of `labels`.
    pub buckets: Vec<Decimal>,
    /// All buckets together.
    pub total: Decimal,
}

/// Stock aging of a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Aging {
    /// Bucket names (`0-30`, `31-60`, …, `91+`).
    pub labels: Vec<String>,
    /// Items holding stock in the scope, by code.
    pub items: Vec<ItemAging>,
}

fn labels(edges: &[u32]) -> Vec<String> {
    let mut out = Vec::with_capacity(edges.len() + 1);
    let mut lo = 0u64;
    for e in edges {
        out.push(format!("{lo}-{e}"));
        lo = *e as u64 + 1;
    }
    out.push(format!("{lo}+"));
    out
}

fn check(edges: &[u32]) -> Result<(), Error> {
    if edges.is_empty() {
        return Err(Error::InvalidAgeBuckets { reason: "give at least one edge" });
    }
    if edges.len() > MAX_AGE_EDGES {
        return Err(Error::LimitExceeded { what: "age bucket edges", max: MAX_AGE_EDGES as u64 });
    }
    if edges.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::InvalidAgeBuckets { reason: "edges must be strictly ascending" });
    }
    Ok(())
}

/// See the module docs.
pub(crate) fn aging(st: &State, scope: &ScopeFilter, edges: &[u32], as_of: Option<Date>) -> Result<Aging, Error> {
    check(edges)?;
    let set = scope.resolve(st)?;
    let today = |loc: LocId| as_of.unwrap_or_else(|| Date::at(st.now, st.cat.loc(loc).utc_offset_min()));
    let slot = |loc: LocId, received: Date| -> usize {
        let age = (today(loc).0 as i64 - received.0 as i64).max(0);
        edges.partition_point(|e| (*e as i64) < age)
    };
    let n = st.cat.item_count();
    let mut rows: Vec<Option<Vec<i128>>> = vec![None; n];
    let mut add = |item: ItemId, b: usize, q: Minor| {
        let r = rows[item.ix()].get_or_insert_with(|| vec![0; edges.len() + 1]);
        r[b] += q as i128;
    };
    let mut untracked = false;
    for (ix, s) in st.stock.iter().enumerate() {
        let item = ItemId(ix as u32);
        if !st.cat.item(item).tracked() {
            untracked |= s.buckets.iter().any(|b| b.on_hand > 0 && set.has(b.loc));
            continue;
        }
        for b in s.buckets.iter().filter(|b| b.on_hand > 0 && set.has(b.loc)) {
            add(item, slot(b.loc, st.cat.lot(b.lot).received), b.on_hand);
        }
    }
    if untracked {
        let fold = Fold::run(st, None, |_, _| {})?;
        for (item, f) in fold.items.iter() {
            if st.cat.item(*item).tracked() {
                continue;
            }
            for (loc, q) in f.fifo.iter().filter(|(l, _)| set.has(**l)) {
                let off = st.cat.loc(*loc).utc_offset_min();
                for p in &q.layers {
                    add(*item, slot(*loc, Date::at(p.received_at, off)), p.qty);
                }
            }
        }
    }
    let mut items: Vec<ItemAging> = rows
        .into_iter()
        .enumerate()
        .filter_map(|(ix, r)| {
            let r = r?;
            let id = ItemId(ix as u32);
            Some(ItemAging {
                item: st.cat.item(id).code.clone(),
                buckets: r.iter().map(|q| st.dec(id, *q)).collect(),
                total: st.dec(id, r.iter().sum()),
            })
        })
        .collect();
    items.sort_by(|a, b| a.item.cmp(&b.item));
    Ok(Aging { labels: labels(edges), items })
}

impl crate::engine::Engine {
    /// The stock in a scope by age bucket: lots by received date, untracked
    /// stock by FIFO layer. `edges` are inclusive upper bounds in days.
    pub fn stock_aging(&self, scope: &ScopeFilter, edges: &[u32], as_of: Option<Date>) -> Result<Aging, Error> {
        aging(&self.st, scope, edges, as_of)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_name_inclusive_ranges() {
        assert_eq!(super::labels(&[30, 60, 90]), vec!["0-30", "31-60", "61-90", "91+"]);
        assert_eq!(super::labels(&[0]), vec!["0-0", "1+"]);
    }
}
