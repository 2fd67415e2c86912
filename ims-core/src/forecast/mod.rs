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
//! `CrostonClassic`, `CrostonSBA` and `TSB` to 1e-9 relative (the fixtures in
//! `tests/vectors/statsforecast.json`); Holt follows statsmodels'
//! `legacy-heuristic` initialisation as the public vectors do. Where the
//! conventions could differ:
//!
//! * **Fitted values** are `None` where a method has none: the first
//!   observation (all methods but the historic average and Holt) and the first
//!   `window_size` observations of the window average. statsforecast's
//!   `WindowAverage` gives no fitted values at all; ours are the mean of the
//!   `window_size` observations before each point.
//! * **Historic average**: the fitted value is the full-sample mean at every
//!   point, as statsforecast returns it.
//! * **SES / Croston / TSB initialisation**: each smoothed sequence starts at
//!   its first element (l₀ = y₁, R's `initial = "simple"`).
//! * **Croston**: the first interval counts from the start of the series
//!   (intervals = diff([0, 1-based demand positions])); sizes and intervals are
//!   updated only in demand periods; before the first demand the fitted value
//!   is 0; a series with no demand forecasts 0. statsforecast's
//!   `CrostonClassic` fixes alpha = 0.1 and its `CrostonSBA` the factor 0.95 =
//!   1 − 0.1/2; here alpha is a parameter (default 0.1) and SBA's factor is
//!   1 − alpha/2 (R `croston(type = "sba")`).
//! * **TSB**: the probability SES starts at the first period's 0 or 1, the size
//!   SES at the first non-zero demand.
//! * **Holt**: l₀ = y₁, b₀ = y₂ − y₁, and the first observation is smoothed, so
//!   `fitted[0]` = y₂; statsmodels' `fittedfcast` (n + 1 entries) is `fitted`
//!   followed by `forecast[0]`.
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
