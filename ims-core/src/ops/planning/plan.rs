//! Buy plans: every policy's position projected day by day over a horizon,
//! the orders its rule fires, rounded to the supplier's minimum and
//! multiple, grouped into proposed purchase orders per (supplier,
//! receiving location, order day). Deterministic: policies are visited in
//! (item code, location code) order and proposals sorted by their key.
//!
//! Projection: the position on day d (d = 0 is the plan's day) is today's
//! position, plus what the plan itself ordered before d, minus the expected
//! demand of days 0..d: `units_up(demand_per_day · d)` in minor units — the
//! named rounding rule of DESIGN §8, applied to the cumulative figure so no
//! rounding drift builds up. A policy without `demand_per_day` is checked
//! on the plan's day only (no projection). Orders arrive after the
//! supplier's mean lead time, rounded up to whole days.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::rule::{Policy, Rule};
use crate::ids::{Code, ItemId, LocId};
use crate::ops::procurement::{line_rules, Supplier, Terms};
use crate::policy::numeric::{order_units, units_up};
use crate::state::State;
use crate::time::Date;

/// Longest horizon a plan projects, days.
pub const MAX_HORIZON_DAYS: u32 = 3660;

/// Why a plan line orders what it orders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    /// The policy's rule (`reorder_point`, `min_max`, `s_s`, `periodic`).
    pub rule: Code,
    /// Inventory position when the rule fired, after projected demand.
    pub position: Decimal,
    /// On hand, on order, backorders and reserved today.
    pub on_hand: Decimal,
    /// Open receipts today.
    pub on_order: Decimal,
    /// Open demand today.
    pub backorders: Decimal,
    /// Reserved today.
    pub reserved: Decimal,
    /// The level that fired the rule (r, min, s, or the order-up-to of a
    /// periodic review).
    pub trigger_level: Decimal,
    /// Expected demand per day the projection used.
    pub demand_per_day: Option<Decimal>,
    /// Expected demand from the plan's day to the order day.
    pub projected_demand: Decimal,
    /// What the rule asked for, before rounding.
    pub rule_qty: Decimal,
    /// Rounding applied: `min_order_qty`, `order_multiple`.
    pub rounded_by: Vec<Code>,
    /// Lead time used, days.
    pub lead_time_days: u32,
    /// The same in one sentence.
    pub text: String,
}

/// One proposed order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    /// Item.
    pub item: Code,
    /// Receiving location (the policy's).
    pub location: Code,
    /// Quantity, base unit.
    pub qty: Decimal,
    /// The day to place the order.
    pub order_date: Date,
    /// Expected arrival.
    pub expected: Date,
    /// The supplier's price per base unit, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    /// The explanation.
    pub why: Why,
}

/// A proposed purchase order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Id within its plan: `supplier/location/order date`.
    pub id: String,
    /// Supplier.
    pub supplier: Code,
    /// Receiving location.
    pub location: Code,
    /// The day to place it.
    pub order_date: Date,
    /// Lines, by item code.
    pub lines: Vec<PlanLine>,
    /// The purchase order that accepted it, once accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_po: Option<Code>,
}

/// A line no supplier could take, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The line as it would be ordered.
    pub line: PlanLine,
    /// Why it has no supplier.
    pub reason: String,
}

/// A buy plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The plan's day.
    pub on: Date,
    /// Days projected.
    pub horizon_days: u32,
    /// Proposed orders, by (supplier, location, order day).
    pub proposals: Vec<Proposal>,
    /// Lines without a supplier.
    pub unassigned: Vec<Unassigned>,
}

/// Every supplier's terms, by item code: built once per plan, so choosing
/// a supplier is a lookup, not a scan of all suppliers per item.
pub(crate) type TermsIndex<'a> = std::collections::HashMap<&'a str, Vec<(&'a Supplier, &'a Terms)>>;

