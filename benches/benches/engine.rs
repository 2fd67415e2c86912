//! Criterion benchmarks of ims-core against the targets of issue 2.
//!
//! Catalog: 100,000 SKUs × 10 bins under one warehouse (1M balance rows),
//! plus 2,000 SKUs × 100 bins (10 zones of 10) for the 100-location subtree.
//! SKUs are drawn Zipf(1.0). The state-machine figures run on
//! `NullStorage`; one reserve+commit variant runs on `MemoryStorage`.
//! Catalogs are built once, lazily (only when a benchmark that needs them
//! runs), and all set-up stays outside the measured code.
//!
//! `cargo bench -p ims-benches --bench engine` (about 3 minutes);
//! CI smoke: `... -- --quick --warm-up-time 0.2 --measurement-time 0.5`.

use std::cell::{Cell, OnceCell, RefCell};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use ims_benches::{build, cycle, sku, Layout, Rng, Zipf};
use ims_core::ids::ItemId;
use ims_core::reservation::ScopeIds;
use ims_core::{AtpOptions, Command, Date, Engine, Envelope, MemoryStorage, NullStorage, Scope};

const ITEMS: usize = 100_000;
const BINS: usize = 10;
const BIG_ITEMS: usize = 2_000;
const STOCK: i64 = 1_000_000_000;
/// Random SKUs cycled through by the query benchmarks.
const DRAWS: usize = 1 << 14;
/// Finished reservations kept before the cycle engine is re-forked (memory).
const MAX_RES: usize = 300_000;

struct Fixture {
    eng: Engine,
    layout: Layout,
}

fn fixture(root: &str, zones: usize, bins: usize, items: usize) -> Fixture {
    let t = Instant::now();
    let mut eng = Engine::with_storage(Box::new(NullStorage));
    let layout = build(&mut eng, root, zones, bins, items, STOCK);
    let rows = items * zones.max(1) * bins;
    eprintln!(
        "[set-up] {root}: {items} SKUs x {} bins = {rows} balance rows in {:.1} s",
        layout.bins.len(),
        t.elapsed().as_secs_f64()
    );
    Fixture { eng, layout }
}

fn catalog() -> Fixture {
    fixture("WH", 0, BINS, ITEMS)
}

fn big() -> Fixture {
    fixture("DC", 10, 10, BIG_ITEMS)
}

