//! Input validation shared by the policy functions: each check names the
//! function and parameter, so the refusal says exactly what was wrong.

use crate::Error;

fn invalid(function: &'static str, param: &'static str, value: f64, reason: &'static str) -> Error {
    Error::InvalidParameter { function, param, value: format!("{value}"), reason }
}

/// `x` is finite.
pub(crate) fn finite(function: &'static str, param: &'static str, x: f64) -> Result<f64, Error> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(invalid(function, param, x, "must be a finite number"))
    }
}

/// `x` is finite and ≥ 0.
pub(crate) fn non_negative(function: &'static str, param: &'static str, x: f64) -> Result<f64, Error> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(invalid(function, param, x, "must be a finite number >= 0"))
    }
}

/// `x` is finite and > 0.
pub(crate) fn positive(function: &'static str, param: &'static str, x: f64) -> Result<f64, Error> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(invalid(function, param, x, "must be a finite number > 0"))
    }
}

/// `x` is a probability strictly inside (0, 1).
pub(crate) fn probability(function: &'static str, param: &'static str, x: f64) -> Result<f64, Error> {
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(invalid(function, param, x, "must be a probability strictly between 0 and 1"))
    }
}

/// A refusal with a reason of the caller's own (a relation between parameters).
pub(crate) fn refuse(function: &'static str, param: &'static str, value: f64, reason: &'static str) -> Error {
    invalid(function, param, value, reason)
}

/// A refusal of a list parameter (empty, wrong length), naming its length.
pub(crate) fn refuse_len(function: &'static str, param: &'static str, len: usize, reason: &'static str) -> Error {
    Error::InvalidParameter { function, param, value: format!("length {len}"), reason }
}
