//! Demand forecasting: pure functions over a series of per-period demand.
//!
//! Methods ([`Method`]): historic average, window (moving) average, simple
//! exponential smoothing, Holt's linear trend, Croston, SBA and TSB, each with
//! fixed parameters. [`fit`] returns the one-step in-sample fitted values and
//! the h-step forecast; [`forecast_into`] / [`forecast_only`] skip the fitted
//! values for bulk work; [`evaluate`] scores a method on a holdout (MAE, RMSE,
//! MASE); [`classify`] puts a series in a Syntetos–Boylan category and [`auto`]
//! picks a method from it.
//!
//! On the same series the results agree with statsforecast 2.1.1's
//! `HistoricAverage`, `WindowAverage`, `SimpleExponentialSmoothing`,
//! `CrostonClassic`, `CrostonSBA` and `TSB` to 1e-9 relative (measured: 1e-14)
//! on the fixtures in `tests/vectors/statsforecast.json`, made by
//! `scripts/fixtures/forecast_statsforecast.py`; Holt follows statsmodels'
//! `legacy-heuristic` initialisation as the public vectors do.
//!
//! ## Conventions: statsforecast, the public vectors' README, and ims
//!
//! Where the two references agree, ims follows both; where they differ, the
//! item says which one the default follows.
//!
//! * **Fitted values** are `None` where a method has none (statsforecast's
//!   NaN): the first observation for SES, Croston, SBA and TSB, the first
//!   `window_size` observations of the window average. The historic average
//!   and Holt have one for every observation.
//! * **Historic average**: both give the full-sample mean as the fitted value
//!   at every point (a fitted constant, not an expanding mean); so does ims.
//! * **Window average**: statsforecast gives no fitted values and a NaN
//!   forecast when the series is shorter than the window. ims gives the mean
//!   of the `window_size` observations before each point as its fitted value,
//!   and refuses a series shorter than the window ([`Error::InvalidParameter`]).
//! * **SES initialisation**: both start the level at the first observation
//!   (l₀ = y₁; R `initial = "simple"`), so `fitted[1]` = y₁.
//! * **Croston's first interval**: both count it from the start of the series
//!   (intervals = diff([0, 1-based demand positions])); sizes and intervals are
//!   each smoothed from their first element and updated only in demand periods.
//! * **Croston's alpha**: statsforecast's `CrostonClassic` fixes 0.1; the
//!   vectors (R `forecast::croston`) take it as a parameter. ims takes it as a
//!   parameter whose default is 0.1, so both hold.
//! * **SBA's factor**: statsforecast hard-codes 0.95; the vectors (R
//!   `croston(type = "sba")`) use 1 − α/2. ims uses 1 − α/2 with α defaulting
//!   to 0.1, which is exactly 0.95 in binary arithmetic too.
//! * **Croston fitted values before the first demand**: 0 in statsforecast (the
//!   vectors say nothing); ims follows statsforecast. A series with no demand
//!   forecasts 0 (statsforecast falls back to the naive method, whose last
//!   value is 0).
//! * **TSB initialisation**: the vectors say nothing; statsforecast starts the
//!   probability at the first period's indicator (0 or 1) and the size at the
//!   first non-zero demand, both as SES from their first element, and an
//!   all-zero series forecasts 0. ims follows statsforecast.
//! * **Holt**: statsforecast has no fixed-parameter Holt (its `Holt` is an ETS
//!   fit with optimised parameters, left out as optimiser-dependent), so ims
//!   follows the vectors: l₀ = y₁, b₀ = y₂ − y₁, and the first observation is
//!   smoothed, so `fitted[0]` = y₂; statsmodels' `fittedfcast` (n + 1 entries)
//!   is `fitted` followed by `forecast[0]`.
//! * **Negative values**: statsforecast's Croston counts a negative value as a
//!   demand period for the intervals but not for the sizes (`y != 0` against
//!   `y > 0`), an inconsistency; ims refuses negative demand for Croston, SBA,
//!   TSB and [`classify`]. SES, Holt and the averages accept any finite value.
//! * **Arithmetic**: updates are written `l ← l + α(y − l)`, algebraically
//!   statsforecast's `αy + (1 − α)l`; it keeps a constant series exactly
//!   constant and agrees with statsforecast to a few ulps. Sums run left to
//!   right (DESIGN §8); numpy's pairwise mean differs only in the last bits.
//!
//! Bad input (a smoothing constant outside (0, 1], `window_size` 0, an empty
//! or too short series, NaN or infinite values, negative demand for the
//! intermittent family) is refused with [`Error::InvalidParameter`].
//!
//! ```
//! use ims_core::forecast::{self, Method};
//!
//! let m: Method = serde_json::from_str(r#"{"method":"ses","alpha":0.5}"#).unwrap();
//! let f = forecast::fit(&m, &[10.0, 12.0, 11.0], 2).unwrap();
//! assert_eq!(f.fitted, vec![None, Some(10.0), Some(11.0)]);
//! assert_eq!(f.forecast, vec![11.0, 11.0]);
//! ```

