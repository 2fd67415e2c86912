//! The continuous-review (r,Q) policy with backorders (Snyder & Shen ch. 5):
//! when the inventory position falls to r, order Q.
//!
//! **Conventions:** `demand_mean` λ and `demand_sd` σ are per year (σ is the
//! sd of annual demand) and `lead_time` L is in years, continuous review
//! with **no +1**: lead-time demand is N(λL, σ²L). `stockout_cost` p is per
//! unit backordered per **year** in the exact cost and in the EOQB and
//! loss-function approximations, but per unit backordered in the EIL
//! approximation (it multiplies λn(r)/Q): the textbook uses the same number
//! in both places, and so do we. Costs exclude the purchase cost.

use serde::{Deserialize, Serialize};

use super::discrete::{Discrete, LevelCosts};
use super::{check, eoq, loss, normal};
use crate::Error;

/// Parameters of the (r,Q) model with normal demand.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RqParams {
    /// Holding cost per unit per year h (> 0).
    pub holding_cost: f64,
    /// Backorder cost p (> 0): per unit per year, per unit in the EIL.
    pub stockout_cost: f64,
    /// Fixed cost per order K (> 0).
    pub fixed_cost: f64,
    /// Mean annual demand λ (> 0).
    pub demand_mean: f64,
    /// Sd of annual demand σ (> 0).
    pub demand_sd: f64,
    /// Lead time in years L (> 0).
    pub lead_time: f64,
}

/// A reorder point and order quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rq {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
}

/// The EIL approximation: r, Q and the approximation's own cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EilRq {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// h(r − λL + Q/2) + Kλ/Q + pλn(r)/Q.
    pub cost: f64,
}

/// Largest number of rounds of the fixed-point iterations (EIL and loss
/// function); they converge in a handful.
const MAX_ROUNDS: usize = 1000;
/// Relative change below which a fixed-point iteration has converged.
const ROUND_TOLERANCE: f64 = 1e-13;

/// Validated parameters with the lead-time demand N(μ, s²): (h, p, K, λ, μ, s).
struct Checked {
    h: f64,
    p: f64,
    k: f64,
    lambda: f64,
    mu: f64,
    s: f64,
}

fn checked(function: &'static str, r: &RqParams) -> Result<Checked, Error> {
    let h = check::positive(function, "holding_cost", r.holding_cost)?;
    let p = check::positive(function, "stockout_cost", r.stockout_cost)?;
    let k = check::positive(function, "fixed_cost", r.fixed_cost)?;
    let lambda = check::positive(function, "demand_mean", r.demand_mean)?;
    let sd = check::positive(function, "demand_sd", r.demand_sd)?;
    let lt = check::positive(function, "lead_time", r.lead_time)?;
    Ok(Checked { h, p, k, lambda, mu: lambda * lt, s: sd * libm::sqrt(lt) })
}

impl Checked {
    /// Newsvendor cost of lead-time demand at y: g(y) = h·n̄(y) + p·n(y).
    fn level_cost(&self, y: f64) -> f64 {
        let z = (y - self.mu) / self.s;
        self.s * (self.h * loss::std_loss_complement(z) + self.p * loss::std_loss(z))
    }

    /// ∫_r^{r+Q} g(y) dy in closed form through the second-order losses
    /// (d/dx n²(x) = −n(x), d/dx n̄²(x) = n̄(x)).
    fn level_cost_integral(&self, r: f64, q: f64) -> f64 {
        let var = self.s * self.s;
        let (z0, z1) = ((r - self.mu) / self.s, (r + q - self.mu) / self.s);
        var * (self.h * (loss::std_loss2_complement(z1) - loss::std_loss2_complement(z0))
            + self.p * (loss::std_loss2(z0) - loss::std_loss2(z1)))
    }

