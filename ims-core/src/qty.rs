//! Exact quantities: integer counts of an item's smallest unit inside the
//! engine, decimals at the edges, exact rational unit factors.
//!
//! Every conversion that could lose information either is exact or names its
//! rounding rule; nothing here uses floating point.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A quantity in the item's smallest unit (10^-scale of its base unit).
pub type Minor = i64;

/// The largest quantity scale an item may use (decimal places of its base unit).
pub const MAX_SCALE: u8 = 9;

/// How a conversion that is not exact is rounded. There is no default: a call
/// that needs rounding and does not name a mode is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
    /// To nearest, ties away from zero.
    HalfUp,
    /// To nearest, ties to even (banker's rounding).
    HalfEven,
}

/// An exact rational factor: one alternative unit equals `num / den` base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnitFactor {
    /// Numerator (> 0).
    pub num: u32,
    /// Denominator (> 0).
    pub den: u32,
}

impl UnitFactor {
    /// The identity factor of the base unit.
    pub const ONE: UnitFactor = UnitFactor { num: 1, den: 1 };

    /// A reduced factor; `None` when either part is zero.
    pub fn new(num: u32, den: u32) -> Option<UnitFactor> {
        if num == 0 || den == 0 {
            return None;
        }
        let g = gcd(num as u64, den as u64) as u32;
        Some(UnitFactor { num: num / g, den: den / g })
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl fmt::Display for UnitFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl FromStr for UnitFactor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (n, d) = match s.split_once('/') {
            Some((n, d)) => (n.trim(), d.trim()),
            None => (s.trim(), "1"),
        };
        let num: u32 = n.parse().map_err(|_| format!("bad unit factor {s:?}"))?;
        let den: u32 = d.parse().map_err(|_| format!("bad unit factor {s:?}"))?;
        UnitFactor::new(num, den).ok_or_else(|| format!("unit factor {s:?} must be positive"))
    }
}

impl Serialize for UnitFactor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for UnitFactor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

