//! Shared fixtures of the ims benchmarks (`benches/engine.rs`), the
//! memory probe (`src/bin/mem.rs`) and the `store_day` example: a seeded PRNG, a Zipf(1.0) sampler and
//! catalog builders. Everything is deterministic.

use ims_core::catalog::LocationKind;
use ims_core::command::{ExpectReceipt, ItemSpec, LocationSpec, Receive, Reserve};
use ims_core::{BatchMode, Command, CommandBody, Date, Engine, Fill, Millis, QtyIn, Remainder, Scope, Strategy};
use rust_decimal::Decimal;

/// 2026-11-27 00:00 UTC: the benchmarks' engine time.
pub const T0: Millis = 20_784 * 86_400_000;

/// SplitMix64: a small, seeded, reproducible generator.
pub struct Rng(ims_core::simulate::SplitMix64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(ims_core::simulate::SplitMix64(seed))
    }
    /// The next 64 random bits (the core's SplitMix64, which the policy
    /// simulation draws from too).
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// True with probability `pct` percent.
    pub fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// Zipf(s = 1.0) over `0..n` by inverse transform on the cumulative
/// distribution: P(k) = 1 / ((k + 1) · H_n). Rank k is item k, so item 0 is
/// the best seller.
pub struct Zipf {
    cdf: Vec<f64>,
    h: f64,
}

impl Zipf {
    /// The sampler for `n` ranks.
    pub fn new(n: usize) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (1..=n)
            .map(|k| {
                acc += 1.0 / k as f64;
                acc
            })
            .collect();
        cdf.iter_mut().for_each(|c| *c /= acc);
        Zipf { cdf, h: acc }
    }
    /// The probability of a rank.
    pub fn p(&self, rank: usize) -> f64 {
        1.0 / ((rank + 1) as f64 * self.h)
    }
    /// A rank.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cdf.partition_point(|c| *c <= u).min(self.cdf.len() - 1)
    }
    /// `n` ranks.
    pub fn draws(&self, rng: &mut Rng, n: usize) -> Vec<usize> {
        (0..n).map(|_| self.sample(rng)).collect()
    }
}

/// The code of item `i`.
pub fn sku(i: usize) -> String {
    format!("SKU-{i:06}")
}

/// A catalog: `items` SKUs stocked in every bin of one warehouse.
pub struct Layout {
    /// The warehouse (a site).
    pub root: String,
    /// Its bins, in walk order.
    pub bins: Vec<String>,
}

fn run_all(eng: &mut Engine, cmds: &[Command]) {
    for chunk in cmds.chunks(50_000) {
        let outs = match eng.execute_batch(chunk, BatchMode::Independent) {
            Ok(v) => v,
            Err(e) => panic!("set-up batch refused: {e}"),
        };
        if let Some(Err(e)) = outs.into_iter().find(|r| r.is_err()) {
            panic!("set-up command refused: {e}");
        }
    }
}

/// Defines a warehouse `root` with `zones` zones of `bins_per_zone` bins
/// (bins directly under the root when `zones` is 0), `items` SKUs, and
/// receives `qty` of every SKU into every bin. Every tenth SKU also gets a
/// scheduled receipt in three days (for time-phased ATP).
pub fn build(eng: &mut Engine, root: &str, zones: usize, bins_per_zone: usize, items: usize, qty: i64) -> Layout {
    let loc = |code: String, parent: Option<String>, kind, walk_seq| {
        let spec = LocationSpec {
            location: code,
            parent,
            kind,
            sellable: None,
            walk_seq,
            utc_offset_minutes: (kind == LocationKind::Site).then_some(60),
            inbound_days: 0,
        };
        Command::new(T0, CommandBody::DefineLocation(spec))
    };
    let mut cmds = vec![loc(root.into(), None, LocationKind::Site, 0)];
    let mut bins = Vec::new();
    for z in 0..zones.max(1) {
        let parent = if zones == 0 {
            root.to_string()
        } else {
            let zc = format!("{root}/Z{z:02}");
            cmds.push(loc(zc.clone(), Some(root.into()), LocationKind::Zone, z as u32));
            zc
        };
        for b in 0..bins_per_zone {
            let code = format!("{parent}/B{b:02}");
            cmds.push(loc(code.clone(), Some(parent.clone()), LocationKind::Storage, b as u32));
            bins.push(code);
        }
    }
    for i in 0..items {
        let spec = ItemSpec::new(sku(i));
        cmds.push(Command::new(T0, CommandBody::DefineItem(spec)));
        if cmds.len() >= 10_000 {
            run_all(eng, &cmds);
            cmds.clear();
        }
    }
    run_all(eng, &cmds);
    cmds.clear();
    for i in 0..items {
        for b in &bins {
            let r = Receive {
                item: sku(i),
                location: b.clone(),
                qty: QtyIn::base(Decimal::from(qty)),
                lot: None,
                expiry: None,
                receipt: None,
                reference: None,
            };
            cmds.push(Command::new(T0, CommandBody::Receive(r)));
        }
        if i % 10 == 0 {
            let r = ExpectReceipt {
                receipt: format!("PO-{root}-{i}"),
                item: sku(i),
                location: bins[0].clone(),
                qty: QtyIn::base(Decimal::from(qty)),
                expected: Date(20_784 + 3),
            };
            cmds.push(Command::new(T0, CommandBody::ExpectReceipt(r)));
        }
        // Small chunks keep the transient command memory out of RSS figures.
        if cmds.len() >= 10_000 {
            run_all(eng, &cmds);
            cmds.clear();
        }
    }
    run_all(eng, &cmds);
    Layout { root: root.into(), bins }
}

/// One web reservation of one unit of `item` from `scope`, and its commit.
pub fn cycle(n: u64, item: usize, scope: &Scope, keys: bool) -> (Command, Command) {
    let code = format!("r{n}");
    let reserve = Reserve {
        reservation: code.clone(),
        item: sku(item),
        qty: QtyIn::base(Decimal::ONE),
        scope: scope.clone(),
        channel: None,
        ttl_ms: Some(900_000),
        strategy: Strategy::Fefo,
        min_shelf_life_days: 0,
        fill: Fill::All,
        need_date: None,
        priority: 0,
    };
    let commit = ims_core::command::Commit {
        reference: None,
        reservation: code.clone(),
        qty: None,
        unit: None,
        buckets: None,
        destination: None,
        remainder: Remainder::Release,
    };
    let (r, c) = (Command::new(T0, CommandBody::Reserve(reserve)), Command::new(T0, CommandBody::Commit(commit)));
    if keys {
        (r.with_key(format!("k{n}")), c.with_key(format!("k{n}c")))
    } else {
        (r, c)
    }
}

/// Resident set size of this process in bytes (Linux; 0 elsewhere).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
    pages * 4096
}
