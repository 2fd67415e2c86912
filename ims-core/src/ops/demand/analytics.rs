//! Item analytics over a period and a scope: turnover, days of supply,
//! fill rate and stockout days.
//!
//! * **Turnover** = cost of goods shipped in the period (FIFO cost of the
//!   moves the demand history counts as shipped, from the valuation fold) ÷
//!   average inventory value (the mean of the scope's FIFO value at the end
//!   of each day of the period). The unit variant is shipped units ÷ the
//!   mean of the end-of-day on-hand units. FIFO, because FIFO values are
//!   exact per location; a WAC value per location shifts whenever the
//!   average moves.
//! * **Days of supply** = on hand in the scope now ÷ average daily demand
//!   (shipped in the period ÷ its days).
//! * **Fill rate** = shipped ÷ (shipped + recorded lost demand).
//! * **Stockout days** = days of the period that ended with zero or less
//!   on hand in the scope's *sellable* locations (the location flag; lot
//!   status and expiry are not looked at), by folding the ledger.
//!
//! A move counts on the day it occurred (its `occurred_at` at the site of
//! the location it changes), so a back-dated fact lands on its real day;
//! its *value* is the one the posting-order fold gave it. Ratios are
//! rounded half to even to [`RATIO_DP`] places; a ratio over zero is
//! absent (`null`).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::error::Error;
use crate::event::MoveReason;
use crate::ids::{Code, ItemId, LocId};
use crate::state::State;
use crate::time::Date;

use super::fold::Fold;
use super::history::{self, Bucket};
use super::scope::{ScopeFilter, ScopeSet};

/// Decimal places of the ratios (turnover, fill rate, days of supply).
pub const RATIO_DP: u32 = 6;

/// `a / b` rounded half to even to [`RATIO_DP`] places; `None` unless
/// `b` is positive.
pub(crate) fn ratio(a: Decimal, b: Decimal) -> Option<Decimal> {
    (b > Decimal::ZERO).then(|| a.checked_div(b)).flatten().map(round_ratio)
}

/// Whether a move is shipped demand (see the history module).
pub(crate) fn is_shipment(st: &State, m: &crate::ledger::MoveRec) -> bool {
    !m.reversed
        && m.reason != MoveReason::Reversal
        && st.cat.loc(m.to).kind == crate::catalog::LocationKind::Customer
        && st.cat.loc(m.from).is_internal()
}

/// The date a move changes `loc` on.
fn date_at(st: &State, loc: LocId, at: i64) -> Date {
    Date::at(at, st.cat.loc(loc).utc_offset_min())
}

/// An item's daily series over a period, from the valuation fold.
struct Daily {
    /// FIFO value, on hand, sellable on hand: net change per day of the
    /// period (index 0 also holds everything before it).
    value: Vec<Decimal>,
    units: Vec<i128>,
    sellable: Vec<i128>,
    /// FIFO cost of what shipped in the period.
    cogs: Decimal,
}

fn daily(st: &State, item: ItemId, set: &ScopeSet, from: Date, days: usize) -> Result<Daily, Error> {
    let mut d =
        Daily { value: vec![Decimal::ZERO; days], units: vec![0; days], sellable: vec![0; days], cogs: Decimal::ZERO };
    // Index of a date: before the period folds into day 0, after it is dropped.
    let slot = |day: Date| -> Option<usize> {
        let i = day.0 as i64 - from.0 as i64;
        (i < days as i64).then_some(i.max(0) as usize)
    };
    let mut err = None;
    Fold::run(st, Some(item), |m, v| {
        for (loc, sign, val) in [(m.from, -1i128, -v.fifo_out), (m.to, 1, v.fifo_in)] {
            if !set.has(loc) {
                continue;
            }
            let day = date_at(st, loc, m.occurred_at);
            let Some(i) = slot(day) else { continue };
            d.value[i] += val;
            d.units[i] += sign * m.qty as i128;
            if st.cat.loc(loc).sellable {
                d.sellable[i] += sign * m.qty as i128;
            }
            if sign < 0 && is_shipment(st, m) && day >= from {
                match d.cogs.checked_add(v.fifo_out) {
                    Some(c) => d.cogs = c,
                    None => err = Some(Error::QuantityOverflow),
                }
            }
        }
    })?;
    match err {
        Some(e) => Err(e),
        None => Ok(d),
    }
}

