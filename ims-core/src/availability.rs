//! Availability (DESIGN §3): quantity buckets now, and time-phased
//! cumulative available-to-promise with look-ahead, with explanations whose
//! contributions sum exactly to the answer.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::atp_flow::{AtpOn, Flow, Terms};
use crate::ids::{Code, ItemId};
use crate::qty::wide_to_decimal;
use crate::reservation::{bucket_sellable, ResStatus, ScopeIds, SellableRule};
use crate::state::State;
use crate::time::Date;

/// Most buckets of an item scanned rather than searched (see `scope_run`).
const SCAN: usize = 16;

/// The quantity buckets of an item in a scope, in minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BucketsMinor {
    /// On hand in internal locations (negative buckets net).
    pub on_hand: i128,
    /// On hand that is sellable now.
    pub sellable: i128,
    /// Live allocations.
    pub reserved: i128,
    /// ATP now: sellable minus what is reserved on it, floored at zero.
    pub available: i128,
}

/// The quantity buckets of an item in a scope, in its base unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// On hand in internal locations.
    pub on_hand: Decimal,
    /// Sellable now.
    pub sellable: Decimal,
    /// Reserved.
    pub reserved: Decimal,
    /// Available to promise now.
    pub available: Decimal,
}

/// Options of a time-phased query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AtpOptions {
    /// Remaining shelf life required, beyond the item's own minimum.
    pub min_shelf_life_days: u32,
    /// How far ahead supply and demand are considered.
    pub horizon_days: u32,
    /// Whether overdue scheduled receipts count (as arriving today).
    pub include_past_due: bool,
}

/// The longest look-ahead a time-phased query takes: 100 years. Beyond it
/// a query is refused (`LIMIT_EXCEEDED`) rather than silently shortened.
pub const MAX_ATP_HORIZON_DAYS: u32 = 36_600;

impl AtpOptions {
    /// Refuses options beyond the limits ([`MAX_ATP_HORIZON_DAYS`]).
    pub fn check(&self) -> Result<(), crate::Error> {
        if self.horizon_days > MAX_ATP_HORIZON_DAYS {
            return Err(crate::Error::LimitExceeded { what: "ATP horizon days", max: MAX_ATP_HORIZON_DAYS as u64 });
        }
        Ok(())
    }
}

impl Default for AtpOptions {
    fn default() -> Self {
        AtpOptions { min_shelf_life_days: 0, horizon_days: 365, include_past_due: false }
    }
}

/// What a contribution is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    /// Sellable on hand in a bucket.
    OnHand,
    /// Reserved on a sellable bucket.
    Reserved,
    /// Stock in receiving, inspection or transit, sellable after processing.
    Inbound,
    /// A scheduled receipt.
    Receipt,
    /// Open dated demand.
    Demand,
    /// A lot that falls below the required shelf life.
    LotLeaves,
    /// The reduction that protects a later, lower projection.
    LookAhead,
    /// The floor at zero of a negative projection.
    Floor,
    /// Perishable stock counted as leaving that earlier demand uses first.
    UsedBeforeLeaving,
    /// Not counted (the reason says why).
    Excluded,
}

/// One term of an availability answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contribution {
    /// What it is.
    pub kind: ContributionKind,
    /// When it takes effect.
    pub date: Date,
    /// Signed quantity, base unit (what it adds to the answer when counted).
    pub qty: Decimal,
    /// Whether it is part of the sum.
    pub counted: bool,
    /// Location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Code>,
    /// Lot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Receipt or reservation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Code>,
    /// Why it is excluded, or a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// ATP on one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AtpPoint {
    /// Date.
    pub date: Date,
    /// Projected available on that date, P(τ).
    pub projected: Decimal,
    /// Available to promise on that date: min over later P, floored at 0.
    pub atp: Decimal,
}

/// An ATP answer with, on request, its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AtpAnswer {
    /// The date asked about.
    pub date: Date,
    /// Available to promise.
    pub qty: Decimal,
    /// Counted contributions sum exactly to `qty`.
    pub contributions: Vec<Contribution>,
}

/// One line of a cart for a ship-complete date.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct CartLine {
    /// Item.
    pub item: String,
    /// Scope.
    pub scope: crate::command::Scope,
    /// Quantity in the base unit.
    pub qty: Decimal,
}

/// A timeline entry in minor units.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    date: Date,
    qty: i128,
    counted: bool,
    kind: ContributionKind,
    location: Option<Code>,
    lot: Option<Code>,
    reference: Option<Code>,
    reason: Option<&'static str>,
}