    /// r(Q): the root of g(r) = g(r + Q) (g convex, so g(r) − g(r + Q)
    /// decreases in r), bracketed in [μ − Q − 40s, μ + 40s] where it is
    /// pQ > 0 and −hQ < 0, and bisected to a few ulps of the scale.
    fn r_for_q(&self, q: f64) -> f64 {
        let (lo, hi) = (self.mu - q - 40.0 * self.s, self.mu + 40.0 * self.s);
        let tol = 4.0 * f64::EPSILON * (self.mu.abs() + self.s + q);
        super::numeric::bisect(|r| self.level_cost(r) - self.level_cost(r + q), lo, hi, tol)
    }
}

/// Exact expected annual cost of (r, Q) under normal demand:
/// g(r,Q) = (Kλ + ∫_r^{r+Q} g(y)dy)/Q, g the newsvendor cost of lead-time
/// demand. The integral is evaluated in closed form, not by quadrature.
pub fn exact_cost(params: &RqParams, reorder_point: f64, order_quantity: f64) -> Result<f64, Error> {
    const F: &str = "policy::rq::exact_cost";
    let c = checked(F, params)?;
    let r = check::finite(F, "reorder_point", reorder_point)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    Ok((c.k * c.lambda + c.level_cost_integral(r, q)) / q)
}

/// The optimal reorder point for a given Q: the r with g(r) = g(r + Q).
pub fn optimal_reorder_point(params: &RqParams, order_quantity: f64) -> Result<f64, Error> {
    const F: &str = "policy::rq::optimal_reorder_point";
    let c = checked(F, params)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    Ok(c.r_for_q(q))
}

/// EOQB approximation: Q = the EOQ with planned backorders, r = r(Q).
pub fn eoqb(params: &RqParams) -> Result<Rq, Error> {
    let c = checked("policy::rq::eoqb", params)?;
    let q = eoq::eoq_backorders(c.k, c.h, c.p, c.lambda)?.order_quantity;
    Ok(Rq { reorder_point: c.r_for_q(q), order_quantity: q })
}

/// EOQ+SS approximation: Q = the plain EOQ, r = λL + z_α·σ√L with
/// α = p/(p + h) (the newsvendor fractile of lead-time demand).
pub fn eoq_ss(params: &RqParams) -> Result<Rq, Error> {
    let c = checked("policy::rq::eoq_ss", params)?;
    let q = eoq::eoq(c.k, c.h, c.lambda)?.order_quantity;
    let z = normal::quantile_unchecked(c.p / (c.p + c.h));
    Ok(Rq { reorder_point: c.mu + z * c.s, order_quantity: q })
}

/// True once successive iterates agree to [`ROUND_TOLERANCE`].
fn settled(prev: (f64, f64), next: (f64, f64)) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() <= ROUND_TOLERANCE * (1.0 + a.abs().max(b.abs()));
    close(prev.0, next.0) && close(prev.1, next.1)
}

/// Loss-function approximation (Hadley & Whitin): from Q = EOQ, alternate
/// r from n(r) = hQ/(h + p) and Q = √(2(Kλ + (h + p)n²(r))/h) (n² with the
/// ½) until r and Q agree to 1e-13 relative between rounds, at most 1000
/// rounds.
pub fn loss_function(params: &RqParams) -> Result<Rq, Error> {
    const F: &str = "policy::rq::loss_function";
    let c = checked(F, params)?;
    let mut q = eoq::eoq(c.k, c.h, c.lambda)?.order_quantity;
    let mut r = f64::NAN;
    for _ in 0..MAX_ROUNDS {
        let z = loss::std_loss_inverse(c.h * q / (c.h + c.p) / c.s)?;
        let next_r = c.mu + z * c.s;
        let next_q = libm::sqrt(2.0 * (c.k * c.lambda + (c.h + c.p) * c.s * c.s * loss::std_loss2(z)) / c.h);
        let done = settled((r, q), (next_r, next_q));
        (r, q) = (next_r, next_q);
        if done {
            break;
        }
    }
    Ok(Rq { reorder_point: r, order_quantity: q })
}

