//! Criterion benchmarks of the operations flows' hot paths (issue 3):
//! reservations under channel fences, and (added with their flows)
//! putaway suggestion, carrier selection and allocation with short picks.
//!
//! `cargo bench -p ims-benches --bench ops` (about a minute);
//! CI smoke: `... -- --quick --warm-up-time 0.2 --measurement-time 0.5`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use ims_benches::{build, cycle, sku, Rng, Zipf};
use ims_core::{Command, Engine, Scope};
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

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    channels(&mut c);
    c.final_summary();
}
