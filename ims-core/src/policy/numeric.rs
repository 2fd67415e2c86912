//! Numerical building blocks: the named rounding rule that turns a statistic
//! into stock units, pack and MOQ rounding, and deterministic solvers.
//!
//! Everything here runs a fixed sequence of IEEE operations, so the same
//! inputs give the same bits on every platform (DESIGN §8).

use super::check;
use crate::Error;

/// The grid a statistic is rounded to before it becomes units: noise below
/// a billionth of a unit (7.000000000001 from a sum of floats) must not buy
/// an extra unit.
pub const UNIT_GRID: f64 = 1e-9;

/// Grid steps per unit. The rule multiplies and divides by this exactly
/// representable number, never by the inexact 1e-9 itself, so a statistic
/// that lands on the grid (3.0) comes back exactly and ceils to itself.
const STEPS_PER_UNIT: f64 = 1e9;

/// `x` rounded to the nearest multiple of [`UNIT_GRID`] (ties away from 0).
fn on_grid(x: f64) -> f64 {
    (x * STEPS_PER_UNIT).round() / STEPS_PER_UNIT
}

/// **The named rounding rule** (DESIGN §8): round `x` to the nearest 1e-9,
/// then take the ceiling, giving whole units.
///
/// Saturating: values beyond the `i64` range give `i64::MIN` / `i64::MAX`,
/// and NaN gives 0 (Rust's `as` conversion). Use [`try_units_up`] to refuse
/// non-finite or out-of-range values instead.
///
/// ```
/// use ims_core::policy::units_up;
/// assert_eq!(units_up(7.000000000001), 7);
/// assert_eq!(units_up(7.01), 8);
/// assert_eq!(units_up(-0.5), 0);
/// ```
pub fn units_up(x: f64) -> i64 {
    // `as` saturates and maps NaN to 0: the documented behaviour.
    on_grid(x).ceil() as i64
}

/// [`units_up`] that refuses NaN, infinities and values outside the `i64`
/// range with [`Error::InvalidParameter`].
pub fn try_units_up(x: f64) -> Result<i64, Error> {
    const F: &str = "policy::numeric::try_units_up";
    check::finite(F, "x", x)?;
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    let units = on_grid(x).ceil();
    if !(-LIMIT..LIMIT).contains(&units) {
        return Err(check::refuse(F, "x", x, "does not fit in a 64-bit unit count"));
    }
    Ok(units as i64)
}

/// Rounds a needed quantity to what can be ordered: nothing when `units ≤ 0`,
/// otherwise at least `moq`, then up to a multiple of `multiple` (the pack
/// size). `moq ≥ 0` and `multiple ≥ 1`; an overflowing result is refused.
///
/// ```
/// use ims_core::policy::numeric::order_units;
/// assert_eq!(order_units(0, 10, 6).unwrap(), 0);
/// assert_eq!(order_units(3, 10, 6).unwrap(), 12);
/// assert_eq!(order_units(13, 10, 6).unwrap(), 18);
/// ```
pub fn order_units(units: i64, moq: i64, multiple: i64) -> Result<i64, Error> {
    const F: &str = "policy::numeric::order_units";
    if moq < 0 {
        return Err(check::refuse(F, "moq", moq as f64, "must be >= 0"));
    }
    if multiple < 1 {
        return Err(check::refuse(F, "multiple", multiple as f64, "must be >= 1"));
    }
    if units <= 0 {
        return Ok(0);
    }
    let need = units.max(moq);
    let packs = need / multiple + i64::from(need % multiple != 0);
    packs.checked_mul(multiple).ok_or_else(|| check::refuse(F, "units", units as f64, "the rounded order overflows"))
}

/// Largest number of halvings [`bisect`] performs: enough to shrink any
/// finite bracket to adjacent doubles.
const MAX_HALVINGS: u32 = 2100;

/// Finds a root of a monotone `f` in `[lo, hi]` by bisection, given that
/// `f(lo)` and `f(hi)` differ in sign (or one is 0). Halves until the
/// bracket is no wider than `tol` or the midpoint equals an end (adjacent
/// doubles), then returns the midpoint. A fixed sequence of evaluations:
/// deterministic.
pub(crate) fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64, tol: f64) -> f64 {
    let lo_sign = f(lo) > 0.0;
    for _ in 0..MAX_HALVINGS {
        let mid = 0.5 * (lo + hi);
        if hi - lo <= tol || mid == lo || mid == hi {
            return mid;
        }
        let v = f(mid);
        if v == 0.0 {
            return mid;
        }
        if (v > 0.0) == lo_sign {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_up_rounds_to_the_grid_then_up() {
        assert_eq!(units_up(3.0), 3);
        assert_eq!(units_up(3.0000000004), 3);
        assert_eq!(units_up(3.0000000006), 4);
        assert_eq!(units_up(2.9999999999), 3);
        assert_eq!(units_up(0.1 + 0.2), 1);
        assert_eq!(units_up(-2.5), -2);
        assert_eq!(units_up(f64::NAN), 0);
        assert_eq!(units_up(f64::INFINITY), i64::MAX);
        assert_eq!(units_up(-1e300), i64::MIN);
    }

    #[test]
    fn try_units_up_refuses_what_does_not_fit() {
        assert_eq!(try_units_up(14.2).unwrap(), 15);
        assert_eq!(try_units_up(-3.0).unwrap(), -3);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e19, -1e19] {
            assert_eq!(try_units_up(bad).unwrap_err().name(), "INVALID_PARAMETER", "{bad}");
        }
    }

    #[test]
    fn order_units_applies_moq_then_pack() {
        assert_eq!(order_units(-4, 10, 1).unwrap(), 0);
        assert_eq!(order_units(1, 0, 1).unwrap(), 1);
        assert_eq!(order_units(7, 0, 12).unwrap(), 12);
        assert_eq!(order_units(24, 0, 12).unwrap(), 24);
        assert_eq!(order_units(5, 25, 10).unwrap(), 30);
        assert!(order_units(5, -1, 1).is_err());
        assert!(order_units(5, 0, 0).is_err());
        assert!(order_units(i64::MAX - 1, 0, 10).is_err());
    }

    #[test]
    fn bisect_finds_sqrt_two() {
        let r = bisect(|x| x * x - 2.0, 0.0, 2.0, 0.0);
        assert!((r - core::f64::consts::SQRT_2).abs() <= 4e-16, "{r}");
        let r = bisect(|x| 2.0 - x * x, 0.0, 2.0, 1e-6);
        assert!((r - core::f64::consts::SQRT_2).abs() <= 1e-6, "{r}");
    }
}
