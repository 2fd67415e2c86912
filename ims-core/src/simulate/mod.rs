//! Policy simulation: run a replenishment policy against a demand series
//! over N periods with a lead time, and report service and cost; compare
//! several policies on the same demand in one call.
//!
//! The period, in order:
//! 1. orders due arrive; they fill backorders first;
//! 2. demand is served from on hand; what is short is backordered (or lost,
//!    with `lost_sales`);
//! 3. the policy reviews the inventory position (on hand + pipeline −
//!    backorders) — every period for continuous rules, on review periods
//!    for a periodic one — and an order placed now arrives at the start of
//!    period t + 1 + lead time (so a zero lead time serves the next period,
//!    and a base stock protects lead time + 1 periods, as in the newsvendor
//!    convention of the vectors);
//! 4. costs accrue on the period's end: holding on on hand, shortage on
//!    ending backorders (per unit per period) or on lost units (per unit).
//!
//! Cycle service level is the share of replenishment cycles (the periods
//! from one order's arrival to the next's) without a shortage; fill rate
//! is the share of demand served from stock in its own period.

mod demand;

pub use demand::{Demand, SplitMix64};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The policy simulated, in whole units and periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum SimRule {
    /// (r, Q): position ≤ r → order enough Qs to lift it above r.
    ReorderPoint {
        /// r.
        reorder_point: i64,
        /// Q.
        order_qty: i64,
    },
    /// Min/max: position < min → order up to max.
    MinMax {
        /// min.
        min: i64,
        /// max.
        max: i64,
    },
    /// (s, S): position ≤ s → order up to S.
    #[serde(rename = "s_s")]
    SS {
        /// s.
        s: i64,
        /// S.
        #[serde(rename = "S")]
        big_s: i64,
    },
    /// (R, S): every `review_periods` from `first_review`, order up to S.
    Periodic {
        /// Periods between reviews (≥ 1).
        review_periods: u32,
        /// The first review period (0 when absent).
        #[serde(default)]
        first_review: u32,
        /// S.
        order_up_to: i64,
    },
    /// Base stock: order up to S every period.
    BaseStock {
        /// S.
        base_stock: i64,
    },
}

impl SimRule {
    fn order(&self, position: i64, t: u32) -> i64 {
        match *self {
            SimRule::ReorderPoint { reorder_point: r, order_qty: q } if position <= r && q > 0 => {
                ((r - position) / q + 1) * q
            }
            SimRule::MinMax { min, max } if position < min => max - position,
            SimRule::SS { s, big_s } if position <= s => big_s - position,
            SimRule::Periodic { review_periods, first_review, order_up_to }
                if t >= first_review && (t - first_review) % review_periods.max(1) == 0 =>
            {
                (order_up_to - position).max(0)
            }
            SimRule::BaseStock { base_stock } => (base_stock - position).max(0),
            _ => 0,
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let bad = |param, value: i64, reason| Error::InvalidParameter {
            function: "simulate",
            param,
            value: value.to_string(),
            reason,
        };
        match *self {
            SimRule::ReorderPoint { order_qty, .. } if order_qty <= 0 => {
                Err(bad("order_qty", order_qty, "must be positive"))
            }
            SimRule::MinMax { min, max } if max < min => Err(bad("max", max, "must be at least min")),
            SimRule::SS { s, big_s } if big_s <= s => Err(bad("S", big_s, "must exceed s")),
            SimRule::Periodic { review_periods: 0, .. } => Err(bad("review_periods", 0, "must be at least 1")),
            _ => Ok(()),
        }
    }
}

/// Costs per period and per unit (the simulation's own currency).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SimCosts {
    /// Holding cost per unit on hand per period.
    #[serde(default)]
    pub holding: f64,
    /// Backorder cost per unit per period, or per lost unit.
    #[serde(default)]
    pub shortage: f64,
    /// Fixed cost per order.
    #[serde(default)]
    pub fixed: f64,
    /// Purchase cost per unit ordered.
    #[serde(default)]
    pub unit: f64,
}

/// A simulation's set-up, shared by every policy compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimSetup {
    /// Demand.
    #[serde(flatten)]
    pub demand: Demand,
    /// Periods to run (at most [`MAX_PERIODS`]).
    pub periods: u32,
    /// Lead time, periods.
    #[serde(default)]
    pub lead_time: u32,
    /// On hand at the start.
    #[serde(default)]
    pub initial_on_hand: i64,
    /// Backorders at the start.
    #[serde(default)]
    pub initial_backorders: i64,
    /// Orders already under way: (arrival period, units).
    #[serde(default)]
    pub pipeline: Vec<(u32, i64)>,
    /// Shortages are lost rather than backordered.
    #[serde(default)]
    pub lost_sales: bool,
    /// Costs.
    #[serde(default)]
    pub costs: SimCosts,
}