impl State {
    /// Σ (on hand − reserved) over the sellable buckets of a scope: what a
    /// new reservation may take (before the floor at zero).
    pub(crate) fn net_available(&self, item: ItemId, scope: &ScopeIds, rule: &SellableRule) -> i128 {
        if let Some(t) = self.totals_for(item, scope) {
            return t.free;
        }
        self.stock[item.ix()]
            .buckets
            .iter()
            .filter(|b| self.cat.loc(b.loc).is_internal() && scope.contains(&self.cat, b.loc))
            .filter(|b| rule.bucket_sellable(&self.cat, b.loc, b.lot))
            .map(|b| b.free() as i128)
            .sum()
    }

    /// The item's buckets that can lie in `scope`: a scope of one location
    /// without children is one run of them (they are sorted by location),
    /// found by a scan when the item has few buckets and by binary search
    /// when it has many; any other scope is all of them, each still
    /// to be checked with `scope.contains`.
    #[inline]
    fn scope_run(&self, item: ItemId, scope: &ScopeIds) -> &[crate::ledger::Bucket] {
        let buckets = &self.stock[item.ix()].buckets;
        match scope.single_leaf(&self.cat) {
            Some(loc) => {
                // A short run is scanned: its loads are independent, so the
                // processor issues them together, where a binary search's
                // probes each wait for the one before (a cache miss each).
                let start = if buckets.len() <= SCAN {
                    buckets.iter().position(|b| b.loc >= loc).unwrap_or(buckets.len())
                } else {
                    buckets.partition_point(|b| b.loc < loc)
                };
                let len = buckets[start..].iter().take_while(|b| b.loc == loc).count();
                &buckets[start..start + len]
            }
            None => &buckets[..],
        }
    }

    /// The item's totals, when they answer for `scope`: it holds every
    /// internal location and the item has no dated lot in stock.
    #[inline]
    fn totals_for(&self, item: ItemId, scope: &ScopeIds) -> Option<&crate::ledger::Totals> {
        let t = &self.stock[item.ix()].totals;
        (t.dated == 0 && scope.covers_internal(&self.cat)).then_some(t)
    }

    /// The quantity buckets of an item in a scope.
    pub fn buckets_minor(&self, item: ItemId, scope: &ScopeIds, min_days: u32) -> BucketsMinor {
        if let Some(t) = self.totals_for(item, scope) {
            return BucketsMinor {
                on_hand: t.on_hand,
                sellable: t.sellable,
                reserved: t.reserved,
                available: t.free.max(0),
            };
        }
        // The item's shelf-life rule matters only for dated lots: read its
        // record (a cache miss on a large catalogue) only for one.
        let days = std::cell::OnceCell::new();
        let days = || *days.get_or_init(|| self.cat.item(item).spec.min_remaining_shelf_life_days.max(min_days));
        let mut a = BucketsMinor::default();
        let mut net: i128 = 0;
        for b in self.scope_run(item, scope) {
            let l = self.cat.loc(b.loc);
            if !l.is_internal() || !scope.contains(&self.cat, b.loc) {
                continue;
            }
            a.on_hand += b.on_hand as i128;
            a.reserved += b.reserved as i128;
            if bucket_sellable(&self.cat, self.now, b.loc, b.lot, days) {
                a.sellable += b.on_hand as i128;
                net += b.free() as i128;
            }
        }
        a.available = net.max(0);
        a
    }

    /// The dated supply and demand of an item in a scope: the explanation
    /// entries and the matching model.
    pub(crate) fn timeline(&self, item: ItemId, scope: &ScopeIds, o: &AtpOptions) -> (Date, Vec<Entry>, Flow) {
        let (mut v, mut flow) = (Vec::new(), Flow::default());
        let today = self.supply_and_demand(item, scope, o, &mut flow, Some(&mut v));
        flow.prepare();
        // Deterministic order: by date, then kind, then codes.
        v.sort_by(|a, b| {
            (a.date, a.kind as u8, &a.location, &a.lot, &a.reference).cmp(&(
                b.date,
                b.kind as u8,
                &b.location,
                &b.lot,
                &b.reference,
            ))
        });
        (today, v, flow)
    }

