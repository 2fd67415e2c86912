//! Holdout accuracy: MAE, RMSE and MASE.

use serde::{Deserialize, Serialize};

use super::Method;
use crate::error::Error;

/// Error measures of a method's forecasts on a holdout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// Mean absolute error over the holdout.
    pub mae: f64,
    /// Root mean squared error over the holdout.
    pub rmse: f64,
    /// Mean absolute scaled error: `mae` divided by the in-sample MAE of the
    /// naive one-step forecast on the training part, mean |yₜ − yₜ₋₁| for
    /// t = 2..n−k (Hyndman & Koehler 2006, non-seasonal). `None` when that
    /// scale is undefined (fewer than 2 training points) or 0 (a constant
    /// training series).
    pub mase: Option<f64>,
}

/// Fits `method` on the first `n − holdout` points of `y`, forecasts the last
/// `holdout` points (horizons 1..=holdout from the same origin) and scores them.
///
/// `holdout` must be at least 1 and leave the method enough training points
/// ([`Method::min_len`]); otherwise [`Error::InvalidParameter`].
pub fn evaluate(method: &Method, y: &[f64], holdout: usize) -> Result<Accuracy, Error> {
    const F: &str = "forecast::evaluate";
    if holdout == 0 || holdout >= y.len() {
        return Err(Error::InvalidParameter {
            function: F,
            param: "holdout",
            value: holdout.to_string(),
            reason: "the holdout must hold at least one point and leave at least one for training",
        });
    }
    let (train, test) = y.split_at(y.len() - holdout);
    // The test part is checked too: a NaN there would poison the scores.
    super::check_series(test, false, F)?;
    let tail = super::tail(method, train, F)?;

    let (mut abs_sum, mut sq_sum) = (0.0, 0.0);
    for (i, &actual) in test.iter().enumerate() {
        let e = actual - tail.at(i + 1);
        abs_sum += e.abs();
        sq_sum += e * e;
    }
    let k = holdout as f64;
    let mae = abs_sum / k;
    let rmse = (sq_sum / k).sqrt();

    let mut naive_sum = 0.0;
    for w in train.windows(2) {
        naive_sum += (w[1] - w[0]).abs();
    }
    let scale = if train.len() >= 2 { naive_sum / (train.len() - 1) as f64 } else { 0.0 };
    let mase = if scale > 0.0 { Some(mae / scale) } else { None };
    Ok(Accuracy { mae, rmse, mase })
}
