//! Properties of the forecast module: constant series, SES at alpha = 1 is the
//! naive forecast, Croston with demand every period is SES, the bulk path gives
//! fit's bits, holdout scores are consistent, and classification of series
//! whose class is known by construction.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

use ims_core::forecast::{self, DemandClass, Method};
use proptest::collection::vec;
use proptest::prelude::*;

fn alpha() -> impl Strategy<Value = f64> {
    // (0, 1], with 1 itself drawn often: it is the edge of the domain.
    prop_oneof![Just(1.0), 0.001f64..=1.0]
}

/// Every method, parameters drawn from their domains; windows up to `max_window`.
fn method(max_window: usize) -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::HistoricAverage),
        (1..=max_window).prop_map(|window_size| Method::WindowAverage { window_size }),
        alpha().prop_map(|alpha| Method::Ses { alpha }),
        (alpha(), alpha()).prop_map(|(alpha, beta)| Method::Holt { alpha, beta }),
        alpha().prop_map(|alpha| Method::Croston { alpha }),
        alpha().prop_map(|alpha| Method::CrostonSba { alpha }),
        (alpha(), alpha()).prop_map(|(alpha_d, alpha_p)| Method::Tsb { alpha_d, alpha_p }),
    ]
}

/// Non-negative demand, about half the periods empty, sizes up to 1e4.
fn demand(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    vec(prop_oneof![Just(0.0), 0.0f64..1e4, (1u32..500).prop_map(f64::from)], len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Smoothing methods return the constant exactly (the error-correction
    /// update adds α·0); the averages within rounding of their sum; SBA gives
    /// c·(1 − α/2), its deliberate debiasing of Croston.
    #[test]
    fn constant_series_forecast_the_constant(
        (m, n) in method(30).prop_flat_map(|m| { let lo = m.min_len().max(2); (Just(m), lo..lo + 38) }),
        c in prop_oneof![Just(0.0), 0.0f64..1e6],
        h in 1usize..15,
    ) {
        let y = vec![c; n];
        let f = forecast::fit(&m, &y, h).unwrap();
        prop_assert_eq!(f.forecast.len(), h);
        let want = match m { Method::CrostonSba { alpha } => c * (1.0 - alpha / 2.0), _ => c };
        for v in &f.forecast {
            match m {
                Method::HistoricAverage | Method::WindowAverage { .. } =>
                    prop_assert!((v - want).abs() <= 1e-12 * want, "{:?}: {} vs {}", m, v, want),
                _ => prop_assert_eq!(*v, want, "{:?}", m),
            }
        }
    }

    /// Integer demand (the realistic domain, where y − l is exact): SES with
    /// alpha = 1 is the naive method, bit for bit, fitted and forecast.
    #[test]
    fn ses_alpha_one_is_naive_on_integers(y in vec((0u32..100_000).prop_map(f64::from), 1..60), h in 1usize..10) {
        let f = forecast::fit(&Method::Ses { alpha: 1.0 }, &y, h).unwrap();
        prop_assert_eq!(f.fitted[0], None);
        for t in 1..y.len() {
            prop_assert_eq!(f.fitted[t], Some(y[t - 1]));
        }
        prop_assert!(f.forecast.iter().all(|v| *v == y[y.len() - 1]));
    }

    /// On any real series, alpha = 1 is naive within one rounding of the update.
    #[test]
    fn ses_alpha_one_is_naive_on_reals(y in vec(-1e6f64..1e6, 2..60)) {
        let f = forecast::fit(&Method::Ses { alpha: 1.0 }, &y, 1).unwrap();
        for t in 2..y.len() {
            let bound = f64::EPSILON * y[t - 1].abs().max(y[t - 2].abs());
            prop_assert!((f.fitted[t].unwrap() - y[t - 1]).abs() <= bound);
        }
    }

    /// Every interval is 1, so Croston reduces to SES of the series exactly.
    #[test]
    fn croston_with_demand_every_period_is_ses(y in vec(0.001f64..1e5, 1..60), a in alpha(), h in 1usize..10) {
        let croston = forecast::fit(&Method::Croston { alpha: a }, &y, h).unwrap();
        let ses = forecast::fit(&Method::Ses { alpha: a }, &y, h).unwrap();
        prop_assert_eq!(croston, ses);
    }

    /// The bulk path computes the same bits as fit, and fit has one fitted
    /// value per observation.
    #[test]
    fn bulk_path_matches_fit(m in method(20), y in demand(1..80), h in 0usize..20) {
        prop_assume!(y.len() >= m.min_len());
        let f = forecast::fit(&m, &y, h).unwrap();
        prop_assert_eq!(f.fitted.len(), y.len());
        let mut buf = vec![f64::NAN; h];
        forecast::forecast_into(&m, &y, &mut buf).unwrap();
        prop_assert_eq!(buf, f.forecast);
    }

    /// Intermittent-family forecasts are never negative and never above the
    /// largest demand seen.
    #[test]
    fn intermittent_forecasts_stay_within_the_demand(a in alpha(), b in alpha(), y in demand(1..80)) {
        let max = y.iter().cloned().fold(0.0, f64::max);
        for m in [Method::Croston { alpha: a }, Method::CrostonSba { alpha: a }, Method::Tsb { alpha_d: a, alpha_p: b }] {
            let v = forecast::forecast_only(&m, &y, 1).unwrap()[0];
            prop_assert!(v >= 0.0 && v <= max * (1.0 + 1e-12), "{:?}: {} not in [0, {}]", m, v, max);
        }
    }

    /// MAE ≤ RMSE (power means), both ≥ 0, and MASE = MAE / naive scale.
    #[test]
    fn holdout_scores_are_consistent(m in method(10), y in demand(12..60), k in 1usize..6) {
        prop_assume!(y.len() - k >= m.min_len());
        let acc = forecast::evaluate(&m, &y, k).unwrap();
        prop_assert!(acc.mae >= 0.0 && acc.mae <= acc.rmse * (1.0 + 1e-12));
        let train = &y[..y.len() - k];
        let scale: f64 = train.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (train.len() - 1) as f64;
        match acc.mase {
            Some(mase) => prop_assert!((mase - acc.mae / scale).abs() <= 1e-12 * mase.max(1.0)),
            None => prop_assert_eq!(scale, 0.0),
        }
    }

    /// Whatever auto picks can fit the series it was picked for, and its
    /// forecast is never negative.
    #[test]
    fn auto_method_fits_its_series(y in demand(1..80)) {
        let m = forecast::auto(&y).unwrap();
        let f = forecast::fit(&m, &y, 4).unwrap();
        prop_assert!(f.forecast.iter().all(|v| *v >= 0.0), "{:?} {:?}", m, f.forecast);
    }

    /// A series with demand in every period has ADI 1: smooth or erratic.
    #[test]
    fn demand_every_period_is_smooth_or_erratic(y in vec(0.001f64..1e5, 2..60)) {
        let c = forecast::classify(&y).unwrap();
        prop_assert_eq!(c.adi, Some(1.0));
        prop_assert!(matches!(c.class, DemandClass::Smooth | DemandClass::Erratic));
    }

    /// Padding a series with as many empty periods as it has doubles ADI (≥ 2):
    /// intermittent or lumpy, with CV² unchanged.
    #[test]
    fn sparse_series_are_intermittent_or_lumpy(y in vec(0.001f64..1e5, 2..40)) {
        let mut padded = y.clone();
        padded.extend(std::iter::repeat_n(0.0, y.len()));
        let (dense, sparse) = (forecast::classify(&y).unwrap(), forecast::classify(&padded).unwrap());
        prop_assert_eq!(sparse.adi, Some(2.0));
        prop_assert_eq!(sparse.cv2, dense.cv2);
        prop_assert!(matches!(sparse.class, DemandClass::Intermittent | DemandClass::Lumpy));
        prop_assert_eq!(forecast::auto(&padded).unwrap().is_intermittent(), true);
    }

    /// ADI and CV² do not depend on the unit: scaling by a power of two (exact
    /// in binary floating point) leaves both, and the class, bit-identical.
    #[test]
    fn classification_is_scale_free(y in demand(1..60), e in -20i32..20) {
        let s = libm::exp2(f64::from(e));
        let scaled: Vec<f64> = y.iter().map(|v| v * s).collect();
        prop_assert_eq!(forecast::classify(&y).unwrap(), forecast::classify(&scaled).unwrap());
    }
}

fn class(y: &[f64]) -> DemandClass {
    forecast::classify(y).unwrap().class
}

/// Known series, statistics derived by hand.
#[test]
fn classification_of_known_series() {
    // Sizes 4..6 every period, mean 5: ADI 1, CV² = (4/6)/25.
    let smooth = [5.0, 6.0, 5.0, 4.0, 6.0, 4.0];
    let c = forecast::classify(&smooth).unwrap();
    assert_eq!(c.adi, Some(1.0));
    assert!((c.cv2.unwrap() - (2.0 / 3.0) / 25.0).abs() < 1e-15);
    assert_eq!(c.class, DemandClass::Smooth);
    assert_eq!(forecast::auto(&smooth).unwrap(), Method::Ses { alpha: 0.1 });

    // 1 and 10 alternating: mean 5.5, variance 20.25, CV² = 20.25 / 30.25 ≈ 0.669.
    let erratic = [1.0, 10.0, 1.0, 10.0, 1.0, 10.0];
    let c = forecast::classify(&erratic).unwrap();
    assert!((c.cv2.unwrap() - 20.25 / 30.25).abs() < 1e-15);
    assert_eq!(c.class, DemandClass::Erratic);
    assert_eq!(forecast::auto(&erratic).unwrap(), Method::Ses { alpha: 0.1 });

    // Demand of 5 or 6 every third period: ADI 3, CV² = 0.25/30.25.
    let intermittent = [0.0, 0.0, 5.0, 0.0, 0.0, 6.0, 0.0, 0.0, 5.0, 0.0, 0.0, 6.0];
    let c = forecast::classify(&intermittent).unwrap();
    assert_eq!(c.adi, Some(3.0));
    assert_eq!(c.class, DemandClass::Intermittent);
    assert_eq!(forecast::auto(&intermittent).unwrap(), Method::CrostonSba { alpha: 0.1 });

    // Demand of 1 or 20 every other period: ADI 2, CV² = 90.25/110.25.
    let lumpy = [0.0, 1.0, 0.0, 20.0, 0.0, 1.0, 0.0, 20.0];
    let c = forecast::classify(&lumpy).unwrap();
    assert_eq!(c.adi, Some(2.0));
    assert_eq!(c.class, DemandClass::Lumpy);
    assert_eq!(forecast::auto(&lumpy).unwrap(), Method::Tsb { alpha_d: 0.1, alpha_p: 0.1 });

    // The cut-offs belong to the upper classes: 33 periods, 25 with demand of 3.
    let mut edge = vec![3.0; 25];
    edge.extend([0.0; 8]);
    assert_eq!(forecast::classify(&edge).unwrap().adi, Some(forecast::ADI_CUTOFF));
    assert_eq!(class(&edge), DemandClass::Intermittent);
    edge.push(0.0); // one period fewer with demand than periods: still above
    assert_eq!(class(&edge), DemandClass::Intermittent);
    assert_eq!(class(&[3.0; 24].iter().chain(&[0.0; 7]).cloned().collect::<Vec<_>>()), DemandClass::Smooth);

    // Fallbacks.
    let none = forecast::classify(&[0.0; 10]).unwrap();
    assert_eq!((none.adi, none.cv2, none.class), (None, None, DemandClass::NoDemand));
    assert_eq!(forecast::auto(&[0.0; 10]).unwrap(), Method::HistoricAverage);
    let one = forecast::classify(&[0.0, 0.0, 4.0, 0.0]).unwrap();
    assert_eq!((one.adi, one.cv2, one.class), (Some(4.0), Some(0.0), DemandClass::Insufficient));
    assert_eq!(
        forecast::forecast_only(&forecast::auto(&[0.0, 0.0, 4.0, 0.0]).unwrap(), &[0.0, 0.0, 4.0, 0.0], 1).unwrap(),
        vec![1.0]
    );

    // The PBS series of the public vectors: 204 months, sporadic tail.
    let pbs = pbs_series();
    let c = forecast::classify(&pbs).unwrap();
    let demands = pbs.iter().filter(|v| **v > 0.0).count();
    assert_eq!(c.adi, Some(204.0 / demands as f64));
    assert!(c.adi.unwrap() >= forecast::ADI_CUTOFF);
}

fn pbs_series() -> Vec<f64> {
    let path = format!("{}/tests/vectors/statsforecast.json", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["series"]["pbs"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}
