//! Memory per balance row, measured: the resident set size of a fresh
//! process before and after building N SKUs × 1 bin, and of another after
//! N SKUs × 10 bins (NullStorage: no journal is kept). The difference,
//! divided by the 9·N extra rows, is the marginal cost of one balance row,
//! including the receipt move that created it (the engine keeps every
//! posted move). Run: `cargo run --release -p ims-benches --bin mem`.

use std::process::Command;

use ims_benches::{build, rss_bytes};
use ims_core::{Engine, NullStorage};

const ITEMS: usize = 100_000;

/// In a child process: builds the catalog and prints the RSS growth.
fn child(bins: usize) {
    let before = rss_bytes();
    let mut eng = Engine::with_storage(Box::new(NullStorage));
    build(&mut eng, "WH", 0, bins, ITEMS, 1_000_000);
    println!("{} {}", rss_bytes().saturating_sub(before), eng.state().moves.len());
}

fn run(bins: usize) -> (f64, u64) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    let out = Command::new(exe).arg(bins.to_string()).output().unwrap_or_else(|e| panic!("spawn: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|v| v.parse::<u64>().unwrap_or(0));
    (it.next().unwrap_or(0) as f64, it.next().unwrap_or(0))
}

fn main() {
    if let Some(bins) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        return child(bins);
    }
    use ims_core::{catalog::Item, ledger};
    for (name, size) in [
        ("ledger::Bucket", size_of::<ledger::Bucket>()),
        ("ledger::MoveRec", size_of::<ledger::MoveRec>()),
        ("ledger::ItemStock", size_of::<ledger::ItemStock>()),
        ("catalog::Item", size_of::<Item>()),
    ] {
        println!("size_of {name:<18} {size:>4} bytes");
    }
    let ((one, m1), (ten, m10)) = (run(1), run(10));
    println!("{ITEMS} SKUs x  1 bin : RSS +{:>6.1} MB ({m1} moves)", one / 1e6);
    println!("{ITEMS} SKUs x 10 bins: RSS +{:>6.1} MB ({m10} moves)", ten / 1e6);
    println!("all-in bytes per balance row ({} rows): {:.0}", ITEMS * 10, ten / (ITEMS * 10) as f64);
    println!("marginal bytes per balance row (bucket + its receipt move): {:.0}", (ten - one) / (9 * ITEMS) as f64);
}