pub(crate) fn terms_index(st: &State) -> TermsIndex<'_> {
    let mut ix: TermsIndex<'_> = std::collections::HashMap::new();
    for (_, s) in st.ops.procurement.suppliers.iter() {
        for (item, t) in &s.items {
            ix.entry(item.as_ref()).or_default().push((s, t));
        }
    }
    ix
}

/// The supplier a policy buys from, with its terms for the item.
pub(crate) fn supplier_for<'a>(
    st: &'a State,
    item: &str,
    policy: &Policy,
) -> Result<(&'a Supplier, &'a Terms), String> {
    choose(st, &terms_index(st), item, policy)
}

fn choose<'a>(
    st: &'a State,
    ix: &TermsIndex<'a>,
    item: &str,
    policy: &Policy,
) -> Result<(&'a Supplier, &'a Terms), String> {
    if let Some(code) = &policy.supplier {
        let s = st.ops.procurement.suppliers.get(code).ok_or_else(|| format!("supplier {code} is not defined"))?;
        let t = s.items.get(item).ok_or_else(|| format!("supplier {code} has no terms for {item}"))?;
        return Ok((s, t));
    }
    // Preferred first, then the lowest price, then the supplier code:
    // a total order, so the choice never depends on insertion order.
    let mut best: Option<(&Supplier, &Terms)> = None;
    for &(s, t) in ix.get(item).map(Vec::as_slice).unwrap_or_default() {
        let better = match best {
            None => true,
            Some((bs, bt)) => {
                (!t.preferred, t.unit_price, &s.spec.supplier) < (!bt.preferred, bt.unit_price, &bs.spec.supplier)
            }
        };
        if better {
            best = Some((s, t));
        }
    }
    best.ok_or_else(|| format!("no supplier has terms for {item}"))
}

/// Rounds a rule's quantity with the policy module's rule (at least the
/// minimum, then up to the multiple) and names what changed it.
fn round_order(qty: i128, min: Option<i128>, mult: Option<i128>) -> (i128, Vec<Code>) {
    let fit = |v: i128| i64::try_from(v.max(0)).unwrap_or(i64::MAX);
    let (q, moq) = (fit(qty), fit(min.unwrap_or(0)));
    let Ok(rounded) = order_units(q, moq, fit(mult.unwrap_or(1)).max(1)) else { return (qty, Vec::new()) };
    let mut by = Vec::new();
    if moq > q {
        by.push("min_order_qty".into());
    }
    if rounded > q.max(moq) {
        by.push("order_multiple".into());
    }
    (rounded as i128, by)
}

/// A decimal of base units as minor units of an item, rounded up.
fn minor_up(st: &State, item: ItemId, d: Decimal) -> i128 {
    let scale = st.cat.item(item).scale();
    let m = d * Decimal::from(10i64.pow(scale as u32));
    m.ceil().try_into().unwrap_or(i128::MAX)
}

/// Expected demand of `days` days at `per_day` base units, minor units.
fn expected_minor(per_day: f64, days: i64, pow: f64) -> i128 {
    units_up(per_day * days as f64 * pow) as i128
}

impl State {
    /// The buy plan of every policy, from `on` over `horizon_days`.
    pub(crate) fn plan(&self, on: Date, horizon_days: u32) -> Plan {
        let mut groups: BTreeMap<(Code, Code, Date), Vec<PlanLine>> = BTreeMap::new();
        let mut unassigned = Vec::new();
        let ix = terms_index(self);
        for (item_code, pols) in self.ops.planning.policies.iter() {
            let Some(item) = self.cat.item_id(item_code) else { continue };
            for (loc_code, policy) in &pols.locations {
                let Some(loc) = self.cat.loc_id(loc_code) else { continue };
                let sup = choose(self, &ix, item_code, policy);
                for line in self.policy_lines(item, loc, policy, sup.as_ref().ok().copied(), on, horizon_days) {
                    match &sup {
                        Ok((s, _)) => groups
                            .entry((s.spec.supplier.clone(), loc_code.clone(), line.order_date))
                            .or_default()
                            .push(line),
                        Err(reason) => unassigned.push(Unassigned { line, reason: reason.clone() }),
                    }
                }
            }
        }
        let proposals = groups
            .into_iter()
            .map(|((supplier, location, order_date), lines)| Proposal {
                id: format!("{supplier}/{location}/{order_date}"),
                supplier,
                location,
                order_date,
                lines,
                accepted_po: None,
            })
            .collect();
        Plan { on, horizon_days, proposals, unassigned }
    }

