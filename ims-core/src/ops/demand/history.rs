//! Demand history: per item and period, what was shipped to customers,
//! what customers sent back, and what was asked for and lost.
//!
//! * **Shipped** — moves from an internal location in scope into a
//!   customer location (till sales, reservation commits, order dispatches),
//!   dated by their `occurred_at` at the source's site. A move that was
//!   later reversed, and the reversal itself, are left out: together they
//!   are no demand at all.
//! * **Returned** — moves from a customer location into an internal
//!   location in scope (customer returns), in a column of their own. They
//!   are *not* netted against shipped: a return says something about the
//!   product, not about how much was wanted, and a forecast on demand wants
//!   the gross figure. A caller who wants net sales subtracts.
//! * **Lost** — `record_lost_demand` records at a location in scope.
//!
//! Periods are days, ISO weeks (Monday to Sunday) or calendar months; the
//! first period is the one holding the `from` date (so a weekly table
//! starts on the Monday on or before `from`). Periods without demand are
//! zero. [`demand_table`] answers for every item at once. Over every
//! internal location (the usual scope) it reads the items' demand days,
//! kept as moves are posted (`crate::demand_days`): a plan over 100k items
//! × 104 weeks costs the items' days in the range. Over part of the
//! warehouse it passes over the move log once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::{Code, ItemId};
use crate::ledger::MoveRec;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Date;

use super::scope::{ScopeFilter, ScopeSet};
use crate::demand_days::{classify, location_keys, DayCache, Flow};

/// Most periods one history or table may span (about ten years of days).
pub const MAX_PERIODS: u32 = 3_700;

/// The length of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// One calendar day.
    Day,
    /// One ISO week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
}

/// 1970-01-01 was a Thursday: days since the epoch plus 3, modulo 7, is
/// the ISO weekday counted from Monday = 0.
fn weekday_from_monday(d: Date) -> i64 {
    (d.0 as i64 + 3).rem_euclid(7)
}

fn month_number(d: Date) -> i64 {
    let (y, m, _) = d.ymd();
    y as i64 * 12 + m as i64 - 1
}

impl Bucket {
    /// The first day of the period holding `d`.
    pub fn align(self, d: Date) -> Date {
        match self {
            Bucket::Day => d,
            Bucket::Week => Date((d.0 as i64 - weekday_from_monday(d)).max(i32::MIN as i64) as i32),
            Bucket::Month => {
                let (y, m, _) = d.ymd();
                Date::from_ymd(y, m, 1).unwrap_or(d)
            }
        }
    }
    /// The index of the period holding `d`, counted from the period that
    /// begins at `start` (an aligned date); negative before it.
    pub fn index(self, start: Date, d: Date) -> i64 {
        match self {
            Bucket::Day => d.0 as i64 - start.0 as i64,
            Bucket::Week => (d.0 as i64 - start.0 as i64).div_euclid(7),
            Bucket::Month => month_number(d) - month_number(start),
        }
    }
    /// The first day of period `i` after the one beginning at `start`.
    pub fn nth_start(self, start: Date, i: u32) -> Date {
        match self {
            Bucket::Day => start.plus(i as i32),
            Bucket::Week => start.plus((i as i32).saturating_mul(7)),
            Bucket::Month => {
                let n = month_number(start) + i as i64;
                let (y, m) = (n.div_euclid(12), n.rem_euclid(12) + 1);
                i32::try_from(y).ok().and_then(|y| Date::from_ymd(y, m as u32, 1)).unwrap_or(Date(i32::MAX))
            }
        }
    }
    /// How many periods from the one holding `from` to the one holding `to`
    /// (both included); refused when `to` is before `from` or the span is
    /// longer than [`MAX_PERIODS`].
    pub fn periods_between(self, from: Date, to: Date) -> Result<u32, Error> {
        if to < from {
            return Err(Error::InvalidPeriod { from: from.to_string(), to: to.to_string() });
        }
        let n = self.index(self.align(from), to) + 1;
        if n > MAX_PERIODS as i64 {
            return Err(Error::LimitExceeded { what: "periods", max: MAX_PERIODS as u64 });
        }
        Ok(n as u32)
    }
}

/// Sentinel: the item has no row in a column.
const NO_ROW: u32 = u32::MAX;