const POW10: [i128; 29] = {
    let mut t = [1i128; 29];
    let mut i = 1;
    while i < 29 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Why a conversion to minor units failed, before the caller names the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertError {
    /// The value needs rounding and no mode was given.
    Inexact,
    /// The value does not fit an `i64` of minor units.
    Overflow,
}

/// Converts `qty` (in a unit of `factor` base units) to minor units of an item
/// with `scale` decimal places, exactly or by the named rounding.
pub fn to_minor(
    qty: Decimal,
    factor: UnitFactor,
    scale: u8,
    rounding: Option<Rounding>,
) -> Result<Minor, ConvertError> {
    let m = qty.mantissa();
    let e = qty.scale() as usize;
    let num = m
        .checked_mul(factor.num as i128)
        .and_then(|v| v.checked_mul(POW10[scale as usize]))
        .ok_or(ConvertError::Overflow)?;
    let den = (factor.den as i128).checked_mul(POW10[e]).ok_or(ConvertError::Overflow)?;
    let q = num / den;
    let r = num % den;
    let q = if r == 0 {
        q
    } else {
        let mode = rounding.ok_or(ConvertError::Inexact)?;
        round_quotient(q, r, den, mode)
    };
    i64::try_from(q).map_err(|_| ConvertError::Overflow)
}

/// Rounds the truncated quotient `q` with remainder `r` (same sign as the
/// dividend, as Rust's `%` gives) of a division by the positive `den`.
fn round_quotient(q: i128, r: i128, den: i128, mode: Rounding) -> i128 {
    let away = if r < 0 { q - 1 } else { q + 1 };
    let twice = r.abs() * 2;
    match mode {
        Rounding::Down => q,
        Rounding::Up => away,
        Rounding::HalfUp => {
            if twice >= den {
                away
            } else {
                q
            }
        }
        Rounding::HalfEven => {
            if twice > den || (twice == den && q % 2 != 0) {
                away
            } else {
                q
            }
        }
    }
}

/// Minor units back to a normalised decimal of the base unit.
pub fn to_decimal(qty: Minor, scale: u8) -> Decimal {
    Decimal::from_i128_with_scale(qty as i128, scale as u32).normalize()
}

/// Minor units of an `i128` scope sum back to a decimal; saturates far
/// outside any real stock (beyond 7.9e28 units).
pub fn wide_to_decimal(qty: i128, scale: u8) -> Decimal {
    Decimal::try_from_i128_with_scale(qty, scale as u32)
        .unwrap_or(if qty < 0 { Decimal::MIN } else { Decimal::MAX })
        .normalize()
}

/// Adds two quantities, refusing overflow.
pub fn checked_add(a: Minor, b: Minor) -> Result<Minor, Error> {
    a.checked_add(b).ok_or(Error::QuantityOverflow)
}

/// The fewest minor units that cover `qty` base units of an item with
/// `scale` decimals — what a wanted quantity needs available, so that
/// `available >= minor_covering(qty)` is exactly `available >= qty` (half a
/// whole-unit item needs 1). Refuses a quantity not above zero
/// (`INVALID_QUANTITY`) or beyond an `i64` of minor units
/// (`QUANTITY_OVERFLOW`).
pub fn minor_covering(qty: Decimal, scale: u8) -> Result<Minor, Error> {
    if qty <= Decimal::ZERO {
        return Err(Error::InvalidQuantity { field: "qty", qty });
    }
    to_minor(qty, UnitFactor::ONE, scale, Some(Rounding::Up)).map_err(|_| Error::QuantityOverflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_wanted_quantity_is_covered_by_whole_minor_units() {
        assert_eq!(minor_covering(d("2.5"), 3), Ok(2500));
        assert_eq!(minor_covering(d("2.5001"), 3), Ok(2501));
        assert_eq!(minor_covering(d("0.5"), 0), Ok(1));
        assert_eq!(minor_covering(d("1"), 0), Ok(1));
        assert_eq!(minor_covering(d("0"), 0), Err(Error::InvalidQuantity { field: "qty", qty: d("0") }));
        assert_eq!(minor_covering(d("-1"), 2), Err(Error::InvalidQuantity { field: "qty", qty: d("-1") }));
        assert_eq!(minor_covering(d("10000000000"), 9), Err(Error::QuantityOverflow));
    }

    #[test]
    fn exact_conversions() {
        assert_eq!(to_minor(d("1.5"), UnitFactor::ONE, 3, None), Ok(1500));
        let case = UnitFactor::new(12, 1).unwrap();
        assert_eq!(to_minor(d("2"), case, 0, None), Ok(24));
        let gram = UnitFactor::new(1, 1000).unwrap();
        assert_eq!(to_minor(d("250"), gram, 3, None), Ok(250));
        assert_eq!(to_minor(d("-2"), case, 0, None), Ok(-24));
    }

    #[test]
    fn inexact_needs_a_mode() {
        let third = UnitFactor::new(1, 3).unwrap();
        assert_eq!(to_minor(d("1"), third, 0, None), Err(ConvertError::Inexact));
        assert_eq!(to_minor(d("1"), third, 0, Some(Rounding::Up)), Ok(1));
        assert_eq!(to_minor(d("1"), third, 0, Some(Rounding::Down)), Ok(0));
        assert_eq!(to_minor(d("0.25"), UnitFactor::ONE, 1, Some(Rounding::HalfEven)), Ok(2));
        assert_eq!(to_minor(d("0.35"), UnitFactor::ONE, 1, Some(Rounding::HalfEven)), Ok(4));
        assert_eq!(to_minor(d("0.25"), UnitFactor::ONE, 1, Some(Rounding::HalfUp)), Ok(3));
        assert_eq!(to_minor(d("-0.25"), UnitFactor::ONE, 1, Some(Rounding::HalfUp)), Ok(-3));
        assert_eq!(to_minor(d("0.001"), UnitFactor::ONE, 2, None), Err(ConvertError::Inexact));
    }

    #[test]
    fn overflow_is_refused() {
        assert_eq!(to_minor(d("10000000000"), UnitFactor::ONE, 9, None), Err(ConvertError::Overflow));
        assert_eq!(checked_add(i64::MAX, 1), Err(Error::QuantityOverflow));
    }

    #[test]
    fn decimals_are_normalised() {
        assert_eq!(to_decimal(1500, 3).to_string(), "1.5");
        assert_eq!(to_decimal(-7, 0).to_string(), "-7");
        assert_eq!("12".parse::<UnitFactor>().unwrap(), UnitFactor::new(12, 1).unwrap());
        assert_eq!("2/4".parse::<UnitFactor>().unwrap().to_string(), "1/2");
        assert!("0/4".parse::<UnitFactor>().is_err());
    }
}
