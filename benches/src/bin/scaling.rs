//! Scaling curves (issue 11, part 4): how throughput and memory follow the
//! catalog from 10k to 10M balance rows, and how recovery time follows the
//! journal's length. Each point runs in a fresh child process, so its
//! resident set size is its own.
//!
//! * `catalog` — N items × 10 bins of one warehouse (N = 1k … 1M, so 10k …
//!   10M balance rows, each created by a receipt): load time, RSS, then
//!   snapshot size, encode and restore time of that state; then reserve +
//!   commit cycles and site-wide availability questions on items drawn
//!   uniformly (the cache-hostile case).
//! * `replay` — a journal (ims-journal, `Durability::Never`) of L sales
//!   over 10k items × 10 bins: the time `open` takes to replay all of it,
//!   and to restore a snapshot taken at its end instead.
//!
//! `cargo run --release -p ims-benches --bin scaling -- [catalog|replay|all] [--max-items N] [--out DIR]`
//! writes `DIR/scaling_catalog.csv` and `DIR/scaling_replay.csv` (DIR
//! defaults to the current directory); `scripts/bench-scaling` runs it
//! and plots the PNGs into docs/.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Instant;

use ims_benches::{build, cycle, rss_bytes, sku, Rng, T0};
use ims_core::command::StockFact;
use ims_core::{Command, CommandBody, Engine, NullStorage, QtyIn, Scope};
use ims_journal::{open, Durability, Options};
use rust_decimal::Decimal;

const BINS: usize = 10;
const CYCLES: u64 = 100_000;
const QUESTIONS: usize = 1_000_000;
const CATALOG_ITEMS: [usize; 7] = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000];
const JOURNAL_LENGTHS: [usize; 5] = [10_000, 30_000, 100_000, 300_000, 1_000_000];
const REPLAY_ITEMS: usize = 10_000;

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// One catalog point, in a child process: a CSV row.
fn catalog_point(items: usize) -> String {
    let rss0 = rss_bytes();
    let mut eng = Engine::with_storage(Box::new(NullStorage));
    let t = Instant::now();
    let layout = build(&mut eng, "WH", 0, BINS, items, 1_000_000);
    let load_s = t.elapsed().as_secs_f64();
    let rss = rss_bytes().saturating_sub(rss0);
    let rows = items * BINS;

    let t = Instant::now();
    let snap = eng.snapshot();
    let snap_s = t.elapsed().as_secs_f64();
    let digest = eng.state_digest();
    let t = Instant::now();
    let back = ok(Engine::restore(&snap), "restore");
    let restore_s = t.elapsed().as_secs_f64();
    assert_eq!(back.state_digest(), digest);
    let snapshot_bytes = snap.len();
    drop((back, snap));

    let scope = Scope::Subtree(layout.root.clone());
    let mut rng = Rng::new(7);
    let picks: Vec<usize> = (0..CYCLES).map(|_| rng.below(items as u64) as usize).collect();
    let cmds: Vec<(Command, Command)> =
        picks.iter().enumerate().map(|(n, &i)| cycle(n as u64, i, &scope, false)).collect();
    let t = Instant::now();
    for (r, c) in &cmds {
        ok(eng.execute(r), "reserve");
        ok(eng.execute(c), "commit");
    }
    let cycle_us = t.elapsed().as_secs_f64() * 1e6 / CYCLES as f64;

    let asks: Vec<String> = (0..QUESTIONS).map(|_| sku(rng.below(items as u64) as usize)).collect();
    let t = Instant::now();
    let mut sum = Decimal::ZERO;
    for s in &asks {
        sum += ok(eng.availability(s, &scope), "availability").available;
    }
    let ask_ns = t.elapsed().as_secs_f64() * 1e9 / QUESTIONS as f64;
    assert!(sum > Decimal::ZERO);

    format!(
        "{rows},{items},{load_s:.3},{rss},{:.1},{cycle_us:.3},{ask_ns:.1},{},{snap_s:.3},{restore_s:.3}",
        rss as f64 / rows as f64,
        snapshot_bytes
    )
}

