//! The forecast module against published numbers: every `forecast_*` record of
//! the public theory vectors at its tolerance, and every statsforecast 2.1.1
//! fixture (scripts/fixtures/forecast_statsforecast.py) at 1e-9 relative.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

use ims_core::forecast::{self, Method};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("vector file")).expect("valid JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

/// The vectors README's rule: the record's `abs` or `rel` if it gives one,
/// else max(abs, 1e-9·|expected|).
fn assert_tol(id: &str, field: &str, got: f64, want: f64, tol: &Value) {
    let abs = tol["abs"].as_f64();
    let rel = tol["rel"].as_f64();
    let bound = match (abs, rel) {
        (Some(a), Some(r)) => a.max(r * want.abs()),
        (Some(a), None) => a,
        (None, Some(r)) => r * want.abs(),
        (None, None) => 1e-9 * want.abs(),
    };
    assert!((got - want).abs() <= bound, "{id} {field}: got {got}, want {want} (bound {bound})");
}

fn tol_of<'a>(record: &'a Value, field: &str) -> &'a Value {
    let t = &record["tolerance"];
    if t.get("abs").is_some() || t.get("rel").is_some() {
        t
    } else {
        &t[field]
    }
}

fn series(record: &Value, vectors: &Value) -> Vec<f64> {
    match &record["inputs"]["y"] {
        Value::Array(_) => floats(&record["inputs"]["y"]),
        // "same PBS series as croston-pbs-R" / "AirPassengers (same as ses-...)".
        Value::String(s) => {
            let source = if s.contains("PBS") { "croston-pbs-R" } else { "ses-airpassengers-a0.1" };
            let other = vectors.as_array().unwrap().iter().find(|r| r["id"] == source).unwrap();
            floats(&other["inputs"]["y"])
        }
        other => panic!("unexpected y {other}"),
    }
}

fn check_record(r: &Value, all: &Value) -> usize {
    let id = r["id"].as_str().unwrap();
    let y = series(r, all);
    let inp = &r["inputs"];
    let exp = &r["expected"];
    let mut checks = 0;
    match id {
        "ses-airpassengers-a0.1" => {
            let alpha = inp["alpha"].as_f64().unwrap();
            let h = inp["h"].as_u64().unwrap() as usize;
            let f = forecast::fit(&Method::Ses { alpha }, &y, h).unwrap();
            assert_eq!(f.forecast.len(), h);
            for v in &f.forecast {
                assert_tol(id, "forecast", *v, exp["forecast"].as_f64().unwrap(), tol_of(r, "forecast"));
            }
            assert!(exp["fitted_index_0"].is_null() && f.fitted[0].is_none());
            for i in [1, 143] {
                let want = exp[format!("fitted_index_{i}")].as_f64().unwrap();
                assert_tol(id, "fitted", f.fitted[i].unwrap(), want, tol_of(r, "fitted"));
            }
            checks += h + 3;
        }
        "holt-ausair" => {
            let (alpha, beta) = (inp["alpha"].as_f64().unwrap(), inp["beta"].as_f64().unwrap());
            let h = inp["h"].as_u64().unwrap() as usize;
            let f = forecast::fit(&Method::Holt { alpha, beta }, &y, h).unwrap();
            for (got, want) in f.forecast.iter().zip(floats(&exp["forecast"])) {
                assert_tol(id, "forecast", *got, want, tol_of(r, "forecast"));
            }
            // statsmodels' fittedfcast = our fitted followed by the 1-step forecast.
            let mut fittedfcast: Vec<f64> = f.fitted.iter().map(|v| v.unwrap()).collect();
            fittedfcast.push(f.forecast[0]);
            let want = floats(&exp["fittedfcast"]);
            assert_eq!(fittedfcast.len(), want.len());
            for (got, want) in fittedfcast.iter().zip(&want) {
                assert_tol(id, "fittedfcast", *got, *want, tol_of(r, "fittedfcast"));
            }
            let states = forecast::holt_states(&y, alpha, beta).unwrap();
            let want = floats(&exp["trend"]);
            assert_eq!(states.len(), want.len());
            for (s, want) in states.iter().zip(&want) {
                assert_tol(id, "trend", s.trend, *want, tol_of(r, "trend"));
            }
            checks += h + 2 * y.len() + 1;
        }
        "croston-pbs-R" => {
            let alphas = floats(&inp["alpha"]);
            let hs = floats(&inp["h"]);
            for ((alpha, h), want) in alphas.iter().zip(&hs).zip(floats(&exp["forecast"])) {
                let f = forecast::forecast_only(&Method::Croston { alpha: *alpha }, &y, *h as usize).unwrap();
                assert_eq!(f.len(), *h as usize);
                for v in f {
                    assert_tol(id, "forecast", v, want, tol_of(r, "forecast"));
                    checks += 1;
                }
            }
        }
        "sba-pbs" => {
            for (alpha, field) in
                [(0.1, "forecast"), (0.5, "forecast_alpha_0.5_derived"), (0.05, "forecast_alpha_0.05_derived")]
            {
                let f = forecast::forecast_only(&Method::CrostonSba { alpha }, &y, 1).unwrap();
                assert_tol(id, field, f[0], exp[field].as_f64().unwrap(), tol_of(r, field));
                checks += 1;
            }
        }
        "moving-average-airpassengers" => {
            let k = inp["window_size"].as_u64().unwrap() as usize;
            let h = inp["h"].as_u64().unwrap() as usize;
            let wa = forecast::fit(&Method::WindowAverage { window_size: k }, &y, h).unwrap();
            let want = exp["window_average_forecast"].as_f64().unwrap();
            for v in &wa.forecast {
                assert_tol(id, "window_average_forecast", *v, want, tol_of(r, "window_average_forecast"));
            }
            let ha = forecast::fit(&Method::HistoricAverage, &y, h).unwrap();
            let want = exp["historic_average_forecast"].as_f64().unwrap();
            for v in &ha.forecast {
                assert_tol(id, "historic_average_forecast", *v, want, tol_of(r, "historic_average_forecast"));
            }
            let field = "historic_average_fitted_first4";
            for (got, want) in ha.fitted.iter().zip(floats(&exp[field])) {
                assert_tol(id, field, got.unwrap(), want, tol_of(r, field));
            }
            checks += 2 * h + 4;
        }
        other => panic!("forecast vector {other} has no check: add one"),
    }
    checks
}

