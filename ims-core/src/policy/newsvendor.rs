//! The newsvendor problem and the base-stock level (Snyder & Shen ch. 4).
//!
//! Cost form: g(S) = h·n̄(S) + p·n(S) = h·E[(S − D)⁺] + p·E[(D − S)⁺], purchase
//! cost excluded; the optimum is the critical fractile α = p/(p + h).
//!
//! **Lead-time convention:** `lead_time` L is periodic review with R = 1, so
//! the protection interval is L + 1 periods: normal demand has mean μ(L + 1)
//! and sd σ√(L + 1), Poisson demand mean μ(L + 1). With L = 0 this is the
//! single-period newsvendor; with L > 0 it is the optimal **base-stock
//! level** of the periodic-review base-stock policy, so [`normal`] and
//! [`poisson`] serve both.

use serde::{Deserialize, Serialize};

use super::continuous::Continuous;
use super::discrete::Discrete;
use super::{check, loss, normal as std_normal};
use crate::Error;

/// A base-stock level and its expected cost per period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Newsvendor {
    /// Optimal base-stock (order-up-to) level S*.
    pub base_stock_level: f64,
    /// Expected cost g(S*).
    pub cost: f64,
}

/// An integer base-stock level (discrete demand) and its expected cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscreteNewsvendor {
    /// Optimal base-stock level S*: the smallest S with F(S) ≥ p/(p + h).
    pub base_stock_level: i64,
    /// Expected cost g(S*).
    pub cost: f64,
}

/// Validated (h, p), both > 0, and the fractile α = p/(p + h).
fn costs(function: &'static str, h: f64, p: f64) -> Result<(f64, f64, f64), Error> {
    let h = check::positive(function, "holding_cost", h)?;
    let p = check::positive(function, "stockout_cost", p)?;
    Ok((h, p, p / (p + h)))
}

/// Validated mean and sd of normal demand over L + 1 periods.
fn protection(function: &'static str, mean: f64, sd: f64, lead_time: f64) -> Result<(f64, f64), Error> {
    let mean = check::non_negative(function, "demand_mean", mean)?;
    let sd = check::positive(function, "demand_sd", sd)?;
    let periods = check::non_negative(function, "lead_time", lead_time)? + 1.0;
    Ok((mean * periods, sd * libm::sqrt(periods)))
}

/// Normal demand (mean and sd per period) with lead time L: S* = μ_P +
/// z_α·σ_P, g* = (h + p)φ(z_α)σ_P.
pub fn normal(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
) -> Result<Newsvendor, Error> {
    const F: &str = "policy::newsvendor::normal";
    let (h, p, alpha) = costs(F, holding_cost, stockout_cost)?;
    let (mean, sd) = protection(F, demand_mean, demand_sd, lead_time)?;
    let z = std_normal::quantile_unchecked(alpha);
    Ok(Newsvendor { base_stock_level: mean + z * sd, cost: (h + p) * std_normal::pdf(z) * sd })
}

/// Expected cost g(S) of a given base-stock level under normal demand with
/// lead time L.
pub fn normal_cost(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    base_stock_level: f64,
) -> Result<f64, Error> {
    const F: &str = "policy::newsvendor::normal_cost";
    let (h, p, _) = costs(F, holding_cost, stockout_cost)?;
    let (mean, sd) = protection(F, demand_mean, demand_sd, lead_time)?;
    let s = check::finite(F, "base_stock_level", base_stock_level)?;
    let z = (s - mean) / sd;
    Ok(sd * (h * loss::std_loss_complement(z) + p * loss::std_loss(z)))
}

/// Poisson demand with mean μ(L + 1) over the protection interval.
fn poisson_demand(function: &'static str, demand_mean: f64, lead_time: f64) -> Result<Discrete, Error> {
    let mean = check::positive(function, "demand_mean", demand_mean)?;
    let periods = check::non_negative(function, "lead_time", lead_time)? + 1.0;
    Discrete::poisson(mean * periods)
}