/// Longest simulation, periods.
pub const MAX_PERIODS: u32 = 1_000_000;

/// What a run gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimReport {
    /// The policy.
    pub rule: SimRule,
    /// Total demand.
    pub demand: i64,
    /// Served from stock in its own period.
    pub served_at_once: i64,
    /// Lost (lost-sales mode).
    pub lost: i64,
    /// served_at_once / demand (1 when there was no demand).
    pub fill_rate: f64,
    /// Share of replenishment cycles without a shortage.
    pub cycle_service_level: f64,
    /// Periods that ended with a shortage.
    pub stockout_periods: u32,
    /// Average ending on hand.
    pub average_on_hand: f64,
    /// Average ending backorders.
    pub average_backorders: f64,
    /// Orders placed.
    pub orders: u32,
    /// Units ordered.
    pub ordered: i64,
    /// Holding cost.
    pub holding_cost: f64,
    /// Shortage cost.
    pub shortage_cost: f64,
    /// Fixed ordering cost.
    pub ordering_cost: f64,
    /// Purchase cost.
    pub purchase_cost: f64,
    /// The four costs summed.
    pub total_cost: f64,
}

impl SimSetup {
    /// Checks the set-up.
    pub fn validate(&self) -> Result<(), Error> {
        self.demand.validate()?;
        let bad = |param, value: String, reason| Error::InvalidParameter { function: "simulate", param, value, reason };
        if self.periods == 0 || self.periods > MAX_PERIODS {
            return Err(bad("periods", self.periods.to_string(), "must be within 1..=1000000"));
        }
        if self.lead_time > MAX_PERIODS {
            return Err(bad("lead_time", self.lead_time.to_string(), "must be at most 1000000"));
        }
        if self.initial_backorders < 0 || self.initial_on_hand < 0 {
            return Err(bad("initial_on_hand", self.initial_on_hand.to_string(), "stock and backorders are ≥ 0"));
        }
        let c = &self.costs;
        for (param, v) in [("holding", c.holding), ("shortage", c.shortage), ("fixed", c.fixed), ("unit", c.unit)] {
            if !v.is_finite() || v < 0.0 {
                return Err(bad(param, v.to_string(), "a cost must be finite and non-negative"));
            }
        }
        if let Some(&(_, q)) = self.pipeline.iter().find(|(_, q)| *q < 0) {
            return Err(bad("pipeline", q.to_string(), "an order under way is positive"));
        }
        Ok(())
    }
}

/// Runs one policy.
pub fn simulate(rule: SimRule, setup: &SimSetup) -> Result<SimReport, Error> {
    setup.validate()?;
    rule.validate()?;
    let demand = setup.demand.draw(setup.periods as usize);
    Ok(run(rule, setup, &demand))
}

/// Runs several policies on the same demand (drawn once).
pub fn compare(rules: &[SimRule], setup: &SimSetup) -> Result<Vec<SimReport>, Error> {
    setup.validate()?;
    for r in rules {
        r.validate()?;
    }
    let demand = setup.demand.draw(setup.periods as usize);
    Ok(rules.iter().map(|&r| run(r, setup, &demand)).collect())
}