/// One column of a [`DemandTable`]: a row of `periods` sums per item that
/// has any, allocated on first use.
#[derive(Clone, Debug, Default)]
struct Column {
    rows: Vec<u32>,
    data: Vec<Minor>,
}

impl Column {
    fn new(items: usize) -> Column {
        Column { rows: vec![NO_ROW; items], data: Vec::new() }
    }
    fn add(&mut self, item: ItemId, period: usize, periods: usize, qty: Minor) {
        let Some(r) = self.rows.get_mut(item.ix()) else { return };
        if *r == NO_ROW {
            *r = (self.data.len() / periods) as u32;
            self.data.resize(self.data.len() + periods, 0);
        }
        let cell = &mut self.data[*r as usize * periods + period];
        // A sum past 9.2e18 minor units is not a real demand: saturate
        // rather than wrap.
        *cell = cell.saturating_add(qty);
    }
    fn get<'a>(&'a self, item: ItemId, periods: usize, zeros: &'a [Minor]) -> Option<&'a [Minor]> {
        match *self.rows.get(item.ix())? {
            NO_ROW => Some(zeros),
            r => self.data.get(r as usize * periods..(r as usize + 1) * periods),
        }
    }
    fn has(&self, item: ItemId) -> bool {
        self.rows.get(item.ix()).is_some_and(|r| *r != NO_ROW)
    }
}

/// The shipments of the period the log is in, by item, on their way to
/// the table. A log is mostly in time order, so nearly every shipment adds
/// to the latest period; a dense array of that one period (8 bytes an
/// item) stays in cache, where the table's cells (one cache line per item
/// and period) were evicted by the move records streaming past — a miss on
/// about every shipment of a 10M-move log. Moved into the table when the
/// log reaches a later period, and at the end; an earlier period's
/// shipment (back-dated) goes straight to the table. Quantities are
/// positive, so the saturating sums are the same in any grouping.
struct Current {
    period: usize,
    qty: Vec<Minor>,
    touched: Vec<u32>,
}

impl Current {
    fn new(items: usize) -> Current {
        Current { period: 0, qty: vec![0; items], touched: Vec::new() }
    }
    #[inline(always)]
    fn add(&mut self, col: &mut Column, item: ItemId, period: usize, periods: usize, qty: Minor) {
        if period != self.period {
            return self.other_period(col, item, period, periods, qty);
        }
        let Some(c) = self.qty.get_mut(item.ix()) else { return };
        if *c == 0 {
            self.touched.push(item.0);
        }
        *c = c.saturating_add(qty);
    }
    /// A shipment of another period than the current one: rare in a log
    /// in time order, so kept out of the pass's loop.
    #[cold]
    #[inline(never)]
    fn other_period(&mut self, col: &mut Column, item: ItemId, period: usize, periods: usize, qty: Minor) {
        if period < self.period {
            return col.add(item, period, periods, qty);
        }
        self.flush(col, periods);
        self.period = period;
        self.add(col, item, period, periods, qty);
    }
    fn flush(&mut self, col: &mut Column, periods: usize) {
        for &i in &self.touched {
            let q = std::mem::take(&mut self.qty[i as usize]);
            col.add(ItemId(i), self.period, periods, q);
        }
        self.touched.clear();
    }
}

/// Demand per item and period for one scope, in minor units of each item:
/// the planning engine's input. Built by [`demand_table`].
#[derive(Clone, Debug)]
pub struct DemandTable {
    bucket: Bucket,
    start: Date,
    periods: u32,
    shipped: Column,
    returned: Column,
    lost: Column,
    zeros: Vec<Minor>,
}

