//! Criterion benchmarks of the operations flows' hot paths (issue 3):
//! reservations under channel fences, putaway suggestion over 1,000 bins,
//! carrier selection over 50 services × 20 zones × 10 weight bands, and
//! sales-order allocation with picking, with and without a short pick.
//!
//! `cargo bench -p ims-benches --bench ops` (about two minutes);
//! CI smoke: `... -- --quick --warm-up-time 0.2 --measurement-time 0.5`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use ims_benches::{build, cycle, sku, Rng, Zipf};
use ims_core::{Command, Date, Engine, Scope};
use rust_decimal::Decimal;
use serde_json::json;

const ITEMS: usize = 1_000;
const DRAWS: usize = 1 << 12;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn cmd(v: serde_json::Value) -> Command {
    ok(serde_json::from_value(v), "bench command")
}

/// 1,000 SKUs × 10 bins; with `pools`, two channels and two pools per SKU
/// (a web quota and a marketplace "all but").
fn fenced(pools: bool) -> Engine {
    let mut eng = Engine::new();
    build(&mut eng, "WH", 0, 10, ITEMS, 1_000_000);
    if pools {
        ok(eng.execute(&cmd(json!({"type":"define_channel","channel":"web","priority":0}))), "channel");
        ok(eng.execute(&cmd(json!({"type":"define_channel","channel":"market","priority":1}))), "channel");
        for i in 0..ITEMS {
            let web = json!({"type":"define_channel_pool","pool":format!("W{i}"),"channel":"web",
                             "item":sku(i),"scope":"WH","quota":"100"});
            let mkt = json!({"type":"define_channel_pool","pool":format!("M{i}"),"channel":"market",
                             "item":sku(i),"scope":"WH","all_but":"500000"});
            ok(eng.execute(&cmd(web)), "pool");
            ok(eng.execute(&cmd(mkt)), "pool");
        }
    }
    eng
}

/// Reserve one unit for the web channel and commit it, with and without
/// fences on the item: the cost of computing two fences per reservation.
fn channels(c: &mut Criterion) {
    let mut g = c.benchmark_group("channels");
    g.throughput(Throughput::Elements(1));
    let mut rng = Rng::new(7);
    let draws = Zipf::new(ITEMS).draws(&mut rng, DRAWS);
    let scope = Scope::Subtree("WH".into());
    for (name, pools) in [("reserve_commit_no_pools", false), ("reserve_commit_two_pools", true)] {
        let mut eng = fenced(pools);
        let mut n = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                let (mut r, cm) = cycle(n, draws[n as usize % DRAWS], &scope, false);
                if let ims_core::CommandBody::Reserve(x) = &mut r.body {
                    x.channel = Some("web".into());
                }
                n += 1;
                black_box(ok(eng.execute(&r), "reserve"));
                black_box(ok(eng.execute(&cm), "commit"));
            })
        });
        let probe = eng.channel_availability(&sku(0), &scope, Some("market"));
        black_box(ok(probe, "channel availability"));
    }
    let eng = fenced(true);
    let mut i = 0usize;
    g.bench_function("channel_availability_two_pools", |b| {
        b.iter(|| {
            i += 1;
            black_box(ok(eng.channel_availability(&sku(draws[i % DRAWS]), &scope, Some("market")), "query"))
        })
    });
    g.finish();
}

/// 10 zones × 100 bins, each bin a profile (capacity in units and volume,
/// no item mixing in half of them); 1,000 SKUs with 100 units (100 litres)
/// in one bin each, so a bin that mixes has room for 300 more and one that
/// does not is skipped for other SKUs; one default rule over the warehouse.
fn bins_1000() -> Engine {
    let mut eng = Engine::new();
    let layout = build(&mut eng, "WH", 10, 100, 0, 0);
    let mut run = |v: serde_json::Value| ok(eng.execute(&cmd(v)), "set-up");
    run(json!({"type":"define_location","location":"WH/RCV","parent":"WH","kind":"receiving"}));
    for (k, b) in layout.bins.iter().enumerate() {
        run(json!({"type":"define_bin","location":b,"max_units":"500","max_volume_l":"400",
                   "mix_items":k % 2 == 0,"mix_lots":true}));
    }
    run(json!({"type":"define_putaway_rule","rule":"ALL","priority":0,"zones":["WH"]}));
    for i in 0..ITEMS {
        run(json!({"type":"define_item","item":sku(i)}));
        run(json!({"type":"set_item_profile","item":sku(i),"volume_l":"1"}));
        run(json!({"type":"receive","item":sku(i),"location":layout.bins[(i * 7) % layout.bins.len()],"qty":"100"}));
        run(json!({"type":"receive","item":sku(i),"location":"WH/RCV","qty":"1000"}));
    }
    eng
}