mod accuracy;
mod classify;
mod kernel;
mod method;
#[cfg(test)]
mod tests;

pub use accuracy::{evaluate, Accuracy};
pub use classify::{auto, classify, method_for, Classification, DemandClass, ADI_CUTOFF, CV2_CUTOFF};
pub use method::{Method, DEFAULT_ALPHA};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use kernel::Skip;

/// A fitted method: one-step in-sample forecasts and the h-step forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// One entry per observation: the forecast of `y[t]` made from `y[..t]`
    /// (`None` where the method has none; see the module docs).
    pub fitted: Vec<Option<f64>>,
    /// The forecasts for the next `h` periods.
    pub forecast: Vec<f64>,
}

/// The level and trend of Holt's method after one observation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HoltState {
    /// The smoothed level lₜ.
    pub level: f64,
    /// The smoothed trend bₜ.
    pub trend: f64,
}

/// Fits `method` to `y` and forecasts `h` periods ahead.
pub fn fit(method: &Method, y: &[f64], h: usize) -> Result<Fit, Error> {
    check(method, y, "forecast::fit")?;
    let mut fitted = Vec::with_capacity(y.len());
    let tail = kernel::run(method, y, &mut fitted);
    Ok(Fit { fitted, forecast: (1..=h).map(|step| tail.at(step)).collect() })
}

/// Writes the forecasts for the next `out.len()` periods into `out`, without
/// computing fitted values and without allocating: the bulk path (many
/// series, one reused buffer). On error `out` is left unchanged.
pub fn forecast_into(method: &Method, y: &[f64], out: &mut [f64]) -> Result<(), Error> {
    let tail = tail(method, y, "forecast::forecast_into")?;
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = tail.at(i + 1);
    }
    Ok(())
}

/// The forecasts for the next `h` periods, without fitted values.
pub fn forecast_only(method: &Method, y: &[f64], h: usize) -> Result<Vec<f64>, Error> {
    let mut out = vec![0.0; h];
    forecast_into(method, y, &mut out)?;
    Ok(out)
}

/// Holt's level and trend after each observation (n entries), for inspection
/// and for checking against published state paths.
pub fn holt_states(y: &[f64], alpha: f64, beta: f64) -> Result<Vec<HoltState>, Error> {
    let method = Method::Holt { alpha, beta };
    check(&method, y, "forecast::holt_states")?;
    let mut states = Vec::with_capacity(y.len());
    kernel::holt(y, alpha, beta, &mut Skip, &mut |level, trend| states.push(HoltState { level, trend }));
    Ok(states)
}

/// Checks the input and runs the method without fitted values.
fn tail(method: &Method, y: &[f64], function: &'static str) -> Result<kernel::Tail, Error> {
    check(method, y, function)?;
    Ok(kernel::run(method, y, &mut Skip))
}

/// Validates the parameters and the series for `method`.
fn check(method: &Method, y: &[f64], function: &'static str) -> Result<(), Error> {
    method.validate_as(function)?;
    check_series(y, method.is_intermittent(), function)?;
    if y.len() < method.min_len() {
        return Err(Error::InvalidParameter {
            function,
            param: "y",
            value: format!("{} observations", y.len()),
            reason: match method {
                Method::WindowAverage { .. } => "the series is shorter than window_size",
                _ => "Holt needs at least two observations (its trend starts at y2 - y1)",
            },
        });
    }
    Ok(())
}

/// A series must be non-empty and finite; demand for the intermittent family
/// (and for classification) must also be non-negative, since a negative value
/// is neither a demand nor its absence.
pub(crate) fn check_series(y: &[f64], non_negative: bool, function: &'static str) -> Result<(), Error> {
    if y.is_empty() {
        return Err(Error::InvalidParameter {
            function,
            param: "y",
            value: "[]".into(),
            reason: "the series is empty",
        });
    }
    for (i, &v) in y.iter().enumerate() {
        let reason = if !v.is_finite() {
            "every observation must be a finite number"
        } else if non_negative && v < 0.0 {
            "intermittent-demand methods and classification need non-negative demand"
        } else {
            continue;
        };
        return Err(Error::InvalidParameter { function, param: "y", value: format!("y[{i}] = {v}"), reason });
    }
    Ok(())
}
