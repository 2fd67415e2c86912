//! Issue 11, part 1: ims-core against an embedded store in SQLite, on the
//! same command stream, in one run (`scripts/bench-vs-sqlite`; figures in
//! BENCHMARKS.md).
//!
//! A warehouse of `--items` SKUs × `--bins` bins (1M balance rows by
//! default), `--writes` writes (web holds, their commits and releases, the
//! clock moving and holds expiring; see `workload.rs`) and then `--asks`
//! availability questions. Every variant runs the same stream from the
//! same start; the run stops unless every variant counted the same answers
//! (holds taken and refused, commits, releases, expiries), ended with the
//! same on-hand and reserved in every bin, and answered the questions with
//! the same units.
//!
//! Variants: one transaction per operation, as a till runs (SQLite) beside
//! one `execute` per command (ims); `--batch` operations per transaction
//! beside independent batches of that size; in memory (SQLite
//! `:memory:`, ims on `NullStorage`) and on files (SQLite WAL with
//! `synchronous = NORMAL`, ims on ims-journal with `Durability::Never`: both
//! survive a crash of the process, neither promises a power loss) for the
//! first `--file-writes` writes.
//!
//! The questions run `--ask-passes` times over (3 by default) on each
//! side and each side's fastest pass is reported: the whole question phase
//! of ims lasts a fraction of a second, short enough for a slow spell of a
//! shared machine to halve it, and the best of a few passes is the figure
//! the machine can repeat. Every pass must answer the same units.

mod ims_side;
mod sqlite;
mod workload;

use std::time::Instant;

use ims_core::{Engine, NullStorage};
use workload::{Shape, Tally};

struct Args {
    shape: Shape,
    batch: usize,
    file_writes: usize,
    dir: std::path::PathBuf,
    /// Passes over the questions; the fastest counts.
    ask_passes: usize,
    /// `--only ims`: ims's in-memory variant alone, for a profiler.
    only_ims: bool,
}

const USAGE: &str = "[--items N] [--bins N] [--writes N] [--asks N] [--seed N] [--batch N] [--ask-passes N] \
                     [--file-writes N] [--dir PATH] [--only ims]";

/// A bad command line: what is wrong and the usage, on stderr; exit 2.
fn usage(what: &str) -> ! {
    eprintln!("vs_sqlite: {what}\nusage: vs_sqlite {USAGE}");
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        shape: Shape { items: 100_000, bins: 10, writes: 1_000_000, asks: 1_000_000, seed: 11 },
        batch: 1_000,
        file_writes: 200_000,
        dir: std::env::temp_dir().join("ims-vs-sqlite"),
        ask_passes: 3,
        only_ims: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            println!("usage: vs_sqlite {USAGE}");
            std::process::exit(0);
        }
        let Some(v) = it.next() else { usage(&format!("{flag} wants a value")) };
        let n = || v.parse::<usize>().unwrap_or_else(|_| usage(&format!("{flag}: not a number: {v}")));
        match flag.as_str() {
            "--items" => a.shape.items = n() as u32,
            "--bins" => a.shape.bins = n() as u8,
            "--writes" => a.shape.writes = n(),
            "--asks" => a.shape.asks = n(),
            "--seed" => a.shape.seed = n() as u64,
            "--batch" => a.batch = n(),
            "--ask-passes" => a.ask_passes = n(),
            "--file-writes" => a.file_writes = n(),
            "--dir" => a.dir = v.into(),
            "--only" if v == "ims" => a.only_ims = true,
            _ => usage(&format!("unknown flag {flag} {v}")),
        }
    }
    assert!(a.shape.bins >= 1 && a.shape.bins <= 99 && a.batch >= 1 && a.ask_passes >= 1);
    a
}