impl DemandTable {
    fn empty(items: usize, bucket: Bucket, from: Date, periods: u32) -> DemandTable {
        DemandTable {
            bucket,
            start: bucket.align(from),
            periods,
            shipped: Column::new(items),
            returned: Column::new(items),
            lost: Column::new(items),
            zeros: vec![0; periods as usize],
        }
    }
    /// The period length.
    pub fn bucket(&self) -> Bucket {
        self.bucket
    }
    /// The first day of the first period.
    pub fn start(&self) -> Date {
        self.start
    }
    /// Number of periods.
    pub fn periods(&self) -> u32 {
        self.periods
    }
    /// The first day of period `i`.
    pub fn period_start(&self, i: u32) -> Date {
        self.bucket.nth_start(self.start, i)
    }
    /// Shipped per period (zeros when the item shipped nothing; `None` for
    /// an id the state does not have).
    pub fn shipped(&self, item: ItemId) -> Option<&[Minor]> {
        self.shipped.get(item, self.periods as usize, &self.zeros)
    }
    /// Customer returns per period (not netted against shipped).
    pub fn returned(&self, item: ItemId) -> Option<&[Minor]> {
        self.returned.get(item, self.periods as usize, &self.zeros)
    }
    /// Recorded lost demand per period.
    pub fn lost(&self, item: ItemId) -> Option<&[Minor]> {
        self.lost.get(item, self.periods as usize, &self.zeros)
    }
    /// The items with any shipped, returned or lost quantity, by id.
    pub fn items(&self) -> impl Iterator<Item = ItemId> + '_ {
        (0..self.shipped.rows.len() as u32)
            .map(ItemId)
            .filter(|i| self.shipped.has(*i) || self.returned.has(*i) || self.lost.has(*i))
    }
}

/// Builds the demand table of every item for `scope`, `periods` periods of
/// `bucket` from the one holding `from`: from the items' demand days, or
/// one pass over the move log when the scope is part of the warehouse; one
/// pass over the lost-demand records.
pub fn demand_table(
    st: &State,
    scope: &ScopeFilter,
    bucket: Bucket,
    from: Date,
    periods: u32,
) -> Result<DemandTable, Error> {
    if periods > MAX_PERIODS {
        return Err(Error::LimitExceeded { what: "periods", max: MAX_PERIODS as u64 });
    }
    let set = scope.resolve(st)?;
    Ok(fold(st, &set, bucket, from, periods, None))
}

/// The fold behind [`demand_table`], optionally for one item only.
pub(crate) fn fold(
    st: &State,
    scope: &ScopeSet,
    bucket: Bucket,
    from: Date,
    periods: u32,
    only: Option<ItemId>,
) -> DemandTable {
    if periods == 0 {
        return DemandTable::empty(st.cat.item_count(), bucket, from, 0);
    }
    match from_days(st, scope, bucket, from, periods, only) {
        Some(t) => t,
        None => fold_with(st, scope, bucket, from, periods, only, |_, _, _| {}),
    }
}

/// The table [`fold_with`] would build, read from the items' demand days
/// (`crate::demand_days`) instead of a pass over the log: the days are the
/// same moves' sums over every internal location, so this answers when the
/// scope covers all of them and no day's sum overflowed (`None`
/// otherwise). The work is the items' days in the range, not the log.
pub(crate) fn from_days(
    st: &State,
    scope: &ScopeSet,
    bucket: Bucket,
    from: Date,
    periods: u32,
    only: Option<ItemId>,
) -> Option<DemandTable> {
    if st.days_overflowed || !scope.covers_internal(st) {
        return None;
    }
    let mut t = DemandTable::empty(st.cat.item_count(), bucket, from, periods);
    let (start, p) = (t.start, periods as usize);
    let items = match only {
        Some(o) => o.ix()..(o.ix() + 1).min(st.stock.len()),
        None => 0..st.stock.len(),
    };
    for ix in items {
        let days = &st.stock[ix].days;
        // By the period index, not the date: `start` may be later than
        // the first day of its period where that day is past the range of
        // dates (`Bucket::align`).
        for d in &days[days.partition_point(|d| bucket.index(start, d.day) < 0)..] {
            let i = bucket.index(start, d.day);
            if i >= p as i64 {
                break;
            }
            // A day without shipments had none (a move's quantity is
            // positive), and the pass would have made no row for it.
            if d.shipped != 0 {
                t.shipped.add(ItemId(ix as u32), i as usize, p, d.shipped);
            }
            if d.returned != 0 {
                t.returned.add(ItemId(ix as u32), i as usize, p, d.returned);
            }
        }
    }
    add_lost(st, scope, &mut t, only);
    Some(t)
}

