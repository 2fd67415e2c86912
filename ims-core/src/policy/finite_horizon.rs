//! The finite-horizon stochastic inventory problem by dynamic programming
//! (Snyder & Shen §4.3.3 and §4.4.3, Algorithm 4.1), and Veinott's myopic
//! bounds on its policy.
//!
//! Periods 1..T with i.i.d. normal demand (stationary parameters), holding
//! cost h and backorder cost p on the end-of-period level, purchase cost c
//! and fixed cost K per order, discount factor γ, terminal cost
//! h_T·x⁺ + p_T·x⁻. θ_t(x) = min_{y ≥ x} {Kδ(y − x) + c(y − x) + H_t(y)},
//! H_t(y) = g(y) + γE[θ_t+1(y − D)], g the (continuous) newsvendor cost.
//!
//! **Discretisation** (the textbook's code, so the costs match it): demand
//! on the integers d ∈ [max(0, ⌊μ − 4σ⌉), ⌊μ + 4σ⌉] with mass
//! Φ((d + ½ − μ)/σ) − Φ((d − ½ − μ)/σ) (not renormalised); levels on the
//! integers x ∈ [⌊−9σ⌉, ⌊μ + Q + 5σ⌉] (Q the EOQB quantity, 0 when K = 0;
//! ⌊·⌉ rounds half to even), widened to hold the initial level, y − d
//! clamped into that range, and the upper end doubled and the DP restarted
//! whenever the best y of some x is the top of the range. Refused when the
//! range would exceed [`MAX_LEVELS`] levels.

use serde::{Deserialize, Serialize};

use super::{check, eoq, loss, normal, numeric};
use crate::Error;

/// Parameters of the finite-horizon problem (stationary).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiniteHorizonParams {
    /// Number of periods T (≥ 1).
    pub num_periods: usize,
    /// Holding cost per unit per period h (> 0).
    pub holding_cost: f64,
    /// Backorder cost per unit per period p (> 0).
    pub stockout_cost: f64,
    /// Terminal holding cost per unit h_T (≥ 0).
    pub terminal_holding_cost: f64,
    /// Terminal backorder cost per unit p_T (≥ 0).
    pub terminal_stockout_cost: f64,
    /// Purchase cost per unit c (≥ 0).
    pub purchase_cost: f64,
    /// Fixed cost per order K (≥ 0).
    pub fixed_cost: f64,
    /// Mean demand per period μ (≥ 0).
    pub demand_mean: f64,
    /// Sd of demand per period σ (> 0).
    pub demand_sd: f64,
    /// Discount factor γ in (0, 1].
    pub discount_factor: f64,
    /// Inventory level at the start of period 1.
    pub initial_inventory_level: i64,
}

/// The optimal policy of each period and the optimal cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiniteHorizon {
    /// s_t for periods 1..T (index 0 = period 1): the largest level from
    /// the bottom of the range up that still orders up to S_t (= S_t when
    /// K = 0: a base-stock policy).
    pub reorder_points: Vec<i64>,
    /// S_t for periods 1..T: the order-up-to level from the lowest level.
    pub order_up_to_levels: Vec<i64>,
    /// θ_1(x_1): the optimal expected discounted cost, purchase cost included.
    pub total_cost: f64,
}

/// Veinott's myopic bounds of one period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyopicBounds {
    /// S̲_t: the minimiser of the myopic cost G_t (a lower bound on S_t).
    pub order_up_to_lower: f64,
    /// S̄_t ≥ S̲_t with G_t(S̄_t) = G_t(S̲_t) + γK.
    pub order_up_to_upper: f64,
    /// s̲_t ≤ S̲_t with G_t(s̲_t) = G_t(S̲_t) + K.
    pub reorder_point_lower: f64,
    /// s̄_t ≤ S̲_t with G_t(s̄_t) = G_t(S̲_t) + K − γK_t+1; `None` when
    /// K − γK_t+1 < 0 (the bound does not exist).
    pub reorder_point_upper: Option<f64>,
}

fn validate(function: &'static str, m: &FiniteHorizonParams) -> Result<(), Error> {
    if m.num_periods == 0 {
        return Err(check::refuse(function, "num_periods", 0.0, "must be at least 1"));
    }
    check::positive(function, "holding_cost", m.holding_cost)?;
    check::positive(function, "stockout_cost", m.stockout_cost)?;
    check::non_negative(function, "terminal_holding_cost", m.terminal_holding_cost)?;
    check::non_negative(function, "terminal_stockout_cost", m.terminal_stockout_cost)?;
    check::non_negative(function, "purchase_cost", m.purchase_cost)?;
    check::non_negative(function, "fixed_cost", m.fixed_cost)?;
    check::non_negative(function, "demand_mean", m.demand_mean)?;
    check::positive(function, "demand_sd", m.demand_sd)?;
    let gamma = check::positive(function, "discount_factor", m.discount_factor)?;
    if gamma > 1.0 {
        return Err(check::refuse(function, "discount_factor", gamma, "must be at most 1"));
    }
    Ok(())
}

/// Rounds half to even, as the textbook's Python `round` does, to i64.
fn round_even(x: f64) -> i64 {
    x.round_ties_even() as i64
}