/// One variant's figures.
struct Run {
    name: String,
    writes: usize,
    write_s: f64,
    ask_s: Option<f64>,
    tally: Tally,
    balances: Vec<(i64, i64, i64, i64)>,
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// The fastest of `passes` runs of `ask` (seconds) and its answer, which
/// every pass must repeat.
fn best_of(passes: usize, mut ask: impl FnMut() -> i64) -> (f64, i64) {
    let mut best = (f64::INFINITY, None);
    for _ in 0..passes {
        let t = Instant::now();
        let sum = ask();
        let s = secs(t);
        assert!(best.1.is_none_or(|b| b == sum), "a pass over the questions answered differently");
        best = (best.0.min(s), Some(sum));
    }
    (best.0, best.1.unwrap_or_default())
}

/// ims in memory on a store of its own, built as each SQLite variant
/// builds its own (a fork of one built store would be cheaper to set up,
/// but its first write to each item copies that item's stock away from
/// the rest: a till never forks, and its questions would pay for it).
fn ims_run(name: &str, a: &Args, batch: usize, ops: &[workload::Op], asks: &[workload::Ask]) -> Run {
    let cmds = ims_side::commands(ops);
    let questions = ims_side::questions(asks);
    let t = Instant::now();
    let mut eng = Engine::with_storage(Box::new(NullStorage));
    ims_side::build(&mut eng, &a.shape);
    println!("{name}: store built in {:.1} s", secs(t));
    let mut tally = Tally::default();
    let t = Instant::now();
    ims_side::run(&mut eng, ops, &cmds, batch, &mut tally);
    let write_s = secs(t);
    let (ask_s, sum) = best_of(a.ask_passes, || ims_side::answer(&eng, &questions));
    tally.answered_units = sum;
    Run {
        name: name.into(),
        writes: ops.len(),
        write_s,
        ask_s: Some(ask_s),
        tally,
        balances: ims_side::balances(&eng, &a.shape),
    }
}

fn sqlite_run(
    name: &str,
    a: &Args,
    mode: sqlite::Mode,
    batch: usize,
    ops: &[workload::Op],
    asks: &[workload::Ask],
) -> Run {
    let path = a.dir.join("store.sqlite");
    let mut db = sqlite::Sqlite::build(&a.shape, mode, &path).expect("the SQLite store is built");
    let t = Instant::now();
    db.run(ops, batch).expect("SQLite runs the writes");
    let write_s = secs(t);
    let (ask_s, sum) =
        best_of(a.ask_passes, || asks.iter().map(|q| db.available(q).expect("SQLite answers")).sum::<i64>());
    db.tally.answered_units = sum;
    let ask_s = (!asks.is_empty()).then_some(ask_s);
    Run {
        name: name.into(),
        writes: ops.len(),
        write_s,
        ask_s,
        tally: db.tally,
        balances: db.balances().expect("SQLite lists its balances"),
    }
}

/// ims on an ims-journal directory: the store built through the journal,
/// then the writes.
fn ims_file_run(a: &Args, ops: &[workload::Op]) -> Run {
    let dir = a.dir.join("journal");
    let _ = std::fs::remove_dir_all(&dir);
    let opts = ims_journal::Options { durability: ims_journal::Durability::Never, ..Default::default() };
    let (mut eng, _) = ims_journal::open(&dir, opts).expect("the journal opens");
    ims_side::build(&mut eng, &a.shape);
    let cmds = ims_side::commands(ops);
    let mut tally = Tally::default();
    let t = Instant::now();
    ims_side::run(&mut eng, ops, &cmds, 1, &mut tally);
    let write_s = secs(t);
    let balances = ims_side::balances(&eng, &a.shape);
    drop(eng);
    let _ = std::fs::remove_dir_all(&dir);
    Run {
        name: "ims, ims-journal file, one command a call".into(),
        writes: ops.len(),
        write_s,
        ask_s: None,
        tally,
        balances,
    }
}

/// Every run of a group must agree with the group's first.
fn same(runs: &[&Run]) {
    for r in &runs[1..] {
        let mut t = r.tally;
        let mut first = runs[0].tally;
        if r.ask_s.is_none() || runs[0].ask_s.is_none() {
            (t.answered_units, first.answered_units) = (0, 0);
        }
        assert_eq!(t, first, "{} and {} counted differently", r.name, runs[0].name);
        assert!(r.balances == runs[0].balances, "{} and {} end with different stock", r.name, runs[0].name);
    }
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.dir).expect("a scratch directory");
    let s = a.shape;
    let ops = workload::writes(&s);
    let asks = workload::asks(&s);
    println!(
        "{} SKUs x {} bins ({} balance rows), {} writes, {} questions, seed {}; SQLite {}",
        s.items,
        s.bins,
        s.items as u64 * s.bins as u64,
        s.writes,
        s.asks,
        s.seed,
        rusqlite::version()
    );
    if a.only_ims {
        let r = ims_run("ims, in memory, one command a call", &a, 1, &ops, &asks);
        let ask = r.ask_s.unwrap_or(0.0) / s.asks.max(1) as f64 * 1e6;
        println!("ims alone: {:.3} µs per write, {:.3} µs per question", r.write_s / r.writes as f64 * 1e6, ask);
        return;
    }

    let mut runs = vec![
        ims_run("ims, in memory, one command a call", &a, 1, &ops, &asks),
        sqlite_run("SQLite :memory:, one transaction an operation", &a, sqlite::Mode::Memory, 1, &ops, &asks),
        ims_run(&format!("ims, in memory, batches of {}", a.batch), &a, a.batch, &ops, &asks),
        sqlite_run(
            &format!("SQLite :memory:, {} operations a transaction", a.batch),
            &a,
            sqlite::Mode::Memory,
            a.batch,
            &ops,
            &asks,
        ),
    ];
    same(&runs.iter().collect::<Vec<_>>());
    let t = &runs[0].tally;
    println!(
        "answers (equal in every variant): {} holds taken, {} refused short, {} committed, {} released, {} not open, {} expired; {} units available summed over the questions",
        t.reserved, t.refused_short, t.committed, t.released, t.refused_not_open, t.expired, t.answered_units
    );
    if a.file_writes > 0 {
        let prefix = &ops[..a.file_writes.min(ops.len())];
        let f = vec![
            ims_file_run(&a, prefix),
            sqlite_run("SQLite WAL file, one transaction an operation", &a, sqlite::Mode::WalFile, 1, prefix, &[]),
        ];
        same(&f.iter().collect::<Vec<_>>());
        runs.extend(f);
    }
    println!("\n| variant | writes | µs per write | µs per question |");
    println!("| --- | --- | --- | --- |");
    for r in &runs {
        let ask = r.ask_s.map_or("—".into(), |t| format!("{:.3}", t / s.asks as f64 * 1e6));
        println!("| {} | {} | {:.3} | {} |", r.name, r.writes, r.write_s / r.writes as f64 * 1e6, ask);
    }
    let ratio =
        |i: usize, j: usize| runs[j].write_s / runs[j].writes as f64 / (runs[i].write_s / runs[i].writes as f64);
    let ask_ratio = |i: usize, j: usize| runs[j].ask_s.unwrap_or(0.0) / runs[i].ask_s.unwrap_or(f64::NAN);
    println!("\nims / SQLite, per operation: writes {:.1}x, questions {:.1}x", ratio(0, 1), ask_ratio(0, 1));
    println!("batched: writes {:.1}x, questions {:.1}x", ratio(2, 3), ask_ratio(2, 3));
    if runs.len() > 4 {
        println!("files: writes {:.1}x", ratio(4, 5));
    }
    let _ = std::fs::remove_dir_all(&a.dir);
}