/// Expected-inventory-level (EIL) approximation (Whitin; Hadley & Whitin):
/// from Q = EOQ, alternate r = F⁻¹(1 − Qh/(pλ)) and Q = √(2λ(K + p·n(r))/h)
/// until r and Q agree to 1e-13 relative, at most 1000 rounds. Refused when
/// Qh ≥ pλ at some round (no reorder point satisfies the condition).
pub fn eil(params: &RqParams) -> Result<EilRq, Error> {
    const F: &str = "policy::rq::eil";
    let c = checked(F, params)?;
    let mut q = eoq::eoq(c.k, c.h, c.lambda)?.order_quantity;
    let mut r = f64::NAN;
    let mut n = 0.0;
    for _ in 0..MAX_ROUNDS {
        let fractile = 1.0 - q * c.h / (c.p * c.lambda);
        if !(fractile > 0.0 && fractile < 1.0) {
            return Err(check::refuse(F, "stockout_cost", c.p, "too small: Qh/(pλ) reaches 1"));
        }
        let z = normal::quantile_unchecked(fractile);
        n = c.s * loss::std_loss(z);
        let next_r = c.mu + z * c.s;
        let next_q = libm::sqrt(2.0 * c.lambda * (c.k + c.p * n) / c.h);
        let done = settled((r, q), (next_r, next_q));
        (r, q) = (next_r, next_q);
        if done {
            break;
        }
    }
    // n is n(r) at the final r (the last round's r).
    let cost = c.h * (r - c.mu + q / 2.0) + c.k * c.lambda / q + c.p * c.lambda * n / q;
    Ok(EilRq { reorder_point: r, order_quantity: q, cost })
}

/// Parameters of the (r,Q) model with Poisson demand.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoissonRqParams {
    /// Holding cost per unit per year h (> 0).
    pub holding_cost: f64,
    /// Backorder cost per unit per year p (> 0).
    pub stockout_cost: f64,
    /// Fixed cost per order K (> 0).
    pub fixed_cost: f64,
    /// Mean annual demand λ (> 0).
    pub demand_mean: f64,
    /// Lead time in years L (> 0): lead-time demand is Poisson(λL), no +1.
    pub lead_time: f64,
}

/// An integer (r, Q) and its exact cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoissonRq {
    /// Reorder point r.
    pub reorder_point: i64,
    /// Order quantity Q (≥ 1).
    pub order_quantity: i64,
    /// g(r,Q) = (Kλ + Σ_{y=r+1}^{r+Q} g(y))/Q.
    pub cost: f64,
}

/// Validated (K, λ) and lead-time demand Poisson(λL).
fn poisson_model(function: &'static str, m: &PoissonRqParams) -> Result<(f64, f64, Discrete), Error> {
    check::positive(function, "holding_cost", m.holding_cost)?;
    check::positive(function, "stockout_cost", m.stockout_cost)?;
    let k = check::positive(function, "fixed_cost", m.fixed_cost)?;
    let lambda = check::positive(function, "demand_mean", m.demand_mean)?;
    let lt = check::positive(function, "lead_time", m.lead_time)?;
    Ok((k, lambda, Discrete::poisson(lambda * lt)?))
}

/// Largest Q evaluated under Poisson demand: each cost sums Q level costs,
/// and optimal Q are near the EOQ, far below this.
pub const MAX_POISSON_Q: i64 = 1_000_000;

/// (Kλ + Σ_{y=r+1}^{r+Q} g(y))/Q, summed left to right.
fn window_cost(g: &mut LevelCosts<'_>, k_lambda: f64, r: i64, q: i64) -> f64 {
    let mut sum = k_lambda;
    for y in r + 1..=r + q {
        sum += g.at(y);
    }
    sum / q as f64
}

