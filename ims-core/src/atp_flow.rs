//! How much can be promised on a date: dated supply (some of it perishable)
//! matched against dated demand.
//!
//! Supply comes in lots usable from a date until another (perishable stock
//! leaves supply when its remaining life falls below the requirement).
//! Demand is a quantity on a date. A set of demands can be met iff serving
//! them in date order, each from the usable supply that leaves soonest, meets
//! them all (the earliest-deadline exchange argument). ATP on `t` is the
//! largest extra demand on `t` that keeps the set feasible.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use smallvec::SmallVec;

use crate::time::Date;

/// Supply and demand of one item in one scope. Most items in most scopes
/// have a few buckets and receipts and no dated demand: held inline, a
/// question (a cart's line) allocates nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flow {
    /// (usable from, usable before, quantity > 0).
    pub supplies: SmallVec<[(Date, Option<Date>, i128); 4]>,
    /// (date, quantity > 0).
    pub demands: SmallVec<[(Date, i128); 4]>,
}

/// What the availability model is given, term by term.
pub(crate) trait Terms {
    /// Supply usable from `from` until `until` (a negative quantity is
    /// demand on `from`).
    fn supply(&mut self, from: Date, until: Option<Date>, qty: i128);
    /// Demand on `date`.
    fn demand(&mut self, date: Date, qty: i128);
}

impl Terms for Flow {
    fn supply(&mut self, from: Date, until: Option<Date>, qty: i128) {
        Flow::supply(self, from, until, qty);
    }
    fn demand(&mut self, date: Date, qty: i128) {
        Flow::demand(self, date, qty);
    }
}

/// ATP on one date `t` (today or later) without the model, while the
/// terms allow it: with nothing perishable and no demand after `t`, the
/// projection never falls after `t`, so the formula's
/// `max(0, min over τ ≥ t of P(τ))` is `max(0, P(t))` — one running sum.
/// A term that breaks this (perishable supply, demand after `t`) gives up:
/// the caller builds the model.
pub(crate) struct AtpOn {
    t: Date,
    p: i128,
    simple: bool,
}

impl AtpOn {
    pub fn new(t: Date) -> AtpOn {
        AtpOn { t, p: 0, simple: true }
    }
    /// The answer, unless a term needed the model.
    pub fn answer(&self) -> Option<i128> {
        self.simple.then_some(self.p.max(0))
    }
}

impl Terms for AtpOn {
    fn supply(&mut self, from: Date, until: Option<Date>, qty: i128) {
        match until {
            // Leaves before it is usable: no term (as in `Flow::supply`).
            Some(u) if u <= from && qty > 0 => {}
            Some(_) if qty > 0 => self.simple = false,
            _ if from > self.t => self.simple &= qty >= 0,
            _ => self.p += qty,
        }
    }
    fn demand(&mut self, date: Date, qty: i128) {
        if qty > 0 {
            if date > self.t {
                self.simple = false;
            } else {
                self.p -= qty;
            }
        }
    }
}

impl Flow {
    /// Adds supply; a negative quantity (a bucket reserved beyond its stock,
    /// an oversold shelf) is demand on its first date.
    pub fn supply(&mut self, from: Date, until: Option<Date>, qty: i128) {
        if qty > 0 {
            if until.is_none_or(|u| u > from) {
                // Supply usable over the same dates is one pool to both
                // the formula and the search: an item's buckets on hand
                // today (most of a cart line's terms) become one entry.
                match self.supplies.last_mut() {
                    Some(last) if last.0 == from && last.1 == until => last.2 += qty,
                    _ => self.supplies.push((from, until, qty)),
                }
            }
        } else if qty < 0 {
            self.demands.push((from, -qty));
        }
    }

    /// Adds demand.
    pub fn demand(&mut self, date: Date, qty: i128) {
        if qty > 0 {
            self.demands.push((date, qty));
        }
    }

    /// Orders supplies and demands; call once before querying.
    pub fn prepare(&mut self) {
        self.supplies.sort_unstable();
        self.demands.sort_unstable();
    }