/// [`fold`], also showing `each` every move of the log with its index, in
/// log order, whatever the scope and item filter, and the day it shipped on
/// when it is a shipment the table counts (in any period): a caller that
/// needs its own pass over the log (the classes' value shipped) shares
/// this one — on a long log the pass is bound by reading the move records.
pub(crate) fn fold_with(
    st: &State,
    scope: &ScopeSet,
    bucket: Bucket,
    from: Date,
    periods: u32,
    only: Option<ItemId>,
    mut each: impl FnMut(usize, &MoveRec, Option<Date>),
) -> DemandTable {
    let mut t = DemandTable::empty(st.cat.item_count(), bucket, from, periods);
    let (start, p) = (t.start, periods as usize);
    let index = |d: Date| -> Option<usize> {
        let i = bucket.index(start, d);
        (0..p as i64).contains(&i).then_some(i as usize)
    };
    let mut days = DayCache::default();
    let mut current = only.is_none().then(|| Current::new(st.cat.item_count()));
    // What the pass asks of a move's two locations, a few bytes each; the
    // rule that makes a move a shipment or a return is the demand days'
    // own, with the scope's locations counted as internal.
    let sides = location_keys(&st.cat, |l| scope.has(l));
    let mut ix = 0;
    for slice in st.moves.slices() {
        for m in slice {
            let mut shipped_on = None;
            let counted = only.is_none_or(|o| o == m.item);
            match classify(m, sides[m.from.ix()], sides[m.to.ix()]).filter(|_| counted) {
                Some((Flow::Shipped, offset)) => {
                    let (d, i) = days.get(m.occurred_at, offset, index);
                    shipped_on = Some(d);
                    if let Some(i) = i {
                        match &mut current {
                            Some(c) => c.add(&mut t.shipped, m.item, i, p, m.qty),
                            None => t.shipped.add(m.item, i, p, m.qty),
                        }
                    }
                }
                Some((Flow::Returned, offset)) => {
                    if let Some(i) = index(Date::at(m.occurred_at, offset)) {
                        t.returned.add(m.item, i, p, m.qty);
                    }
                }
                None => {}
            }
            each(ix, m, shipped_on);
            ix += 1;
        }
    }
    if let Some(c) = &mut current {
        c.flush(&mut t.shipped, p);
    }
    add_lost(st, scope, &mut t, only);
    t
}

/// Adds the recorded lost demand at the scope's locations to the table.
fn add_lost(st: &State, scope: &ScopeSet, t: &mut DemandTable, only: Option<ItemId>) {
    let (bucket, start, p) = (t.bucket, t.start, t.periods as usize);
    let slot = |loc: crate::ids::LocId, at: i64| {
        let i = bucket.index(start, Date::at(at, st.cat.loc(loc).utc_offset_min()));
        (0..p as i64).contains(&i).then_some(i as usize)
    };
    for (_, r) in st.ops.demand.lost.iter() {
        let (Some(item), Some(loc)) = (st.cat.item_id(&r.item), st.cat.loc_id(&r.location)) else { continue };
        if only.is_some_and(|o| o != item) || !scope.has(loc) {
            continue;
        }
        if let Some(i) = slot(loc, r.occurred_at) {
            t.lost.add(item, i, p, r.qty);
        }
    }
}

/// One period of an item's demand history, in the item's base unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemandPeriod {
    /// First day of the period.
    pub start: Date,
    /// Shipped to customers.
    pub shipped: Decimal,
    /// Returned by customers (not netted).
    pub returned: Decimal,
    /// Recorded as lost.
    pub lost: Decimal,
}

/// An item's demand history over a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemandHistory {
    /// The item.
    pub item: Code,
    /// The period length.
    pub bucket: Bucket,
    /// Every period from the one holding `from` to the one holding `to`.
    pub periods: Vec<DemandPeriod>,
}

/// One item's history from `from` to `to` (both included).
pub(crate) fn history(
    st: &State,
    item: &str,
    scope: &ScopeFilter,
    bucket: Bucket,
    from: Date,
    to: Date,
) -> Result<DemandHistory, Error> {
    let id = st.find_item(item)?;
    let n = bucket.periods_between(from, to)?;
    let set = scope.resolve(st)?;
    let t = fold(st, &set, bucket, from, n, Some(id));
    let col = |c: Option<&[Minor]>, i: usize| st.dec(id, c.and_then(|c| c.get(i)).copied().unwrap_or(0) as i128);
    let periods = (0..n)
        .map(|i| DemandPeriod {
            start: t.period_start(i),
            shipped: col(t.shipped(id), i as usize),
            returned: col(t.returned(id), i as usize),
            lost: col(t.lost(id), i as usize),
        })
        .collect();
    Ok(DemandHistory { item: st.cat.item(id).code.clone(), bucket, periods })
}

