//! Loss functions in Snyder & Shen's convention: n(x) = E[(X − x)⁺] is the
//! loss, n̄(x) = E[(x − X)⁺] the complementary loss, and the second-order
//! losses carry a factor ½: n²(x) = ½E[((X − x)⁺)²], n̄²(x) = ½E[((x − X)⁺)²].
//! (Discrete second-order losses, with their own ½ form, live with the
//! discrete distributions in [`discrete`](super::discrete).)
//!
//! Closed forms throughout, so no quadrature error: the normal through φ and
//! Φ, the lognormal through Φ, the gamma through the regularised incomplete
//! gamma function.

use serde::{Deserialize, Serialize};

use super::{check, normal, numeric, special};
use crate::Error;

/// A loss and its complement at one point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Losses {
    /// The loss n(x) = E[(X − x)⁺] (second order: ½E[((X − x)⁺)²]).
    pub n: f64,
    /// The complementary loss n̄(x) = E[(x − X)⁺] (second order: ½E[((x − X)⁺)²]).
    pub n_bar: f64,
}

/// Standard normal loss L(z) = φ(z) − z(1 − Φ(z)) = E[(Z − z)⁺]
/// (Silver–Pyke–Peterson's G_u(z), Chopra's ESC/σ).
pub fn std_loss(z: f64) -> f64 {
    normal::pdf(z) - z * normal::sf(z)
}

/// Standard normal complementary loss L̄(z) = E[(z − Z)⁺] = z + L(z),
/// computed as φ(z) + zΦ(z) so it keeps its precision for negative z.
pub fn std_loss_complement(z: f64) -> f64 {
    normal::pdf(z) + z * normal::cdf(z)
}

/// Standard normal second-order loss L²(z) = ½E[((Z − z)⁺)²]
/// = ½((z² + 1)(1 − Φ(z)) − zφ(z)).
pub fn std_loss2(z: f64) -> f64 {
    0.5 * ((z * z + 1.0) * normal::sf(z) - z * normal::pdf(z))
}

/// Standard normal complementary second-order loss L̄²(z) = ½E[((z − Z)⁺)²]
/// = ½((z² + 1)Φ(z) + zφ(z)).
pub fn std_loss2_complement(z: f64) -> f64 {
    0.5 * ((z * z + 1.0) * normal::cdf(z) + z * normal::pdf(z))
}

/// Width to which [`std_loss_inverse`] brackets z: far below any stock
/// consequence (z·σ), and it bounds the bisection at about 55 halvings.
const Z_TOLERANCE: f64 = 1e-15;

/// The z with L(z) = `target` (> 0): the safety factor of a fill-rate
/// target, and the reorder point of the loss-function (r,Q) approximation.
///
/// L is strictly decreasing from +∞ to 0, so the root is unique. It is
/// bracketed in [−t − 1, 40] (L(−t − 1) > t + 1 and L(40) = 0 in doubles) and
/// found by bisection to a width of 1e-15: a fixed sequence of operations,
/// so the same bits on every platform.
pub fn std_loss_inverse(target: f64) -> Result<f64, Error> {
    let t = check::positive("policy::loss::std_loss_inverse", "target", target)?;
    Ok(numeric::bisect(|z| std_loss(z) - t, -t - 1.0, 40.0, Z_TOLERANCE))
}

/// Validated standardisation (x − mean)/sd of a normal with sd > 0.
fn standardise(function: &'static str, x: f64, mean: f64, sd: f64) -> Result<f64, Error> {
    let x = check::finite(function, "x", x)?;
    let mean = check::finite(function, "mean", mean)?;
    let sd = check::positive(function, "sd", sd)?;
    Ok((x - mean) / sd)
}

/// First-order losses of N(mean, sd²) at x: n = σL(z), n̄ = σL̄(z).
pub fn normal_loss(x: f64, mean: f64, sd: f64) -> Result<Losses, Error> {
    let z = standardise("policy::loss::normal_loss", x, mean, sd)?;
    Ok(Losses { n: sd * std_loss(z), n_bar: sd * std_loss_complement(z) })
}

/// Second-order losses of N(mean, sd²) at x (with the ½): n² = σ²L²(z),
/// n̄² = σ²L̄²(z).
pub fn normal_loss2(x: f64, mean: f64, sd: f64) -> Result<Losses, Error> {
    let z = standardise("policy::loss::normal_loss2", x, mean, sd)?;
    let var = sd * sd;
    Ok(Losses { n: var * std_loss2(z), n_bar: var * std_loss2_complement(z) })
}

