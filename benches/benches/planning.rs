//! Criterion benchmarks of planning (issue 4): a buy plan over 100k items
//! with policies, safety stock + reorder point for 1M items, forecasts for
//! 100k series × 104 weeks, and policy simulation.
//!
//! `cargo bench -p ims-benches --bench planning` (a few minutes: building
//! the 100k-item engine takes most of it); CI smoke:
//! `... -- --quick --warm-up-time 0.2 --measurement-time 0.5`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use ims_benches::{build, sku, Rng};
use ims_core::forecast::{auto, forecast_into, Method};
use ims_core::policy::numeric::units_up;
use ims_core::policy::safety_stock::{type1, ProtectionParams};
use ims_core::simulate::{compare, Demand, SimCosts, SimRule, SimSetup};
use ims_core::{Command, Date, Engine};
use serde_json::json;

const PLAN_ITEMS: usize = 100_000;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn run(eng: &mut Engine, v: serde_json::Value) {
    let c: Command = ok(serde_json::from_value(v), "bench command");
    ok(eng.execute(&c), "bench command");
}

/// 100k SKUs in one warehouse (10 bins); 2,000 suppliers, each item with
/// terms at two of them (one preferred, with a minimum and a multiple), and
/// a policy per item cycling through the four rules, with a daily demand to
/// project. (A supplier holds its terms in one document, copied on each
/// change: 100 items a supplier keeps the set-up linear.)
fn planned(items: usize) -> Engine {
    let mut eng = Engine::new();
    build(&mut eng, "WH", 0, 10, items, 40);
    for k in 0..items.div_ceil(100) {
        run(
            &mut eng,
            json!({"type":"define_supplier","supplier":format!("A{k}"),"currency":"EUR","lead_time_mean_days":"6"}),
        );
        run(
            &mut eng,
            json!({"type":"define_supplier","supplier":format!("B{k}"),"currency":"EUR","lead_time_mean_days":"3"}),
        );
    }
    let mut rng = Rng::new(11);
    for i in 0..items {
        let item = sku(i);
        run(
            &mut eng,
            json!({"type":"set_supplier_item","supplier":format!("A{}", i / 100),"item":item,"unit_price":"2.5",
            "min_order_qty":"20","order_multiple":"6","preferred":true}),
        );
        run(
            &mut eng,
            json!({"type":"set_supplier_item","supplier":format!("B{}", i / 100),"item":item,"unit_price":"2.4"}),
        );
        let per_day = format!("{}", rng.range(1, 20));
        let rule = match i % 4 {
            0 => json!({"rule":"reorder_point","reorder_point":"300","order_qty":"100"}),
            1 => json!({"rule":"min_max","min":"250","max":"600"}),
            2 => json!({"rule":"s_s","s":"280","S":"500"}),
            _ => json!({"rule":"periodic","review_every_days":7,"review_from":"2026-12-01","order_up_to":"500"}),
        };
        let mut v = json!({"type":"set_policy","item":item,"location":"WH","demand_per_day":per_day});
        if let (Some(m), Some(r)) = (v.as_object_mut(), rule.as_object()) {
            m.extend(r.clone());
        }
        run(&mut eng, v);
    }
    eng
}

fn plan(c: &mut Criterion) {
    // The CI smoke sets IMS_PLAN_ITEMS low: building 100k items takes minutes.
    let items = std::env::var("IMS_PLAN_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(PLAN_ITEMS);
    let eng = planned(items);
    let on = Date::from_ymd(2026, 12, 1);
    let mut g = c.benchmark_group("plan");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(items as u64));
    for horizon in [1u32, 30] {
        g.bench_function(format!("100k_items_horizon_{horizon}d"), |b| {
            b.iter(|| {
                let p = ok(eng.plan(on, horizon), "plan");
                black_box(p.proposals.len())
            })
        });
    }
    g.finish();
}

fn safety_stock(c: &mut Criterion) {
    let mut rng = Rng::new(3);
    let params: Vec<(ProtectionParams, f64)> = (0..1_000_000)
        .map(|_| {
            let p = ProtectionParams {
                demand_mean: rng.uniform(0.5, 50.0),
                demand_sd: rng.uniform(0.1, 20.0),
                lead_time_mean: rng.uniform(1.0, 30.0),
                lead_time_sd: rng.uniform(0.0, 5.0),
                review_period: [0.0, 7.0][rng.below(2) as usize],
            };
            (p, [0.9, 0.95, 0.98, 0.99][rng.below(4) as usize])
        })
        .collect();
    let mut g = c.benchmark_group("safety_stock");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(params.len() as u64));
    g.bench_function("type1_and_reorder_point_1m_items", |b| {
        b.iter(|| {
            let mut units = 0i64;
            for (p, csl) in &params {
                let s = ok(type1(p, *csl), "type1");
                units = units.wrapping_add(units_up(s.reorder_level));
            }
            black_box(units)
        })
    });
    g.finish();
}

/// 100k weekly series of 104 periods, a third each smooth, intermittent and
/// lumpy: the automatic method choice plus a 12-week forecast per series.
fn forecasts(c: &mut Criterion) {
    let mut rng = Rng::new(17);
    let series: Vec<Vec<f64>> = (0..100_000)
        .map(|k| {
            (0..104)
                .map(|_| match k % 3 {
                    0 => rng.range(20, 60) as f64,
                    1 if rng.pct(30) => rng.range(1, 8) as f64,
                    2 if rng.pct(20) => rng.range(1, 60) as f64,
                    _ => 0.0,
                })
                .collect()
        })
        .collect();
    let mut g = c.benchmark_group("forecast");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(series.len() as u64));
    let mut out = [0.0f64; 12];
    g.bench_function("auto_method_12_weeks_100k_series_x_104", |b| {
        b.iter(|| {
            let mut total = 0.0;
            for y in &series {
                let m = ok(auto(y), "auto");
                ok(forecast_into(&m, y, &mut out), "forecast");
                total += out[0];
            }
            black_box(total)
        })
    });
    g.bench_function("ses_12_weeks_100k_series_x_104", |b| {
        let m = Method::Ses { alpha: 0.1 };
        b.iter(|| {
            let mut total = 0.0;
            for y in &series {
                ok(forecast_into(&m, y, &mut out), "forecast");
                total += out[0];
            }
            black_box(total)
        })
    });
    g.finish();
}

fn simulation(c: &mut Criterion) {
    let setup = SimSetup {
        demand: Demand::Poisson { mean: 12.0, seed: 5 },
        periods: 3650,
        lead_time: 5,
        initial_on_hand: 100,
        initial_backorders: 0,
        pipeline: vec![],
        lost_sales: false,
        costs: SimCosts { holding: 0.1, shortage: 2.0, fixed: 50.0, unit: 1.0 },
    };
    let rules = [
        SimRule::ReorderPoint { reorder_point: 90, order_qty: 120 },
        SimRule::SS { s: 90, big_s: 200 },
        SimRule::Periodic { review_periods: 7, first_review: 0, order_up_to: 170 },
        SimRule::BaseStock { base_stock: 95 },
    ];
    let mut g = c.benchmark_group("simulate");
    g.throughput(Throughput::Elements(rules.len() as u64 * 3650));
    g.bench_function("4_policies_10_years_daily", |b| b.iter(|| black_box(ok(compare(&rules, &setup), "sim").len())));
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    safety_stock(&mut c);
    forecasts(&mut c);
    simulation(&mut c);
    plan(&mut c);
    c.final_summary();
}