    /// Whether `extra` can be promised on `t`: demand dated before `t` may
    /// be served late (as backlog, first in first out) but must be cleared
    /// by `t`; then `extra` is served on `t`, and every later demand on its
    /// own date. Supply is used soonest-leaving first.
    fn feasible(&self, t: Date, extra: i128) -> bool {
        let mut left: Vec<i128> = self.supplies.iter().map(|s| s.2).collect();
        let mut heap: BinaryHeap<Reverse<(Date, usize)>> = BinaryHeap::new();
        // Processing points: every demand date, every supply arrival, and t.
        let mut points: Vec<Date> = self.demands.iter().map(|d| d.0).chain(self.supplies.iter().map(|s| s.0)).collect();
        points.push(t);
        points.sort_unstable();
        points.dedup();
        let (mut next_s, mut next_d) = (0, 0);
        let mut backlog: i128 = 0;
        for d in points {
            while next_s < self.supplies.len() && self.supplies[next_s].0 <= d {
                heap.push(Reverse((self.supplies[next_s].1.unwrap_or(Date(i32::MAX)), next_s)));
                next_s += 1;
            }
            let mut take = |q: i128, left: &mut Vec<i128>| -> i128 {
                let mut q = q;
                while q > 0 {
                    let Some(&Reverse((until, i))) = heap.peek() else { break };
                    if until <= d || left[i] == 0 {
                        heap.pop();
                        continue;
                    }
                    let n = left[i].min(q);
                    left[i] -= n;
                    q -= n;
                }
                q
            };
            backlog = take(backlog, &mut left);
            if d == t && backlog > 0 {
                return false;
            }
            let mut due: i128 = 0;
            while next_d < self.demands.len() && self.demands[next_d].0 == d {
                due += self.demands[next_d].1;
                next_d += 1;
            }
            if d == t {
                due += extra;
            }
            let unmet = take(due, &mut left);
            if unmet > 0 {
                if d >= t {
                    return false;
                }
                backlog += unmet;
            }
        }
        true
    }

