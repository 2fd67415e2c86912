//! Criterion benchmarks of ims-journal (issue 6): commits per second under
//! each durability policy on this machine's disk, and recovery of a journal
//! of 1M events.
//!
//! `cargo bench -p ims-benches --bench journal` (the journals live under the
//! system temp directory; `IMS_JOURNAL_EVENTS` sets the recovery size).

use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};
use ims_benches::{sku, T0};
use ims_core::command::{ItemSpec, LocationSpec, Receive};
use ims_core::{Command, CommandBody, Engine, QtyIn};
use ims_journal::{open, Durability, Options};
use rust_decimal::Decimal;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ims-bench-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A site and 1,000 items, then `n` receipts (one event each).
fn setup(eng: &mut Engine) {
    let loc = LocationSpec {
        location: "S".into(),
        parent: None,
        kind: ims_core::catalog::LocationKind::Site,
        sellable: None,
        walk_seq: 0,
        utc_offset_minutes: None,
        inbound_days: 0,
    };
    ok(eng.execute(&Command::new(T0, CommandBody::DefineLocation(loc))), "location");
    for i in 0..1000 {
        ok(eng.execute(&Command::new(T0, CommandBody::DefineItem(ItemSpec::new(sku(i))))), "item");
    }
}

fn receipt(i: usize) -> Command {
    let r = Receive {
        item: sku(i % 1000),
        location: "S".into(),
        qty: QtyIn::base(Decimal::ONE),
        lot: None,
        expiry: None,
        receipt: None,
        reference: None,
    };
    Command::new(T0, CommandBody::Receive(r))
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("journal_commit");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Elements(100));
    for (name, durability) in [
        ("every_commit", Durability::EveryCommit),
        ("every_100", Durability::EveryN(100)),
        ("every_10ms", Durability::Every(Duration::from_millis(10))),
        ("never", Durability::Never),
    ] {
        let dir = scratch(name);
        let (mut eng, _) = ok(open(&dir, Options { durability, ..Options::default() }), "open");
        setup(&mut eng);
        let mut i = 0usize;
        // 100 commands per iteration, each acknowledged after its append.
        g.bench_function(name, |b| {
            b.iter(|| {
                for _ in 0..100 {
                    ok(eng.execute(&receipt(i)), "receipt");
                    i += 1;
                }
            })
        });
        drop(eng);
        let _ = std::fs::remove_dir_all(&dir);
    }
    g.finish();

    let events: usize = std::env::var("IMS_JOURNAL_EVENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = scratch("recovery");
    {
        let (mut eng, _) = ok(open(&dir, Options { durability: Durability::Never, ..Options::default() }), "open");
        setup(&mut eng);
        let cmds: Vec<Command> = (0..events).map(receipt).collect();
        for chunk in cmds.chunks(50_000) {
            ok(eng.execute_batch(chunk, ims_core::BatchMode::Independent), "receipts");
        }
    }
    let mut g = c.benchmark_group("journal_recovery");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(events as u64));
    g.bench_function(format!("open_replay_{events}_events"), |b| {
        b.iter_batched(
            || (),
            |()| {
                let (eng, rec) = ok(open(&dir, Options::default()), "recover");
                assert!(rec.replayed as usize >= events);
                eng
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
    c.final_summary();
}
