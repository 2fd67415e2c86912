//! The economic order quantity and its variants (Snyder & Shen ch. 3).
//!
//! Convention: the EOQ, EOQB and EPQ costs are annual ordering plus holding
//! (plus backorder) costs and **exclude** the purchase cost cλ; the
//! quantity-discount costs **include** it, with holding cost i·c_j (a rate
//! times the unit price of the region). Parameters: fixed cost per order K,
//! holding cost per unit per year h, backorder cost per unit per year p,
//! demand rate per year λ, production rate per year μ.

use serde::{Deserialize, Serialize};

use super::check;
use crate::Error;

/// An order quantity and its annual cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Eoq {
    /// Order (or production) quantity Q*.
    pub order_quantity: f64,
    /// Annual cost g(Q*).
    pub cost: f64,
}

/// The EOQ with planned backorders.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EoqBackorders {
    /// Order quantity Q*.
    pub order_quantity: f64,
    /// Fraction of each cycle spent out of stock, x* = h/(h + p).
    pub stockout_fraction: f64,
    /// Annual cost g(Q*, x*).
    pub cost: f64,
}

/// The optimum under a quantity-discount schedule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discount {
    /// Order quantity Q*.
    pub order_quantity: f64,
    /// Price region of Q* (0-based: b_region ≤ Q* < b_region+1).
    pub region: usize,
    /// Annual cost including purchase cost.
    pub cost: f64,
}

/// Validated (K, h, λ), all > 0.
fn basics(function: &'static str, k: f64, h: f64, lambda: f64) -> Result<(f64, f64, f64), Error> {
    Ok((
        check::positive(function, "fixed_cost", k)?,
        check::positive(function, "holding_cost", h)?,
        check::positive(function, "demand_rate", lambda)?,
    ))
}

