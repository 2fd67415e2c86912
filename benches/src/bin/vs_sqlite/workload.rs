//! The command stream both stores run: seeded, generated before either
//! store sees it, and independent of their answers (a commit may name a
//! reservation that was refused or has expired; both stores must refuse it
//! alike).

use ims_benches::{Rng, Zipf};

/// Engine time at the start: 2026-11-27 00:00 UTC.
pub const T0: i64 = ims_benches::T0;
/// A web cart's hold: 15 minutes.
pub const TTL_MS: i64 = 900_000;
/// Units received into every bin of every SKU.
pub const STOCK: i64 = 20;

/// Where a request looks: the whole warehouse or one bin.
#[derive(Clone, Copy, Debug)]
pub enum Where {
    Site,
    Bin(u8),
}

/// One write of the stream.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Hold `qty` of `item` (all or nothing, FEFO over the bins in scope).
    Reserve { res: u32, item: u32, at: Where, qty: u8 },
    /// Ship what reservation `res` holds.
    Commit { res: u32 },
    /// Give reservation `res` back.
    Release { res: u32 },
    /// The clock moves on by one second; due holds expire.
    Tick,
}

/// One availability question: available now for `item` at `at`.
#[derive(Clone, Copy, Debug)]
pub struct Ask {
    pub item: u32,
    pub at: Where,
}

/// The shape of the test.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub items: u32,
    pub bins: u8,
    pub writes: usize,
    pub asks: usize,
    pub seed: u64,
}

/// The writes: of every 100, 65 reserves, 30 commits and 5 releases, each
/// commit or release naming one of the last 2,000 reservations (so some
/// name one already finished, and some holds are never named and expire);
/// the clock ticks one second every 50 writes, so a hold lives 45,000
/// writes. SKUs are drawn Zipf(1.0): the best sellers run out and their
/// requests are refused (`INSUFFICIENT_AVAILABLE`) on both sides.
pub fn writes(s: &Shape) -> Vec<Op> {
    let mut rng = Rng::new(s.seed);
    let zipf = Zipf::new(s.items as usize);
    let mut out = Vec::with_capacity(s.writes);
    let mut next_res = 0u32;
    while out.len() < s.writes {
        if out.len() % 50 == 49 {
            out.push(Op::Tick);
            continue;
        }
        let roll = rng.below(100);
        let op = match roll {
            _ if roll < 65 || next_res == 0 => {
                let item = zipf.sample(&mut rng) as u32;
                let at = if rng.pct(70) { Where::Site } else { Where::Bin(rng.below(s.bins as u64) as u8) };
                next_res += 1;
                Op::Reserve { res: next_res - 1, item, at, qty: 1 + rng.below(3) as u8 }
            }
            65..=94 => Op::Commit { res: recent(&mut rng, next_res) },
            _ => Op::Release { res: recent(&mut rng, next_res) },
        };
        out.push(op);
    }
    out
}

/// One of the last 2,000 reservations named (`made` so far, at least one).
fn recent(rng: &mut Rng, made: u32) -> u32 {
    made - 1 - rng.below(2_000.min(made as u64)) as u32
}

/// The questions: SKUs drawn Zipf(1.0), 70% for the warehouse.
pub fn asks(s: &Shape) -> Vec<Ask> {
    let mut rng = Rng::new(s.seed ^ 0xa5a5);
    let zipf = Zipf::new(s.items as usize);
    (0..s.asks)
        .map(|_| Ask {
            item: zipf.sample(&mut rng) as u32,
            at: if rng.pct(70) { Where::Site } else { Where::Bin(rng.below(s.bins as u64) as u8) },
        })
        .collect()
}

/// Codes, as a till or a storefront sends them.
pub fn sku(i: u32) -> String {
    ims_benches::sku(i as usize)
}
pub fn bin(b: u8) -> String {
    format!("WH/B{b:02}")
}
pub fn res_code(r: u32) -> String {
    format!("r{r}")
}

/// What a store answered, counted: both stores must count alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub reserved: u64,
    pub refused_short: u64,
    pub committed: u64,
    pub released: u64,
    pub refused_not_open: u64,
    pub expired: u64,
    /// Sum of every answer to the questions (a checksum of the answers).
    pub answered_units: i64,
}
