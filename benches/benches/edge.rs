//! Criterion benchmarks of edge mode (issue 5): a till that sold 10,000
//! times offline syncs with its authority.
//!
//! `cargo bench -p ims-benches --bench edge`; the catalog is 10k SKUs in a
//! store of 4 bins (`IMS_EDGE_ITEMS` changes it). Target: syncing 10,000
//! queued sales ≤ 50 ms. Each routine returns its engines, so that dropping
//! them (freeing a whole catalog) is not timed.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};
use ims_benches::{build, sku, Rng, T0};
use ims_core::command::StockFact;
use ims_core::edge::{QueueLimits, Replica, Slice, SyncOptions, SyncRequest, SyncResponse};
use ims_core::{Command, CommandBody, Engine, QtyIn};
use rust_decimal::Decimal;

const SALES: usize = 10_000;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The authority: `items` SKUs with 40 units in each of 4 bins.
fn authority(items: usize) -> (Engine, Vec<String>) {
    let mut eng = Engine::new();
    let layout = build(&mut eng, "S1", 0, 4, items, 40);
    (eng, layout.bins)
}

/// `n` one-unit sales of random SKUs, each with its client key.
fn sales(n: usize, items: usize, bins: &[String]) -> Vec<Command> {
    let mut rng = Rng::new(5);
    (0..n)
        .map(|k| {
            let sale = StockFact {
                item: sku(rng.below(items as u64) as usize),
                location: bins[rng.below(bins.len() as u64) as usize].clone(),
                qty: QtyIn::base(Decimal::ONE),
                lot: None,
                reference: None,
            };
            Command::new(T0 + k as i64 * 1000, CommandBody::Sell(sale)).with_key(format!("till-1/{k}"))
        })
        .collect()
}

/// A till replica of the whole store with `cmds` queued.
fn till(snapshot: &[u8], cmds: &[Command]) -> Replica {
    let limits = QueueLimits { max_len: cmds.len().max(1) as u32, ..QueueLimits::default() };
    let mut r = ok(Replica::from_snapshot("till-1", snapshot, Slice::all(), limits), "replica");
    for c in cmds {
        ok(r.execute(c), "local sale");
    }
    r
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let items: usize = std::env::var("IMS_EDGE_ITEMS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    // The authority restored from its snapshot in each set-up: a journal
    // (MemoryStorage) that starts where the till's snapshot was taken.
    let (auth, bins) = authority(items);
    let snap = auth.snapshot();
    let cmds = sales(SALES, items, &bins);
    let opts = SyncOptions::default();

    let mut g = c.benchmark_group("edge");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(SALES as u64));
    // The whole round trip: request → authority executes 10k sales → the
    // replica applies the 10k-envelope tail and rebases on an empty queue.
    g.bench_function("sync_10k_sales_round_trip", |b| {
        b.iter_batched(
            || (ok(Engine::restore(&snap), "restore"), till(&snap, &cmds)),
            |(mut a, mut r)| {
                let req = r.sync_request();
                let resp = ok(a.sync(&req, &opts), "sync");
                let rep = ok(r.receive(&resp), "receive");
                assert_eq!(rep.pending, 0);
                (a, r)
            },
            BatchSize::PerIteration,
        )
    });
    // The same when the authority moved on meanwhile (one receipt before
    // the sync): the view cannot be adopted, so the replica replays the
    // 10,001-envelope tail and rebases.
    g.bench_function("sync_10k_sales_round_trip_replayed", |b| {
        let receipt: Command = ok(
            serde_json::from_value(serde_json::json!({"type":"receive","occurred_at":T0,"item":sku(0),
                "location":bins[0],"qty":"5"})),
            "receipt",
        );
        b.iter_batched(
            || {
                let mut a = ok(Engine::restore(&snap), "restore");
                ok(a.execute(&receipt), "receipt");
                (a, till(&snap, &cmds))
            },
            |(mut a, mut r)| {
                let req = r.sync_request();
                let resp = ok(a.sync(&req, &opts), "sync");
                let rep = ok(r.receive(&resp), "receive");
                assert!(!rep.adopted && rep.pending == 0);
                (a, r)
            },
            BatchSize::PerIteration,
        )
    });
    // The same over the wire: both messages through their byte form.
    g.bench_function("sync_10k_sales_round_trip_bytes", |b| {
        b.iter_batched(
            || (ok(Engine::restore(&snap), "restore"), till(&snap, &cmds)),
            |(mut a, mut r)| {
                let req = ok(SyncRequest::from_bytes(&r.sync_request().to_bytes()), "request bytes");
                let resp = ok(SyncResponse::from_bytes(&ok(a.sync(&req, &opts), "sync").to_bytes()), "bytes");
                black_box(ok(r.receive(&resp), "receive").seq);
                (a, r)
            },
            BatchSize::PerIteration,
        )
    });
    // The parts: the authority's side, the replica's side.
    g.bench_function("authority_executes_10k_queued_sales", |b| {
        let req = till(&snap, &cmds).sync_request();
        b.iter_batched(
            || ok(Engine::restore(&snap), "restore"),
            |mut a| {
                black_box(ok(a.sync(&req, &opts), "sync").head_seq);
                a
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("replica_receives_10k_envelope_tail", |b| {
        let req = till(&snap, &cmds).sync_request();
        let resp = ok(ok(Engine::restore(&snap), "restore").sync(&req, &opts), "sync");
        b.iter_batched(
            || {
                let mut r = till(&snap, &cmds);
                r.sync_request();
                r
            },
            |mut r| {
                black_box(ok(r.receive(&resp), "receive").seq);
                r
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("edge_local");
    g.throughput(Throughput::Elements(100));
    // Offline sales on the till: each executed on the view and queued.
    g.bench_function("queue_100_sales", |b| {
        b.iter_batched(
            || ok(Replica::from_snapshot("till-1", &snap, Slice::all(), QueueLimits::default()), "replica"),
            |mut r| {
                for c in &cmds[..100] {
                    ok(r.execute(c), "sale");
                }
                r
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    c.final_summary();
}
