//! The retailer: its catalog, its distribution centres and stores, and the
//! stock they open the day with.

use ims_core::catalog::{LocationKind, Tracking};
use ims_core::command::{ItemSpec, LocationSpec, Receive, UnitSpec};
use ims_core::qty::UnitFactor;
use ims_core::{Command, CommandBody, Date, Millis, QtyIn};
use rust_decimal::Decimal;

use crate::run::Runner;
use ims_benches::{Rng, Zipf};

pub const N_SKUS: usize = 6_000;
pub const N_STORES: usize = 24;
/// Expected lines of the day, per channel (sizing the opening stock).
pub const SELL_LINES: f64 = 160_000.0;
pub const WEB_LINES: f64 = 55_000.0;
pub const B2B_LINES: f64 = 3_600.0;
pub const HOUR: Millis = 3_600_000;
pub const MINUTE: Millis = 60_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Sold by the each.
    Plain,
    /// Sold by the each, shipped and ordered in cases of 12.
    Case,
    /// Sold by weight: base unit kg, scale 3, a gram unit.
    Weight,
    /// Lot-tracked with an expiry date.
    Fresh,
}

pub struct Sku {
    pub code: String,
    pub kind: Kind,
}

pub struct Dc {
    pub code: String,
    pub rcv: String,
    pub bins: Vec<String>,
    /// Share of the web orders it serves.
    pub share: f64,
}

pub struct Store {
    pub code: String,
    pub floor: String,
    pub offset_min: i32,
}

pub struct World {
    pub skus: Vec<Sku>,
    pub by_rank: Vec<usize>,
    pub rank_of: Vec<usize>,
    pub dcs: Vec<Dc>,
    pub stores: Vec<Store>,
    pub zipf: Zipf,
    pub day0: Date,
    pub t0: Millis,
}

/// A quantity in an item's base unit from a float amount (kg to the gram,
/// everything else to whole units, rounded up).
pub fn base_qty(kind: Kind, amount: f64) -> Decimal {
    match kind {
        Kind::Weight => Decimal::new((amount * 1000.0).ceil().max(1.0) as i64, 3),
        _ => Decimal::from(amount.ceil().max(1.0) as i64),
    }
}

pub fn qty_in(qty: Decimal, unit: Option<&str>) -> QtyIn {
    QtyIn { qty, unit: unit.map(Into::into), rounding: None }
}

impl World {
    pub fn at(&self, h: f64) -> Millis {
        self.t0 + (h * HOUR as f64) as Millis
    }
    /// Stores list the 600 best sellers and about two fifths of the rest.
    pub fn carries(&self, store: usize, sku: usize) -> bool {
        self.rank_of[sku] < 600 || (sku * 7 + store * 13) % 5 < 2
    }
    pub fn bin(&self, dc: usize, sku: usize) -> &str {
        let bins = &self.dcs[dc].bins;
        &bins[(sku * 31 + dc * 17) % bins.len()]
    }
    /// Mean base units of one sale or cart line.
    pub fn mean_units(kind: Kind) -> f64 {
        match kind {
            Kind::Plain => 2.0,
            Kind::Case => 3.5,
            Kind::Weight => 0.75,
            Kind::Fresh => 1.5,
        }
    }
    pub fn draw(&self, rng: &mut Rng) -> usize {
        self.by_rank[self.zipf.sample(rng)]
    }
    pub fn draw_kind(&self, rng: &mut Rng, kind: Kind) -> usize {
        loop {
            let s = self.draw(rng);
            if self.skus[s].kind == kind {
                return s;
            }
        }
    }
    /// A shopper's quantity: grams at the deli counter, units elsewhere.
    pub fn line_qty(&self, rng: &mut Rng, sku: usize) -> QtyIn {
        match self.skus[sku].kind {
            Kind::Weight => qty_in(Decimal::from(rng.range(100, 1400)), Some("g")),
            Kind::Plain => qty_in(Decimal::from(rng.range(1, 3)), None),
            Kind::Case => qty_in(Decimal::from(rng.range(1, 6)), None),
            Kind::Fresh => qty_in(Decimal::from(rng.range(1, 2)), None),
        }
    }
    pub fn dc_of(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        if u < self.dcs[0].share {
            0
        } else if u < self.dcs[0].share + self.dcs[1].share {
            1
        } else {
            2
        }
    }
    /// Expected base units one DC ships in the day.
    pub fn dc_demand(&self, dc: usize, sku: usize) -> f64 {
        let (p, kind) = (self.zipf.p(self.rank_of[sku]), self.skus[sku].kind);
        let web = WEB_LINES * self.dcs[dc].share * p * Self::mean_units(kind);
        // Orders draw case items only (about 30% of the mass) from all DCs.
        let b2b = if kind == Kind::Case { B2B_LINES / 0.3 / 3.0 * p * 42.0 } else { 0.0 };
        web + b2b
    }
}

