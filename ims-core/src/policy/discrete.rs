//! Demand distributions on the non-negative integers (Poisson, or any pmf
//! given as a list), with their distribution function and the discrete loss
//! functions of Snyder & Shen:
//! n(x) = Σ_{y ≥ x}(y − x)f(y), n̄(x) = Σ_{y ≤ x}(x − y)f(y),
//! n²(x) = ½Σ_{y ≥ x}(y − x)(y − x − 1)f(y), n̄²(x) = ½Σ_{y ≤ x}(x − y)(x + 1 − y)f(y).
//!
//! Sums run over y = 0, 1, 2, ... in that order. For the Poisson the
//! infinite upper tails come from the finite lower sums through the moments
//! (n − n̄ = E\[X\] − x and n² + n̄² = ½E[(X − x)(X − x − 1)]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::check;
use super::loss::Losses;
use crate::Error;

/// How far from 1 a pmf's probabilities may sum (rounding in the caller's
/// own arithmetic, not a truncated tail).
pub const PMF_SUM_TOLERANCE: f64 = 1e-9;

/// Largest Poisson mean accepted: the sums run over the support term by
/// term, and beyond this the normal approximation is as good and far cheaper.
pub const MAX_POISSON_MEAN: f64 = 1e6;

/// A demand distribution on {0, 1, 2, ...}.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Discrete {
    /// Poisson with the given mean (> 0).
    Poisson {
        /// The mean λ.
        mean: f64,
    },
    /// A finite pmf: `probs[k]` = P(X = k).
    Pmf {
        /// The probabilities of 0, 1, ..., len − 1.
        probs: Vec<f64>,
    },
}

impl Discrete {
    /// Poisson with 0 < mean ≤ [`MAX_POISSON_MEAN`].
    pub fn poisson(mean: f64) -> Result<Self, Error> {
        const F: &str = "policy::discrete::Discrete::poisson";
        check::positive(F, "mean", mean)?;
        if mean > MAX_POISSON_MEAN {
            return Err(check::refuse(F, "mean", mean, "too large for exact sums: use the normal approximation"));
        }
        Ok(Discrete::Poisson { mean })
    }

    /// A finite pmf on 0, 1, ..., len − 1: probabilities finite and ≥ 0,
    /// summing to 1 within [`PMF_SUM_TOLERANCE`].
    pub fn pmf(probs: Vec<f64>) -> Result<Self, Error> {
        const F: &str = "policy::discrete::Discrete::pmf";
        if probs.is_empty() {
            return Err(check::refuse_len(F, "probs", 0, "must not be empty"));
        }
        let mut sum = 0.0;
        for &p in &probs {
            check::non_negative(F, "probs", p)?;
            sum += p;
        }
        if (sum - 1.0).abs() > PMF_SUM_TOLERANCE {
            return Err(check::refuse(F, "probs", sum, "probabilities must sum to 1"));
        }
        Ok(Discrete::Pmf { probs })
    }

    /// P(X = k).
    pub fn prob(&self, k: i64) -> f64 {
        if k < 0 {
            return 0.0;
        }
        match self {
            Discrete::Poisson { mean } => poisson_pmf(*mean, k),
            Discrete::Pmf { probs } => usize::try_from(k).ok().and_then(|i| probs.get(i)).copied().unwrap_or(0.0),
        }
    }

    /// The mean E\[X\].
    pub fn mean(&self) -> f64 {
        match self {
            Discrete::Poisson { mean } => *mean,
            Discrete::Pmf { probs } => {
                let mut m = 0.0;
                for (k, p) in probs.iter().enumerate() {
                    m += k as f64 * p;
                }
                m
            }
        }
    }

    /// Largest value with positive probability, when the support is finite.
    fn support_max(&self) -> Option<i64> {
        match self {
            Discrete::Poisson { .. } => None,
            Discrete::Pmf { probs } => Some(probs.len() as i64 - 1),
        }
    }

    /// True at a y beyond a Poisson's mean whose pmf has underflowed to 0:
    /// the pmf decreases there, so every later term is 0 as well. (A finite
    /// pmf may have zeros inside its support, so it never ends early.)
    fn past_tail(&self, y: i64, f: f64) -> bool {
        matches!(self, Discrete::Poisson { mean } if f == 0.0 && y as f64 > *mean)
    }

