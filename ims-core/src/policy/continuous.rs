//! Continuous demand distributions for the general newsvendor: each with
//! its distribution function, quantile and closed-form losses.

use serde::{Deserialize, Serialize};

use super::loss::{self, Losses};
use super::{check, normal, numeric, special};
use crate::Error;

/// A continuous demand distribution.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Continuous {
    /// Normal with the given mean and sd (> 0).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Lognormal: ln X ~ N(mu, sigma²).
    Lognormal {
        /// Mean of ln X.
        mu: f64,
        /// Sd of ln X (> 0).
        sigma: f64,
    },
    /// Exponential with the given rate (mean 1/rate).
    Exponential {
        /// The rate (> 0).
        rate: f64,
    },
    /// Gamma with the given shape and scale (mean shape·scale).
    Gamma {
        /// Shape a (> 0).
        shape: f64,
        /// Scale b (> 0).
        scale: f64,
    },
}

impl Continuous {
    /// Checks the parameters (the loss functions check them again; this
    /// lets the quantile refuse them first).
    pub fn validate(&self) -> Result<(), Error> {
        const F: &str = "policy::continuous::Continuous";
        match *self {
            Continuous::Normal { mean, sd } => {
                check::finite(F, "mean", mean)?;
                check::positive(F, "sd", sd)?;
            }
            Continuous::Lognormal { mu, sigma } => {
                check::finite(F, "mu", mu)?;
                check::positive(F, "sigma", sigma)?;
            }
            Continuous::Exponential { rate } => {
                check::positive(F, "rate", rate)?;
            }
            Continuous::Gamma { shape, scale } => {
                check::positive(F, "shape", shape)?;
                check::positive(F, "scale", scale)?;
            }
        }
        Ok(())
    }

    /// F(x) = P(X ≤ x).
    pub fn cdf(&self, x: f64) -> Result<f64, Error> {
        self.validate()?;
        check::finite("policy::continuous::Continuous::cdf", "x", x)?;
        Ok(match *self {
            Continuous::Normal { mean, sd } => normal::cdf((x - mean) / sd),
            Continuous::Lognormal { mu, sigma } if x > 0.0 => normal::cdf((libm::log(x) - mu) / sigma),
            Continuous::Exponential { rate } if x > 0.0 => -libm::expm1(-rate * x),
            Continuous::Gamma { shape, scale } if x > 0.0 => special::gamma_p(shape, x / scale),
            _ => 0.0,
        })
    }

    /// F⁻¹(p) for p in (0, 1). The gamma quantile is found by bisection on
    /// F to adjacent doubles (F is strictly increasing on (0, ∞)).
    pub fn quantile(&self, p: f64) -> Result<f64, Error> {
        self.validate()?;
        let p = check::probability("policy::continuous::Continuous::quantile", "p", p)?;
        Ok(match *self {
            Continuous::Normal { mean, sd } => mean + sd * normal::quantile_unchecked(p),
            Continuous::Lognormal { mu, sigma } => libm::exp(mu + sigma * normal::quantile_unchecked(p)),
            Continuous::Exponential { rate } => -libm::log1p(-p) / rate,
            Continuous::Gamma { shape, scale } => {
                // Bracket: double the upper end until F passes p.
                let mut hi = shape.max(1.0);
                while special::gamma_p(shape, hi) < p && hi < f64::MAX / 4.0 {
                    hi *= 2.0;
                }
                scale * numeric::bisect(|u| special::gamma_p(shape, u) - p, 0.0, hi, 0.0)
            }
        })
    }

    /// The mean E\[X\].
    pub fn mean(&self) -> f64 {
        match *self {
            Continuous::Normal { mean, .. } => mean,
            Continuous::Lognormal { mu, sigma } => libm::exp(mu + 0.5 * sigma * sigma),
            Continuous::Exponential { rate } => 1.0 / rate,
            Continuous::Gamma { shape, scale } => shape * scale,
        }
    }

    /// First-order losses n(x), n̄(x).
    pub fn loss(&self, x: f64) -> Result<Losses, Error> {
        match *self {
            Continuous::Normal { mean, sd } => loss::normal_loss(x, mean, sd),
            Continuous::Lognormal { mu, sigma } => loss::lognormal_loss(x, mu, sigma),
            Continuous::Exponential { rate } => loss::exponential_loss(x, rate),
            Continuous::Gamma { shape, scale } => loss::gamma_loss(x, shape, scale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_inverts_cdf() {
        let ds = [
            Continuous::Normal { mean: 50.0, sd: 8.0 },
            Continuous::Lognormal { mu: 6.0, sigma: 0.3 },
            Continuous::Exponential { rate: 0.2 },
            Continuous::Gamma { shape: 2.0, scale: 3.0 },
            Continuous::Gamma { shape: 0.5, scale: 1.0 },
        ];
        for d in ds {
            for p in [0.01, 0.3, 0.5, 0.8547, 0.999] {
                let x = d.quantile(p).unwrap();
                assert!((d.cdf(x).unwrap() - p).abs() < 1e-13, "{d:?} {p} {x}");
            }
        }
        assert!(Continuous::Gamma { shape: -1.0, scale: 1.0 }.quantile(0.5).is_err());
        assert!(Continuous::Exponential { rate: 1.0 }.quantile(1.0).is_err());
    }
}