    /// The most that can be promised on `t` without breaking any demand.
    pub fn atp(&self, t: Date) -> i128 {
        if self.demands.is_empty() && self.supplies.iter().all(|s| s.1.is_none()) {
            // Supply only, none perishable: the projection never falls
            // after `t`, so the formula's minimum is `P(t)` itself.
            return self.supplies.iter().filter(|s| s.0 <= t).map(|s| s.2).sum();
        }
        if self.supplies.iter().all(|s| s.1.is_none()) {
            return self.cumulative_atp(t);
        }
        if !self.feasible(t, 0) {
            return 0;
        }
        let mut hi: i128 = self.supplies.iter().filter(|s| s.0 <= t && s.1.is_none_or(|u| u > t)).map(|s| s.2).sum();
        let mut lo: i128 = 0;
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2;
            if self.feasible(t, mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }
}

impl Flow {
    /// Without perishable supply the matching reduces to the cumulative
    /// formula: `max(0, min over τ ≥ t of P(τ))`, where `P` nets all supply
    /// and demand up to τ. One pass instead of a search.
    fn cumulative_atp(&self, t: Date) -> i128 {
        let mut events: SmallVec<[(Date, i128); 8]> = SmallVec::with_capacity(self.supplies.len() + self.demands.len());
        events.extend(self.supplies.iter().map(|s| (s.0, s.2)));
        events.extend(self.demands.iter().map(|d| (d.0, -d.1)));
        events.sort_unstable();
        // P(t) first, then the projection after each later date.
        let split = events.partition_point(|e| e.0 <= t);
        let mut p: i128 = events[..split].iter().map(|e| e.1).sum();
        let mut min = p;
        for (k, e) in events[split..].iter().enumerate() {
            p += e.1;
            // Net a date's supply and demand before comparing.
            if events.get(split + k + 1).is_none_or(|n| n.0 != e.0) {
                min = min.min(p);
            }
        }
        min.max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::below;

    #[test]
    fn the_cumulative_shortcut_agrees_with_the_search() {
        // Pseudo-random flows without perishable supply: both paths agree.
        let mut next = below(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let mut f = Flow::default();
            for _ in 0..next(6) {
                f.supply(Date(next(10) as i32), None, next(12) as i128 - 2);
            }
            for _ in 0..next(5) {
                f.demand(Date(next(10) as i32), next(8) as i128);
            }
            f.prepare();
            for t in 0..12 {
                let fast = f.cumulative_atp(Date(t));
                let slow = if f.feasible(Date(t), 0) {
                    let mut lo = 0;
                    while f.feasible(Date(t), lo + 1) {
                        lo += 1;
                    }
                    lo
                } else {
                    0
                };
                assert_eq!(fast, slow, "t={t} flow={f:?}");
                assert_eq!(f.atp(Date(t)), slow, "t={t} flow={f:?}");
            }
        }
    }

    #[test]
    fn the_one_date_sum_answers_as_the_model_or_gives_up() {
        // The same terms to the model and to `AtpOn`: where the sum
        // answers, it is the model's answer; it gives up exactly on
        // perishable supply and on demand after the date asked.
        let mut next = below(0x6a09_e667_f3bc_c908);
        let (mut answered, mut gave_up) = (0, 0);
        for _ in 0..400 {
            let mut terms: Vec<(bool, Date, Option<Date>, i128)> = Vec::new();
            for _ in 0..next(6) {
                let from = Date(next(10) as i32);
                let until = (next(4) == 0).then(|| Date(next(12) as i32));
                terms.push((true, from, until, next(12) as i128 - 3));
            }
            for _ in 0..next(3) {
                terms.push((false, Date(next(10) as i32), None, next(8) as i128));
            }
            let mut f = Flow::default();
            for &(supply, d, until, q) in &terms {
                if supply {
                    f.supply(d, until, q);
                } else {
                    f.demand(d, q);
                }
            }
            f.prepare();
            for t in 0..12 {
                let mut on = AtpOn::new(Date(t));
                for &(supply, d, until, q) in &terms {
                    if supply {
                        Terms::supply(&mut on, d, until, q);
                    } else {
                        Terms::demand(&mut on, d, q);
                    }
                }
                let must_give_up = terms.iter().any(|&(supply, d, until, q)| {
                    (supply && q > 0 && until.is_some_and(|u| u > d)) || (d.0 > t && if supply { q < 0 } else { q > 0 })
                });
                match on.answer() {
                    Some(q) => {
                        answered += 1;
                        assert!(!must_give_up, "t={t} terms={terms:?}");
                        assert_eq!(q, f.atp(Date(t)), "t={t} terms={terms:?}");
                    }
                    None => {
                        gave_up += 1;
                        assert!(must_give_up, "t={t} terms={terms:?}");
                    }
                }
            }
        }
        assert!(answered > 1000 && gave_up > 500, "answered {answered}, gave up {gave_up}");
    }

    #[test]
    fn pooled_supply_answers_as_the_separate_entries_would() {
        // `supply` pools entries usable over the same dates; the search
        // must answer the same as with every entry kept apart, perishable
        // or not, with and without demand.
        let mut next = below(0x2545_f491_4f6c_dd1d);
        let mut pooled_some = false;
        for _ in 0..400 {
            let (mut pooled, mut apart) = (Flow::default(), Flow::default());
            for _ in 0..1 + next(6) {
                let from = Date(next(3) as i32);
                let until = match next(3) {
                    0 => None,
                    k => Some(Date(from.0 + k as i32 + next(4) as i32)),
                };
                let q = 1 + next(9) as i128;
                let before = pooled.supplies.len();
                pooled.supply(from, until, q);
                pooled_some |= pooled.supplies.len() == before;
                apart.supplies.push((from, until, q));
            }
            for _ in 0..next(4) {
                let (d, q) = (Date(next(8) as i32), 1 + next(8) as i128);
                pooled.demand(d, q);
                apart.demand(d, q);
            }
            pooled.prepare();
            apart.prepare();
            for t in 0..10 {
                assert_eq!(pooled.atp(Date(t)), apart.atp(Date(t)), "t={t} apart={apart:?}");
            }
        }
        assert!(pooled_some, "the generator never pooled two entries");
    }

    #[test]
    fn perishable_stock_is_promisable_until_it_leaves() {
        let mut f = Flow::default();
        f.supply(Date(0), Some(Date(4)), 3);
        f.prepare();
        assert_eq!(f.atp(Date(0)), 3);
        assert_eq!(f.atp(Date(3)), 3);
        assert_eq!(f.atp(Date(4)), 0);
    }

    #[test]
    fn later_demand_is_protected_and_takes_the_soonest_leaving_lot() {
        let mut f = Flow::default();
        f.supply(Date(0), Some(Date(5)), 4); // leaves day 5
        f.supply(Date(0), None, 6);
        f.demand(Date(3), 4); // served from the perishable lot
        f.prepare();
        assert_eq!(f.atp(Date(0)), 6);
        assert_eq!(f.atp(Date(6)), 6);
        f.demand(Date(8), 5);
        f.prepare();
        assert_eq!(f.atp(Date(0)), 1);
    }

    #[test]
    fn an_infeasible_plan_promises_nothing_and_receipts_count_from_their_date() {
        let mut f = Flow::default();
        f.supply(Date(0), None, 2);
        f.supply(Date(0), None, -5);
        f.supply(Date(10), None, 10);
        f.prepare();
        assert_eq!(f.atp(Date(0)), 0);
        // The shortfall is a backlog that the receipt on day 10 clears first.
        assert_eq!(f.atp(Date(10)), 7);
        let mut g = Flow::default();
        g.supply(Date(0), None, 2);
        g.supply(Date(10), None, 10);
        g.demand(Date(12), 4);
        g.prepare();
        assert_eq!(g.atp(Date(0)), 2);
        assert_eq!(g.atp(Date(10)), 8);
    }
}