    /// (y, f(y)) for y = 0, 1, ..., up to `hi`, ending early where the
    /// support ends: at the top of a pmf, and where a Poisson pmf has
    /// underflowed to 0 beyond its mean (every later term is 0 too), so a
    /// sum up to a huge x costs no more than one up to the tail.
    fn terms(&self, hi: i64) -> impl Iterator<Item = (i64, f64)> + '_ {
        let top = self.support_max().map_or(hi, |m| hi.min(m));
        self.seq().take_while(move |&(y, f)| y <= top && !self.past_tail(y, f))
    }

    /// (y, f(y)) for y = 0, 1, 2, ...: to the end of a pmf, without end for
    /// a Poisson. The one place pmf terms are made in order.
    fn seq(&self) -> Terms<'_> {
        let ln_mean = match self {
            Discrete::Poisson { mean } => libm::log(*mean),
            Discrete::Pmf { .. } => 0.0,
        };
        Terms { of: self, y: 0, f: 0.0, ln_mean }
    }

    /// F(x) = P(X ≤ x).
    pub fn cdf(&self, x: i64) -> f64 {
        let mut sum = 0.0;
        for (_, f) in self.terms(x) {
            sum += f;
        }
        sum
    }

    /// First-order losses at x.
    pub fn loss(&self, x: i64) -> Losses {
        let xf = x as f64;
        let mut n_bar = 0.0;
        for (y, f) in self.terms(x) {
            n_bar += (xf - y as f64) * f;
        }
        let n = match self.support_max() {
            None => self.mean() - xf + n_bar,
            Some(top) => {
                let mut n = 0.0;
                for y in x.max(0)..=top {
                    n += (y as f64 - xf) * self.prob(y);
                }
                n
            }
        };
        Losses { n, n_bar }
    }

    /// Second-order losses at x (with the ½ of the discrete form).
    pub fn loss2(&self, x: i64) -> Losses {
        let xf = x as f64;
        let mut n_bar = 0.0;
        for (y, f) in self.terms(x) {
            let d = xf - y as f64;
            n_bar += d * (d + 1.0) * f;
        }
        n_bar *= 0.5;
        let n = match self {
            Discrete::Poisson { mean } => {
                // ½E[(X − x)(X − x − 1)] = ½(λ² + λ − (2x + 1)λ + x(x + 1)).
                let whole = 0.5 * (mean * mean - 2.0 * xf * mean + xf * (xf + 1.0));
                whole - n_bar
            }
            Discrete::Pmf { probs } => {
                let mut n = 0.0;
                for y in x.max(0)..probs.len() as i64 {
                    let d = y as f64 - xf;
                    n += d * (d - 1.0) * self.prob(y);
                }
                0.5 * n
            }
        };
        Losses { n, n_bar }
    }

    /// Smallest x ≥ 0 with F(x) ≥ `alpha` (the newsvendor fractile). Where
    /// F falls short of `alpha` by rounding (an α within an ulp of 1), the
    /// top of the support: a pmf's last value, or where a Poisson's pmf
    /// underflows to 0.
    pub(crate) fn fractile(&self, alpha: f64) -> i64 {
        let top = self.support_max();
        let mut cum = 0.0;
        for (y, f) in self.seq() {
            cum += f;
            if cum >= alpha || top.is_some_and(|t| y >= t) || self.past_tail(y, f) {
                return y;
            }
        }
        top.unwrap_or(0)
    }
}

impl Discrete {
    /// `fractile(alpha)` and the losses at it, each pmf term computed once:
    /// the same terms summed in the same order as the two calls, so the
    /// same bits.
    pub(crate) fn fractile_loss(&self, alpha: f64) -> (i64, Losses) {
        if !matches!(self, Discrete::Poisson { .. }) {
            let s = self.fractile(alpha);
            return (s, self.loss(s));
        }
        let mut f_of = Vec::new();
        let mut cum = 0.0;
        let mut y = 0;
        for (k, f) in self.seq() {
            f_of.push(f);
            cum += f;
            y = k;
            if cum >= alpha || self.past_tail(k, f) {
                break;
            }
        }
        let xf = y as f64;
        let mut n_bar = 0.0;
        for (k, f) in f_of.iter().enumerate() {
            if self.past_tail(k as i64, *f) {
                break;
            }
            n_bar += (xf - k as f64) * f;
        }
        (y, Losses { n: self.mean() - xf + n_bar, n_bar })
    }
}

