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

use crate::catalog::{Catalog, Location, LocationKind};
use crate::event::MoveReason;
use crate::ids::LocId;
use crate::ledger::{MoveLog, MoveRec};
use crate::qty::Minor;
use crate::time::{Date, Millis};

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

/// What the days read of a location: whether it is a customer location,
/// whether it is internal, and its site's UTC offset in minutes.
pub(crate) type LocKey = (bool, bool, i32);

fn location_key(l: &Location) -> LocKey {
    (l.kind == LocationKind::Customer, l.is_internal(), l.utc_offset_min())
}

/// Every location's key, with only the locations `counted` allows taken
/// as internal (the days count all; a pass over part of the warehouse,
/// its scope). When any location's key changes, every item's days are
/// recomputed.
pub(crate) fn location_keys(cat: &Catalog, counted: impl Fn(LocId) -> bool) -> Vec<LocKey> {
    let key = |(ix, l): (usize, &Location)| {
        let (customer, internal, offset) = location_key(l);
        (customer, internal && counted(LocId(ix as u32)), offset)
    };
    cat.locs.iter().enumerate().map(key).collect()
}

/// The sum a move counts in and the offset of the site whose day it counts
/// on, or `None` when it is neither a shipment nor a return (or was
/// reversed, or reverses another).
#[inline]
pub(crate) fn classify(m: &MoveRec, from: LocKey, to: LocKey) -> Option<(Flow, i32)> {
    if m.reversed || m.reason == MoveReason::Reversal {
        None
    } else if to.0 && from.1 {
        Some((Flow::Shipped, from.2))
    } else if from.0 && to.1 {
        Some((Flow::Returned, to.2))
    } else {
        None
    }
}

/// The day and the sum a move counts in (see [`classify`]).
#[inline]
pub(crate) fn effect(cat: &Catalog, m: &MoveRec) -> Option<(Date, Flow)> {
    let (flow, offset) = classify(m, location_key(cat.loc(m.from)), location_key(cat.loc(m.to)))?;
    Some((Date::at(m.occurred_at, offset), flow))
}

/// The last day computed, with the instants it covers and its period: a
/// log in time order falls on the same day move after move, so two
/// comparisons replace the divisions of [`Date::at`] (and of the caller's
/// period index) for nearly every move.
#[derive(Default)]
pub(crate) struct DayCache {
    /// (UTC offset in minutes, first and past-last instant, the day, its
    /// period), once a day was computed.
    last: Option<(i32, Millis, Millis, Date, Option<usize>)>,
}

impl DayCache {
    /// The day at `at` at a site `offset` minutes from UTC, and its period
    /// by `index`.
    #[inline]
    pub(crate) fn get(
        &mut self,
        at: Millis,
        offset: i32,
        index: impl Fn(Date) -> Option<usize>,
    ) -> (Date, Option<usize>) {
        match self.last {
            Some((o, lo, hi, d, i)) if o == offset && lo <= at && at < hi => (d, i),
            _ => {
                let d = Date::at(at, offset);
                let i = index(d);
                let (lo, hi) = (d.start_ms(offset), d.plus(1).start_ms(offset));
                // A date at the end of the range saturated: not cached.
                self.last = (lo <= at && at < hi).then_some((offset, lo, hi, d, i));
                (d, i)
            }
        }
    }
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
    // A restore recounts every move: each location's key in a few bytes,
    // and the day from the cache.
    let keys = location_keys(cat, |_| true);
    let mut cache = DayCache::default();
    for slice in moves.slices() {
        for m in slice {
            let Some((flow, offset)) = classify(m, keys[m.from.ix()], keys[m.to.ix()]) else { continue };
            if let Some(days) = all.get_mut(m.item.ix()) {
                let (day, _) = cache.get(m.occurred_at, offset, |_| None);
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
    use super::{add, between, DayCache, DayDemand, Flow};
    use crate::ops::demand::Bucket;
    use crate::time::{Date, DAY_MS};

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

    /// The cached day and period are always those computed afresh: at the
    /// edges of days in several offsets, in and out of order, and at
    /// instants whose date saturates.
    #[test]
    fn the_day_cache_answers_as_date_at() {
        let start = Date(20_000);
        let index = |d: Date| {
            let i = Bucket::Week.index(start, d);
            (0..10).contains(&i).then_some(i as usize)
        };
        let mut cache = DayCache::default();
        let mut at: Vec<i64> = vec![i64::MIN, i64::MAX, i64::MAX - 1, i64::MIN + 1];
        for day in [19_990i64, 20_000, 20_001, 20_069, 20_070] {
            for off in [-DAY_MS, -3_600_000, -1, 0, 1, 3_600_000, DAY_MS - 1] {
                at.push(day * DAY_MS + off);
            }
        }
        let sorted = {
            let mut s = at.clone();
            s.sort();
            s
        };
        for offset in [0, 60, -300, 840] {
            for t in sorted.iter().chain(at.iter()).chain(sorted.iter().rev()) {
                for offset in [offset, offset, 60] {
                    let d = Date::at(*t, offset);
                    assert_eq!(cache.get(*t, offset, index), (d, index(d)), "{t} at {offset}");
                }
            }
        }
    }
}