fn loc(t: Millis, code: &str, parent: Option<&str>, kind: LocationKind, walk_seq: u32, off: Option<i32>) -> Command {
    Command::new(
        t,
        CommandBody::DefineLocation(LocationSpec {
            location: code.into(),
            parent: parent.map(Into::into),
            kind,
            sellable: None,
            walk_seq,
            utc_offset_minutes: off,
            inbound_days: if kind == LocationKind::Site && code.starts_with("DC") { 1 } else { 0 },
        }),
    )
}

fn receive(t: Millis, item: &str, at: &str, qty: QtyIn, lot: Option<(String, Date)>) -> Command {
    Command::new(
        t,
        CommandBody::Receive(Receive {
            item: item.into(),
            location: at.into(),
            qty,
            expiry: lot.as_ref().map(|l| l.1),
            lot: lot.map(|l| l.0),
            receipt: None,
            reference: Some("opening".into()),
        }),
    )
}

/// A lot code that names its expiry, so one code always means one date.
pub fn lot_for(expiry: Date) -> (String, Date) {
    (format!("L{expiry}"), expiry)
}

/// Defines the network and the catalog, then receives the opening stock.
pub fn build(r: &mut Runner, rng: &mut Rng) -> World {
    let day0 = Date::from_ymd(2026, 11, 27).unwrap_or(Date(20_784));
    let t0 = day0.start_ms(0);
    let mut setup = Vec::new();
    let mut dcs = Vec::new();
    for (k, share) in [0.45, 0.35, 0.20].into_iter().enumerate() {
        let code = format!("DC{}", k + 1);
        let wh = format!("{code}/WH");
        setup.push(loc(t0, &code, None, LocationKind::Site, 0, Some(60)));
        setup.push(loc(t0, &wh, Some(&code), LocationKind::Warehouse, 0, None));
        let mut bins = Vec::new();
        for (z, zone) in ["A", "B", "C"].iter().enumerate() {
            let zc = format!("{wh}/{zone}");
            setup.push(loc(t0, &zc, Some(&wh), LocationKind::Zone, z as u32, None));
            for b in 1..=8 {
                let bc = format!("{zc}/{b:02}");
                setup.push(loc(t0, &bc, Some(&zc), LocationKind::Storage, b, None));
                bins.push(bc);
            }
        }
        let rcv = format!("{code}/RCV");
        setup.push(loc(t0, &rcv, Some(&code), LocationKind::Receiving, 9, None));
        dcs.push(Dc { code, rcv, bins, share });
    }
    let mut stores = Vec::new();
    for s in 0..N_STORES {
        let code = format!("S{:02}", s + 1);
        let offset_min = [0, 60, 60, 120][s % 4];
        let floor = format!("{code}/FLOOR");
        setup.push(loc(t0, &code, None, LocationKind::Site, 0, Some(offset_min)));
        setup.push(loc(t0, &floor, Some(&code), LocationKind::Storage, 0, None));
        stores.push(Store { code, floor, offset_min });
    }
    let mut skus = Vec::new();
    for id in 0..N_SKUS {
        let kind = match id % 10 {
            0 | 1 => Kind::Fresh,
            2 => Kind::Weight,
            3..=5 => Kind::Case,
            _ => Kind::Plain,
        };
        let prefix = ["GRO", "BEV", "DELI", "DAIRY"][kind as usize];
        let code = format!("{prefix}-{id:05}");
        let unit = |unit: &str, f: (u32, u32)| UnitSpec {
            unit: unit.into(),
            factor: UnitFactor::new(f.0, f.1).unwrap_or(UnitFactor::ONE),
        };
        setup.push(Command::new(
            t0,
            CommandBody::DefineItem(ItemSpec {
                item: code.clone(),
                base_unit: if kind == Kind::Weight { "kg" } else { "each" }.into(),
                scale: if kind == Kind::Weight { 3 } else { 0 },
                units: match kind {
                    Kind::Case => vec![unit("case", (12, 1))],
                    Kind::Weight => vec![unit("g", (1, 1000))],
                    _ => Vec::new(),
                },
                tracking: if kind == Kind::Fresh { Tracking::Lot } else { Tracking::None },
                shelf_life_days: (kind == Kind::Fresh).then_some(14),
                min_remaining_shelf_life_days: (kind == Kind::Fresh) as u32,
                archived: false,
            }),
        ));
        skus.push(Sku { code, kind });
    }
    r.independent(&setup).iter().for_each(|ok| assert!(ok, "catalog set-up refused"));
    // Popularity: a seeded shuffle of the SKUs gives each its Zipf rank.
    let mut by_rank: Vec<usize> = (0..N_SKUS).collect();
    for i in (1..N_SKUS).rev() {
        by_rank.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut rank_of = vec![0; N_SKUS];
    by_rank.iter().enumerate().for_each(|(rank, sku)| rank_of[*sku] = rank);
    let w = World { skus, by_rank, rank_of, dcs, stores, zipf: Zipf::new(N_SKUS), day0, t0 };

    // The night's deliveries, received between 04:00 and 05:00 UTC.
    let t = w.at(4.0);
    let mut cmds = Vec::new();
    for (i, s) in w.skus.iter().enumerate() {
        for dc in 0..w.dcs.len() {
            let amount = w.dc_demand(dc, i) * rng.uniform(0.7, 2.6) + 3.0;
            let bin = w.bin(dc, i);
            match s.kind {
                Kind::Case => {
                    let cases = Decimal::from((amount / 12.0).ceil() as i64);
                    cmds.push(receive(t, &s.code, bin, qty_in(cases, Some("case")), None));
                }
                Kind::Fresh => {
                    let short = base_qty(s.kind, amount * 0.3);
                    cmds.push(receive(t, &s.code, bin, qty_in(short, None), Some(lot_for(w.day0.plus(1)))));
                    let lot = lot_for(w.day0.plus(rng.range(8, 20) as i32));
                    cmds.push(receive(t, &s.code, bin, qty_in(base_qty(s.kind, amount * 0.7), None), Some(lot)));
                }
                _ => cmds.push(receive(t, &s.code, bin, qty_in(base_qty(s.kind, amount), None), None)),
            }
        }
        let p = w.zipf.p(w.rank_of[i]);
        for (k, st) in w.stores.iter().enumerate() {
            if !w.carries(k, i) {
                continue;
            }
            let e = SELL_LINES / N_STORES as f64 * p * World::mean_units(s.kind) * 2.0;
            let lot = (s.kind == Kind::Fresh).then(|| lot_for(w.day0.plus(rng.range(1, 6) as i32)));
            let floor = base_qty(s.kind, e * rng.uniform(0.6, 1.8) + 4.0);
            cmds.push(receive(t, &s.code, &st.floor, qty_in(floor, None), lot));
            if s.kind == Kind::Fresh && rng.pct(10) {
                // Yesterday's leftovers: on the shelf, too old to count as sellable.
                cmds.push(receive(t, &s.code, &st.floor, qty_in(Decimal::from(3), None), Some(lot_for(w.day0))));
            }
        }
    }
    r.independent(&cmds).iter().for_each(|ok| assert!(ok, "opening stock refused"));
    w
}
