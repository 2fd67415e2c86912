//! Reservations: two-phase holds allocated to concrete (location, lot)
//! buckets, and the removal strategies that choose those buckets.

use smallvec::SmallVec;

use crate::catalog::Catalog;
use crate::command::{Fill, Scope, Strategy};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::ledger::ItemStock;
use crate::qty::Minor;
use crate::time::{Date, Millis};

/// Where a reservation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResStatus {
    /// Holding stock or waiting for supply.
    Active,
    /// Finished by commit.
    Committed,
    /// Finished by release.
    Released,
    /// Finished by expiry.
    Expired,
}

/// Part of a reservation held in one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alloc {
    /// Location.
    pub loc: LocId,
    /// Lot.
    pub lot: LotId,
    /// Quantity.
    pub qty: Minor,
}

/// A scope resolved to location ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopeIds {
    /// Every internal location.
    All,
    /// These subtrees.
    Subtrees(SmallVec<[LocId; 2]>),
}

impl ScopeIds {
    /// Whether an internal location lies in the scope.
    #[inline]
    pub fn contains(&self, cat: &Catalog, loc: LocId) -> bool {
        match self {
            ScopeIds::All => true,
            ScopeIds::Subtrees(roots) => roots.iter().any(|r| cat.in_subtree(loc, *r)),
        }
    }
    /// The location, when the scope is one location with no children.
    #[inline]
    pub fn single_leaf(&self, cat: &Catalog) -> Option<LocId> {
        match self {
            ScopeIds::Subtrees(r) if r.len() == 1 => {
                let l = cat.loc(r[0]);
                (l.end == l.pre + 1).then_some(r[0])
            }
            _ => None,
        }
    }

    /// Whether the scope holds every internal location (then an item's
    /// [`crate::ledger::Totals`] answer for it). A list of several roots is
    /// not looked into: `false`.
    #[inline]
    pub fn covers_internal(&self, cat: &Catalog) -> bool {
        match self {
            ScopeIds::All => true,
            ScopeIds::Subtrees(r) => r.len() == 1 && cat.covers_internal(r[0]),
        }
    }

    /// The location whose site sets the scope's calendar (UTC for `All`).
    pub fn anchor(&self) -> Option<LocId> {
        match self {
            ScopeIds::All => None,
            ScopeIds::Subtrees(r) => r.first().copied(),
        }
    }
    /// Whether two scopes share any location (conservative for lists).
    pub fn overlaps(&self, cat: &Catalog, other: &ScopeIds) -> bool {
        match (self, other) {
            (ScopeIds::All, _) | (_, ScopeIds::All) => true,
            (ScopeIds::Subtrees(a), ScopeIds::Subtrees(b)) => {
                a.iter().any(|x| b.iter().any(|y| cat.in_subtree(*x, *y) || cat.in_subtree(*y, *x)))
            }
        }
    }
}

/// A reservation or promise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    /// Client id.
    pub code: Code,
    /// Item.
    pub item: ItemId,
    /// Requested quantity.
    pub qty: Minor,
    /// Scope, resolved.
    pub scope: ScopeIds,
    /// Scope as given.
    pub scope_spec: std::sync::Arc<Scope>,
    /// Channel.
    pub channel: Option<Code>,
    /// Expiry instant.
    pub expires_at: Option<Millis>,
    /// Removal strategy.
    pub strategy: Strategy,
    /// Extra remaining shelf life required.
    pub min_shelf_life_days: u32,
    /// Fill mode.
    pub fill: Fill,
    /// Need date of open demand.
    pub need_date: Date,
    /// Demand priority (lower first).
    pub priority: i32,
    /// Live allocations.
    pub allocs: SmallVec<[Alloc; 2]>,
    /// Committed so far.
    pub committed: Minor,
    /// Waiting for supply.
    pub open_demand: Minor,
    /// Lost to shortages and not re-allocated.
    pub shorted: Minor,
    /// Status.
    pub status: ResStatus,
}

impl Reservation {
    /// Total allocated now.
    pub fn allocated(&self) -> Minor {
        self.allocs.iter().map(|a| a.qty).sum()
    }
    /// Allocation on a bucket.
    pub fn alloc_on(&self, loc: LocId, lot: LotId) -> Minor {
        self.allocs.iter().find(|a| a.loc == loc && a.lot == lot).map_or(0, |a| a.qty)
    }
    /// Adds (or with a negative `qty`, removes) allocation on a bucket.
    pub(crate) fn add_alloc(&mut self, loc: LocId, lot: LotId, qty: Minor) {
        if let Some(i) = self.allocs.iter().position(|a| a.loc == loc && a.lot == lot) {
            self.allocs[i].qty += qty;
            if self.allocs[i].qty == 0 {
                self.allocs.remove(i);
            }
        } else if qty != 0 {
            self.allocs.push(Alloc { loc, lot, qty });
        }
    }
}

/// A bucket that may be allocated, with what is free in it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    pub loc: LocId,
    pub lot: LotId,
    pub free: Minor,
}