/// The one-period newsvendor cost g(y) = h·n̄(y) + p·n(y) of a discrete
/// demand, memoised by y: the (r,Q) and (s,S) searches ask for the same
/// levels many times, and each costs a sum over the support.
pub(crate) struct LevelCosts<'a> {
    demand: &'a Discrete,
    holding_cost: f64,
    stockout_cost: f64,
    memo: BTreeMap<i64, f64>,
}

impl<'a> LevelCosts<'a> {
    /// The cost function for holding cost h and stockout cost p.
    pub(crate) fn new(demand: &'a Discrete, holding_cost: f64, stockout_cost: f64) -> Self {
        LevelCosts { demand, holding_cost, stockout_cost, memo: BTreeMap::new() }
    }

    /// g(y).
    pub(crate) fn at(&mut self, y: i64) -> f64 {
        if let Some(&g) = self.memo.get(&y) {
            return g;
        }
        let l = self.demand.loss(y);
        let g = self.holding_cost * l.n_bar + self.stockout_cost * l.n;
        self.memo.insert(y, g);
        g
    }
}

/// Every `ANCHOR`-th Poisson pmf term is computed whole, in logs (an `exp`
/// and an `lgamma`, ≈ 30 ns); the terms between by the recurrence
/// f(k) = f(k − 1)·(λ/k) (a multiply and a divide). Each step of the
/// recurrence rounds once, so a term is within ≈ `ANCHOR` ulps of the exact
/// value, and the anchors keep it from drifting further or from carrying
/// an underflow (e^(−λ) is 0 beyond λ ≈ 745) across the support. Any k's
/// term is defined by this scheme, so `prob(k)` and the sums agree bit for
/// bit.
const ANCHOR: i64 = 32;

/// The term at an anchor: e^(−λ)λ^k/k!, in logs so large means neither
/// underflow nor overflow.
fn poisson_anchor(mean: f64, ln_mean: f64, k: i64) -> f64 {
    let kf = k as f64;
    libm::exp(kf * ln_mean - mean - libm::lgamma(kf + 1.0))
}

/// One step of the recurrence, from f(k − 1) to f(k). The ratio λ/k does
/// not depend on the last term, so its division runs ahead of the chain of
/// multiplies (a divide's latency is several multiplies').
fn poisson_step(mean: f64, before: f64, k: i64) -> f64 {
    before * (mean / k as f64)
}

/// P(X = k) for a Poisson, from the anchor below k.
fn poisson_pmf(mean: f64, k: i64) -> f64 {
    let ln_mean = libm::log(mean);
    let from = k - k % ANCHOR;
    let mut f = poisson_anchor(mean, ln_mean, from);
    for j in from + 1..=k {
        f = poisson_step(mean, f, j);
    }
    f
}

/// The terms of a distribution in order (see [`Discrete::seq`]).
struct Terms<'a> {
    of: &'a Discrete,
    y: i64,
    /// f(y − 1), the recurrence's last term.
    f: f64,
    ln_mean: f64,
}