impl crate::engine::Engine {
    /// An item's shipped, returned and lost demand per period over a scope,
    /// from the period holding `from` to the one holding `to`.
    pub fn demand_history(
        &self,
        item: &str,
        scope: &ScopeFilter,
        bucket: Bucket,
        from: Date,
        to: Date,
    ) -> Result<DemandHistory, Error> {
        history(&self.st, item, scope, bucket, from, to)
    }
    /// Every item's demand per period over a scope: see [`demand_table`].
    pub fn demand_table(
        &self,
        scope: &ScopeFilter,
        bucket: Bucket,
        from: Date,
        periods: u32,
    ) -> Result<DemandTable, Error> {
        demand_table(&self.st, scope, bucket, from, periods)
    }
}

#[cfg(test)]
mod tests {
    use super::{Bucket, Column, Current};
    use crate::ids::ItemId;
    use crate::time::Date;

    /// Shipments gathered period by period end in the same cells as when
    /// added to the table one by one: periods advancing, back-dated ones
    /// in between, the same item over and over, and a flush at the end.
    #[test]
    fn the_current_period_gathers_what_the_table_would_hold() {
        let (items, periods) = (7usize, 9usize);
        let (mut direct, mut gathered) = (Column::new(items), Column::new(items));
        let mut current = Current::new(items);
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
        let mut period = 0usize;
        for _ in 0..2_000 {
            if next(10) == 0 {
                period = (period + 1).min(periods - 1);
            }
            // One in five shipments is back-dated by up to three periods.
            let p = if next(5) == 0 { period.saturating_sub(next(4) as usize) } else { period };
            let (item, qty) = (ItemId(next(items as u64) as u32), next(20) as i64 + 1);
            direct.add(item, p, periods, qty);
            current.add(&mut gathered, item, p, periods, qty);
        }
        current.flush(&mut gathered, periods);
        let zeros = vec![0; periods];
        for i in 0..items as u32 {
            let (a, b) = (direct.get(ItemId(i), periods, &zeros), gathered.get(ItemId(i), periods, &zeros));
            assert_eq!(a, b, "item {i}");
        }
        assert!(period == periods - 1, "the periods advanced to the last");
    }

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-12-03 is a Thursday; its ISO week began Monday 2026-11-30.
        assert_eq!(Bucket::Week.align(ymd(2026, 12, 3)), ymd(2026, 11, 30));
        assert_eq!(Bucket::Week.align(ymd(2026, 11, 30)), ymd(2026, 11, 30));
        assert_eq!(Bucket::Week.align(ymd(2026, 12, 6)), ymd(2026, 11, 30), "Sunday ends the week");
        assert_eq!(Bucket::Week.align(Date(0)), Date(-3), "1970-01-01 was a Thursday");
        assert_eq!(Bucket::Month.align(ymd(2024, 2, 29)), ymd(2024, 2, 1));
        assert_eq!(Bucket::Month.index(ymd(2025, 11, 1), ymd(2026, 2, 28)), 3);
        assert_eq!(Bucket::Month.nth_start(ymd(2025, 11, 1), 3), ymd(2026, 2, 1));
        assert_eq!(Bucket::Week.index(ymd(2026, 11, 30), ymd(2026, 11, 29)), -1);
        assert_eq!(Bucket::Week.periods_between(ymd(2026, 12, 3), ymd(2026, 12, 7)).unwrap(), 2);
        assert_eq!(Bucket::Day.periods_between(ymd(2026, 12, 3), ymd(2026, 12, 3)).unwrap(), 1);
        assert_eq!(
            Bucket::Day.periods_between(ymd(2026, 12, 3), ymd(2026, 12, 2)).unwrap_err().name(),
            "INVALID_PERIOD"
        );
    }
}