fn run(rule: SimRule, s: &SimSetup, demand: &[i64]) -> SimReport {
    let n = demand.len();
    // Arrivals by period; orders arriving after the run never matter.
    let mut arrivals = vec![0i64; n + 1];
    for &(t, q) in &s.pipeline {
        arrivals[(t as usize).min(n)] += q;
    }
    let mut pipeline: i64 = s.pipeline.iter().map(|p| p.1).sum();
    let (mut on_hand, mut back) = (s.initial_on_hand, s.initial_backorders);
    let c = &s.costs;
    let mut r = SimReport {
        rule,
        demand: 0,
        served_at_once: 0,
        lost: 0,
        fill_rate: 1.0,
        cycle_service_level: 1.0,
        stockout_periods: 0,
        average_on_hand: 0.0,
        average_backorders: 0.0,
        orders: 0,
        ordered: 0,
        holding_cost: 0.0,
        shortage_cost: 0.0,
        ordering_cost: 0.0,
        purchase_cost: 0.0,
        total_cost: 0.0,
    };
    let (mut cycles, mut bad_cycles, mut cycle_short) = (0u64, 0u64, false);
    let (mut sum_on_hand, mut sum_back) = (0i128, 0i128);
    for (t, &d) in demand.iter().enumerate() {
        let came = arrivals[t];
        if came > 0 {
            pipeline -= came;
            on_hand += came;
            // An arrival ends a replenishment cycle.
            cycles += 1;
            bad_cycles += cycle_short as u64;
            cycle_short = false;
            let fill = back.min(on_hand);
            back -= fill;
            on_hand -= fill;
        }
        let served = d.min(on_hand);
        on_hand -= served;
        r.demand += d;
        r.served_at_once += served;
        let short = d - served;
        if short > 0 {
            cycle_short = true;
            if s.lost_sales {
                r.lost += short;
                r.shortage_cost += c.shortage * short as f64;
            } else {
                back += short;
            }
        }
        let q = rule.order(on_hand + pipeline - back, t as u32);
        if q > 0 {
            r.orders += 1;
            r.ordered += q;
            r.ordering_cost += c.fixed;
            r.purchase_cost += c.unit * q as f64;
            let at = t + 1 + s.lead_time as usize;
            if at < n {
                arrivals[at] += q;
            }
            pipeline += q;
        }
        if short > 0 || back > 0 {
            r.stockout_periods += 1;
        }
        r.holding_cost += c.holding * on_hand as f64;
        if !s.lost_sales {
            r.shortage_cost += c.shortage * back as f64;
        }
        sum_on_hand += on_hand as i128;
        sum_back += back as i128;
    }
    // The cycle still open at the end counts too.
    cycles += 1;
    bad_cycles += cycle_short as u64;
    r.cycle_service_level = 1.0 - bad_cycles as f64 / cycles as f64;
    if r.demand > 0 {
        r.fill_rate = r.served_at_once as f64 / r.demand as f64;
    }
    r.average_on_hand = sum_on_hand as f64 / n as f64;
    r.average_backorders = sum_back as f64 / n as f64;
    r.total_cost = r.holding_cost + r.shortage_cost + r.ordering_cost + r.purchase_cost;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(series: Vec<i64>, lead_time: u32) -> SimSetup {
        SimSetup {
            demand: Demand::Series { series },
            periods: 6,
            lead_time,
            initial_on_hand: 10,
            initial_backorders: 0,
            pipeline: vec![],
            lost_sales: false,
            costs: SimCosts { holding: 1.0, shortage: 10.0, fixed: 100.0, unit: 0.0 },
        }
    }

    #[test]
    fn a_hand_traced_reorder_point_run() {
        // Demand 4 a period, 10 on hand, (r=4, Q=8), lead time 1.
        // t0: serve 4 → 6; pos 6 > 4.  t1: serve 4 → 2; pos 2 ≤ 4 → order 8
        // arriving t3.  t2: serve 2, short 2 → back 2; pos 8−2 = 6.
        // t3: 8 arrive → fill back 2 → 6; serve 4 → 2; pos 2 → order 8 (t5).
        // t4: serve 2, short 2 → back 2.  t5: 8 arrive → 6 → serve 4 → 2;
        // pos 2 → order 8 (after the run).
        let r = simulate(SimRule::ReorderPoint { reorder_point: 4, order_qty: 8 }, &setup(vec![4], 1)).unwrap();
        assert_eq!((r.demand, r.served_at_once, r.orders, r.ordered), (24, 20, 3, 24));
        assert_eq!(r.stockout_periods, 2);
        // Ending on hand 6, 2, 0, 2, 0, 2 = 12; backorders 0,0,2,0,2,0 = 4.
        assert_eq!(r.holding_cost, 12.0);
        assert_eq!(r.shortage_cost, 40.0);
        assert_eq!(r.ordering_cost, 300.0);
        assert_eq!(r.fill_rate, 20.0 / 24.0);
        // Cycles: [t0..t2] short, [t3..t4] short, [t5] fine → 1/3.
        assert!((r.cycle_service_level - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn lost_sales_do_not_come_back_and_compare_shares_the_demand() {
        let mut s = setup(vec![4], 1);
        s.lost_sales = true;
        s.demand = Demand::Poisson { mean: 4.0, seed: 9 };
        s.periods = 500;
        let rules = [SimRule::BaseStock { base_stock: 6 }, SimRule::BaseStock { base_stock: 14 }];
        let rs = compare(&rules, &s).unwrap();
        assert_eq!(rs[0].demand, rs[1].demand, "the same demand for every policy");
        assert!(rs[0].lost > rs[1].lost && rs[0].fill_rate < rs[1].fill_rate);
        assert_eq!(rs[0].demand, rs[0].served_at_once + rs[0].lost);
        assert!(rs[1].average_on_hand > rs[0].average_on_hand);
        assert_eq!(rs, compare(&rules, &s).unwrap(), "deterministic");
        let e = simulate(SimRule::SS { s: 5, big_s: 5 }, &s).unwrap_err();
        assert_eq!(e.name(), "INVALID_PARAMETER");
    }
}
