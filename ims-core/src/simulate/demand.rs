//! Demand for a simulation: a given series, or one generated from a seed.
//!
//! The generator is SplitMix64 (a fixed, platform-independent integer
//! recurrence), so a seed gives the same series everywhere; normal draws use
//! Box–Muller with `libm` (DESIGN §8) and are rounded half away from zero
//! and floored at zero; Poisson draws use inversion of the CDF.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Where a simulation's demand comes from (units per period).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "demand", rename_all = "snake_case")]
pub enum Demand {
    /// A given series; it repeats when shorter than the run.
    Series {
        /// Demand per period (non-negative).
        series: Vec<i64>,
    },
    /// Normal demand per period, rounded to whole units, at least 0.
    Normal {
        /// Mean per period.
        mean: f64,
        /// Standard deviation per period.
        sd: f64,
        /// Generator seed.
        seed: u64,
    },
    /// Poisson demand per period.
    Poisson {
        /// Mean per period (at most 700: e^−mean must stay a normal double).
        mean: f64,
        /// Generator seed.
        seed: u64,
    },
}

fn bad(param: &'static str, value: f64, reason: &'static str) -> Error {
    Error::InvalidParameter { function: "simulate", param, value: value.to_string(), reason }
}

impl Demand {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Demand::Series { series } => {
                if series.is_empty() {
                    return Err(bad("series", 0.0, "a demand series needs at least one period"));
                }
                if let Some(&x) = series.iter().find(|&&x| x < 0) {
                    return Err(bad("series", x as f64, "demand cannot be negative"));
                }
            }
            Demand::Normal { mean, sd, .. } => {
                if !mean.is_finite() || *mean < 0.0 {
                    return Err(bad("mean", *mean, "must be finite and non-negative"));
                }
                if !sd.is_finite() || *sd < 0.0 {
                    return Err(bad("sd", *sd, "must be finite and non-negative"));
                }
            }
            Demand::Poisson { mean, .. } => {
                if !mean.is_finite() || !(0.0..=700.0).contains(mean) {
                    return Err(bad("mean", *mean, "must be within 0..=700"));
                }
            }
        }
        Ok(())
    }

    /// The first `n` periods of demand.
    pub fn draw(&self, n: usize) -> Vec<i64> {
        match self {
            Demand::Series { series } => (0..n).map(|t| series[t % series.len()]).collect(),
            Demand::Normal { mean, sd, seed } => {
                let mut g = SplitMix64(*seed);
                (0..n).map(|_| (libm::round(mean + sd * g.normal())).max(0.0) as i64).collect()
            }
            Demand::Poisson { mean, seed } => {
                let mut g = SplitMix64(*seed);
                (0..n).map(|_| g.poisson(*mean)).collect()
            }
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014).
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1): 53 random bits, never exactly 0.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw (Box–Muller, cosine branch).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// A Poisson draw by inversion: walk the CDF from 0.
    pub fn poisson(&mut self, mean: f64) -> i64 {
        let u = self.uniform();
        let mut k = 0i64;
        let mut p = libm::exp(-mean);
        let mut cdf = p;
        // The tail beyond mean + 40 sd has probability far below 2^-53.
        let cap = (mean + 40.0 * libm::sqrt(mean) + 40.0) as i64;
        while u > cdf && k < cap {
            k += 1;
            p *= mean / k as f64;
            cdf += p;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_series_and_the_moments_match() {
        let d = Demand::Normal { mean: 50.0, sd: 8.0, seed: 7 };
        let a = d.draw(20_000);
        assert_eq!(a, d.draw(20_000));
        let mean = a.iter().sum::<i64>() as f64 / a.len() as f64;
        assert!((mean - 50.0).abs() < 0.3, "{mean}");
        let p = Demand::Poisson { mean: 6.0, seed: 1 }.draw(20_000);
        let pm = p.iter().sum::<i64>() as f64 / p.len() as f64;
        let var = p.iter().map(|&x| (x as f64 - pm) * (x as f64 - pm)).sum::<f64>() / p.len() as f64;
        assert!((pm - 6.0).abs() < 0.1 && (var - 6.0).abs() < 0.3, "{pm} {var}");
        // SplitMix64's published first output for seed 0.
        assert_eq!(SplitMix64(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }
}
