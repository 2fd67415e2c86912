//! Safety stock for a cycle service level (Type 1) or a fill rate (Type 2),
//! with demand and lead-time variability and an optional review period, and
//! the service a given reorder level gives.
//!
//! Demand over the protection interval P = L + R (lead time plus review
//! period, in one period unit) is taken as normal with
//! mean μ_P = μ_d·(L + R) and sd σ_P = √((L + R)·σ_d² + μ_d²·σ_L²)
//! (independent per-period demand, independent lead time). The reorder
//! level (the reorder point under continuous review, R = 0, or the
//! order-up-to level under periodic review) is μ_P + k·σ_P.
//!
//! These are the textbook statistics, in floats; where a level becomes stock
//! units, round it with [`units_up`](super::units_up).

use serde::{Deserialize, Serialize};

use super::{check, loss, normal};
use crate::Error;

/// Demand and lead time of one item, all in the same period unit (days,
/// weeks, ...).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProtectionParams {
    /// Mean demand per period, μ_d ≥ 0.
    pub demand_mean: f64,
    /// Standard deviation of demand per period, σ_d ≥ 0.
    pub demand_sd: f64,
    /// Mean lead time in periods, L ≥ 0.
    pub lead_time_mean: f64,
    /// Standard deviation of the lead time in periods, σ_L ≥ 0.
    pub lead_time_sd: f64,
    /// Review period in periods, R ≥ 0 (0 = continuous review).
    pub review_period: f64,
}

/// A safety stock and the reorder level it gives.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SafetyStock {
    /// Safety factor k (the standard normal z for Type 1).
    pub z: f64,
    /// Mean demand over the protection interval, μ_P = μ_d·(L + R).
    pub protection_mean: f64,
    /// Sd of demand over the protection interval, σ_P.
    pub protection_sd: f64,
    /// Safety stock k·σ_P.
    pub safety_stock: f64,
    /// Reorder point (R = 0) or order-up-to level: μ_P + k·σ_P.
    pub reorder_level: f64,
}

/// The service a given reorder level gives (Chopra & Meindl §11).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Mean demand over the protection interval, μ_P.
    pub protection_mean: f64,
    /// Sd of demand over the protection interval, σ_P.
    pub protection_sd: f64,
    /// Safety stock: reorder level − μ_P (negative when below the mean).
    pub safety_stock: f64,
    /// Safety factor k = safety stock / σ_P.
    pub z: f64,
    /// Cycle service level Φ(k): probability of no stockout in a cycle.
    pub cycle_service_level: f64,
    /// Expected shortage per replenishment cycle, ESC = σ_P·L(k).
    pub expected_shortage_per_cycle: f64,
    /// Fill rate 1 − ESC/Q: the share of demand met from stock.
    pub fill_rate: f64,
}

/// Validated μ_P and σ_P of the protection interval.
fn protection(function: &'static str, p: &ProtectionParams) -> Result<(f64, f64), Error> {
    let mu = check::non_negative(function, "demand_mean", p.demand_mean)?;
    let sd = check::non_negative(function, "demand_sd", p.demand_sd)?;
    let lt = check::non_negative(function, "lead_time_mean", p.lead_time_mean)?;
    let lt_sd = check::non_negative(function, "lead_time_sd", p.lead_time_sd)?;
    let r = check::non_negative(function, "review_period", p.review_period)?;
    let periods = lt + r;
    let mean = mu * periods;
    let var = periods * sd * sd + mu * mu * lt_sd * lt_sd;
    if !(mean.is_finite() && var.is_finite()) {
        return Err(check::refuse(function, "demand_mean", mu, "protection-interval demand overflows"));
    }
    Ok((mean, libm::sqrt(var)))
}

/// Type 1: the safety stock for a cycle service level α (the probability of
/// no stockout in a replenishment cycle): k = Φ⁻¹(α). Allocation-free.
///
/// ```
/// use ims_core::policy::safety_stock::{type1, ProtectionParams};
/// // Snyder & Shen ex. 4.4: μ=50, σ=8 per period, L=4, R=1, α=0.7/0.88.
/// let p = ProtectionParams { demand_mean: 50.0, demand_sd: 8.0, lead_time_mean: 4.0, lead_time_sd: 0.0, review_period: 1.0 };
/// let s = type1(&p, 0.7 / 0.88).unwrap();
/// assert!((s.reorder_level - 264.7668943741548).abs() < 1e-9);
/// ```
pub fn type1(params: &ProtectionParams, cycle_service_level: f64) -> Result<SafetyStock, Error> {
    const F: &str = "policy::safety_stock::type1";
    let alpha = check::probability(F, "cycle_service_level", cycle_service_level)?;
    let (mean, sd) = protection(F, params)?;
    let z = normal::quantile_unchecked(alpha);
    let safety_stock = z * sd;
    Ok(SafetyStock { z, protection_mean: mean, protection_sd: sd, safety_stock, reorder_level: mean + safety_stock })
}