fn putaway(c: &mut Criterion) {
    let mut g = c.benchmark_group("putaway");
    g.throughput(Throughput::Elements(1));
    let eng = bins_1000();
    let mut rng = Rng::new(11);
    let draws = Zipf::new(ITEMS).draws(&mut rng, DRAWS);
    let codes: Vec<String> = (0..ITEMS).map(sku).collect();
    for (name, qty) in [("suggest_1000_bins_fits_early", 40), ("suggest_1000_bins_splits", 900)] {
        let mut i = 0usize;
        let qty = Decimal::from(qty);
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                black_box(ok(eng.suggest_putaway(&codes[draws[i % DRAWS]], None, qty, "WH/RCV"), "suggest"))
            })
        });
    }
    g.finish();
}

/// 5 carriers × 10 services, each with 20 zones × 10 weight bands.
fn carriers() -> Engine {
    let mut eng = Engine::new();
    for c in 0..5 {
        let services: Vec<serde_json::Value> = (0..10)
            .map(|s| {
                let rates: Vec<serde_json::Value> = (0..20)
                    .flat_map(|z| {
                        (0..10).map(move |b| {
                            let price = Decimal::new(300 + ((c * 7 + s * 13 + z * 3 + b * 50) % 400) as i64, 2);
                            json!({"zone":format!("Z{z:02}"),"max_weight_kg":format!("{}", (b + 1) * 3),
                                   "price":price.to_string(),"transit_days":1 + (s + z) % 5})
                        })
                    })
                    .collect();
                json!({"service":format!("S{s}"),"rates":rates})
            })
            .collect();
        let v = json!({"type":"define_carrier","carrier":format!("C{c}"),"services":services});
        ok(eng.execute(&cmd(v)), "carrier");
    }
    eng
}

fn carrier_select(c: &mut Criterion) {
    let mut g = c.benchmark_group("carrier");
    g.throughput(Throughput::Elements(1));
    let eng = carriers();
    let zones: Vec<String> = (0..20).map(|z| format!("Z{z:02}")).collect();
    let day = Date(20_800);
    let mut i = 0usize;
    g.bench_function("select_50_services_20_zones_10_bands", |b| {
        b.iter(|| {
            i += 1;
            let w = Decimal::new(((i * 37) % 2900 + 50) as i64, 2);
            black_box(ok(eng.select_carrier(w, &zones[i % 20], day, day.plus(2 + (i % 3) as i32)), "select"))
        })
    });
    g.finish();
}

/// One sales order of one line allocated, put on a pick list and picked,
/// in full or one short (the shortfall re-allocated from another bin).
fn short_picks(c: &mut Criterion) {
    let mut g = c.benchmark_group("fulfillment");
    g.throughput(Throughput::Elements(1));
    for (name, short) in [("order_allocate_pick_full", false), ("order_allocate_pick_short_reallocated", true)] {
        let mut eng = Engine::new();
        build(&mut eng, "WH", 0, 10, ITEMS, 1_000_000);
        ok(
            eng.execute(&cmd(json!({"type":"define_location","location":"WH/STG","parent":"WH","kind":"staging"}))),
            "stg",
        );
        let mut n = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let (so, pl) = (format!("SO{n}"), format!("PL{n}"));
                let item = sku((n as usize * 7919) % ITEMS);
                let steps = [
                    json!({"type":"create_sales_order","order":so,"lines":[{"line":"1","item":item,"qty":"3"}],
                           "requested_ship_date":Date(20_784),"scope":"WH"}),
                    json!({"type":"allocate_order","order":so}),
                    json!({"type":"create_pick_list","pick_list":pl,"orders":[so],"staging":"WH/STG"}),
                    json!({"type":"confirm_pick","pick_list":pl,"task":1,"picked":if short { "2" } else { "3" }}),
                ];
                for v in steps {
                    black_box(ok(eng.execute(&cmd(v)), "order step"));
                }
            })
        });
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    channels(&mut c);
    putaway(&mut c);
    carrier_select(&mut c);
    short_picks(&mut c);
    c.final_summary();
}