/// Poisson demand (mean per period) with lead time L: the smallest integer S
/// with F(S) ≥ p/(p + h), and its cost.
pub fn poisson(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    lead_time: f64,
) -> Result<DiscreteNewsvendor, Error> {
    const F: &str = "policy::newsvendor::poisson";
    costs(F, holding_cost, stockout_cost)?;
    discrete(holding_cost, stockout_cost, &poisson_demand(F, demand_mean, lead_time)?)
}

/// Expected cost of a base-stock level under Poisson demand with lead time L.
pub fn poisson_cost(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    lead_time: f64,
    base_stock_level: i64,
) -> Result<f64, Error> {
    const F: &str = "policy::newsvendor::poisson_cost";
    costs(F, holding_cost, stockout_cost)?;
    discrete_cost(holding_cost, stockout_cost, &poisson_demand(F, demand_mean, lead_time)?, base_stock_level)
}

/// Any discrete demand on {0, 1, ...} (its distribution over the whole
/// protection interval): the smallest S in the support with F(S) ≥ p/(p + h).
pub fn discrete(holding_cost: f64, stockout_cost: f64, demand: &Discrete) -> Result<DiscreteNewsvendor, Error> {
    let (h, p, alpha) = costs("policy::newsvendor::discrete", holding_cost, stockout_cost)?;
    let (s, l) = demand.fractile_loss(alpha);
    Ok(DiscreteNewsvendor { base_stock_level: s, cost: h * l.n_bar + p * l.n })
}

/// Expected cost g(S) = h·n̄(S) + p·n(S) under a discrete demand.
pub fn discrete_cost(
    holding_cost: f64,
    stockout_cost: f64,
    demand: &Discrete,
    base_stock_level: i64,
) -> Result<f64, Error> {
    let (h, p, _) = costs("policy::newsvendor::discrete_cost", holding_cost, stockout_cost)?;
    let l = demand.loss(base_stock_level);
    Ok(h * l.n_bar + p * l.n)
}

/// Any continuous demand (over the whole protection interval):
/// S* = F⁻¹(p/(p + h)), cost h·n̄(S*) + p·n(S*) from the closed-form losses.
pub fn continuous(holding_cost: f64, stockout_cost: f64, demand: &Continuous) -> Result<Newsvendor, Error> {
    let (_, _, alpha) = costs("policy::newsvendor::continuous", holding_cost, stockout_cost)?;
    let s = demand.quantile(alpha)?;
    Ok(Newsvendor { base_stock_level: s, cost: continuous_cost(holding_cost, stockout_cost, demand, s)? })
}

/// Expected cost g(S) under a continuous demand.
pub fn continuous_cost(
    holding_cost: f64,
    stockout_cost: f64,
    demand: &Continuous,
    base_stock_level: f64,
) -> Result<f64, Error> {
    let (h, p, _) = costs("policy::newsvendor::continuous_cost", holding_cost, stockout_cost)?;
    let l = demand.loss(base_stock_level)?;
    Ok(h * l.n_bar + p * l.n)
}

/// The explicit (profit) newsvendor with normal demand.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplicitParams {
    /// Selling price per unit r.
    pub revenue: f64,
    /// Purchase cost per unit c.
    pub purchase_cost: f64,
    /// Salvage value per unsold unit v.
    pub salvage_value: f64,
    /// Extra holding cost per unsold unit h (≥ 0).
    pub holding_cost: f64,
    /// Stockout penalty per unit short p, beyond the lost margin (≥ 0).
    pub stockout_cost: f64,
    /// Mean demand μ.
    pub demand_mean: f64,
    /// Sd of demand σ (> 0).
    pub demand_sd: f64,
}

/// Optimum of the explicit newsvendor.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplicitNewsvendor {
    /// Optimal order quantity S*.
    pub base_stock_level: f64,
    /// Expected profit π(S*).
    pub profit: f64,
}

