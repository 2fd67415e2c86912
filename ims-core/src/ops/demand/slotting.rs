//! Slotting suggestions: the fastest movers into the bins nearest the
//! start of the walk.
//!
//! Pick frequency is the number of pick moves (reason `pick`, not
//! reversed) out of a storage location of the scope whose day falls in the
//! period. Items with picks are ranked by frequency, highest first, ties
//! by code (at most `limit` of them). Then, item by item in that order,
//! each of its storage buckets in the scope — farthest along the walk
//! first — offers its free stock (on hand less reserved: stock a
//! reservation holds stays put) to the profiled bins of the scope that lie
//! *before* it in walk order, nearest the start first, each bin taking
//! what its unit, volume and weight limits and mix rules allow (the
//! warehouse flow's own bin rules) given the bins' contents after the
//! moves proposed so far. So the fastest mover claims the nearest room,
//! no move takes stock further from the start, and every proposed move is
//! valid when carried out in the order given. A bin a slower item fills is
//! not emptied for a faster one (no swaps): moving the slower item out
//! first, then asking again, does that.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::{LocationKind, NO_LOT};
use crate::error::Error;
use crate::event::MoveReason;
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::ops::warehouse::bins::fit_with;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Date;

use super::history::Bucket;
use super::scope::ScopeFilter;

/// One proposed move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotMove {
    /// The item.
    pub item: Code,
    /// Its lot, for tracked items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// The bin it leaves.
    pub from: Code,
    /// The bin it goes to (nearer the start of the walk).
    pub to: Code,
    /// Quantity (base unit).
    pub qty: Decimal,
}

/// An item's pick frequency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mover {
    /// The item.
    pub item: Code,
    /// Pick moves in the period.
    pub picks: u64,
}

/// A slotting suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slotting {
    /// Items by pick frequency, fastest first.
    pub movers: Vec<Mover>,
    /// The moves, in the order to carry them out.
    pub moves: Vec<SlotMove>,
}

/// Simulated bin contents: per storage location, (item, lot) → on hand,
/// sorted so each item's entries are together.
type Contents = BTreeMap<LocId, BTreeMap<(ItemId, LotId), Minor>>;

/// See the module docs.
pub(crate) fn slotting(
    st: &State,
    scope: &ScopeFilter,
    from: Date,
    to: Date,
    limit: Option<u32>,
) -> Result<Slotting, Error> {
    Bucket::Day.periods_between(from, to)?;
    let set = scope.resolve(st)?;
    let is_bin = |l: LocId| set.has(l) && st.cat.loc(l).kind == LocationKind::Storage;
    // Pick frequency.
    let mut picks: BTreeMap<ItemId, u64> = BTreeMap::new();
    for m in st.moves.iter() {
        if m.reason != MoveReason::Pick || m.reversed || !is_bin(m.from) {
            continue;
        }
        let d = Date::at(m.occurred_at, st.cat.loc(m.from).utc_offset_min());
        if d >= from && d <= to {
            *picks.entry(m.item).or_default() += 1;
        }
    }
    let mut movers: Vec<(ItemId, u64)> = picks.into_iter().collect();
    movers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| st.cat.item(a.0).code.cmp(&st.cat.item(b.0).code)));
    if let Some(n) = limit {
        movers.truncate(n as usize);
    }
    // Walk order: the location tree's pre-order.
    let walk: Vec<LocId> = st.cat.by_pre.iter().copied().filter(|l| is_bin(*l)).collect();
    let rank = |l: LocId| st.cat.loc(l).pre;
    let targets: Vec<LocId> =
        walk.iter().copied().filter(|l| st.ops.warehouse.bins.contains(&st.cat.loc(*l).code)).collect();
    let mut contents: Contents = BTreeMap::new();
    for &b in &walk {
        for item in st.bin_items.at(b) {
            let s = &st.stock[item.ix()];
            let start = s.find(b, NO_LOT).unwrap_or_else(|i| i);
            for k in s.buckets[start..].iter().take_while(|k| k.loc == b) {
                contents.entry(b).or_default().insert((item, k.lot), k.on_hand);
            }
        }
    }
    let mut moves = Vec::new();
    for &(item, _) in &movers {
        // Its free stock per bin, farthest first.
        let mut sources: Vec<(u32, LocId, LotId, Minor)> = st.stock[item.ix()]
            .buckets
            .iter()
            .filter(|k| is_bin(k.loc) && k.free() > 0)
            .map(|k| (rank(k.loc), k.loc, k.lot, k.free()))
            .collect();
        sources.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        for (src_rank, src, lot, mut left) in sources {
            for &t in targets.iter().take_while(|t| rank(**t) < src_rank) {
                if left == 0 {
                    break;
                }
                let Some(profile) = st.ops.warehouse.bins.get(&st.cat.loc(t).code) else { continue };
                let held = contents.get(&t).into_iter().flatten().map(|((i, l), q)| (*i, *l, *q));
                let Ok(cap) = fit_with(st, profile, item, lot, held) else { continue };
                let k = cap.min(left);
                left -= k;
                for (bin, d) in [(src, -k), (t, k)] {
                    let q = contents.entry(bin).or_default().entry((item, lot)).or_default();
                    *q += d;
                }
                moves.push(SlotMove {
                    item: st.cat.item(item).code.clone(),
                    lot: st.cat.lot_code(lot),
                    from: st.cat.loc(src).code.clone(),
                    to: st.cat.loc(t).code.clone(),
                    qty: st.dec(item, k as i128),
                });
            }
        }
    }
    let movers = movers.into_iter().map(|(i, picks)| Mover { item: st.cat.item(i).code.clone(), picks }).collect();
    Ok(Slotting { movers, moves })
}

impl crate::engine::Engine {
    /// Proposed moves that bring the fastest movers (by pick frequency over
    /// the period) into the bins nearest the start of the walk order.
    pub fn slotting(&self, scope: &ScopeFilter, from: Date, to: Date, limit: Option<u32>) -> Result<Slotting, Error> {
        slotting(&self.st, scope, from, to, limit)
    }
}
