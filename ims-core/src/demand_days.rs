//! Derived: each item's shipped and returned quantity per local day, kept
//! as moves are posted, reversed and undone.
//!
//! The demand questions (history, the demand table behind planning, the
//! ABC/XYZ classes) read shipments and returns over a range of days. Over
//! every internal location they can read these sums instead of passing
//! over the whole move log: a year of a busy item is a few hundred days,
//! where the log holds every move of every item (a 10M-move ledger is a
//! 0.4 GB pass). Questions scoped to part of the warehouse still pass over
//! the log, as the sums do not say which location shipped.
//!
//! A move counts here as `history`'s pass counts it over every internal
//! location: a **shipment** is a move from an internal location into a
//! customer location, on its day at the source's site; a **return** one
//! from a customer location into an internal one, on its day at the
//! destination's site; a move later reversed, and the reversal itself, are
//! neither. The days depend on the locations' kinds and sites' offsets, so
//! redefining a location that changes either recomputes every item's days
//! from the log, as a restore does. `verify()` recomputes them too.
//!
//! A day's sum is an `i64` of minor units. One past that range is not a
//! real demand; rather than saturate (which the undo could not take back),
//! the state notes that its days overflowed and the questions pass over the
//! log until the days are next recomputed.

use crate::catalog::{Catalog, LocationKind};
use crate::event::MoveReason;
use crate::ledger::{MoveLog, MoveRec};
use crate::qty::Minor;
use crate::time::Date;

/// One day of an item's demand, in the item's minor units. An item's days
/// are sorted by day, and a day with neither is not kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DayDemand {
    /// The local day.
    pub day: Date,
    /// Shipped to customers.
    pub shipped: Minor,
    /// Returned by customers (not netted against shipped).
    pub returned: Minor,
}

/// Which sum a move adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Shipped,
    Returned,
}

/// The day and the sum a move counts in, or `None` when it is neither a
/// shipment nor a return (or was reversed, or reverses another).
#[inline]
pub(crate) fn effect(cat: &Catalog, m: &MoveRec) -> Option<(Date, Flow)> {
    if m.reversed || m.reason == MoveReason::Reversal {
        return None;
    }
    let (from, to) = (cat.loc(m.from), cat.loc(m.to));
    if to.kind == LocationKind::Customer && from.is_internal() {
        Some((Date::at(m.occurred_at, from.utc_offset_min()), Flow::Shipped))
    } else if from.kind == LocationKind::Customer && to.is_internal() {
        Some((Date::at(m.occurred_at, to.utc_offset_min()), Flow::Returned))
    } else {
        None
    }
}

/// What the days read of a location; when any location's changes, every
/// item's days are recomputed.
pub(crate) fn location_keys(cat: &Catalog) -> Vec<(bool, bool, i32)> {
    cat.locs.iter().map(|l| (l.kind == LocationKind::Customer, l.is_internal(), l.utc_offset_min())).collect()
}

/// Adds `qty` (negative to take a move away) to `flow` on `day`. A log is
/// mostly in time order, so the day is nearly always the last one or a new
/// last one; a back-dated move inserts. `false` when the sum would leave
/// `i64` (the days are then left as they were).
pub(crate) fn add(days: &mut Vec<DayDemand>, day: Date, flow: Flow, qty: Minor) -> bool {
    let i = match days.last() {
        Some(l) if l.day == day => days.len() - 1,
        Some(l) if l.day > day => match days.binary_search_by_key(&day, |d| d.day) {
            Ok(i) => i,
            Err(i) => {
                days.insert(i, DayDemand { day, shipped: 0, returned: 0 });
                i
            }
        },
        _ => {
            days.push(DayDemand { day, shipped: 0, returned: 0 });
            days.len() - 1
        }
    };
    let d = &mut days[i];
    let cell = match flow {
        Flow::Shipped => &mut d.shipped,
        Flow::Returned => &mut d.returned,
    };
    let ok = match cell.checked_add(qty) {
        Some(v) => {
            *cell = v;
            true
        }
        None => false,
    };
    if d.shipped == 0 && d.returned == 0 {
        days.remove(i);
    }
    ok
}