#[test]
fn every_public_forecast_vector_passes() {
    let all = load("theory_public.json");
    let records: Vec<&Value> =
        all.as_array().unwrap().iter().filter(|r| r["area"].as_str().unwrap().starts_with("forecast_")).collect();
    assert_eq!(records.len(), 5, "the public set has five forecast records");
    let checks: usize = records.iter().map(|r| check_record(r, &all)).sum();
    assert!(checks > 50);
}

/// 1e-9 relative, 1e-12 absolute near zero (where relative error means nothing).
fn agrees(got: f64, want: f64) -> bool {
    (got - want).abs() <= (1e-9 * want.abs()).max(1e-12)
}

#[test]
fn every_statsforecast_fixture_agrees_to_1e9() {
    let doc = load("statsforecast.json");
    assert_eq!(doc["versions"]["statsforecast"], "2.1.1");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 80);
    let mut fitted_checked = 0;
    for case in cases {
        let name = case["series"].as_str().unwrap();
        let y = floats(&doc["series"][name]);
        let method: Method = serde_json::from_value(case["method"].clone()).unwrap();
        let h = case["h"].as_u64().unwrap() as usize;
        let label = format!("{name} {}", case["method"]);
        let fit = forecast::fit(&method, &y, h).unwrap_or_else(|e| panic!("{label}: {e}"));
        let want = floats(&case["forecast"]);
        assert_eq!(fit.forecast.len(), want.len(), "{label}");
        for (step, (got, want)) in fit.forecast.iter().zip(&want).enumerate() {
            assert!(agrees(*got, *want), "{label} forecast[{step}]: got {got}, want {want}");
        }
        // The bulk path gives the same bits as fit.
        assert_eq!(forecast::forecast_only(&method, &y, h).unwrap(), fit.forecast, "{label}");
        if let Some(fitted) = case["fitted"].as_array() {
            assert_eq!(fit.fitted.len(), fitted.len(), "{label}");
            for (t, (got, want)) in fit.fitted.iter().zip(fitted).enumerate() {
                match (got, want.as_f64()) {
                    (None, None) => {}
                    (Some(g), Some(w)) => assert!(agrees(*g, w), "{label} fitted[{t}]: got {g}, want {w}"),
                    (g, w) => panic!("{label} fitted[{t}]: got {g:?}, want {w:?}"),
                }
            }
            fitted_checked += 1;
        }
    }
    assert!(fitted_checked >= 60);
}