/// Largest number of inventory levels in the range: the DP costs
/// O(levels²) per period.
pub const MAX_LEVELS: i64 = 10_000;

/// Largest number of times the level range may double before the solver
/// gives up (each doubling is a full restart of the DP).
const MAX_WIDENINGS: usize = 40;

/// Solves the DP (see the module docs for the discretisation).
pub fn solve(params: &FiniteHorizonParams) -> Result<FiniteHorizon, Error> {
    const F: &str = "policy::finite_horizon::solve";
    validate(F, params)?;
    let m = params;
    let (mu, sd) = (m.demand_mean, m.demand_sd);
    let d_min = round_even(mu - 4.0 * sd).max(0);
    let d_max = round_even(mu + 4.0 * sd);
    let q = if m.fixed_cost > 0.0 && mu > 0.0 {
        eoq::eoq_backorders(m.fixed_cost, m.holding_cost, m.stockout_cost, mu)?.order_quantity
    } else {
        0.0
    };
    let x_min = round_even(-sd * 9.0).min(m.initial_inventory_level);
    let mut x_max = round_even(mu + q + sd * 5.0).max(m.initial_inventory_level);
    // The demand range (8σ wide) is narrower than the level range (≥ 14σ),
    // so bounding the levels bounds both.
    let too_wide = |x_max: i64| x_max.saturating_sub(x_min) >= MAX_LEVELS;
    if too_wide(x_max) {
        return Err(check::refuse(F, "demand_sd", sd, "the level range exceeds MAX_LEVELS integers"));
    }
    let mut prob = Vec::with_capacity((d_max - d_min + 1) as usize);
    for d in d_min..=d_max {
        let df = d as f64;
        prob.push(normal::cdf((df + 0.5 - mu) / sd) - normal::cdf((df - 0.5 - mu) / sd));
    }
    for _ in 0..MAX_WIDENINGS {
        if too_wide(x_max) {
            return Err(check::refuse(F, "demand_sd", sd, "the level range exceeds MAX_LEVELS integers"));
        }
        if let Some(answer) = run(m, &prob, d_min, x_min, x_max) {
            return Ok(answer);
        }
        x_max = if x_max > 0 { 2 * x_max } else { x_max + (x_max - x_min).max(1) };
    }
    Err(check::refuse(F, "demand_mean", mu, "the order-up-to level does not settle in a bounded range"))
}

/// One DP pass over the levels x_min..=x_max; None when some best y is the
/// top of the range (the range must grow).
fn run(m: &FiniteHorizonParams, prob: &[f64], d_min: i64, x_min: i64, x_max: i64) -> Option<FiniteHorizon> {
    let width = (x_max - x_min + 1) as usize;
    let level = |i: usize| x_min + i as i64;
    let mut next: Vec<f64> = (0..width)
        .map(|i| {
            let x = level(i) as f64;
            m.terminal_holding_cost * x.max(0.0) + m.terminal_stockout_cost * (-x).max(0.0)
        })
        .collect();
    // The newsvendor part of H_t is the same in every period.
    let mut newsvendor = Vec::with_capacity(width);
    for i in 0..width {
        let z = (level(i) as f64 - m.demand_mean) / m.demand_sd;
        newsvendor
            .push(m.demand_sd * (m.holding_cost * loss::std_loss_complement(z) + m.stockout_cost * loss::std_loss(z)));
    }
    let mut reorder_points = vec![0; m.num_periods];
    let mut order_up_to_levels = vec![0; m.num_periods];
    let mut h = vec![0.0; width];
    let mut theta = vec![0.0; width];
    let mut best_y = vec![0usize; width];
    for t in (0..m.num_periods).rev() {
        for (yi, hy) in h.iter_mut().enumerate() {
            let y = level(yi);
            let mut future = 0.0;
            for (k, pk) in prob.iter().enumerate() {
                let after = (y - (d_min + k as i64)).clamp(x_min, x_max);
                future += pk * next[(after - x_min) as usize];
            }
            *hy = newsvendor[yi] + m.discount_factor * future;
        }
        for xi in 0..width {
            let x = level(xi);
            let (mut best, mut arg) = (f64::INFINITY, xi);
            for (yi, hy) in h.iter().enumerate().skip(xi) {
                let order = if yi > xi { m.purchase_cost * (level(yi) - x) as f64 + m.fixed_cost } else { 0.0 };
                let cost = order + hy;
                if cost < best {
                    best = cost;
                    arg = yi;
                    if yi == width - 1 && xi < width - 1 {
                        return None;
                    }
                }
            }
            theta[xi] = best;
            best_y[xi] = arg;
        }
        let big_s = best_y[0];
        let mut s = 0;
        while s + 1 < width && best_y[s + 1] == big_s {
            s += 1;
        }
        order_up_to_levels[t] = level(big_s);
        reorder_points[t] = level(s);
        std::mem::swap(&mut next, &mut theta);
    }
    let total_cost = next[(m.initial_inventory_level - x_min) as usize];
    Some(FiniteHorizon { reorder_points, order_up_to_levels, total_cost })
}