/// Every item's days recomputed from the log (`items` items), and whether
/// a sum overflowed.
pub(crate) fn of_log(cat: &Catalog, moves: &MoveLog, items: usize) -> (Vec<Vec<DayDemand>>, bool) {
    let mut all = vec![Vec::new(); items];
    let mut overflowed = false;
    for slice in moves.slices() {
        for m in slice {
            if let (Some((day, flow)), Some(days)) = (effect(cat, m), all.get_mut(m.item.ix())) {
                overflowed |= !add(days, day, flow, m.qty);
            }
        }
    }
    // Grown by doubling: a restored state need not keep the slack.
    for days in &mut all {
        days.shrink_to_fit();
    }
    (all, overflowed)
}

/// The days of `days` from `first` to `last` (both included).
#[inline]
pub(crate) fn between(days: &[DayDemand], first: Date, last: Date) -> &[DayDemand] {
    let lo = days.partition_point(|d| d.day < first);
    let hi = lo + days[lo..].partition_point(|d| d.day <= last);
    &days[lo..hi]
}

#[cfg(test)]
mod tests {
    use super::{add, between, DayDemand, Flow};
    use crate::time::Date;

    /// Adding and taking away in any order gives the sums of what is left,
    /// sorted, with no empty day kept.
    #[test]
    fn days_hold_the_sums_of_what_was_added_and_not_taken_away() {
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        let mut days = Vec::new();
        let mut added: Vec<(Date, Flow, i64)> = Vec::new();
        for step in 0..3_000 {
            if !added.is_empty() && next(3) == 0 {
                // Take away one earlier addition, as an undo or a reversal.
                let (d, f, q) = added.swap_remove(next(added.len() as u64) as usize);
                assert!(add(&mut days, d, f, -q));
            } else {
                // Mostly the latest day or the next, sometimes back-dated.
                let base = step / 40;
                let day = Date(if next(6) == 0 { base - next(20) as i32 } else { base });
                let flow = if next(4) == 0 { Flow::Returned } else { Flow::Shipped };
                let q = next(9) as i64 + 1;
                assert!(add(&mut days, day, flow, q));
                added.push((day, flow, q));
            }
            let mut want: std::collections::BTreeMap<Date, (i64, i64)> = Default::default();
            for (d, f, q) in &added {
                let e = want.entry(*d).or_default();
                match f {
                    Flow::Shipped => e.0 += q,
                    Flow::Returned => e.1 += q,
                }
            }
            let want: Vec<DayDemand> =
                want.into_iter().map(|(day, (shipped, returned))| DayDemand { day, shipped, returned }).collect();
            assert_eq!(days, want, "step {step}");
        }
    }

    #[test]
    fn an_overflowing_sum_is_refused_and_leaves_the_day() {
        let mut days = Vec::new();
        assert!(add(&mut days, Date(5), Flow::Shipped, i64::MAX));
        assert!(!add(&mut days, Date(5), Flow::Shipped, 1));
        assert_eq!(days, vec![DayDemand { day: Date(5), shipped: i64::MAX, returned: 0 }]);
    }

    #[test]
    fn between_takes_the_days_of_the_range_inclusive() {
        let days: Vec<DayDemand> =
            [2, 3, 5, 8, 9].iter().map(|d| DayDemand { day: Date(*d), shipped: 1, returned: 0 }).collect();
        let got = |a, b| between(&days, Date(a), Date(b)).iter().map(|d| d.day.0).collect::<Vec<_>>();
        assert_eq!(got(3, 8), vec![3, 5, 8]);
        assert_eq!(got(4, 7), vec![5]);
        assert_eq!(got(0, 1), Vec::<i32>::new());
        assert_eq!(got(9, 100), vec![9]);
        assert_eq!(got(6, 4), Vec::<i32>::new());
    }
}