fn subtree(code: &str) -> Scope {
    Scope::Subtree(code.into())
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Random SKUs and scopes for a query benchmark, resolved once.
struct Queries {
    ids: Vec<ItemId>,
    codes: Vec<String>,
    scopes: Vec<Scope>,
    resolved: Vec<ScopeIds>,
}

fn queries(f: &Fixture, draws: &[usize], scopes: Vec<Scope>) -> Queries {
    Queries {
        ids: draws.iter().map(|i| ok(f.eng.resolve_item(&sku(*i)), "item")).collect(),
        codes: draws.iter().map(|i| sku(*i)).collect(),
        resolved: scopes.iter().map(|s| ok(f.eng.resolve_scope(s), "scope")).collect(),
        scopes,
    }
}

/// Availability now: pre-resolved ids (`available_minor`) and by code
/// (`availability`), for one bin (cycling over the 10), the 10-bin
/// warehouse and a 100-bin subtree.
fn atp_now(c: &mut Criterion, cat: &OnceCell<Fixture>, big_cell: &OnceCell<Fixture>) {
    let mut g = c.benchmark_group("atp_now");
    let mut rng = Rng::new(11);
    let draws = Zipf::new(ITEMS).draws(&mut rng, DRAWS);
    let big_draws = Zipf::new(BIG_ITEMS).draws(&mut rng, DRAWS);
    for (name, wide, big_catalog, by_ids) in [
        ("bin_ids", false, false, true),
        ("bin_codes", false, false, false),
        ("warehouse10_ids", true, false, true),
        ("warehouse10_codes", true, false, false),
        ("subtree100_ids", true, true, true),
        ("subtree100_codes", true, true, false),
    ] {
        let prepared: OnceCell<Queries> = OnceCell::new();
        g.bench_function(name, |b| {
            let f = if big_catalog { big_cell.get_or_init(big) } else { cat.get_or_init(catalog) };
            let q = prepared.get_or_init(|| {
                let scopes = if wide {
                    vec![subtree(&f.layout.root)]
                } else {
                    f.layout.bins.iter().map(|s| subtree(s)).collect()
                };
                queries(f, if big_catalog { &big_draws } else { &draws }, scopes)
            });
            let mut k = 0;
            if by_ids {
                b.iter(|| {
                    k = (k + 1) % DRAWS;
                    black_box(f.eng.available_minor(q.ids[k], &q.resolved[k % q.resolved.len()]))
                });
            } else {
                b.iter(|| {
                    k = (k + 1) % DRAWS;
                    black_box(f.eng.availability(&q.codes[k], &q.scopes[k % q.scopes.len()]).is_ok())
                });
            }
        });
    }
    g.finish();
}

/// Time-phased cumulative ATP on a date five days out (every tenth SKU has
/// a scheduled receipt in three days), with and without the explanation.
fn atp_dated(c: &mut Criterion, cat: &OnceCell<Fixture>) {
    let mut g = c.benchmark_group("atp_dated");
    let mut rng = Rng::new(12);
    let codes: Vec<String> = Zipf::new(ITEMS).draws(&mut rng, DRAWS).into_iter().map(sku).collect();
    let opts = AtpOptions::default();
    let date = Some(Date(20_784 + 5));
    for (name, wide, explain) in
        [("bin", false, false), ("warehouse10", true, false), ("warehouse10_explain", true, true)]
    {
        g.bench_function(name, |b| {
            let f = cat.get_or_init(catalog);
            let scope = subtree(if wide { &f.layout.root } else { &f.layout.bins[0] });
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % DRAWS;
                black_box(f.eng.atp(&codes[k], &scope, date, &opts, explain).is_ok())
            });
        });
    }
    g.bench_function("earliest_date_warehouse10", |b| {
        let f = cat.get_or_init(catalog);
        let scope = subtree(&f.layout.root);
        let qty = rust_decimal::Decimal::from(STOCK * 11);
        let mut k = 0;
        b.iter(|| {
            k = (k + 1) % DRAWS;
            black_box(f.eng.earliest_date(&codes[k], &scope, qty, &opts).is_ok())
        });
    });
    g.finish();
}

/// Measures `f` alone, `iters` times; whatever it returns is dropped
/// outside the measurement.
fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let t = Instant::now();
        let out = black_box(f());
        total += t.elapsed();
        drop(out);
    }
    total
}

/// `fork()`, and the canonical snapshot of the whole 100k × 10 catalog:
/// encode alone, and encode + restore (one sample is one call: flat sampling).
fn fork_snapshot(c: &mut Criterion, cat: &OnceCell<Fixture>) {
    let mut g = c.benchmark_group("whole_catalog");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("fork", |b| {
        let f = cat.get_or_init(catalog);
        b.iter_custom(|iters| timed(iters, || f.eng.fork()));
    });
    g.bench_function("snapshot", |b| {
        let f = cat.get_or_init(catalog);
        b.iter_custom(|iters| timed(iters, || f.eng.snapshot()));
    });
    g.bench_function("snapshot_restore", |b| {
        let f = cat.get_or_init(catalog);
        b.iter_custom(|iters| timed(iters, || ok(Engine::restore(&f.eng.snapshot()), "restore")));
    });
    g.finish();
}