/// Validated explicit parameters and the fractile α = (p + r − c)/(h + p + r − v).
fn explicit_fractile(function: &'static str, e: &ExplicitParams) -> Result<f64, Error> {
    check::finite(function, "revenue", e.revenue)?;
    check::finite(function, "purchase_cost", e.purchase_cost)?;
    check::finite(function, "salvage_value", e.salvage_value)?;
    check::non_negative(function, "holding_cost", e.holding_cost)?;
    check::non_negative(function, "stockout_cost", e.stockout_cost)?;
    check::finite(function, "demand_mean", e.demand_mean)?;
    check::positive(function, "demand_sd", e.demand_sd)?;
    let under = e.stockout_cost + e.revenue - e.purchase_cost;
    let alpha = under / (e.holding_cost + e.stockout_cost + e.revenue - e.salvage_value);
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(check::refuse(
            function,
            "revenue",
            e.revenue,
            "needs v − h < c < r + p so the fractile lies in (0, 1)",
        ));
    }
    Ok(alpha)
}

/// Explicit newsvendor: S* = μ + z_α·σ, π* = (r − c)μ − (r − v + h + p)φ(z_α)σ.
pub fn explicit(params: &ExplicitParams) -> Result<ExplicitNewsvendor, Error> {
    let alpha = explicit_fractile("policy::newsvendor::explicit", params)?;
    let e = params;
    let z = std_normal::quantile_unchecked(alpha);
    Ok(ExplicitNewsvendor {
        base_stock_level: e.demand_mean + z * e.demand_sd,
        profit: (e.revenue - e.purchase_cost) * e.demand_mean
            - (e.revenue - e.salvage_value + e.holding_cost + e.stockout_cost) * std_normal::pdf(z) * e.demand_sd,
    })
}

/// Expected profit of ordering S: π(S) = (r − c + p)S − pμ + (v − r − h − p)·n̄(S).
pub fn explicit_profit(params: &ExplicitParams, base_stock_level: f64) -> Result<f64, Error> {
    const F: &str = "policy::newsvendor::explicit_profit";
    explicit_fractile(F, params)?;
    let s = check::finite(F, "base_stock_level", base_stock_level)?;
    let e = params;
    let n_bar = e.demand_sd * loss::std_loss_complement((s - e.demand_mean) / e.demand_sd);
    Ok((e.revenue - e.purchase_cost + e.stockout_cost) * s - e.stockout_cost * e.demand_mean
        + (e.salvage_value - e.revenue - e.holding_cost - e.stockout_cost) * n_bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimum_cost_equals_cost_at_optimum() {
        let nv = normal(0.18, 0.7, 50.0, 8.0, 4.0).unwrap();
        let at = normal_cost(0.18, 0.7, 50.0, 8.0, 4.0, nv.base_stock_level).unwrap();
        assert!((nv.cost - at).abs() < 1e-12);
        let e = ExplicitParams {
            revenue: 7.0,
            purchase_cost: 2.5,
            salvage_value: 1.5,
            holding_cost: 1.0,
            stockout_cost: 5.0,
            demand_mean: 50.0,
            demand_sd: 10.0,
        };
        let x = explicit(&e).unwrap();
        assert!((explicit_profit(&e, x.base_stock_level).unwrap() - x.profit).abs() < 1e-10);
    }

    #[test]
    fn refusals() {
        assert!(normal(0.0, 1.0, 1.0, 1.0, 0.0).is_err());
        assert!(normal(1.0, 1.0, 1.0, 0.0, 0.0).is_err());
        assert!(normal(1.0, 1.0, 1.0, 1.0, -1.0).is_err());
        assert!(poisson(1.0, 1.0, 0.0, 0.0).is_err());
        let e = ExplicitParams {
            revenue: 1.0,
            purchase_cost: 2.0,
            salvage_value: 0.0,
            holding_cost: 0.0,
            stockout_cost: 0.0,
            demand_mean: 5.0,
            demand_sd: 1.0,
        };
        assert!(explicit(&e).is_err());
    }
}