impl Iterator for Terms<'_> {
    type Item = (i64, f64);

    fn next(&mut self) -> Option<(i64, f64)> {
        let y = self.y;
        let f = match self.of {
            Discrete::Poisson { mean } if y % ANCHOR == 0 => poisson_anchor(*mean, self.ln_mean, y),
            Discrete::Poisson { mean } => poisson_step(*mean, self.f, y),
            Discrete::Pmf { probs } => *probs.get(usize::try_from(y).ok()?)?,
        };
        self.y += 1;
        self.f = f;
        Some((y, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractile_loss_is_the_two_calls_bit_for_bit() {
        let pmf = Discrete::pmf(vec![0.1, 0.2, 0.2, 0.25, 0.15, 0.1]).unwrap();
        for d in
            [Discrete::poisson(0.3).unwrap(), Discrete::poisson(6.0).unwrap(), Discrete::poisson(950.0).unwrap(), pmf]
        {
            for alpha in [0.0, 0.05, 0.5, 0.8, 0.999, 1.0] {
                let s = d.fractile(alpha);
                let (s2, l2) = d.fractile_loss(alpha);
                let l = d.loss(s);
                assert_eq!(
                    (s2, l2.n.to_bits(), l2.n_bar.to_bits()),
                    (s, l.n.to_bits(), l.n_bar.to_bits()),
                    "{d:?} {alpha}"
                );
            }
        }
    }

    #[test]
    fn poisson_terms_are_prob_bit_for_bit_and_near_the_exact_pmf() {
        for mean in [0.3, 6.0, 150.0, 950.0, 40_000.0] {
            let d = Discrete::poisson(mean).unwrap();
            let ln = libm::log(mean);
            let hi = (mean + 12.0 * mean.sqrt() + 40.0) as i64;
            for (k, f) in d.seq().take_while(|&(k, _)| k <= hi) {
                assert_eq!(f.to_bits(), d.prob(k).to_bits(), "λ {mean} k {k}");
                // The log form is itself only as good as its exponent's
                // rounding (|exponent|·ε relative); the recurrence adds at
                // most two roundings a step.
                let kf = k as f64;
                let exponent = kf * ln.abs() + mean + libm::lgamma(kf + 1.0);
                let exact = poisson_anchor(mean, ln, k);
                let tol = (4.0 * exponent + 2.0 * ANCHOR as f64 + 4.0) * f64::EPSILON;
                if exact > 1e-290 {
                    assert!((f - exact).abs() <= tol * exact, "λ {mean} k {k}: {f:e} against {exact:e}");
                }
            }
        }
    }

    #[test]
    fn poisson_sums_and_moments() {
        let d = Discrete::poisson(6.0).unwrap();
        assert!((d.prob(0) - libm::exp(-6.0)).abs() < 1e-18);
        assert!((d.prob(3) - 36.0 * libm::exp(-6.0)).abs() < 1e-15);
        assert!((d.cdf(200) - 1.0).abs() < 1e-14);
        // n(0) = mean, n̄(0) = f(0)·0 = 0.
        let l = d.loss(0);
        assert_eq!((l.n, l.n_bar), (6.0, 0.0));
    }

    #[test]
    fn pmf_losses_by_hand() {
        let d = Discrete::pmf(vec![0.1, 0.2, 0.2, 0.25, 0.15, 0.1]).unwrap();
        // E[(X−4)⁺] = 0.1; E[(4−X)⁺] = 0.4+0.6+0.4+0.25 = 1.65.
        let l = d.loss(4);
        assert!((l.n - 0.1).abs() < 1e-15 && (l.n_bar - 1.65).abs() < 1e-15, "{l:?}");
        assert_eq!(d.fractile(0.8), 4);
        assert!((d.mean() - 2.45).abs() < 1e-15);
    }

    #[test]
    fn sums_stop_at_the_tail_but_not_at_inner_zeros() {
        let d = Discrete::pmf(vec![0.5, 0.0, 0.0, 0.5]).unwrap();
        assert_eq!(d.cdf(2), 0.5);
        assert_eq!(d.loss(10).n_bar, 0.5 * 10.0 + 0.5 * 7.0);
        // A level far beyond the Poisson tail costs no more than the tail.
        let p = Discrete::poisson(6.0).unwrap();
        let l = p.loss(1_000_000_000_000);
        assert!((l.n_bar - (1e12 - 6.0)).abs() < 1e-3 && l.n.abs() < 1e-3, "{l:?}");
        assert_eq!(p.fractile(1.0), p.fractile(1.0 - 1e-17));
        assert!(p.fractile(1.0) > 6);
    }

    #[test]
    fn pmf_refusals() {
        assert!(Discrete::pmf(vec![]).is_err());
        assert!(Discrete::pmf(vec![0.5, 0.4]).is_err());
        assert!(Discrete::pmf(vec![1.5, -0.5]).is_err());
        assert!(Discrete::poisson(0.0).is_err());
    }
}