    /// The dated terms of an item in a scope, given to `flow` (the
    /// matching model, or a shortcut for one date), and into `explain` when
    /// given, one entry per term; returns the scope's today. An answer
    /// without its explanation (a cart's lines) skips the entries: their
    /// codes, their sort.
    fn supply_and_demand(
        &self,
        item: ItemId,
        scope: &ScopeIds,
        o: &AtpOptions,
        flow: &mut impl Terms,
        mut explain: Option<&mut Vec<Entry>>,
    ) -> Date {
        let today = self.today_at(scope.anchor());
        let end = today.plus(o.horizon_days.min(MAX_ATP_HORIZON_DAYS) as i32);
        // The shelf life asked of dated lots: the item's record (a cache
        // miss on a large catalogue) is read only when a dated lot is met.
        let days = std::cell::OnceCell::new();
        let days =
            || *days.get_or_init(|| self.cat.item(item).spec.min_remaining_shelf_life_days.max(o.min_shelf_life_days));
        let leaves = |lot: &crate::catalog::Lot| lot.expiry.and_then(|_| lot.leaves_supply_on(days()));
        // Builds the entry only when it is kept.
        let mut add = |make: &dyn Fn() -> Entry| {
            if let Some(v) = explain.as_deref_mut() {
                v.push(make());
            }
        };
        let entry = |date, qty, counted, kind, location, lot, reference, reason| Entry {
            date,
            qty,
            counted,
            kind,
            location,
            lot,
            reference,
            reason,
        };
        for b in &self.stock[item.ix()].buckets {
            let l = self.cat.loc(b.loc);
            if !l.is_internal() || !scope.contains(&self.cat, b.loc) || b.on_hand == 0 && b.reserved == 0 {
                continue;
            }
            let lot = self.cat.lot(b.lot);
            let codes = || (Some(l.code.clone()), self.cat.lot_code(b.lot));
            let site_today = || Date::at(self.now, l.site_offset_min);
            if bucket_sellable(&self.cat, self.now, b.loc, b.lot, days) {
                add(&|| {
                    let (loc_c, lot_c) = codes();
                    entry(today, b.on_hand as i128, true, ContributionKind::OnHand, loc_c, lot_c, None, None)
                });
                if b.reserved != 0 {
                    add(&|| {
                        let (loc_c, lot_c) = codes();
                        entry(today, -(b.reserved as i128), true, ContributionKind::Reserved, loc_c, lot_c, None, None)
                    });
                }
                let leaves = leaves(lot);
                flow.supply(today, leaves, b.free() as i128);
                if let Some(d) = leaves.filter(|d| *d <= end) {
                    let free = b.free().max(0) as i128;
                    if free > 0 {
                        add(&|| {
                            let (loc_c, lot_c) = codes();
                            entry(d, -free, true, ContributionKind::LotLeaves, loc_c, lot_c, None, None)
                        });
                    }
                }
            } else if l.kind.is_inbound() && lot.sellable_on(site_today(), days()) {
                let d = today.plus(l.site_inbound_days as i32);
                flow.supply(d, leaves(lot), b.free() as i128);
                add(&|| {
                    let (loc_c, lot_c) = codes();
                    entry(d, b.free() as i128, true, ContributionKind::Inbound, loc_c, lot_c, None, None)
                });
            } else {
                add(&|| {
                    let why = if !l.sellable {
                        "location not sellable"
                    } else if lot.status != crate::catalog::LotStatus::Available {
                        "lot not available"
                    } else if lot.expiry.is_some_and(|e| e < site_today()) {
                        "expired"
                    } else {
                        "shelf life"
                    };
                    let (loc_c, lot_c) = codes();
                    entry(today, b.on_hand as i128, false, ContributionKind::Excluded, loc_c, lot_c, None, Some(why))
                });
            }
        }
        for ix in &self.stock[item.ix()].receipts {
            let r = &self.receipts[*ix as usize];
            if r.open <= 0 || !scope.contains(&self.cat, r.loc) {
                continue;
            }
            let l = self.cat.loc(r.loc);
            let d = r.expected.plus(l.site_inbound_days as i32);
            let (counted, d, reason) = match d < today {
                false if d <= end => (true, d, None),
                false => (false, d, Some("beyond horizon")),
                true if o.include_past_due => (true, today, Some("past due")),
                true => (false, d, Some("past due")),
            };
            let kind = if counted { ContributionKind::Receipt } else { ContributionKind::Excluded };
            if counted {
                flow.supply(d, None, r.open as i128);
            }
            add(&|| entry(d, r.open as i128, counted, kind, Some(l.code.clone()), None, Some(r.code.clone()), reason));
        }
        for rid in &self.stock[item.ix()].active {
            let r = &self.res[rid.ix()];
            if r.status != ResStatus::Active || r.open_demand <= 0 || !r.scope.overlaps(&self.cat, scope) {
                continue;
            }
            let d = r.need_date.max(today);
            if d <= end {
                flow.demand(d, r.open_demand as i128);
                add(&|| {
                    entry(
                        d,
                        -(r.open_demand as i128),
                        true,
                        ContributionKind::Demand,
                        None,
                        None,
                        Some(r.code.clone()),
                        None,
                    )
                });
            }
        }
        today
    }

