//! The standard normal distribution: density, distribution function and
//! quantile, with every transcendental from `libm` (DESIGN §8).

use super::check;
use crate::Error;

/// 1/√(2π).
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
/// √(2π).
const SQRT_2PI: f64 = 2.506_628_274_631_000_7;

/// Standard normal density φ(z) = e^(−z²/2)/√(2π).
pub fn pdf(z: f64) -> f64 {
    FRAC_1_SQRT_2PI * libm::exp(-0.5 * z * z)
}

/// Standard normal distribution function Φ(z), through `erfc` so both tails
/// keep their relative precision.
pub fn cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * core::f64::consts::FRAC_1_SQRT_2)
}

/// Upper tail 1 − Φ(z), computed directly (no cancellation for large z).
pub fn sf(z: f64) -> f64 {
    0.5 * libm::erfc(z * core::f64::consts::FRAC_1_SQRT_2)
}

/// Standard normal quantile Φ⁻¹(p) for p in (0, 1).
///
/// Wichura's AS 241 (PPND16, about 1e-16 relative) on the lower tail,
/// followed by one Halley step against `libm::erfc`, so `cdf(quantile(p))`
/// returns `p` to the last bits. The upper half uses the exact symmetry
/// Φ⁻¹(p) = −Φ⁻¹(1 − p) (1 − p is exact for p ≥ ½), so the Halley step
/// always works in the tail where Φ keeps its relative precision.
///
/// ```
/// use ims_core::policy::normal::quantile;
/// assert!((quantile(0.95).unwrap() - 1.6448536269514722).abs() < 1e-15);
/// assert!(quantile(1.0).is_err());
/// ```
pub fn quantile(p: f64) -> Result<f64, Error> {
    check::probability("policy::normal::quantile", "p", p)?;
    Ok(quantile_unchecked(p))
}

/// [`quantile`] for a `p` already known to lie in (0, 1).
pub(crate) fn quantile_unchecked(p: f64) -> f64 {
    if p > 0.5 {
        return -lower_quantile(1.0 - p);
    }
    lower_quantile(p)
}

/// Φ⁻¹(p) for p in (0, ½]: AS 241 and one Halley refinement.
fn lower_quantile(p: f64) -> f64 {
    let x = as241(p);
    if x == 0.0 {
        return x;
    }
    // Halley on f(x) = Φ(x) − p: with u = f/φ, x ← x − u/(1 + x·u/2).
    let e = cdf(x) - p;
    let u = e * SQRT_2PI * libm::exp(0.5 * x * x);
    x - u / (1.0 + 0.5 * x * u)
}

/// Evaluates a degree-7 polynomial with coefficients in ascending order.
fn horner(c: &[f64; 8], x: f64) -> f64 {
    let mut v = c[7];
    for k in (0..7).rev() {
        v = v * x + c[k];
    }
    v
}

/// Wichura (1988), Algorithm AS 241 PPND16, for p in (0, ½].
// The coefficients keep the paper's digits so they can be checked against it.
#[allow(clippy::excessive_precision)]
fn as241(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        133.141_667_891_784_377_45,
        1_971.590_950_306_551_442_7,
        13_731.693_765_509_461_125,
        45_921.953_931_549_871_457,
        67_265.770_927_008_700_853,
        33_430.575_583_588_128_105,
        2_509.080_928_730_122_672_7,
    ];
    const B: [f64; 8] = [
        1.0,
        42.313_330_701_600_911_252,
        687.187_007_492_057_908_3,
        5_394.196_021_424_751_107_7,
        21_213.794_301_586_595_867,
        39_307.895_800_092_710_61,
        28_729.085_735_721_942_674,
        5_226.495_278_852_854_561,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        0.241_780_725_177_450_611_77,
        0.022_723_844_989_269_184_583_3,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        0.689_767_334_985_100_004_55,
        0.148_103_976_427_480_074_59,
        0.015_198_666_563_616_457_196_6,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        0.296_560_571_828_504_891_23,
        0.026_532_189_526_576_123_093,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599_832_206_555_887_937_69,
        0.136_929_880_922_735_805_31,
        0.014_875_361_290_850_614_852_5,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * horner(&A, r) / horner(&B, r);
    }
    // Lower tail: q < 0, so the result is negative.
    let r = libm::sqrt(-libm::log(p));
    if r <= 5.0 {
        let r = r - 1.6;
        -(horner(&C, r) / horner(&D, r))
    } else {
        let r = r - 5.0;
        -(horner(&E, r) / horner(&F, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(cdf(0.0), 0.5);
        assert!((pdf(0.0) - 0.398_942_280_401_432_7).abs() < 1e-17);
        // mpmath: ncdf(1.96), ncdf(-5)
        assert!((cdf(1.96) - 0.975_002_104_851_779_6).abs() <= 2.0 * f64::EPSILON);
        assert!((cdf(-5.0) / 2.866_515_718_791_939e-7 - 1.0).abs() < 1e-14);
        assert!((sf(5.0) / 2.866_515_718_791_939e-7 - 1.0).abs() < 1e-14);
    }

    #[test]
    fn quantile_inverts_cdf_in_both_tails() {
        for p in [1e-300, 1e-20, 1e-8, 0.01, 0.075, 0.3, 0.5, 0.7, 0.925, 0.99, 1.0 - 1e-12] {
            let z = quantile(p).unwrap();
            let back = if p > 0.5 { 1.0 - sf(z) } else { cdf(z) };
            // Φ's relative condition number at z is about 1 + z²: a z that is
            // right to the last bit still moves Φ by that many ulps.
            let tol = 4.0 * f64::EPSILON * (1.0 + z * z) * p.min(1.0 - p);
            assert!((back - p).abs() <= tol, "p {p} z {z} back {back}");
        }
        assert_eq!(quantile(0.5).unwrap(), 0.0);
        assert_eq!(quantile(0.2).unwrap(), -quantile(0.8).unwrap());
    }

    #[test]
    fn z_quantiles_of_the_table() {
        // A&S 26.2 values, as in the public vector `z-quantiles`.
        let table = [
            (0.8, 0.841_621_233_572_914_3),
            (0.9, 1.281_551_565_544_600_4),
            (0.95, 1.644_853_626_951_472_2),
            (0.975, 1.959_963_984_540_054),
            (0.99, 2.326_347_874_040_840_8),
            (0.999, 3.090_232_306_167_813),
        ];
        for (p, z) in table {
            assert!((quantile(p).unwrap() - z).abs() <= 1e-12, "{p}");
        }
    }

    #[test]
    fn quantile_refuses_non_probabilities() {
        for p in [0.0, 1.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(quantile(p).unwrap_err().name(), "INVALID_PARAMETER");
        }
    }
}