/// The reserve + commit cycle on the 100k × 10 catalog: one unit of a Zipf
/// SKU reserved from the warehouse (FEFO, 15-minute TTL) and committed to
/// the customer. There is no id-based command API, so the fastest public
/// path is `execute` with commands built beforehand; the variants add
/// client keys, then `MemoryStorage`.
fn cycles(c: &mut Criterion, cat: &OnceCell<Fixture>) {
    let mut g = c.benchmark_group("reserve_commit");
    g.throughput(Throughput::Elements(1));
    let work: RefCell<Option<Engine>> = RefCell::new(None);
    let next = Cell::new(0u64);
    let mut rng = Rng::new(13);
    let draws = Zipf::new(ITEMS).draws(&mut rng, DRAWS);
    for (name, keys, memory) in
        [("prebuilt_null", false, false), ("keys_null", true, false), ("keys_memory", true, true)]
    {
        g.bench_function(name, |b| {
            let f = cat.get_or_init(catalog);
            let scope = subtree(&f.layout.root);
            b.iter_custom(|iters| {
                let mut slot = work.borrow_mut();
                if slot.as_ref().is_none_or(|e| e.state().res.len() > MAX_RES) {
                    *slot = None;
                    *slot = Some(f.eng.fork());
                }
                let Some(eng) = slot.as_mut() else { return Duration::ZERO };
                if memory {
                    eng.set_storage(Box::new(MemoryStorage::default()));
                }
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let n = (iters - done).min(20_000);
                    let cmds: Vec<(Command, Command)> = (0..n)
                        .map(|_| {
                            let i = next.get();
                            next.set(i + 1);
                            cycle(i, draws[i as usize % DRAWS], &scope, keys)
                        })
                        .collect();
                    let t = Instant::now();
                    for (r, cm) in &cmds {
                        black_box(ok(eng.execute(r), "reserve"));
                        black_box(ok(eng.execute(cm), "commit"));
                    }
                    total += t.elapsed();
                    done += n;
                }
                eng.set_storage(Box::new(NullStorage));
                total
            });
        });
    }
    g.finish();
}

/// Replay: envelopes decoded from the canonical binary encoding and applied
/// to a fresh engine (a journal of a 1,000 × 10 catalog and 40,000 keyed
/// reserve + commit cycles). Throughput is in events.
fn replay(c: &mut Criterion) {
    let journal: OnceCell<(Vec<Vec<u8>>, Vec<Envelope>, u64)> = OnceCell::new();
    let load = || {
        let mut eng = Engine::with_storage(Box::new(MemoryStorage::default()));
        let layout = build(&mut eng, "R", 0, 10, 1_000, STOCK);
        let (scope, zipf, mut rng) = (subtree(&layout.root), Zipf::new(1_000), Rng::new(14));
        for n in 0..40_000 {
            let (r, cm) = cycle(n, zipf.sample(&mut rng), &scope, true);
            ok(eng.execute(&r), "reserve");
            ok(eng.execute(&cm), "commit");
        }
        let envs = ok(eng.storage().read_from(1), "journal");
        let events = envs.iter().map(|e| e.events.len() as u64).sum();
        (envs.iter().map(Envelope::to_bytes).collect(), envs, events)
    };
    let events = journal.get_or_init(load).2;
    let mut g = c.benchmark_group("replay");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(events));
    g.bench_function("decode_apply", |b| {
        let (bytes, ..) = journal.get_or_init(load);
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut eng = Engine::with_storage(Box::new(NullStorage));
                let t = Instant::now();
                for b in bytes {
                    let env = ok(Envelope::from_bytes(b), "decode");
                    ok(eng.apply(&env), "apply");
                }
                total += t.elapsed();
            }
            total
        });
    });
    g.bench_function("apply_only", |b| {
        let (_, envs, _) = journal.get_or_init(load);
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut eng = Engine::with_storage(Box::new(NullStorage));
                let t = Instant::now();
                for env in envs {
                    ok(eng.apply(env), "apply");
                }
                total += t.elapsed();
            }
            total
        });
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let (cat, big) = (OnceCell::new(), OnceCell::new());
    atp_now(&mut c, &cat, &big);
    atp_dated(&mut c, &cat);
    fork_snapshot(&mut c, &cat);
    cycles(&mut c, &cat);
    replay(&mut c);
    c.final_summary();
}