    /// Projected and ATP figures per date of the timeline, in minor units:
    /// `(date, P, ATP)`, starting today. `P` is the running sum of the
    /// explanation entries; ATP comes from the matching model.
    pub(crate) fn atp_points(today: Date, entries: &[Entry], flow: &Flow) -> Vec<(Date, i128, i128)> {
        let e: Vec<(Date, i128, bool)> = entries.iter().map(|e| (e.date, e.qty, e.counted)).collect();
        Self::atp_points_p(today, &e).into_iter().map(|(d, p)| (d, p, flow.atp(d))).collect()
    }

    /// The running projection `P` per date, from (date, qty, counted) terms.
    fn atp_points_p(today: Date, entries: &[(Date, i128, bool)]) -> Vec<(Date, i128)> {
        let mut pts: Vec<(Date, i128)> = vec![(today, 0)];
        let mut p: i128 = 0;
        for &(date, qty, _) in entries.iter().filter(|e| e.2) {
            p += qty;
            let d = date.max(today);
            match pts.last_mut() {
                Some(last) if last.0 == d => last.1 = p,
                _ => pts.push((d, p)),
            }
        }
        pts
    }

    /// ATP of an item in a scope on `date`, with its explanation.
    pub(crate) fn atp_on(
        &self,
        item: ItemId,
        scope: &ScopeIds,
        date: Date,
        o: &AtpOptions,
        explain: bool,
    ) -> (i128, Vec<Contribution>) {
        if !explain {
            // Most items have no dated demand and nothing perishable: then
            // one sum answers, without the model. Else the model is built.
            let mut on = AtpOn::new(date);
            let today = self.supply_and_demand(item, scope, o, &mut on, None);
            if let (Some(q), true) = (on.answer(), date >= today) {
                return (q, Vec::new());
            }
            let mut flow = Flow::default();
            let today = self.supply_and_demand(item, scope, o, &mut flow, None);
            flow.prepare();
            return (flow.atp(date.max(today)), Vec::new());
        }
        let (today, entries, flow) = self.timeline(item, scope, o);
        let at = date.max(today);
        let atp = flow.atp(at);
        let scale = self.cat.item(item).scale();
        let dec = |q: i128| wide_to_decimal(q, scale);
        let mut sum: i128 = 0;
        let entries_p: Vec<(Date, i128, bool)> = entries.iter().map(|e| (e.date, e.qty, e.counted)).collect();
        let mut c: Vec<Contribution> = entries
            .into_iter()
            .map(|e| {
                let counted = e.counted && e.date <= at;
                if counted {
                    sum += e.qty;
                }
                Contribution {
                    counted,
                    reason: if e.counted && e.date > at { Some("after the date asked") } else { e.reason },
                    kind: e.kind,
                    date: e.date,
                    qty: dec(e.qty),
                    location: e.location,
                    lot: e.lot,
                    reference: e.reference,
                }
            })
            .collect();
        // The cumulative view: the look-ahead to the lowest later projection,
        // then the floor at zero; a last term for perishable stock that the
        // projection counts as leaving but earlier demand uses first. The
        // counted terms then sum exactly to the answer.
        let pts = Self::atp_points_p(today, &entries_p);
        let idx = pts.partition_point(|p| p.0 <= at).saturating_sub(1);
        let later_min = pts[idx..].iter().map(|p| p.1).min().unwrap_or(sum).min(sum);
        let mut close = |kind, qty: i128| {
            if qty != 0 {
                c.push(Contribution {
                    kind,
                    date: at,
                    qty: dec(qty),
                    counted: true,
                    location: None,
                    lot: None,
                    reference: None,
                    reason: None,
                });
            }
        };
        close(ContributionKind::LookAhead, later_min - sum);
        close(ContributionKind::Floor, (-later_min).max(0));
        close(ContributionKind::UsedBeforeLeaving, atp - later_min.max(0));
        (atp, c)
    }

    /// The first date on which `qty` can be promised, if any within the horizon.
    pub(crate) fn earliest_minor(&self, item: ItemId, scope: &ScopeIds, qty: i128, o: &AtpOptions) -> Option<Date> {
        let (today, entries, flow) = self.timeline(item, scope, o);
        let mut dates: Vec<Date> = entries.iter().filter(|e| e.counted).map(|e| e.date.max(today)).collect();
        dates.push(today);
        dates.sort_unstable();
        dates.dedup();
        dates.into_iter().find(|d| flow.atp(*d) >= qty)
    }
}