/// EOQ: Q* = √(2Kλ/h), g* = √(2Kλh).
pub fn eoq(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<Eoq, Error> {
    let (k, h, l) = basics("policy::eoq::eoq", fixed_cost, holding_cost, demand_rate)?;
    Ok(Eoq { order_quantity: libm::sqrt(2.0 * k * l / h), cost: libm::sqrt(2.0 * k * l * h) })
}

/// EOQ cost at a given Q: g(Q) = Kλ/Q + hQ/2.
pub fn eoq_cost(fixed_cost: f64, holding_cost: f64, demand_rate: f64, order_quantity: f64) -> Result<f64, Error> {
    const F: &str = "policy::eoq::eoq_cost";
    let (k, h, l) = basics(F, fixed_cost, holding_cost, demand_rate)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    Ok(k * l / q + h * q / 2.0)
}

/// EOQ with planned backorders: Q* = √(2Kλ(h + p)/(hp)), x* = h/(h + p),
/// g* = √(2Kλhp/(h + p)); p per unit backordered per year.
pub fn eoq_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<EoqBackorders, Error> {
    const F: &str = "policy::eoq::eoq_backorders";
    let (k, h, l) = basics(F, fixed_cost, holding_cost, demand_rate)?;
    let p = check::positive(F, "stockout_cost", stockout_cost)?;
    Ok(EoqBackorders {
        order_quantity: libm::sqrt(2.0 * k * l * (h + p) / (h * p)),
        stockout_fraction: h / (h + p),
        cost: libm::sqrt(2.0 * k * l * h * p / (h + p)),
    })
}

/// EOQB cost at a given Q and stockout fraction x in [0, 1]:
/// g(Q, x) = hQ(1 − x)²/2 + pQx²/2 + Kλ/Q.
pub fn eoq_backorders_cost(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
    order_quantity: f64,
    stockout_fraction: f64,
) -> Result<f64, Error> {
    const F: &str = "policy::eoq::eoq_backorders_cost";
    let (k, h, l) = basics(F, fixed_cost, holding_cost, demand_rate)?;
    let p = check::positive(F, "stockout_cost", stockout_cost)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    let x = check::non_negative(F, "stockout_fraction", stockout_fraction)?;
    if x > 1.0 {
        return Err(check::refuse(F, "stockout_fraction", x, "must be at most 1"));
    }
    Ok(h * q * (1.0 - x) * (1.0 - x) / 2.0 + p * q * x * x / 2.0 + k * l / q)
}

/// Validated ρ = λ/μ < 1 of the EPQ.
fn utilisation(function: &'static str, lambda: f64, production_rate: f64) -> Result<f64, Error> {
    let mu = check::positive(function, "production_rate", production_rate)?;
    if mu <= lambda {
        return Err(check::refuse(function, "production_rate", mu, "must exceed the demand rate"));
    }
    Ok(lambda / mu)
}

/// Economic production quantity, ρ = λ/μ < 1: Q* = √(2Kλ/(h(1 − ρ))),
/// g* = √(2Kλh(1 − ρ)).
pub fn epq(fixed_cost: f64, holding_cost: f64, demand_rate: f64, production_rate: f64) -> Result<Eoq, Error> {
    const F: &str = "policy::eoq::epq";
    let (k, h, l) = basics(F, fixed_cost, holding_cost, demand_rate)?;
    let rho = utilisation(F, l, production_rate)?;
    Ok(Eoq {
        order_quantity: libm::sqrt(2.0 * k * l / (h * (1.0 - rho))),
        cost: libm::sqrt(2.0 * k * l * h * (1.0 - rho)),
    })
}

/// EPQ cost at a given Q: g(Q) = Kλ/Q + h(1 − ρ)Q/2.
pub fn epq_cost(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
    order_quantity: f64,
) -> Result<f64, Error> {
    const F: &str = "policy::eoq::epq_cost";
    let (k, h, l) = basics(F, fixed_cost, holding_cost, demand_rate)?;
    let rho = utilisation(F, l, production_rate)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    Ok(k * l / q + h * (1.0 - rho) * q / 2.0)
}

/// Validates a discount schedule: same non-zero length, breakpoints start
/// at 0 and strictly increase, unit costs > 0 and non-increasing (a
/// discount, so the optimum is attained: see [`incremental_discount`]).
fn schedule(function: &'static str, breakpoints: &[f64], unit_costs: &[f64]) -> Result<(), Error> {
    if breakpoints.is_empty() {
        return Err(check::refuse_len(function, "breakpoints", 0, "must not be empty"));
    }
    if unit_costs.len() != breakpoints.len() {
        return Err(check::refuse_len(function, "unit_costs", unit_costs.len(), "needs one unit cost per breakpoint"));
    }
    if breakpoints[0] != 0.0 {
        return Err(check::refuse(function, "breakpoints", breakpoints[0], "the first breakpoint must be 0"));
    }
    for j in 0..breakpoints.len() {
        check::finite(function, "breakpoints", breakpoints[j])?;
        check::positive(function, "unit_costs", unit_costs[j])?;
        if j > 0 && breakpoints[j] <= breakpoints[j - 1] {
            return Err(check::refuse(function, "breakpoints", breakpoints[j], "must strictly increase"));
        }
        if j > 0 && unit_costs[j] > unit_costs[j - 1] {
            return Err(check::refuse(function, "unit_costs", unit_costs[j], "must not increase"));
        }
    }
    Ok(())
}

/// Upper end of region j (∞ for the last).
fn region_end(breakpoints: &[f64], j: usize) -> f64 {
    breakpoints.get(j + 1).copied().unwrap_or(f64::INFINITY)
}

/// Keeps the cheaper of the incumbent and a candidate; ties keep the
/// incumbent (the earlier, smaller candidate).
fn better(best: Option<Discount>, candidate: Discount) -> Option<Discount> {
    match best {
        Some(b) if b.cost <= candidate.cost => Some(b),
        _ => Some(candidate),
    }
}

/// All-units quantity discount: the unit cost c_j applies to every unit when
/// b_j ≤ Q < b_j+1. Region j's cost is g_j(Q) = c_jλ + Kλ/Q + i·c_j·Q/2; its
/// candidate is its EOQ √(2Kλ/(i·c_j)) when that lies in the region, b_j
/// when it lies below, none when above. The cheapest candidate wins (ties:
/// the smaller Q).
pub fn all_units_discount(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<Discount, Error> {
    const F: &str = "policy::eoq::all_units_discount";
    let (k, i, l) = basics(F, fixed_cost, holding_cost_rate, demand_rate)?;
    schedule(F, breakpoints, unit_costs)?;
    let mut best = None;
    for (j, (&b, &c)) in breakpoints.iter().zip(unit_costs).enumerate() {
        let eoq = libm::sqrt(2.0 * k * l / (i * c));
        let q = if eoq < b {
            b
        } else if eoq < region_end(breakpoints, j) {
            eoq
        } else {
            continue;
        };
        let cost = c * l + k * l / q + i * c * q / 2.0;
        best = better(best, Discount { order_quantity: q, region: j, cost });
    }
    // Region 0 starts at 0, so its candidate exists unless its EOQ lies
    // beyond b_1; the last region is unbounded, so some candidate exists.
    best.ok_or_else(|| check::refuse(F, "breakpoints", breakpoints[0], "no feasible order quantity"))
}

/// Incremental quantity discount: c_j applies only to the units beyond b_j.
/// With c̄_j = Σ_{k<j} c_k(b_k+1 − b_k) − c_j·b_j, region j costs
/// g_j(Q) = c_jλ + i·c̄_j/2 + (K + c̄_j)λ/Q + i·c_j·Q/2 and its stationary
/// point is Q_j = √(2(K + c̄_j)λ/(i·c_j)). The candidates are the Q_j that
/// lie in their regions and, for safety, the breakpoints b_j (j ≥ 1); with
/// non-increasing prices the total cost has only concave kinks at the
/// breakpoints, so the optimum is a feasible Q_j. Ties: the smaller Q.
pub fn incremental_discount(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<Discount, Error> {
    const F: &str = "policy::eoq::incremental_discount";
    let (k, i, l) = basics(F, fixed_cost, holding_cost_rate, demand_rate)?;
    schedule(F, breakpoints, unit_costs)?;
    let mut best = None;
    let mut paid_below = 0.0; // Σ_{k<j} c_k(b_k+1 − b_k)
    for (j, (&b, &c)) in breakpoints.iter().zip(unit_costs).enumerate() {
        if j > 0 {
            paid_below += unit_costs[j - 1] * (b - breakpoints[j - 1]);
        }
        let c_bar = paid_below - c * b;
        let cost_at = |q: f64| c * l + i * c_bar / 2.0 + (k + c_bar) * l / q + i * c * q / 2.0;
        if j > 0 {
            best = better(best, Discount { order_quantity: b, region: j, cost: cost_at(b) });
        }
        let q = libm::sqrt(2.0 * (k + c_bar) * l / (i * c));
        if q >= b && q < region_end(breakpoints, j) {
            best = better(best, Discount { order_quantity: q, region: j, cost: cost_at(q) });
        }
    }
    best.ok_or_else(|| check::refuse(F, "breakpoints", breakpoints[0], "no feasible order quantity"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eoq_by_hand() {
        let e = eoq(10.0, 2.0, 200.0).unwrap();
        assert!((e.order_quantity - 2000f64.sqrt()).abs() < 1e-12);
        assert!((eoq_cost(10.0, 2.0, 200.0, 50.0).unwrap() - 90.0).abs() < 1e-12);
        let b = eoq_backorders(8.0, 0.225, 5.0, 1300.0).unwrap();
        let at = eoq_backorders_cost(8.0, 0.225, 5.0, 1300.0, b.order_quantity, b.stockout_fraction).unwrap();
        assert!((at - b.cost).abs() < 1e-12);
    }

    #[test]
    fn incremental_breakpoint_candidates_never_beat_the_interior() {
        let d = incremental_discount(2250.0, 0.25, 182_500.0, &[0.0, 1200.0, 2400.0], &[1490.0, 1220.0, 1100.0]);
        let d = d.unwrap();
        assert_eq!(d.region, 2);
        assert!((d.order_quantity - 28_553.060_654_284_905).abs() < 1e-8);
    }

    #[test]
    fn refusals() {
        assert!(eoq(0.0, 1.0, 1.0).is_err());
        assert!(epq(1.0, 1.0, 10.0, 10.0).is_err());
        assert!(eoq_backorders_cost(1.0, 1.0, 1.0, 1.0, 1.0, 1.5).is_err());
        assert!(all_units_discount(1.0, 0.2, 10.0, &[], &[]).is_err());
        assert!(all_units_discount(1.0, 0.2, 10.0, &[1.0], &[1.0]).is_err());
        assert!(all_units_discount(1.0, 0.2, 10.0, &[0.0, 5.0], &[1.0]).is_err());
        assert!(all_units_discount(1.0, 0.2, 10.0, &[0.0, 5.0, 5.0], &[3.0, 2.0, 1.0]).is_err());
        assert!(incremental_discount(1.0, 0.2, 10.0, &[0.0, 5.0], &[1.0, 2.0]).is_err());
    }
}
