//! The `classes` question (ABC/XYZ over a year) on a ledger shaped like
//! the pandas comparison's (`benches/python/vs_pandas.py`: 10k items with
//! Zipf-like popularity, 20 bins, 30% receipts, 65% sales, 3% scrap, 2%
//! adjustments in time order, one standard cost per item), for profiling
//! and A/B runs of two builds on one snapshot without Python:
//!
//! ```sh
//! cargo run --release -p ims-benches --bin classes -- build /tmp/ledger.snap 10000000
//! cargo run --release -p ims-benches --bin classes -- time /tmp/ledger.snap 10
//! ```
//!
//! `time FILE RUNS FROM` asks 52 weeks from the Monday of another week (the pandas
//! comparison's ledger, saved with `Engine.snapshot()`, starts on
//! 2025-01-06).

use ims_benches::{sku, Rng, Zipf, T0};
use ims_core::command::{QtyIn, Receive, StockFact};
use ims_core::ops::demand::{Bucket, ClassesQuery, ScopeFilter};
use ims_core::{BatchMode, Command, CommandBody, Date, Engine};
use rust_decimal::Decimal;

const ITEMS: usize = 10_000;
const BINS: usize = 20;
const DAY_MS: i64 = 86_400_000;
const WEEKS: i64 = 52;

fn ok(e: &mut Engine, cmds: &[Command]) {
    for r in e.execute_batch(cmds, BatchMode::Independent).unwrap_or_else(|e| panic!("batch: {e}")) {
        if let Err(e) = r {
            panic!("refused: {e}");
        }
    }
}

fn build(path: &str, moves: usize) {
    let mut e = Engine::new();
    let mut rng = Rng::new(11);
    let json = |e: &mut Engine, v: String| {
        e.execute_json(&v).unwrap_or_else(|err| panic!("{v}: {err}"));
    };
    json(&mut e, format!(r#"{{"type":"define_location","location":"S","kind":"site","occurred_at":{T0}}}"#));
    for b in 1..=BINS {
        json(
            &mut e,
            format!(
                r#"{{"type":"define_location","location":"S/{b:02}","kind":"storage","parent":"S","occurred_at":{T0}}}"#
            ),
        );
    }
    for i in 0..ITEMS {
        json(&mut e, format!(r#"{{"type":"define_item","item":"{}","occurred_at":{T0}}}"#, sku(i)));
        let cents = rng.range(50, 100_000);
        let cost = Decimal::new(cents, 2);
        json(
            &mut e,
            format!(r#"{{"type":"set_item_cost","item":"{}","unit_cost":"{cost}","occurred_at":{T0}}}"#, sku(i)),
        );
    }
    // Popularity: Zipf over ranks, the ranks shuffled over the items.
    let zipf = Zipf::new(ITEMS);
    let mut of_rank: Vec<usize> = (0..ITEMS).collect();
    for i in (1..ITEMS).rev() {
        of_rank.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let span = WEEKS * 7 * DAY_MS;
    let mut cmds = Vec::with_capacity(50_000);
    for n in 0..moves {
        let item = sku(of_rank[zipf.sample(&mut rng)]);
        let location = format!("S/{:02}", rng.below(BINS as u64) + 1);
        let at = T0 + (span as i128 * n as i128 / moves as i128) as i64;
        let k = rng.below(100);
        let fact = |qty: i64| StockFact {
            item: item.clone(),
            location: location.clone(),
            qty: QtyIn::base(Decimal::from(qty)),
            lot: None,
            reference: None,
        };
        let body = match k {
            0..=29 => CommandBody::Receive(Receive {
                item: item.clone(),
                location: location.clone(),
                qty: QtyIn::base(Decimal::from(rng.range(1, 200))),
                lot: None,
                expiry: None,
                receipt: None,
                reference: None,
            }),
            30..=94 => CommandBody::Sell(fact(rng.range(1, 12))),
            95..=97 => CommandBody::Scrap(fact(rng.range(1, 3))),
            _ => CommandBody::Adjust(fact([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5][rng.below(10) as usize])),
        };
        cmds.push(Command::new(at, body));
        if cmds.len() == 50_000 {
            ok(&mut e, &cmds);
            cmds.clear();
        }
    }
    ok(&mut e, &cmds);
    std::fs::write(path, e.snapshot()).unwrap_or_else(|err| panic!("{path}: {err}"));
    println!("{} moves, snapshot {path}", e.state().moves.len());
}

fn time(path: &str, runs: usize, from: Option<Date>) {
    let bytes = std::fs::read(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let t = std::time::Instant::now();
    let e = Engine::restore(&bytes).unwrap_or_else(|err| panic!("restore: {err}"));
    println!("restoring the snapshot ({} MB): {:.3} s", bytes.len() / 1_000_000, t.elapsed().as_secs_f64());
    // Whole weeks, Monday to Sunday, as the pandas comparison asks.
    let from = Bucket::Week.align(from.unwrap_or(Date(T0.div_euclid(DAY_MS) as i32)));
    let q = ClassesQuery {
        scope: ScopeFilter::All,
        from,
        to: from.plus(WEEKS as i32 * 7 - 1),
        bucket: Bucket::Week,
        abc: Default::default(),
        xyz: Default::default(),
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let c = e.classes(&q).unwrap_or_else(|err| panic!("classes: {err}"));
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(c);
    }
    times.sort_by(f64::total_cmp);
    // The floor of any pass over the log: reading every move record.
    let mut floor = f64::MAX;
    for _ in 0..runs {
        let t = std::time::Instant::now();
        std::hint::black_box(e.state().moves.iter().fold(0i64, |a, m| a ^ m.qty ^ m.occurred_at ^ i64::from(m.item.0)));
        floor = floor.min(t.elapsed().as_secs_f64());
    }
    // The answer as the JSON doors get it: a JSON value (ims-py's query
    // tables write columns from the typed answer instead).
    let mut v = serde_json::to_value(&q).expect("a query serialises");
    v["kind"] = "classes".into();
    let query = ims_core::Query::from_value(v).unwrap_or_else(|err| panic!("query: {err}"));
    let mut as_json = f64::MAX;
    for _ in 0..runs {
        let t = std::time::Instant::now();
        std::hint::black_box(e.query(&query).unwrap_or_else(|err| panic!("query: {err}")));
        as_json = as_json.min(t.elapsed().as_secs_f64());
    }
    println!("reading every move record: best {floor:.3} s");
    println!("classes over {} moves: best {:.3} s, median {:.3} s", e.state().moves.len(), times[0], times[runs / 2]);
    println!("the same as a JSON answer: best {as_json:.3} s");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, d: usize| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(d);
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("build"), Some(p)) => build(p, arg(3, 10_000_000)),
        (Some("time"), Some(p)) => {
            let from =
                args.get(4).map(|d| serde_json::from_value(d.as_str().into()).unwrap_or_else(|e| panic!("{d}: {e}")));
            time(p, arg(3, 10).max(1), from)
        }
        _ => eprintln!("usage: classes build FILE [moves] | classes time FILE [runs [FROM]]"),
    }
}
