//! Dynamic lot sizing: the Wagner–Whitin algorithm (Snyder & Shen §3.7).
//!
//! Deterministic demand d_t over T periods, no backorders, zero initial
//! inventory; a fixed cost K_t in each period with an order and holding cost
//! h_t on the inventory at the end of period t. Costs exclude purchase cost.
//! Periods here are 0-based (the textbook's period 1 is index 0).

use serde::{Deserialize, Serialize};

use super::check;
use crate::Error;

/// An optimal lot-sizing plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LotSizing {
    /// Order quantity per period (0 where nothing is ordered).
    pub order_quantities: Vec<f64>,
    /// Total cost of the plan: fixed plus holding.
    pub cost: f64,
    /// For each period t: the period of the next order if t orders, in
    /// t+1..=T (T = none before the horizon ends).
    pub next_order_period: Vec<usize>,
    /// Optimal cost from each period on, θ_t, with θ_T = 0 (length T + 1).
    pub cost_to_go: Vec<f64>,
}

/// The value of a per-period cost parameter in period t: a slice of length
/// 1 is the same in every period.
fn per_period(values: &[f64], t: usize) -> f64 {
    if values.len() == 1 {
        values[0]
    } else {
        values[t]
    }
}

/// Validates a per-period parameter: length 1 or T, every value finite ≥ 0.
fn periods(function: &'static str, param: &'static str, values: &[f64], horizon: usize) -> Result<(), Error> {
    if values.len() != 1 && values.len() != horizon {
        return Err(check::refuse_len(function, param, values.len(), "needs one value, or one per period"));
    }
    for &v in values {
        check::non_negative(function, param, v)?;
    }
    Ok(())
}

/// Wagner–Whitin: θ_t = min over the next order period u > t of
/// [order in t covers t..u−1] + θ_u, where covering periods t..u−1 costs
/// K_t + Σ_{j=t}^{u−2} h_j·(d_j+1 + ... + d_u−1), or nothing when their
/// demand is all 0 (no order is placed). Ties pick the earliest u.
/// `holding_cost` and `fixed_cost` have length 1 (constant) or T.
pub fn wagner_whitin(holding_cost: &[f64], fixed_cost: &[f64], demand: &[f64]) -> Result<LotSizing, Error> {
    const F: &str = "policy::lot_sizing::wagner_whitin";
    let horizon = demand.len();
    if horizon == 0 {
        return Err(check::refuse_len(F, "demand", 0, "must not be empty"));
    }
    for &d in demand {
        check::non_negative(F, "demand", d)?;
    }
    periods(F, "holding_cost", holding_cost, horizon)?;
    periods(F, "fixed_cost", fixed_cost, horizon)?;

    let mut cost_to_go = vec![0.0; horizon + 1];
    let mut next_order_period = vec![horizon; horizon];
    for t in (0..horizon).rev() {
        let mut best = f64::INFINITY;
        let mut best_u = horizon;
        // Cover t..u−1, adding period i = u − 1 at each step: its demand is
        // held at the end of periods t..i−1.
        let mut holding = 0.0;
        let mut held_rate = 0.0; // Σ_{j=t}^{i−1} h_j
        let mut demand_covered = 0.0;
        for (u, &theta_u) in cost_to_go.iter().enumerate().skip(t + 1) {
            let i = u - 1;
            holding += demand[i] * held_rate;
            demand_covered += demand[i];
            held_rate += per_period(holding_cost, i);
            let order = if demand_covered > 0.0 { per_period(fixed_cost, t) + holding } else { 0.0 };
            let cost = order + theta_u;
            if cost < best {
                best = cost;
                best_u = u;
            }
        }
        cost_to_go[t] = best;
        next_order_period[t] = best_u;
    }

    let mut order_quantities = vec![0.0; horizon];
    let mut t = 0;
    while t < horizon {
        let u = next_order_period[t];
        let mut q = 0.0;
        for d in &demand[t..u] {
            q += d;
        }
        order_quantities[t] = q;
        t = u;
    }
    Ok(LotSizing { order_quantities, cost: cost_to_go[0], next_order_period, cost_to_go })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_period_and_refusals() {
        let w = wagner_whitin(&[1.0], &[10.0], &[5.0]).unwrap();
        assert_eq!((w.order_quantities, w.cost), (vec![5.0], 10.0));
        let w = wagner_whitin(&[1.0], &[10.0], &[0.0, 0.0]).unwrap();
        assert_eq!(w.cost, 0.0);
        assert!(wagner_whitin(&[1.0], &[1.0], &[]).is_err());
        assert!(wagner_whitin(&[1.0, 1.0], &[1.0], &[1.0, 2.0, 3.0]).is_err());
        assert!(wagner_whitin(&[1.0], &[-1.0], &[1.0]).is_err());
        assert!(wagner_whitin(&[1.0], &[1.0], &[f64::NAN]).is_err());
    }
}
