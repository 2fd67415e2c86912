//! Refusals of bad input, hand-derived small cases, and the serde shape.

use super::*;

/// The parameter an `InvalidParameter` names, or a panic for anything else.
fn bad_param(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
    match r {
        Err(Error::InvalidParameter { param, .. }) => param,
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn bad_smoothing_constants_are_refused() {
    for a in [0.0, -0.1, 1.0000001, f64::NAN, f64::INFINITY] {
        assert_eq!(bad_param(Method::Ses { alpha: a }.validate()), "alpha");
        assert_eq!(bad_param(fit(&Method::Croston { alpha: a }, &[1.0], 1)), "alpha");
        assert_eq!(bad_param(fit(&Method::CrostonSba { alpha: a }, &[1.0], 1)), "alpha");
        assert_eq!(bad_param(fit(&Method::Holt { alpha: 0.5, beta: a }, &[1.0, 2.0], 1)), "beta");
        assert_eq!(bad_param(fit(&Method::Holt { alpha: a, beta: 0.5 }, &[1.0, 2.0], 1)), "alpha");
        assert_eq!(bad_param(fit(&Method::Tsb { alpha_d: a, alpha_p: 0.5 }, &[1.0], 1)), "alpha_d");
        assert_eq!(bad_param(fit(&Method::Tsb { alpha_d: 0.5, alpha_p: a }, &[1.0], 1)), "alpha_p");
    }
    assert!(Method::Ses { alpha: 1.0 }.validate().is_ok());
    assert!(Method::Ses { alpha: f64::MIN_POSITIVE }.validate().is_ok());
}

#[test]
fn bad_windows_and_short_series_are_refused() {
    assert_eq!(bad_param(Method::WindowAverage { window_size: 0 }.validate()), "window_size");
    assert_eq!(bad_param(fit(&Method::WindowAverage { window_size: 4 }, &[1.0, 2.0, 3.0], 1)), "y");
    assert!(fit(&Method::WindowAverage { window_size: 3 }, &[1.0, 2.0, 3.0], 1).is_ok());
    assert_eq!(bad_param(fit(&Method::Holt { alpha: 0.5, beta: 0.5 }, &[1.0], 1)), "y");
    assert_eq!(bad_param(holt_states(&[1.0], 0.5, 0.5)), "y");
}

#[test]
fn bad_series_are_refused_and_name_the_value() {
    let m = Method::Ses { alpha: 0.5 };
    assert_eq!(bad_param(fit(&m, &[], 3)), "y");
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        match fit(&m, &[1.0, bad, 2.0], 1) {
            Err(Error::InvalidParameter { function, value, .. }) => {
                assert_eq!(function, "forecast::fit");
                assert_eq!(value, format!("y[1] = {bad}"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(bad_param(classify(&[bad])), "y");
        assert_eq!(bad_param(evaluate(&m, &[1.0, 2.0, bad], 1)), "y");
        assert_eq!(bad_param(evaluate(&m, &[bad, 2.0, 3.0], 1)), "y");
    }
    // Negative demand: fine for SES and the averages, refused by the
    // intermittent family and classification.
    let y = [3.0, -1.0, 2.0];
    assert!(fit(&m, &y, 1).is_ok());
    assert!(fit(&Method::HistoricAverage, &y, 1).is_ok());
    for m in
        [Method::Croston { alpha: 0.1 }, Method::CrostonSba { alpha: 0.1 }, Method::Tsb { alpha_d: 0.1, alpha_p: 0.1 }]
    {
        assert_eq!(bad_param(fit(&m, &y, 1)), "y");
    }
    assert_eq!(bad_param(classify(&y)), "y");
    assert_eq!(bad_param(auto(&y)), "y");
    assert_eq!(bad_param(auto(&[])), "y");
}

#[test]
fn forecast_into_leaves_the_buffer_alone_on_error() {
    let mut out = [7.0; 3];
    assert!(forecast_into(&Method::Ses { alpha: 2.0 }, &[1.0], &mut out).is_err());
    assert!(forecast_into(&Method::Ses { alpha: 0.5 }, &[f64::NAN], &mut out).is_err());
    assert_eq!(out, [7.0; 3]);
    forecast_into(&Method::Ses { alpha: 0.5 }, &[2.0, 4.0], &mut out).unwrap();
    assert_eq!(out, [3.0; 3]);
}

#[test]
fn bad_holdouts_are_refused() {
    let m = Method::Ses { alpha: 0.5 };
    let y = [1.0, 2.0, 3.0];
    assert_eq!(bad_param(evaluate(&m, &y, 0)), "holdout");
    assert_eq!(bad_param(evaluate(&m, &y, 3)), "holdout");
    assert_eq!(bad_param(evaluate(&m, &y, 4)), "holdout");
    // Two points left: too few for a window of 3.
    assert_eq!(bad_param(evaluate(&Method::WindowAverage { window_size: 3 }, &[1.0, 2.0, 3.0, 4.0], 2)), "y");
}

#[test]
fn evaluate_by_hand() {
    // Train [1, 2, 3, 4], naive (SES α = 1) forecasts 4 for both holdout points
    // 5 and 6: errors 1 and 2. MAE 1.5, RMSE √2.5, naive in-sample MAE 1.
    let acc = evaluate(&Method::Ses { alpha: 1.0 }, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2).unwrap();
    assert_eq!(acc.mae, 1.5);
    assert_eq!(acc.rmse, 2.5f64.sqrt());
    assert_eq!(acc.mase, Some(1.5));
    // A constant training part has no naive error to scale by.
    let acc = evaluate(&Method::HistoricAverage, &[2.0, 2.0, 2.0, 5.0], 1).unwrap();
    assert_eq!((acc.mae, acc.rmse, acc.mase), (3.0, 3.0, None));
    // One training point: no naive forecast at all.
    assert_eq!(evaluate(&Method::HistoricAverage, &[2.0, 5.0], 1).unwrap().mase, None);
}

#[test]
fn small_cases_by_hand() {
    // Holt: l0 = 1, b0 = 2; y = [1, 3, 4] with α = β = 0.5.
    // t1: f = 3, l = 3 + 0.5(1 − 3) = 2, b = 2 + 0.5(2 − 1 − 2) = 1.5
    // t2: f = 3.5, l = 3.25, b = 1.5 + 0.5(1.25 − 1.5) = 1.375
    // t3: f = 4.625, l = 4.3125, b = 1.375 + 0.5(1.0625 − 1.375) = 1.21875
    let f = fit(&Method::Holt { alpha: 0.5, beta: 0.5 }, &[1.0, 3.0, 4.0], 2).unwrap();
    assert_eq!(f.fitted, vec![Some(3.0), Some(3.5), Some(4.625)]);
    assert_eq!(f.forecast, vec![4.3125 + 1.21875, 4.3125 + 2.0 * 1.21875]);

    // Croston α = 0.5 on [0, 2, 0, 0, 4]: sizes 2 → 3, intervals 2 → 2.5.
    let f = fit(&Method::Croston { alpha: 0.5 }, &[0.0, 2.0, 0.0, 0.0, 4.0], 1).unwrap();
    assert_eq!(f.fitted, vec![None, Some(0.0), Some(1.0), Some(1.0), Some(1.0)]);
    assert_eq!(f.forecast, vec![3.0 / 2.5]);
    let sba = forecast_only(&Method::CrostonSba { alpha: 0.5 }, &[0.0, 2.0, 0.0, 0.0, 4.0], 1).unwrap();
    assert_eq!(sba, vec![3.0 / 2.5 * 0.75]);

    // TSB α_d = α_p = 0.5 on [0, 2, 0, 4]: p 0 → 0.5 → 0.25 → 0.625, size 2 → 3.
    let f = fit(&Method::Tsb { alpha_d: 0.5, alpha_p: 0.5 }, &[0.0, 2.0, 0.0, 4.0], 1).unwrap();
    assert_eq!(f.fitted, vec![None, Some(0.0), Some(1.0), Some(0.5)]);
    assert_eq!(f.forecast, vec![0.625 * 3.0]);

    // Window average: fitted t is the mean of the window before it.
    let f = fit(&Method::WindowAverage { window_size: 2 }, &[1.0, 3.0, 8.0, 4.0], 1).unwrap();
    assert_eq!(f.fitted, vec![None, None, Some(2.0), Some(5.5)]);
    assert_eq!(f.forecast, vec![6.0]);

    // h = 0 is an empty forecast, not an error.
    assert!(fit(&Method::HistoricAverage, &[1.0], 0).unwrap().forecast.is_empty());
}

#[test]
fn methods_serialise_tagged_in_snake_case() {
    let cases = [
        (r#"{"method":"historic_average"}"#, Method::HistoricAverage),
        (r#"{"method":"window_average","window_size":12}"#, Method::WindowAverage { window_size: 12 }),
        (r#"{"method":"ses","alpha":0.1}"#, Method::Ses { alpha: 0.1 }),
        (r#"{"method":"holt","alpha":0.8,"beta":0.2}"#, Method::Holt { alpha: 0.8, beta: 0.2 }),
        (r#"{"method":"croston","alpha":0.1}"#, Method::Croston { alpha: 0.1 }),
        (r#"{"method":"croston_sba","alpha":0.1}"#, Method::CrostonSba { alpha: 0.1 }),
        (r#"{"method":"tsb","alpha_d":0.1,"alpha_p":0.2}"#, Method::Tsb { alpha_d: 0.1, alpha_p: 0.2 }),
    ];
    for (json, m) in cases {
        assert_eq!(serde_json::to_string(&m).unwrap(), json);
        assert_eq!(serde_json::from_str::<Method>(json).unwrap(), m);
        assert_eq!(m.name(), serde_json::from_str::<serde_json::Value>(json).unwrap()["method"]);
    }
    // The Croston family's alpha defaults to statsforecast's 0.1.
    assert_eq!(serde_json::from_str::<Method>(r#"{"method":"croston"}"#).unwrap(), Method::Croston { alpha: 0.1 });
    assert!(serde_json::from_str::<Method>(r#"{"method":"ses"}"#).is_err());
    assert!(serde_json::from_str::<Method>(r#"{"method":"ses","alpha":0.1,"beta":0.2}"#).is_err());
    assert!(serde_json::from_str::<Method>(r#"{"method":"arima"}"#).is_err());
    // Fit's fitted values cross as null where there are none.
    let f = fit(&Method::Ses { alpha: 0.5 }, &[2.0, 4.0], 1).unwrap();
    assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"fitted":[null,2.0],"forecast":[3.0]}"#);
}