/// The inputs that decide whether a bucket is sellable now.
pub(crate) struct SellableRule {
    pub now: Millis,
    pub min_days: u32,
}

impl SellableRule {
    #[inline]
    pub fn bucket_sellable(&self, cat: &Catalog, loc: LocId, lot: LotId) -> bool {
        bucket_sellable(cat, self.now, loc, lot, || self.min_days)
    }
}

/// Whether a bucket is sellable at `now`; `min_days` (the shelf life the
/// item and the question require) is asked only of a dated lot, so a
/// question about undated stock never reads the item's record for it.
#[inline]
pub(crate) fn bucket_sellable(
    cat: &Catalog,
    now: Millis,
    loc: LocId,
    lot: LotId,
    min_days: impl FnOnce() -> u32,
) -> bool {
    let l = cat.loc(loc);
    if !l.sellable {
        return false;
    }
    let lot = cat.lot(lot);
    // Only a dated lot needs the local date (a division): skip it otherwise.
    match lot.expiry {
        None => lot.status == crate::catalog::LotStatus::Available,
        Some(_) => lot.sellable_on(Date::at(now, l.site_offset_min), min_days()),
    }
}

/// The buckets of `stock` a reservation may draw from, in the order its
/// strategy takes them. Ties are broken by location code, then lot code, so
/// the order never depends on interning order.
pub(crate) fn candidates(
    cat: &Catalog,
    stock: &ItemStock,
    scope: &ScopeIds,
    rule: &SellableRule,
    strategy: Strategy,
    exclude: Option<(LocId, LotId)>,
) -> SmallVec<[Candidate; 16]> {
    let mut c: SmallVec<[Candidate; 16]> = SmallVec::new();
    for b in &stock.buckets {
        let free = b.free();
        if free <= 0 || Some((b.loc, b.lot)) == exclude {
            continue;
        }
        if cat.loc(b.loc).is_internal() && scope.contains(cat, b.loc) && rule.bucket_sellable(cat, b.loc, b.lot) {
            c.push(Candidate { loc: b.loc, lot: b.lot, free });
        }
    }
    if c.len() > 1 {
        sort_candidates(cat, &mut c, strategy);
    }
    c
}

fn sort_candidates(cat: &Catalog, c: &mut [Candidate], strategy: Strategy) {
    // Keys borrow from the catalog: no allocation, no reference counting.
    let expiry = |lot: LotId| cat.lot(lot).expiry.map_or(i64::MAX, |d| d.0 as i64);
    let received = |lot: LotId| cat.lot(lot).received.0 as i64;
    let place = |x: &Candidate| {
        let l = cat.loc(x.loc);
        (l.walk_seq, &*l.code)
    };
    let lot_code = |x: &Candidate| &*cat.lot(x.lot).code;
    match strategy {
        Strategy::Fefo => {
            c.sort_by(|a, b| (expiry(a.lot), place(a), lot_code(a)).cmp(&(expiry(b.lot), place(b), lot_code(b))))
        }
        Strategy::Fifo => {
            c.sort_by(|a, b| (received(a.lot), place(a), lot_code(a)).cmp(&(received(b.lot), place(b), lot_code(b))))
        }
        Strategy::Lifo => {
            c.sort_by(|a, b| (-received(a.lot), place(a), lot_code(a)).cmp(&(-received(b.lot), place(b), lot_code(b))))
        }
        Strategy::LocationPriority | Strategy::SingleLocationFirst => {
            c.sort_by(|a, b| (place(a), expiry(a.lot), lot_code(a)).cmp(&(place(b), expiry(b.lot), lot_code(b))))
        }
    }
}

/// Chooses allocations for `qty` from ordered candidates. Returns the
/// allocations and what could not be placed.
pub(crate) fn plan(cands: &[Candidate], qty: Minor, strategy: Strategy) -> (SmallVec<[Alloc; 2]>, Minor) {
    let mut out = SmallVec::new();
    if strategy == Strategy::SingleLocationFirst {
        // The first location (in walk order) whose buckets cover it all.
        let mut i = 0;
        while i < cands.len() {
            let loc = cands[i].loc;
            let j = cands[i..].iter().position(|c| c.loc != loc).map_or(cands.len(), |k| i + k);
            let sum: i128 = cands[i..j].iter().map(|c| c.free as i128).sum();
            if sum >= qty as i128 {
                let rest = take(&cands[i..j], qty, &mut out);
                return (out, rest);
            }
            i = j;
        }
    }
    let rest = take(cands, qty, &mut out);
    (out, rest)
}

fn take(cands: &[Candidate], mut qty: Minor, out: &mut SmallVec<[Alloc; 2]>) -> Minor {
    for c in cands {
        if qty == 0 {
            break;
        }
        let q = c.free.min(qty);
        out.push(Alloc { loc: c.loc, lot: c.lot, qty: q });
        qty -= q;
    }
    qty
}