/// An item's analytics over a period and scope. Quantities in the base
/// unit, money in the item's cost currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemAnalytics {
    /// The item.
    pub item: Code,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Days in the period.
    pub days: u32,
    /// Shipped in the period.
    pub shipped: Decimal,
    /// Customer returns in the period (not netted).
    pub returned: Decimal,
    /// Recorded lost demand in the period.
    pub lost: Decimal,
    /// shipped ÷ (shipped + lost).
    pub fill_rate: Option<Decimal>,
    /// Days that ended with nothing sellable on hand in the scope.
    pub stockout_days: u32,
    /// FIFO cost of the goods shipped.
    pub cost_of_goods_shipped: Decimal,
    /// Mean end-of-day FIFO value.
    pub average_inventory_value: Decimal,
    /// cost of goods shipped ÷ average inventory value.
    pub turnover: Option<Decimal>,
    /// Mean end-of-day on hand.
    pub average_on_hand: Decimal,
    /// shipped ÷ average on hand.
    pub unit_turnover: Option<Decimal>,
    /// On hand in the scope now.
    pub on_hand: Decimal,
    /// shipped ÷ days.
    pub average_daily_demand: Decimal,
    /// on hand ÷ average daily demand.
    pub days_of_supply: Option<Decimal>,
}

/// A ratio as answers report it: rounded half to even to [`RATIO_DP`]
/// places, trailing zeros dropped.
pub(crate) fn round_ratio(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(RATIO_DP, RoundingStrategy::MidpointNearestEven).normalize()
}

/// See the module docs.
pub(crate) fn item_analytics(
    st: &State,
    item: &str,
    scope: &ScopeFilter,
    from: Date,
    to: Date,
) -> Result<ItemAnalytics, Error> {
    let id = st.find_item(item)?;
    let days = Bucket::Day.periods_between(from, to)?;
    let set = scope.resolve(st)?;
    let t = history::fold(st, &set, Bucket::Day, from, days, Some(id));
    let sum = |c: Option<&[i64]>| c.map_or(0i128, |c| c.iter().map(|q| *q as i128).sum());
    let (shipped, returned, lost) = (sum(t.shipped(id)), sum(t.returned(id)), sum(t.lost(id)));
    let d = daily(st, id, &set, from, days as usize)?;
    let (mut value, mut units, mut sellable) = (Decimal::ZERO, 0i128, 0i128);
    let (mut value_sum, mut units_sum, mut stockout_days) = (Decimal::ZERO, 0i128, 0u32);
    for i in 0..days as usize {
        value += d.value[i];
        units += d.units[i];
        sellable += d.sellable[i];
        value_sum = value_sum.checked_add(value).ok_or(Error::QuantityOverflow)?;
        units_sum += units;
        if sellable <= 0 {
            stockout_days += 1;
        }
    }
    let n = Decimal::from(days);
    let dec = |q: i128| st.dec(id, q);
    let on_hand: i128 = st.stock[id.ix()].buckets.iter().filter(|b| set.has(b.loc)).map(|b| b.on_hand as i128).sum();
    let avg_value = round_ratio(value_sum / n);
    let avg_units = round_ratio(dec(units_sum) / n);
    let daily_demand = round_ratio(dec(shipped) / n);
    Ok(ItemAnalytics {
        item: st.cat.item(id).code.clone(),
        from,
        to,
        days,
        shipped: dec(shipped),
        returned: dec(returned),
        lost: dec(lost),
        fill_rate: ratio(dec(shipped), dec(shipped + lost)),
        stockout_days,
        cost_of_goods_shipped: d.cogs.normalize(),
        average_inventory_value: avg_value,
        turnover: ratio(d.cogs, value_sum / n),
        average_on_hand: avg_units,
        unit_turnover: ratio(dec(shipped), dec(units_sum) / n),
        on_hand: dec(on_hand),
        average_daily_demand: daily_demand,
        days_of_supply: ratio(dec(on_hand), dec(shipped) / n),
    })
}

impl crate::engine::Engine {
    /// An item's turnover, days of supply, fill rate and stockout days over
    /// a period (both days included) and scope.
    pub fn item_analytics(
        &self,
        item: &str,
        scope: &ScopeFilter,
        from: Date,
        to: Date,
    ) -> Result<ItemAnalytics, Error> {
        item_analytics(&self.st, item, scope, from, to)
    }
}