fn sale(i: usize, rng: &mut Rng) -> Command {
    let fact = StockFact {
        item: sku(rng.below(REPLAY_ITEMS as u64) as usize),
        location: format!("WH/B{:02}", rng.below(BINS as u64)),
        qty: QtyIn::base(Decimal::ONE),
        lot: None,
        reference: None,
    };
    Command::new(T0 + i as i64, CommandBody::Sell(fact))
}

/// One replay point, in a child process: a CSV row.
fn replay_point(len: usize, dir: &Path) -> String {
    let _ = std::fs::remove_dir_all(dir);
    let opts = Options { durability: Durability::Never, ..Options::default() };
    {
        let (mut eng, _) = ok(open(dir, opts), "open");
        build(&mut eng, "WH", 0, BINS, REPLAY_ITEMS, 1_000_000);
        let mut rng = Rng::new(11);
        for i in 0..len {
            ok(eng.execute(&sale(i, &mut rng)), "sale");
        }
    }
    let bytes: u64 =
        std::fs::read_dir(dir).map_or(0, |d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum());
    let t = Instant::now();
    let (mut eng, rec) = ok(open(dir, opts), "reopen");
    let replay_s = t.elapsed().as_secs_f64();
    let envelopes = rec.replayed;
    let digest = eng.state_digest();
    ok(eng.checkpoint(), "checkpoint");
    drop(eng);
    let t = Instant::now();
    let (eng, rec) = ok(open(dir, opts), "reopen from the snapshot");
    let snap_s = t.elapsed().as_secs_f64();
    assert_eq!(rec.replayed, 0);
    assert_eq!(eng.state_digest(), digest);
    drop(eng);
    let _ = std::fs::remove_dir_all(dir);
    format!("{len},{envelopes},{bytes},{replay_s:.3},{:.0},{snap_s:.3}", envelopes as f64 / replay_s)
}

fn child(args: &[String]) -> String {
    let n: usize = ok(args[1].parse(), "point size");
    match args[0].as_str() {
        "catalog-point" => catalog_point(n),
        _ => replay_point(n, Path::new(&args[2])),
    }
}

fn run_child(args: &[String]) -> String {
    let exe = ok(std::env::current_exe(), "current_exe");
    let out = ok(Process::new(exe).args(args).output(), "spawn");
    if !out.status.success() {
        panic!("{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a.ends_with("-point")) {
        println!("{}", child(&args));
        return;
    }
    let which = args.first().cloned().unwrap_or_else(|| "all".into());
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let max_items: usize = flag("--max-items").map_or(usize::MAX, |v| ok(v.parse(), "--max-items"));
    let out = PathBuf::from(flag("--out").unwrap_or_else(|| ".".into()));
    ok(std::fs::create_dir_all(&out), "create the output directory");
    if which == "catalog" || which == "all" {
        let head = "balance_rows,items,load_s,rss_bytes,bytes_per_row,reserve_commit_us,availability_ns,snapshot_bytes,snapshot_s,restore_s";
        let mut csv = vec![head.to_string()];
        println!("{head}");
        for items in CATALOG_ITEMS.into_iter().filter(|&i| i <= max_items) {
            let row = run_child(&["catalog-point".into(), items.to_string()]);
            println!("{row}");
            csv.push(row);
        }
        ok(std::fs::write(out.join("scaling_catalog.csv"), csv.join("\n") + "\n"), "write the catalog CSV");
    }
    if which == "replay" || which == "all" {
        let head = "sales,replayed,journal_bytes,replay_s,envelopes_per_s,snapshot_open_s";
        let mut csv = vec![head.to_string()];
        println!("{head}");
        let dir = std::env::temp_dir().join(format!("ims-scaling-{}", std::process::id()));
        for len in JOURNAL_LENGTHS {
            let row = run_child(&["replay-point".into(), len.to_string(), dir.display().to_string()]);
            println!("{row}");
            csv.push(row);
        }
        ok(std::fs::write(out.join("scaling_replay.csv"), csv.join("\n") + "\n"), "write the replay CSV");
    }
}
