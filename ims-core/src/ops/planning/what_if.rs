//! What-if: several candidate policies for one item at one location,
//! simulated from the live stock (on hand less reserved, open demand, open
//! receipts at their expected days) against the same demand. The engine is
//! only read: a simulation never changes stock, so no fork is needed and
//! the live engine is untouched however many candidates run.
//!
//! Quantities cross in the item's base unit (decimals) and run in its
//! minor units; costs are per base unit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::supplier_for;
use super::rule::{Policy, Rule, RuleIn};
use crate::command::QtyIn;
use crate::error::Error;
use crate::ids::{ItemId, LocId};
use crate::qty::UnitFactor;
use crate::simulate::{compare, Demand, SimCosts, SimReport, SimRule, SimSetup};
use crate::state::State;
use crate::time::Date;

/// Demand for a what-if, base units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "demand", rename_all = "snake_case")]
pub enum WhatIfDemand {
    /// A given daily series (repeats when shorter than the run).
    Series {
        /// Demand per day.
        series: Vec<Decimal>,
    },
    /// Normal daily demand from a seed.
    Normal {
        /// Mean per day.
        mean: f64,
        /// Standard deviation per day.
        sd: f64,
        /// Seed.
        seed: u64,
    },
    /// Poisson daily demand from a seed.
    Poisson {
        /// Mean per day.
        mean: f64,
        /// Seed.
        seed: u64,
    },
}

/// `simulate_policies`: the question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The item.
    pub item: String,
    /// The location (its subtree's stock is the start).
    pub location: String,
    /// Candidate rules; the item's own policy is added first when it has one.
    pub candidates: Vec<RuleIn>,
    /// Demand.
    #[serde(flatten)]
    pub demand: WhatIfDemand,
    /// Days to simulate.
    pub days: u32,
    /// Lead time in days; the supplier's mean (rounded up) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_days: Option<u32>,
    /// Shortages are lost rather than backordered.
    #[serde(default)]
    pub lost_sales: bool,
    /// Costs per base unit (and per order).
    #[serde(default)]
    pub costs: SimCosts,
}

/// One candidate's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIfResult {
    /// The rule, levels in base units.
    pub rule: RuleIn,
    /// Whether this is the item's current policy.
    pub current: bool,
    /// Demand, base units.
    pub demand: Decimal,
    /// Served at once.
    pub served_at_once: Decimal,
    /// Lost.
    pub lost: Decimal,
    /// Ordered.
    pub ordered: Decimal,
    /// The simulation's report (quantities in minor units, costs as asked).
    pub report: SimReport,
}

fn sim_rule(rule: &Rule, today: Date) -> SimRule {
    match *rule {
        Rule::ReorderPoint { reorder_point, order_qty } => SimRule::ReorderPoint { reorder_point, order_qty },
        Rule::MinMax { min, max } => SimRule::MinMax { min, max },
        Rule::SS { s, big_s } => SimRule::SS { s, big_s },
        Rule::Periodic { review, order_up_to } => {
            let first = (0..review.every_days.max(1)).find(|&t| review.is_review_day(today.plus(t as i32)));
            SimRule::Periodic { review_periods: review.every_days, first_review: first.unwrap_or(0), order_up_to }
        }
    }
}

fn minor(st: &State, item: ItemId, v: Decimal) -> Result<i64, Error> {
    let it = st.cat.item(item);
    State::convert(it, v, UnitFactor::ONE, &QtyIn::base(v))
}

impl State {
    /// Runs the what-if from the live stock.
    pub(crate) fn what_if(&self, w: &WhatIf, item: ItemId, loc: LocId) -> Result<Vec<WhatIfResult>, Error> {
        let today = Date::at(self.now, 0);
        let code = &self.cat.item(item).code;
        let loc_code = &self.cat.loc(loc).code;
        let current: Option<&Policy> = self.ops.planning.policies.get(code).and_then(|p| p.locations.get(loc_code));
        let mut rules = Vec::new();
        if let Some(p) = current {
            rules.push(p.rule);
        }
        for c in &w.candidates {
            let invalid = |reason| Error::InvalidPolicy { item: w.item.clone(), location: w.location.clone(), reason };
            rules.push(c.resolve(|_, v| minor(self, item, v), invalid)?);
        }
        let pow = (0..self.cat.item(item).scale()).fold(1.0f64, |p, _| p * 10.0);
        let demand = match &w.demand {
            WhatIfDemand::Series { series } => {
                let series = series.iter().map(|&v| minor(self, item, v)).collect::<Result<Vec<_>, _>>()?;
                Demand::Series { series }
            }
            WhatIfDemand::Normal { mean, sd, seed } => Demand::Normal { mean: mean * pow, sd: sd * pow, seed: *seed },
            WhatIfDemand::Poisson { mean, seed } => Demand::Poisson { mean: mean * pow, seed: *seed },
        };
        let lead = match w.lead_time_days {
            Some(l) => l,
            None => current
                .and_then(|p| supplier_for(self, code, p).ok())
                .map_or(0, |(s, _)| s.spec.lead_time_mean_days.ceil().try_into().unwrap_or(0)),
        };
        let p = self.position(item, loc);
        let stock = &self.stock[item.ix()];
        let pipeline = stock
            .receipts
            .iter()
            .map(|&ix| &self.receipts[ix as usize])
            .filter(|r| r.open > 0 && self.cat.in_subtree(r.loc, loc))
            .map(|r| ((r.expected.0 - today.0).max(0) as u32, r.open))
            .collect();
        let c = w.costs;
        let setup = SimSetup {
            demand,
            periods: w.days,
            lead_time: lead,
            initial_on_hand: (p.on_hand - p.reserved).clamp(0, i64::MAX as i128) as i64,
            initial_backorders: p.backorders.clamp(0, i64::MAX as i128) as i64,
            pipeline,
            lost_sales: w.lost_sales,
            // Per minor unit inside.
            costs: SimCosts {
                holding: c.holding / pow,
                shortage: c.shortage / pow,
                fixed: c.fixed,
                unit: c.unit / pow,
            },
        };
        let sims: Vec<SimRule> = rules.iter().map(|r| sim_rule(r, today)).collect();
        let reports = compare(&sims, &setup)?;
        let dec = |m: i64| self.dec(item, m as i128);
        Ok(rules
            .iter()
            .zip(reports)
            .enumerate()
            .map(|(i, (r, rep))| WhatIfResult {
                rule: r.to_input(dec),
                current: current.is_some() && i == 0,
                demand: dec(rep.demand),
                served_at_once: dec(rep.served_at_once),
                lost: dec(rep.lost),
                ordered: dec(rep.ordered),
                report: rep,
            })
            .collect())
    }
}
