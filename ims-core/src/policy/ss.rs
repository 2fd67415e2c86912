//! The periodic-review (s,S) policy (Snyder & Shen §4.4): at each review,
//! when the inventory position is **≤ s**, order up to S. Zero lead time,
//! backorders, end-of-period holding cost h and backorder cost p per unit,
//! fixed cost K per order, i.i.d. discrete demand on {0, 1, ...}.
//!
//! Cost per period (Zheng & Federgruen 1991): with G(y) = h·n̄(y) + p·n(y)
//! and the renewal quantities m(0) = 1/(1 − f(0)),
//! m(j) = m(0)·Σ_{l=1}^{j} f(l)m(j − l), M(0) = 0, M(j) = M(j − 1) + m(j − 1),
//! c(s,S) = (K + Σ_{d=0}^{S−s−1} m(d)·G(S − d)) / M(S − s).

use serde::{Deserialize, Serialize};

use super::check;
use super::discrete::{Discrete, LevelCosts};
use crate::Error;

/// An (s,S) policy and its expected cost per period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ss {
    /// Reorder point s: order when the position is ≤ s.
    pub reorder_point: i64,
    /// Order-up-to level S (> s).
    pub order_up_to_level: i64,
    /// Expected cost per period c(s,S).
    pub cost: f64,
}

/// The power approximation's (s,S), in units of demand (not rounded).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PowerSs {
    /// Reorder point s.
    pub reorder_point: f64,
    /// Order-up-to level S = s + Q.
    pub order_up_to_level: f64,
}

/// The renewal quantities m and M, grown as far as asked.
/// The pmf values f(0), f(1), ... are kept alongside, computed once each.
struct Renewal<'a> {
    demand: &'a Discrete,
    f: Vec<f64>,
    m: Vec<f64>,
    big_m: Vec<f64>,
}

impl<'a> Renewal<'a> {
    fn new(demand: &'a Discrete) -> Self {
        let f0 = demand.prob(0);
        Renewal { demand, f: vec![f0], m: vec![1.0 / (1.0 - f0)], big_m: vec![0.0] }
    }

    /// Extends m to index j and M to index j + 1.
    fn grow(&mut self, j: usize) {
        while self.m.len() <= j {
            let n = self.m.len();
            self.f.push(self.demand.prob(n as i64));
            let mut sum = 0.0;
            for l in 1..=n {
                sum += self.f[l] * self.m[n - l];
            }
            self.m.push(self.m[0] * sum);
        }
        while self.big_m.len() <= j + 1 {
            let n = self.big_m.len();
            self.big_m.push(self.big_m[n - 1] + self.m[n - 1]);
        }
    }
}

/// Everything the search evaluates, memoised.
struct Model<'a> {
    function: &'static str,
    k: f64,
    g: LevelCosts<'a>,
    renewal: Renewal<'a>,
}

/// Largest S − s evaluated: the renewal quantities take O((S − s)²) work,
/// and optimal spans are a few multiples of the EOQ, far below this.
pub const MAX_SPAN: i64 = 20_000;

impl Model<'_> {
    /// c(s,S) for s < S ≤ s + [`MAX_SPAN`].
    fn cost(&mut self, s: i64, big_s: i64) -> Result<f64, Error> {
        let span = big_s.checked_sub(s).filter(|&d| d > 0 && d <= MAX_SPAN).ok_or_else(|| {
            check::refuse(self.function, "order_up_to_level", big_s as f64, "S − s must lie in 1..=MAX_SPAN")
        })? as usize;
        self.renewal.grow(span);
        let mut sum = self.k;
        for d in 0..span {
            sum += self.renewal.m[d] * self.g.at(big_s - d as i64);
        }
        Ok(sum / self.renewal.big_m[span])
    }
}

/// Validated (h, p, K) and demand with f(0) < 1 (some demand arrives).
fn model<'a>(function: &'static str, h: f64, p: f64, k: f64, demand: &'a Discrete) -> Result<Model<'a>, Error> {
    let h = check::positive(function, "holding_cost", h)?;
    let p = check::positive(function, "stockout_cost", p)?;
    let k = check::positive(function, "fixed_cost", k)?;
    if demand.prob(0) >= 1.0 {
        return Err(check::refuse(function, "demand", demand.prob(0), "demand is always 0"));
    }
    Ok(Model { function, k, g: LevelCosts::new(demand, h, p), renewal: Renewal::new(demand) })
}