/// Losses of the exponential distribution with the given rate (mean 1/rate):
/// n(x) = e^(−rate·x)/rate for x ≥ 0, 1/rate − x below 0; n̄ = x − 1/rate + n.
pub fn exponential_loss(x: f64, rate: f64) -> Result<Losses, Error> {
    const F: &str = "policy::loss::exponential_loss";
    let x = check::finite(F, "x", x)?;
    let rate = check::positive(F, "rate", rate)?;
    let mean = 1.0 / rate;
    if x <= 0.0 {
        return Ok(Losses { n: mean - x, n_bar: 0.0 });
    }
    let n = libm::exp(-rate * x) * mean;
    Ok(Losses { n, n_bar: x - mean + n })
}

/// Losses of the gamma distribution with the given shape a and **scale** b
/// (mean ab): n(x) = ab·Q(a + 1, x/b) − x·Q(a, x/b), Q the regularised upper
/// incomplete gamma function; n̄ = x − ab + n.
pub fn gamma_loss(x: f64, shape: f64, scale: f64) -> Result<Losses, Error> {
    const F: &str = "policy::loss::gamma_loss";
    let x = check::finite(F, "x", x)?;
    let a = check::positive(F, "shape", shape)?;
    let b = check::positive(F, "scale", scale)?;
    let mean = a * b;
    if x <= 0.0 {
        return Ok(Losses { n: mean - x, n_bar: 0.0 });
    }
    let u = x / b;
    let n = mean * special::gamma_q(a + 1.0, u) - x * special::gamma_q(a, u);
    Ok(Losses { n, n_bar: x - mean + n })
}

/// Losses of the lognormal distribution with ln X ~ N(mu, sigma²):
/// n(x) = e^(μ+σ²/2)Φ(d₁) − xΦ(d₂), d₁ = (μ + σ² − ln x)/σ, d₂ = d₁ − σ, for
/// x > 0 (below 0: mean − x); n̄ = x − mean + n, computed as
/// xΦ(−d₂) − e^(μ+σ²/2)Φ(−d₁) so it keeps its precision.
pub fn lognormal_loss(x: f64, mu: f64, sigma: f64) -> Result<Losses, Error> {
    const F: &str = "policy::loss::lognormal_loss";
    let x = check::finite(F, "x", x)?;
    let mu = check::finite(F, "mu", mu)?;
    let sigma = check::positive(F, "sigma", sigma)?;
    let mean = libm::exp(mu + 0.5 * sigma * sigma);
    if x <= 0.0 {
        return Ok(Losses { n: mean - x, n_bar: 0.0 });
    }
    let d1 = (mu + sigma * sigma - libm::log(x)) / sigma;
    let d2 = d1 - sigma;
    Ok(Losses { n: mean * normal::cdf(d1) - x * normal::cdf(d2), n_bar: x * normal::sf(d2) - mean * normal::sf(d1) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_normal_identities() {
        for z in [-6.0, -1.4, -0.3, 0.0, 0.3, 1.1, 3.1, 6.0] {
            assert!((std_loss(z) - std_loss(-z) + z).abs() < 1e-15 * (1.0 + z * z), "{z}");
            assert!((std_loss_complement(z) - z - std_loss(z)).abs() < 1e-14, "{z}");
            assert!((std_loss2(z) + std_loss2_complement(z) - 0.5 * (1.0 + z * z)).abs() < 1e-14, "{z}");
        }
        assert!((std_loss(0.0) - 0.398_942_280_401_432_7).abs() < 1e-16);
        assert!((std_loss2(0.0) - 0.25).abs() < 1e-16);
    }

    #[test]
    fn loss_inverse_round_trips() {
        for z in [-50.0, -3.0, -0.5, 0.0, 0.7, 2.0, 5.0, 8.0] {
            let back = std_loss_inverse(std_loss(z)).unwrap();
            assert!((back - z).abs() < 1e-12 * (1.0 + z * z), "{z} {back}");
        }
        assert!(std_loss_inverse(0.0).is_err());
        assert!(std_loss_inverse(f64::INFINITY).is_err());
    }

    #[test]
    fn lognormal_matches_its_moments() {
        // n(0⁺) → mean and n − n̄ = mean − x.
        let l = lognormal_loss(1e-300, 6.0, 0.3).unwrap();
        assert!((l.n - libm::exp(6.045)).abs() < 1e-10);
        let l = lognormal_loss(350.0, 6.0, 0.3).unwrap();
        assert!((l.n - l.n_bar - (libm::exp(6.045) - 350.0)).abs() < 1e-10);
    }

    #[test]
    fn refusals() {
        assert!(normal_loss(1.0, 0.0, 0.0).is_err());
        assert!(normal_loss2(f64::NAN, 0.0, 1.0).is_err());
        assert!(exponential_loss(1.0, -1.0).is_err());
        assert!(gamma_loss(1.0, 0.0, 1.0).is_err());
        assert!(lognormal_loss(1.0, 0.0, f64::INFINITY).is_err());
    }
}