    /// The orders one policy fires over the horizon.
    fn policy_lines(
        &self,
        item: ItemId,
        loc: LocId,
        policy: &Policy,
        sup: Option<(&Supplier, &Terms)>,
        on: Date,
        horizon_days: u32,
    ) -> Vec<PlanLine> {
        let now = self.position(item, loc);
        let dec = |m: i128| self.dec(item, m);
        let (min, mult) = match sup {
            Some((s, _)) => line_rules(self, s, item),
            None => (None, None),
        };
        let (min, mult) = (min.map(|d| minor_up(self, item, d)), mult.map(|d| minor_up(self, item, d)));
        let lead = sup.map_or(0, |(s, _)| s.spec.lead_time_mean_days.ceil().try_into().unwrap_or(0u32));
        let rate: Option<f64> = policy.demand_per_day.and_then(|d| d.try_into().ok());
        // Powers of ten are exact in f64 up to 1e22: a loop, not powi.
        let pow = (0..self.cat.item(item).scale()).fold(1.0f64, |p, _| p * 10.0);
        let days = if rate.is_some() { horizon_days.max(1) } else { 1 };
        let mut ordered: i128 = 0;
        let mut lines = Vec::new();
        for d in 0..days as i64 {
            let day = on.plus(d as i32);
            let consumed = rate.map_or(0, |r| expected_minor(r, d, pow));
            let position = now.value() + ordered - consumed;
            let want = policy.rule.order_at(position, day);
            if want <= 0 {
                continue;
            }
            let (qty, rounded_by) = round_order(want, min, mult);
            ordered += qty;
            let up_to = match policy.rule {
                Rule::MinMax { max: l, .. } | Rule::SS { big_s: l, .. } | Rule::Periodic { order_up_to: l, .. } => {
                    format!(" to bring it up to {}", dec(l as i128))
                }
                Rule::ReorderPoint { order_qty, .. } => format!(" in lots of {}", dec(order_qty as i128)),
            };
            let text = format!(
                "{} on {}: position {} against trigger {}; the rule asks {}{}, ordered {} (arrives in {} days)",
                policy.rule.name(),
                day,
                dec(position),
                dec(policy.rule.trigger_level() as i128),
                dec(want),
                up_to,
                dec(qty),
                lead,
            );
            lines.push(PlanLine {
                item: self.cat.item(item).code.clone(),
                location: self.cat.loc(loc).code.clone(),
                qty: dec(qty),
                order_date: day,
                expected: day.plus(lead as i32),
                unit_price: sup.map(|(_, t)| t.unit_price),
                why: Why {
                    rule: policy.rule.name().into(),
                    position: dec(position),
                    on_hand: dec(now.on_hand),
                    on_order: dec(now.on_order),
                    backorders: dec(now.backorders),
                    reserved: dec(now.reserved),
                    trigger_level: dec(policy.rule.trigger_level() as i128),
                    demand_per_day: policy.demand_per_day,
                    projected_demand: dec(consumed),
                    rule_qty: dec(want),
                    rounded_by,
                    lead_time_days: lead,
                    text,
                },
            });
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_rounding_takes_the_minimum_then_the_multiple() {
        assert_eq!(round_order(7, Some(10), Some(4)), (12, vec![Code::from("min_order_qty"), "order_multiple".into()]));
        assert_eq!(round_order(13, Some(10), Some(4)), (16, vec![Code::from("order_multiple")]));
        assert_eq!(round_order(16, Some(10), Some(4)), (16, vec![]));
    }
}