/// Exact annual cost of an integer (r, Q) under Poisson demand.
pub fn poisson_cost(params: &PoissonRqParams, reorder_point: i64, order_quantity: i64) -> Result<f64, Error> {
    const F: &str = "policy::rq::poisson_cost";
    let (k, lambda, demand) = poisson_model(F, params)?;
    if !(1..=MAX_POISSON_Q).contains(&order_quantity) {
        return Err(check::refuse(F, "order_quantity", order_quantity as f64, "must lie in 1..=MAX_POISSON_Q"));
    }
    let mut g = LevelCosts::new(&demand, params.holding_cost, params.stockout_cost);
    Ok(window_cost(&mut g, k * lambda, reorder_point, order_quantity))
}

/// Exact optimum under Poisson demand (Federgruen & Zheng 1992): the optimal
/// window {r+1, ..., r+Q} holds the Q smallest values of the convex g, so
/// start from the newsvendor level S* (r = S* − 1, Q = 1) and grow the window
/// by its cheaper neighbour (the right one on a tie) while the cost does not
/// rise. Refused if Q would pass [`MAX_POISSON_Q`].
pub fn poisson_optimum(params: &PoissonRqParams) -> Result<PoissonRq, Error> {
    const F: &str = "policy::rq::poisson_optimum";
    let (k, lambda, demand) = poisson_model(F, params)?;
    let (h, p) = (params.holding_cost, params.stockout_cost);
    let mut g = LevelCosts::new(&demand, h, p);
    let s = demand.fractile(p / (p + h));
    let (mut r, mut q) = (s - 1, 1);
    let mut cost = window_cost(&mut g, k * lambda, r, q);
    loop {
        let next_r = if g.at(r) < g.at(r + q + 1) { r - 1 } else { r };
        let next_cost = window_cost(&mut g, k * lambda, next_r, q + 1);
        if next_cost > cost {
            return Ok(PoissonRq { reorder_point: r, order_quantity: q, cost });
        }
        if q >= MAX_POISSON_Q {
            return Err(check::refuse(F, "fixed_cost", k, "the optimal Q exceeds MAX_POISSON_Q"));
        }
        (r, q, cost) = (next_r, q + 1, next_cost);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex51() -> RqParams {
        RqParams {
            holding_cost: 0.225,
            stockout_cost: 7.5,
            fixed_cost: 8.0,
            demand_mean: 1300.0,
            demand_sd: 150.0,
            lead_time: 1.0 / 12.0,
        }
    }

    #[test]
    fn closed_form_integral_matches_simpson() {
        let c = checked("t", &ex51()).unwrap();
        let (r, q) = (126.8, 328.5);
        // Composite Simpson with 20,000 panels: an independent check.
        let n = 20_000;
        let step = q / n as f64;
        let mut acc = c.level_cost(r) + c.level_cost(r + q);
        for i in 1..n {
            acc += if i % 2 == 1 { 4.0 } else { 2.0 } * c.level_cost(r + i as f64 * step);
        }
        let simpson = acc * step / 3.0;
        assert!((c.level_cost_integral(r, q) - simpson).abs() < 1e-8 * simpson);
    }

    #[test]
    fn r_of_q_balances_the_window() {
        let c = checked("t", &ex51()).unwrap();
        let r = c.r_for_q(300.0);
        assert!((c.level_cost(r) - c.level_cost(r + 300.0)).abs() < 1e-9);
    }

    #[test]
    fn refusals() {
        assert!(exact_cost(&RqParams { lead_time: 0.0, ..ex51() }, 1.0, 1.0).is_err());
        assert!(exact_cost(&ex51(), 1.0, 0.0).is_err());
        assert!(eil(&RqParams { stockout_cost: 1e-6, ..ex51() }).is_err());
        let pm = PoissonRqParams {
            holding_cost: 1.0,
            stockout_cost: 1.0,
            fixed_cost: 1.0,
            demand_mean: 1.0,
            lead_time: 1.0,
        };
        assert!(poisson_cost(&pm, 0, 0).is_err());
    }
}