/// Expected cost per period of a given (s,S), s < S ≤ s + [`MAX_SPAN`].
pub fn cost(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand: &Discrete,
    reorder_point: i64,
    order_up_to_level: i64,
) -> Result<f64, Error> {
    const F: &str = "policy::ss::cost";
    let mut m = model(F, holding_cost, stockout_cost, fixed_cost, demand)?;
    m.cost(reorder_point, order_up_to_level)
}

/// The optimal (s,S) by Zheng & Federgruen's (1991) algorithm: from the
/// minimiser y* of G (the newsvendor level), lower s until c(s, y*) ≤ G(s);
/// then raise S while G(S) ≤ the best cost, and on each improvement raise s
/// while c(s, S) ≤ G(s + 1). Exact for discrete demand; ties keep the
/// incumbent (strict improvement only), as in the paper. Refused if the
/// search would need S − s beyond [`MAX_SPAN`].
pub fn optimum(holding_cost: f64, stockout_cost: f64, fixed_cost: f64, demand: &Discrete) -> Result<Ss, Error> {
    let mut m = model("policy::ss::optimum", holding_cost, stockout_cost, fixed_cost, demand)?;
    let y_star = demand.fractile(stockout_cost / (stockout_cost + holding_cost));
    let mut s = y_star;
    loop {
        s -= 1;
        if m.cost(s, y_star)? <= m.g.at(s) {
            break;
        }
    }
    let mut best = Ss { reorder_point: s, order_up_to_level: y_star, cost: m.cost(s, y_star)? };
    let mut big_s = y_star + 1;
    while m.g.at(big_s) <= best.cost {
        if m.cost(s, big_s)? < best.cost {
            while m.cost(s, big_s)? <= m.g.at(s + 1) {
                s += 1;
            }
            best = Ss { reorder_point: s, order_up_to_level: big_s, cost: m.cost(s, big_s)? };
        }
        big_s += 1;
    }
    Ok(best)
}

/// Ehrhardt & Mosier's (1984) power approximation with zero lead time
/// (μ, σ per period): Q = 1.30·μ^0.494·(K/h)^0.506·(1 + σ²/μ²)^0.116,
/// z = √(Qh/(σp)), s = 0.973μ + σ(0.183/z + 1.063 − 2.192z), S = s + Q.
pub fn power_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
) -> Result<PowerSs, Error> {
    const F: &str = "policy::ss::power_approximation";
    let h = check::positive(F, "holding_cost", holding_cost)?;
    let p = check::positive(F, "stockout_cost", stockout_cost)?;
    let k = check::positive(F, "fixed_cost", fixed_cost)?;
    let mu = check::positive(F, "demand_mean", demand_mean)?;
    let sd = check::positive(F, "demand_sd", demand_sd)?;
    let cv = sd / mu;
    let q = 1.30 * libm::pow(mu, 0.494) * libm::pow(k / h, 0.506) * libm::pow(1.0 + cv * cv, 0.116);
    let z = libm::sqrt(q / sd * (h / p));
    let s = 0.973 * mu + sd * (0.183 / z + 1.063 - 2.192 * z);
    Ok(PowerSs { reorder_point: s, order_up_to_level: s + q })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_of_a_one_point_demand_counts_periods() {
        // Demand always 1: m(j) = 1 for all j, M(j) = j; c(s,S) averages G
        // over S, S−1, ..., s+1 plus K/(S − s).
        let d = Discrete::pmf(vec![0.0, 1.0]).unwrap();
        let c = cost(1.0, 4.0, 6.0, &d, 0, 3).unwrap();
        // G(y) = h·(y − 1) for y ≥ 1: G(3)+G(2)+G(1) = 3.
        assert!((c - (6.0 + 3.0) / 3.0).abs() < 1e-15);
    }

    #[test]
    fn refusals() {
        let d = Discrete::poisson(6.0).unwrap();
        assert!(cost(1.0, 4.0, 5.0, &d, 5, 5).is_err());
        assert!(optimum(1.0, 4.0, 0.0, &d).is_err());
        let zero = Discrete::pmf(vec![1.0]).unwrap();
        assert!(optimum(1.0, 4.0, 5.0, &zero).is_err());
        assert!(power_approximation(1.0, 1.0, 1.0, 0.0, 1.0).is_err());
    }
}