/// Type 2: the safety stock for a fill rate β (the share of demand met from
/// stock), given the order quantity Q (for an order-up-to policy, the
/// expected demand per review period μ_d·R).
///
/// Solves σ_P·L(k) = (1 − β)·Q for k, L the standard normal loss, with
/// [`loss::std_loss_inverse`] (a deterministic bisection: the same bits on
/// every platform). With σ_P = 0 there is no uncertainty to buffer: k = 0
/// and no safety stock. k may be negative (a low fill rate with a large Q
/// needs less than the mean).
///
/// ```
/// use ims_core::policy::safety_stock::{service, type2, ProtectionParams};
/// let p = ProtectionParams { demand_mean: 250.0, demand_sd: 150.0, lead_time_mean: 2.0, lead_time_sd: 0.0, review_period: 0.0 };
/// let s = type2(&p, 0.98, 1000.0).unwrap();
/// let back = service(&p, s.reorder_level, 1000.0).unwrap();
/// assert!((back.fill_rate - 0.98).abs() < 1e-12);
/// ```
pub fn type2(params: &ProtectionParams, fill_rate: f64, order_quantity: f64) -> Result<SafetyStock, Error> {
    const F: &str = "policy::safety_stock::type2";
    let beta = check::probability(F, "fill_rate", fill_rate)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    let (mean, sd) = protection(F, params)?;
    if sd == 0.0 {
        return Ok(SafetyStock {
            z: 0.0,
            protection_mean: mean,
            protection_sd: 0.0,
            safety_stock: 0.0,
            reorder_level: mean,
        });
    }
    let target = (1.0 - beta) * q / sd;
    if !target.is_finite() {
        return Err(check::refuse(F, "order_quantity", q, "too large for the demand sd"));
    }
    let z = loss::std_loss_inverse(target)?;
    let safety_stock = z * sd;
    Ok(SafetyStock { z, protection_mean: mean, protection_sd: sd, safety_stock, reorder_level: mean + safety_stock })
}

/// The cycle service level and fill rate a given reorder level gives, with
/// order quantity Q (Chopra & Meindl ex. 11-4: CSL = Φ(k), ESC = σ_P·L(k),
/// fill rate = 1 − ESC/Q). Needs σ_P > 0.
pub fn service(params: &ProtectionParams, reorder_level: f64, order_quantity: f64) -> Result<Service, Error> {
    const F: &str = "policy::safety_stock::service";
    let rop = check::finite(F, "reorder_level", reorder_level)?;
    let q = check::positive(F, "order_quantity", order_quantity)?;
    let (mean, sd) = protection(F, params)?;
    if sd == 0.0 {
        return Err(check::refuse(
            F,
            "demand_sd",
            params.demand_sd,
            "demand over the protection interval has no spread",
        ));
    }
    let safety_stock = rop - mean;
    let z = safety_stock / sd;
    let esc = sd * loss::std_loss(z);
    Ok(Service {
        protection_mean: mean,
        protection_sd: sd,
        safety_stock,
        z,
        cycle_service_level: normal::cdf(z),
        expected_shortage_per_cycle: esc,
        fill_rate: 1.0 - esc / q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chopra() -> ProtectionParams {
        ProtectionParams {
            demand_mean: 250.0,
            demand_sd: 150.0,
            lead_time_mean: 2.0,
            lead_time_sd: 0.0,
            review_period: 0.0,
        }
    }

    #[test]
    fn chopra_ex_11_4() {
        // Full-precision values from the vectors' note.
        let s = service(&chopra(), 600.0, 1000.0).unwrap();
        assert_eq!(s.protection_mean, 500.0);
        assert!((s.protection_sd - 212.132_034_355_964_26).abs() < 1e-12);
        assert!((s.cycle_service_level - 0.681_324_1).abs() < 1e-7);
        assert!((s.expected_shortage_per_cycle - 43.861_259).abs() < 1e-6);
        assert!((s.fill_rate - 0.956_138_7).abs() < 1e-7);
    }

    #[test]
    fn lead_time_variability_adds_to_the_sd() {
        // Chopra & Meindl ex. 11-8 style: D=2500/day sd 500, L=7 sd 7 days:
        // σ_L = √(7·500² + 2500²·7²) = 17,550.
        let p = ProtectionParams {
            demand_mean: 2500.0,
            demand_sd: 500.0,
            lead_time_mean: 7.0,
            lead_time_sd: 7.0,
            review_period: 0.0,
        };
        let s = type1(&p, 0.9).unwrap();
        assert!((s.protection_sd - 17_549.928_774_784_2).abs() < 1e-8, "{}", s.protection_sd);
        assert_eq!(s.protection_mean, 17_500.0);
        assert!((s.safety_stock - 1.281_551_565_544_600_4 * s.protection_sd).abs() < 1e-9);
    }

    #[test]
    fn type2_inverts_service() {
        for beta in [0.5, 0.9, 0.99, 0.999_999] {
            for q in [10.0, 1000.0, 100_000.0] {
                let s = type2(&chopra(), beta, q).unwrap();
                let back = service(&chopra(), s.reorder_level, q).unwrap();
                assert!((back.fill_rate - beta).abs() < 1e-12, "β {beta} Q {q}: {}", back.fill_rate);
            }
        }
        let flat = ProtectionParams { demand_sd: 0.0, ..chopra() };
        let s = type2(&flat, 0.99, 100.0).unwrap();
        assert_eq!((s.safety_stock, s.reorder_level), (0.0, 500.0));
    }

    #[test]
    fn bad_input_is_refused() {
        let p = chopra();
        assert!(type1(&p, 1.0).is_err());
        assert!(type1(&ProtectionParams { demand_sd: -1.0, ..p }, 0.9).is_err());
        assert!(type1(&ProtectionParams { lead_time_mean: f64::NAN, ..p }, 0.9).is_err());
        assert!(type1(&ProtectionParams { review_period: f64::INFINITY, ..p }, 0.9).is_err());
        assert!(type2(&p, 0.9, 0.0).is_err());
        assert!(type2(&p, 0.0, 10.0).is_err());
        assert!(service(&p, f64::NAN, 10.0).is_err());
        assert!(service(&ProtectionParams { demand_sd: 0.0, ..p }, 600.0, 10.0).is_err());
    }
}