/// Veinott's myopic bounds per period (Zipkin's r⁺, s⁺, s⁺⁺): with
/// c⁺ = c_t − γc_t+1 (c_T+1 = 0) and the last period's h and p including the
/// terminal costs, G_t(y) = c_t·y + g_t(y) − γc_t+1(y − μ), minimised at
/// S̲_t = μ + σΦ⁻¹((p − c⁺)/(h + p)); the other bounds are where G_t rises by
/// γK, K and K − γK_t+1 (K_T+1 = 0), found by bisection. Needs
/// −h < c⁺ < p in every period.
pub fn myopic_bounds(params: &FiniteHorizonParams) -> Result<Vec<MyopicBounds>, Error> {
    const F: &str = "policy::finite_horizon::myopic_bounds";
    validate(F, params)?;
    let m = params;
    let (mu, sd, gamma, k) = (m.demand_mean, m.demand_sd, m.discount_factor, m.fixed_cost);
    let mut out = Vec::with_capacity(m.num_periods);
    for t in 0..m.num_periods {
        let last = t + 1 == m.num_periods;
        let (h, p) = if last {
            (m.holding_cost + m.terminal_holding_cost, m.stockout_cost + m.terminal_stockout_cost)
        } else {
            (m.holding_cost, m.stockout_cost)
        };
        let (c_next, k_next) = if last { (0.0, 0.0) } else { (m.purchase_cost, k) };
        let c_plus = m.purchase_cost - gamma * c_next;
        let ratio = (p - c_plus) / (h + p);
        if !(ratio > 0.0 && ratio < 1.0) {
            return Err(check::refuse(F, "purchase_cost", m.purchase_cost, "needs −h < c_t − γc_t+1 < p"));
        }
        let g = |y: f64| {
            let z = (y - mu) / sd;
            m.purchase_cost * y + sd * (h * loss::std_loss_complement(z) + p * loss::std_loss(z))
                - gamma * c_next * (y - mu)
        };
        let low = mu + sd * normal::quantile_unchecked(ratio);
        let g_low = g(low);
        // G is convex with slopes −(p − c⁺) and h + c⁺ far out, so stepping
        // by max(μ, 10) brackets every level; bisect to adjacent doubles.
        let step = mu.max(10.0);
        let rise = |target: f64, left: bool| -> f64 {
            if target <= g_low {
                return low;
            }
            let mut far = if left { low - step } else { low + step };
            while g(far) < target {
                far += if left { -step } else { step };
            }
            let (a, b) = if left { (far, low) } else { (low, far) };
            numeric::bisect(|y| g(y) - target, a, b, 0.0)
        };
        let s_over = k - gamma * k_next;
        out.push(MyopicBounds {
            order_up_to_lower: low,
            order_up_to_upper: rise(g_low + gamma * k_next, false),
            reorder_point_lower: rise(g_low + k, true),
            reorder_point_upper: (s_over >= 0.0).then(|| rise(g_low + s_over, true)),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb() -> FiniteHorizonParams {
        FiniteHorizonParams {
            num_periods: 5,
            holding_cost: 1.0,
            stockout_cost: 20.0,
            terminal_holding_cost: 1.0,
            terminal_stockout_cost: 20.0,
            purchase_cost: 2.0,
            fixed_cost: 50.0,
            demand_mean: 100.0,
            demand_sd: 20.0,
            discount_factor: 1.0,
            initial_inventory_level: 0,
        }
    }

    #[test]
    fn myopic_bounds_of_the_textbook_example() {
        // Published example of the textbook's code: period 1 of (5, 1, 20, 1, 20, 2, 50, 100, 20).
        let b = myopic_bounds(&nb()).unwrap()[0];
        assert!((b.order_up_to_lower - 133.367_823_878_941_58).abs() < 1e-9);
        assert!((b.order_up_to_upper - 191.660_229_427_884_36).abs() < 1e-7);
        assert!((b.reorder_point_lower - 110.260_368_485_972_17).abs() < 1e-7);
        assert!((b.reorder_point_upper.unwrap() - 133.367_823_878_941_58).abs() < 1e-9);
    }

    #[test]
    fn cost_of_the_textbook_example() {
        // Published example of the textbook's code: total cost 1558.6946467384012.
        let f = solve(&nb()).unwrap();
        assert!((f.total_cost - 1_558.694_646_738_401_2).abs() < 1e-8, "{}", f.total_cost);
    }

    #[test]
    fn refusals() {
        assert!(solve(&FiniteHorizonParams { num_periods: 0, ..nb() }).is_err());
        assert!(solve(&FiniteHorizonParams { discount_factor: 1.5, ..nb() }).is_err());
        assert!(solve(&FiniteHorizonParams { demand_sd: 0.0, ..nb() }).is_err());
        assert!(myopic_bounds(&FiniteHorizonParams { purchase_cost: 100.0, ..nb() }).is_err());
        for huge in [
            FiniteHorizonParams { demand_mean: 1e300, ..nb() },
            FiniteHorizonParams { initial_inventory_level: i64::MIN, ..nb() },
        ] {
            assert!(solve(&huge).is_err());
        }
    }
}
