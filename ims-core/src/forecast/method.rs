//! The forecasting methods and their parameters, as one serde enum.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The smoothing constant used when a parameter is left out, and by
/// [`auto`](super::auto): 0.1, statsforecast's fixed Croston alpha and the
/// middle of the 0.05–0.2 range recommended for intermittent demand.
pub const DEFAULT_ALPHA: f64 = 0.1;

fn default_alpha() -> f64 {
    DEFAULT_ALPHA
}

/// A forecasting method with its parameters.
///
/// Serialised with a `method` tag in snake_case, e.g.
/// `{"method":"ses","alpha":0.1}`, `{"method":"window_average","window_size":12}`,
/// `{"method":"tsb","alpha_d":0.1,"alpha_p":0.1}`. The Croston family's
/// `alpha` may be left out (default [`DEFAULT_ALPHA`], statsforecast's fixed value).
///
/// Every smoothing constant lies in (0, 1]; [`Method::validate`] checks it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Method {
    /// Mean of the whole series, flat (statsforecast `HistoricAverage`).
    HistoricAverage,
    /// Mean of the last `window_size` observations, flat (statsforecast
    /// `WindowAverage(window_size)`).
    WindowAverage {
        /// Number of most recent observations averaged (≥ 1, ≤ series length).
        window_size: usize,
    },
    /// Simple exponential smoothing with a fixed `alpha`, level started at the
    /// first observation (statsforecast `SimpleExponentialSmoothing(alpha)`).
    Ses {
        /// Smoothing constant of the level, in (0, 1].
        alpha: f64,
    },
    /// Holt's linear trend with fixed constants; l₀ = y₁, b₀ = y₂ − y₁ and the
    /// first observation is smoothed (statsmodels `legacy-heuristic`).
    Holt {
        /// Smoothing constant of the level, in (0, 1].
        alpha: f64,
        /// Smoothing constant of the trend (β*), in (0, 1].
        beta: f64,
    },
    /// Croston's method: SES of the non-zero sizes over SES of the intervals
    /// (statsforecast `CrostonClassic` when `alpha` = 0.1, R `croston`).
    Croston {
        /// Smoothing constant of sizes and intervals, in (0, 1].
        #[serde(default = "default_alpha")]
        alpha: f64,
    },
    /// Syntetos–Boylan approximation: Croston × (1 − alpha/2)
    /// (statsforecast `CrostonSBA` when `alpha` = 0.1: factor 0.95).
    CrostonSba {
        /// Smoothing constant of sizes and intervals, in (0, 1].
        #[serde(default = "default_alpha")]
        alpha: f64,
    },
    /// Teunter–Syntetos–Babai: SES of the demand probability × SES of the
    /// non-zero sizes (statsforecast `TSB(alpha_d, alpha_p)`).
    Tsb {
        /// Smoothing constant of the non-zero demand sizes, in (0, 1].
        alpha_d: f64,
        /// Smoothing constant of the demand probability, in (0, 1].
        alpha_p: f64,
    },
}

impl Method {
    /// The method's snake_case name, as in its JSON tag.
    pub fn name(&self) -> &'static str {
        match self {
            Method::HistoricAverage => "historic_average",
            Method::WindowAverage { .. } => "window_average",
            Method::Ses { .. } => "ses",
            Method::Holt { .. } => "holt",
            Method::Croston { .. } => "croston",
            Method::CrostonSba { .. } => "croston_sba",
            Method::Tsb { .. } => "tsb",
        }
    }

    /// Checks the parameters: smoothing constants in (0, 1], `window_size` ≥ 1.
    /// Returns [`Error::InvalidParameter`] naming the first bad one.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_as("forecast::Method::validate")
    }

    /// [`Method::validate`], reporting `function` as the function called.
    pub(crate) fn validate_as(&self, f: &'static str) -> Result<(), Error> {
        match *self {
            Method::HistoricAverage => Ok(()),
            Method::WindowAverage { window_size } => {
                if window_size == 0 {
                    return Err(Error::InvalidParameter {
                        function: f,
                        param: "window_size",
                        value: "0".into(),
                        reason: "the window must hold at least one observation",
                    });
                }
                Ok(())
            }
            Method::Ses { alpha } | Method::Croston { alpha } | Method::CrostonSba { alpha } => {
                unit_interval(f, "alpha", alpha)
            }
            Method::Holt { alpha, beta } => {
                unit_interval(f, "alpha", alpha)?;
                unit_interval(f, "beta", beta)
            }
            Method::Tsb { alpha_d, alpha_p } => {
                unit_interval(f, "alpha_d", alpha_d)?;
                unit_interval(f, "alpha_p", alpha_p)
            }
        }
    }

    /// Whether the method is one of the intermittent-demand family (Croston,
    /// SBA, TSB), which needs non-negative demand.
    pub fn is_intermittent(&self) -> bool {
        matches!(self, Method::Croston { .. } | Method::CrostonSba { .. } | Method::Tsb { .. })
    }

    /// The fewest observations the method can fit: `window_size` for the
    /// window average, 2 for Holt (its trend starts at y₂ − y₁), else 1.
    pub fn min_len(&self) -> usize {
        match *self {
            Method::WindowAverage { window_size } => window_size.max(1),
            Method::Holt { .. } => 2,
            _ => 1,
        }
    }
}

/// A smoothing constant must lie in (0, 1]: 0 would never learn, and NaN
/// fails both comparisons, so it is refused too.
fn unit_interval(function: &'static str, param: &'static str, v: f64) -> Result<(), Error> {
    if v > 0.0 && v <= 1.0 {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        function,
        param,
        value: v.to_string(),
        reason: "a smoothing constant must lie in (0, 1]",
    })
}
