//! Shared generators for the property tests: a small catalog (four items,
//! two sites with zones, bins, receiving and quarantine) and random
//! operations that turn into valid *and* invalid commands against the
//! current state of an engine.
//!
//! Operations carry small "dice" (`u8`, `u16`) rather than concrete values:
//! they are interpreted against the engine when they run ([`materialize`]),
//! so a reservation id, a move id or a bucket to pick can refer to what
//! exists at that moment, and shrinking stays meaningful.
#![allow(dead_code)]

mod ops;
pub use ops::ops_body;

use proptest::collection::vec;
use proptest::prelude::*;
use rust_decimal::Decimal;

use ims_core::catalog::{LocationKind, LotStatus, Tracking};
use ims_core::command::{
    Adjust, Amend, BucketPick, Commit, ExpectReceipt, ItemSpec, LocationSpec, MoveStock, Promise, Receive, Reserve,
    Scrap, Sell, UnitSpec,
};
use ims_core::qty::{Rounding, UnitFactor};
use ims_core::{Command, CommandBody, Engine, Fill, QtyIn, Remainder, Scope, Strategy as Removal};
use ims_core::{Date, Millis};

/// 2025-01-01T00:00:00Z.
pub const T0: Millis = 1_735_689_600_000;
/// The date of `T0`.
pub const DAY0: Date = Date(20_089);
/// One day in ms.
pub const DAY: i64 = 86_400_000;

/// Item codes of the catalog (plus an unknown one used by generators).
pub const ITEMS: [&str; 4] = ["U", "L", "W", "C"];

fn factor(num: u32, den: u32) -> UnitFactor {
    UnitFactor::new(num, den).expect("positive factor")
}

/// The base definition of each item.
pub fn item_spec(code: &str) -> ItemSpec {
    let mut s = ItemSpec::new(code);
    match code {
        // Lot-tracked with expiry: 20 days of shelf life, 1 day required at sale.
        "L" => {
            s.tracking = Tracking::Lot;
            s.shelf_life_days = Some(20);
            s.min_remaining_shelf_life_days = 1;
        }
        // Sold by weight: kg with 3 decimals, and grams.
        "W" => {
            s.base_unit = "kg".into();
            s.scale = 3;
            s.units = vec![UnitSpec { unit: "g".into(), factor: factor(1, 1000) }];
        }
        // Sold in cases of 12.
        "C" => s.units = vec![UnitSpec { unit: "case".into(), factor: factor(12, 1) }],
        _ => {}
    }
    s
}

/// All item definitions, in their canonical order.
pub fn item_specs() -> Vec<ItemSpec> {
    ITEMS.iter().map(|c| item_spec(c)).collect()
}

fn loc(code: &str, parent: Option<&str>, kind: LocationKind, walk_seq: u32) -> LocationSpec {
    LocationSpec {
        location: code.into(),
        parent: parent.map(Into::into),
        kind,
        sellable: None,
        walk_seq,
        utc_offset_minutes: None,
        inbound_days: 0,
    }
}

/// The location tree, parents before children.
pub fn location_specs() -> Vec<LocationSpec> {
    use LocationKind::*;
    let mut s1 = loc("S1", None, Site, 0);
    s1.utc_offset_minutes = Some(-300);
    s1.inbound_days = 1;
    let mut s2 = loc("S2", None, Site, 0);
    s2.utc_offset_minutes = Some(600);
    vec![
        s1,
        s2,
        loc("S1/WH", Some("S1"), Warehouse, 0),
        loc("S1/RCV", Some("S1"), Receiving, 0),
        loc("S1/Q", Some("S1"), Quarantine, 0),
        loc("S1/STG", Some("S1"), Staging, 0),
        loc("S2/A", Some("S2"), Zone, 0),
        loc("S2/RCV", Some("S2"), Receiving, 0),
        loc("S2/Q", Some("S2"), Quarantine, 0),
        loc("S1/A", Some("S1/WH"), Zone, 1),
        loc("S1/B", Some("S1/WH"), Zone, 2),
        loc("S2/A/01", Some("S2/A"), Storage, 0),
        loc("S2/A/02", Some("S2/A"), Storage, 0),
        loc("S1/A/01", Some("S1/A"), Storage, 1),
        loc("S1/A/02", Some("S1/A"), Storage, 2),
        loc("S1/B/01", Some("S1/B"), Storage, 1),
    ]
}

/// Depth of a location in the tree of [`location_specs`] (roots are 0).
pub fn depth(spec: &LocationSpec) -> usize {
    let all = location_specs();
    let mut d = 0;
    let mut parent = spec.parent.clone();
    while let Some(p) = parent {
        d += 1;
        parent = all.iter().find(|s| s.location == p).and_then(|s| s.parent.clone());
    }
    d
}

/// The commands that define the catalog, items then locations.
pub fn setup_commands(items: &[ItemSpec], locs: &[LocationSpec]) -> Vec<Command> {
    let mut v: Vec<Command> = items.iter().map(|s| Command::new(T0, CommandBody::DefineItem(s.clone()))).collect();
    v.extend(locs.iter().map(|s| Command::new(T0, CommandBody::DefineLocation(s.clone()))));
    v
}

/// An engine holding the catalog.
pub fn engine_with_catalog() -> Engine {
    let mut e = Engine::new();
    for c in setup_commands(&item_specs(), &location_specs()) {
        e.execute(&c).expect("catalog definition");
    }
    e
}

/// Opening stock, so reservations find something to hold from the start.
pub fn seed_commands() -> Vec<Command> {
    let rc = |item: &str, loc: &str, qty: Decimal, lot: Option<(&str, i32)>| {
        Command::new(
            T0,
            CommandBody::Receive(Receive {
                item: item.into(),
                location: loc.into(),
                qty: QtyIn::base(qty),
                lot: lot.map(|l| l.0.into()),
                expiry: lot.map(|l| DAY0.plus(l.1)),
                receipt: None,
                reference: Some("opening".into()),
            }),
        )
    };
    vec![
        rc("U", "S1/A/01", Decimal::from(30), None),
        rc("U", "S2/A/01", Decimal::from(20), None),
        rc("U", "S1/RCV", Decimal::from(10), None),
        rc("L", "S1/A/01", Decimal::from(15), Some(("L1", 2))),
        rc("L", "S1/A/02", Decimal::from(15), Some(("L2", 5))),
        rc("L", "S2/A/02", Decimal::from(10), Some(("L3", 9))),
        rc("W", "S1/B/01", Decimal::new(25_500, 3), None),
        rc("W", "S2/A/01", Decimal::new(7_250, 3), None),
        rc("C", "S2/A/02", Decimal::from(48), None),
        rc("C", "S1/A/02", Decimal::from(24), None),
    ]
}

/// A quantity die.
#[derive(Clone, Copy, Debug)]
pub struct Q {
    pub mode: u8,
    pub n: u16,
}

/// What a step does.
#[derive(Clone, Debug)]
pub enum Op {
    Define(u8),
    Receive {
        item: u8,
        loc: u8,
        qty: Q,
        lot: u8,
        expiry: u8,
        receipt: u8,
    },
    Expect {
        id: u8,
        item: u8,
        loc: u8,
        qty: Q,
        days: u8,
    },
    CancelReceipt {
        id: u8,
    },
    Sell {
        item: u8,
        loc: u8,
        qty: Q,
        lot: u8,
        back: u16,
    },
    Adjust {
        item: u8,
        loc: u8,
        qty: Q,
        neg: bool,
        lot: u8,
    },
    Move {
        item: u8,
        from: u8,
        to: u8,
        qty: Q,
        lot: u8,
    },
    MoveReserved {
        res: u8,
        alloc: u8,
        to: u8,
        part: bool,
    },
    Scrap {
        item: u8,
        loc: u8,
        qty: Q,
        lot: u8,
    },
    LotStatus {
        item: u8,
        lot: u8,
        status: u8,
    },
    Reverse {
        pick: u16,
    },
    Reserve {
        res: u8,
        item: u8,
        qty: Q,
        scope: u8,
        strategy: u8,
        partial: bool,
        ttl: u8,
        min_days: u8,
        need: u8,
    },
    Commit {
        res: u8,
        qty: u8,
        keep: bool,
        dest: u8,
        buckets: u8,
        pick: u8,
    },
    Release {
        res: u8,
    },
    Extend {
        res: u8,
        ttl: u8,
    },
    Amend {
        res: u8,
        qty: Q,
    },
    Promise {
        res: u8,
        item: u8,
        qty: Q,
        days: u8,
        scope: u8,
        priority: u8,
    },
    Advance,
    /// A command of an operations flow, built from dice by [`ops_body`].
    Ops {
        kind: u8,
        a: u8,
        b: u8,
        qty: Q,
    },
}

/// One command to generate: what, how much time passes first, which key.
#[derive(Clone, Debug)]
pub struct Step {
    pub op: Op,
    pub dt: (u8, u32),
    pub key: u8,
}

/// One action of a generated run.
#[derive(Clone, Debug)]
pub enum Action {
    /// Execute one command.
    Cmd(Step),
    /// Retry an earlier keyed command (index into the keyed successes; the
    /// flag says whether the retry carries a later timestamp).
    Retry(u16, bool),
    /// A batch of commands, atomic when the flag is set.
    Batch(Vec<Step>, bool),
}

fn q() -> impl Strategy<Value = Q> {
    (any::<u8>(), any::<u16>()).prop_map(|(mode, n)| Q { mode, n })
}

/// Any operation, weighted towards stock and reservation traffic.
pub fn op() -> impl Strategy<Value = Op> {
    let u = || any::<u8>();
    prop_oneof![
        1 => u().prop_map(Op::Define),
        6 => (u(), u(), q(), u(), u(), u())
            .prop_map(|(item, loc, qty, lot, expiry, receipt)| Op::Receive { item, loc, qty, lot, expiry, receipt }),
        2 => (u(), u(), u(), q(), u()).prop_map(|(id, item, loc, qty, days)| Op::Expect { id, item, loc, qty, days }),
        1 => u().prop_map(|id| Op::CancelReceipt { id }),
        4 => (u(), u(), q(), u(), any::<u16>())
            .prop_map(|(item, loc, qty, lot, back)| Op::Sell { item, loc, qty, lot, back }),
        2 => (u(), u(), q(), any::<bool>(), u())
            .prop_map(|(item, loc, qty, neg, lot)| Op::Adjust { item, loc, qty, neg, lot }),
        2 => (u(), u(), u(), q(), u()).prop_map(|(item, from, to, qty, lot)| Op::Move { item, from, to, qty, lot }),
        2 => (u(), u(), u(), any::<bool>()).prop_map(|(res, alloc, to, part)| Op::MoveReserved { res, alloc, to, part }),
        2 => (u(), u(), q(), u()).prop_map(|(item, loc, qty, lot)| Op::Scrap { item, loc, qty, lot }),
        2 => (u(), u(), u()).prop_map(|(item, lot, status)| Op::LotStatus { item, lot, status }),
        1 => any::<u16>().prop_map(|pick| Op::Reverse { pick }),
        10 => (u(), u(), q(), u(), u(), any::<bool>(), u(), u(), u()).prop_map(
            |(res, item, qty, scope, strategy, partial, ttl, min_days, need)| Op::Reserve {
                res,
                item,
                qty,
                scope,
                strategy,
                partial,
                ttl,
                min_days,
                need
            }
        ),
        5 => (u(), u(), any::<bool>(), u(), u(), u())
            .prop_map(|(res, qty, keep, dest, buckets, pick)| Op::Commit { res, qty, keep, dest, buckets, pick }),
        2 => u().prop_map(|res| Op::Release { res }),
        2 => (u(), u()).prop_map(|(res, ttl)| Op::Extend { res, ttl }),
        2 => (u(), q()).prop_map(|(res, qty)| Op::Amend { res, qty }),
        2 => (u(), u(), q(), u(), u(), u())
            .prop_map(|(res, item, qty, days, scope, priority)| Op::Promise { res, item, qty, days, scope, priority }),
        1 => Just(Op::Advance),
        12 => (u(), u(), u(), q()).prop_map(|(kind, a, b, qty)| Op::Ops { kind, a, b, qty }),
    ]
}

/// A step: an operation, a time increment and a key choice.
pub fn step() -> impl Strategy<Value = Step> {
    (op(), (any::<u8>(), any::<u32>()), any::<u8>()).prop_map(|(op, dt, key)| Step { op, dt, key })
}

/// An action: mostly single commands, some retries, some batches.
pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        20 => step().prop_map(Action::Cmd),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(i, later)| Action::Retry(i, later)),
        1 => (vec(step(), 2..5), any::<bool>()).prop_map(|(s, atomic)| Action::Batch(s, atomic)),
    ]
}

/// How much time a step lets pass, in ms.
pub fn time_step(dt: (u8, u32)) -> i64 {
    let (kind, jitter) = dt;
    let j = jitter as i64;
    match kind % 16 {
        0..=5 => 0,
        6..=10 => j % 600_000,
        11..=13 => 3_600_000 + j % (5 * 3_600_000),
        14 => DAY + j % 3_600_000,
        _ => 3 * DAY,
    }
}

const ITEM_PICK: [&str; 16] = ["U", "U", "U", "L", "L", "L", "L", "W", "W", "W", "C", "C", "C", "U", "L", "NOPE"];
const LOC_PICK: [&str; 16] = [
    "S1/A/01",
    "S1/A/01",
    "S1/A/02",
    "S1/B/01",
    "S1/RCV",
    "S1/Q",
    "S1/STG",
    "S2/A/01",
    "S2/A/01",
    "S2/A/02",
    "S2/RCV",
    "S2/Q",
    "S1",
    "S2/A/03",
    "@customer",
    "NOPE",
];
const LOT_PICK: [Option<&str>; 8] =
    [None, Some("L1"), Some("L1"), Some("L2"), Some("L2"), Some("L3"), Some("L4"), Some("?")];

fn item_code(d: u8) -> &'static str {
    ITEM_PICK[d as usize % ITEM_PICK.len()]
}

fn loc_code(d: u8) -> String {
    LOC_PICK[d as usize % LOC_PICK.len()].to_string()
}

fn lot_code(item: &str, d: u8) -> Option<String> {
    if item == "L" {
        LOT_PICK[d as usize % LOT_PICK.len()].map(Into::into)
    } else if d % 8 == 7 {
        Some("L1".into())
    } else {
        None
    }
}

fn lot_expiry(lot: Option<&str>, d: u8) -> Option<Date> {
    let days = match lot {
        Some("L1") => 2,
        Some("L2") => 5,
        Some("L3") => 9,
        Some("L4") => 40,
        _ => 1,
    };
    match d % 4 {
        0 => None,
        1 | 2 => Some(DAY0.plus(days)),
        _ => Some(DAY0.plus(100)),
    }
}

/// Reservation ids are drawn from a small pool so that later commands find them.
pub fn res_code(d: u8) -> String {
    format!("r{}", d % 10)
}

/// Mostly an active reservation of the pool (one holding stock when
/// `holding`), sometimes any id of the pool, known or not.
fn pick_res(eng: &Engine, d: u8, holding: bool) -> String {
    let pool = |f: &dyn Fn(&ims_core::ReservationView) -> bool| -> Vec<String> {
        (0..10u8).map(res_code).filter(|c| eng.reservation(c).is_some_and(|v| f(&v))).collect()
    };
    if d % 8 < 7 {
        let live = pool(&|v| v.status == "active" && (!holding || !v.allocations.is_empty()));
        if !live.is_empty() {
            return live[d as usize / 8 % live.len()].clone();
        }
    }
    if d % 2 == 0 {
        // Any reservation the engine knows, finished ones included.
        let known = pool(&|_| true);
        if !known.is_empty() {
            return known[d as usize / 2 % known.len()].clone();
        }
    }
    res_code(d)
}

/// Mostly an id of the pool not used yet, sometimes any (then maybe a conflict).
fn fresh_res(eng: &Engine, d: u8) -> String {
    if d % 4 != 0 {
        if let Some(c) = (0..10u8).map(|i| res_code(d.wrapping_add(i))).find(|c| eng.reservation(c).is_none()) {
            return c;
        }
    }
    res_code(d)
}

/// Mostly a lot of `item` that exists, sometimes any lot code.
fn pick_lot(eng: &Engine, item: &str, d: u8) -> Option<String> {
    let cat = &eng.state().cat;
    if d % 8 < 6 {
        if let Some(id) = cat.item_id(item) {
            let known: Vec<&str> = LOT_PICK.iter().flatten().copied().filter(|l| cat.lot_id(id, l).is_some()).collect();
            if !known.is_empty() {
                return Some(known[d as usize / 8 % known.len()].into());
            }
        }
    }
    lot_code(item, d)
}

fn scope(d: u8) -> Scope {
    match d % 16 {
        0 | 1 => Scope::All,
        2..=4 => Scope::Subtree("S1".into()),
        5..=7 => Scope::Subtree("S2".into()),
        8 => Scope::Subtree("S1/WH".into()),
        9 | 10 => Scope::Subtree("S1/A".into()),
        11 => Scope::List(vec!["S1/A/01".into(), "S2".into()]),
        12 => Scope::Subtree("S1/Q".into()),
        13 => Scope::Subtree("S2/A/01".into()),
        14 => Scope::List(Vec::new()),
        _ => Scope::Subtree("NOPE".into()),
    }
}

fn strategy(d: u8) -> Removal {
    match d % 5 {
        0 => Removal::Fefo,
        1 => Removal::Fifo,
        2 => Removal::Lifo,
        3 => Removal::LocationPriority,
        _ => Removal::SingleLocationFirst,
    }
}

fn ttl(d: u8) -> Option<i64> {
    match d % 16 {
        0..=5 => None,
        6 | 7 => Some(60_000),
        8 | 9 => Some(1_800_000),
        10 | 11 => Some(3_600_000),
        12..=14 => Some(DAY),
        _ => Some(-5),
    }
}

/// A quantity for an item, valid most of the time: base-unit amounts at the
/// item's scale, alternative units (exact and inexact, with and without a
/// rounding mode), zero, negative, too fine, and huge.
pub fn qty_in(item: &str, q: Q) -> QtyIn {
    let n = q.n as i64;
    let base = |v: Decimal| QtyIn { qty: v, unit: None, rounding: None };
    let unit = |v: Decimal, u: &str, r: Option<Rounding>| QtyIn { qty: v, unit: Some(u.into()), rounding: r };
    match q.mode % 24 {
        0..=15 => match item {
            "W" => base(Decimal::new(n % 3000 + 1, 3)),
            _ => base(Decimal::from(n % 12 + 1)),
        },
        16 | 17 => match item {
            "W" => unit(Decimal::from(n % 2000 + 1), "g", None),
            "C" => unit(Decimal::from(n % 3 + 1), "case", None),
            _ => unit(Decimal::ONE, "case", None),
        },
        18 => {
            let r = (n % 2 == 0).then_some(Rounding::HalfEven);
            match item {
                "W" => unit(Decimal::new(n % 50 + 1, 1), "g", r),
                "C" => unit(Decimal::new(n % 30 + 1, 1), "case", r),
                _ => base(Decimal::new(n % 30 + 1, 1)),
            }
        }
        19 => base(Decimal::ZERO),
        20 => base(-Decimal::from(n % 5 + 1)),
        21 if item == "W" => base(Decimal::new(n % 9 + 1, 4)),
        21 => base(Decimal::new(n % 9 + 1, 1)),
        _ if n % 4 == 0 => base(Decimal::from(i64::MAX / 2 + n)),
        _ => base(Decimal::from(n % 1000 + 100)),
    }
}

fn item_def(d: u8) -> CommandBody {
    let mut u = item_spec("U");
    let mut l = item_spec("L");
    let mut w = item_spec("W");
    let mut c = item_spec("C");
    let mut s1a02 = location_specs().into_iter().find(|s| s.location == "S1/A/02").expect("S1/A/02");
    match d % 14 {
        0 => u.archived = true,
        1 => return CommandBody::DefineItem(u),
        2 => l.min_remaining_shelf_life_days = 0,
        3 => return CommandBody::DefineItem(l),
        4 => w.scale = 2,
        5 => return CommandBody::DefineItem(w),
        6 => {
            l.tracking = Tracking::None;
            return CommandBody::DefineItem(l);
        }
        7 => {
            c.units.push(UnitSpec { unit: "pallet".into(), factor: factor(480, 1) });
            return CommandBody::DefineItem(c);
        }
        8 => {
            s1a02.sellable = Some(false);
            return CommandBody::DefineLocation(s1a02);
        }
        9 => return CommandBody::DefineLocation(s1a02),
        10 => return CommandBody::DefineLocation(loc("S2/A/03", Some("S2/A"), LocationKind::Storage, 0)),
        11 => {
            return CommandBody::DefineLocation(loc("S1/A/01", Some("S2"), LocationKind::Storage, 1));
        }
        12 => {
            let mut s2 = location_specs().into_iter().find(|s| s.location == "S2").expect("S2");
            s2.utc_offset_minutes = Some(1000);
            return CommandBody::DefineLocation(s2);
        }
        _ => {
            let mut z = location_specs().into_iter().find(|s| s.location == "S1/A").expect("S1/A");
            z.walk_seq = 5;
            return CommandBody::DefineLocation(z);
        }
    }
    match d % 14 {
        0 => CommandBody::DefineItem(u),
        2 => CommandBody::DefineItem(l),
        _ => CommandBody::DefineItem(w),
    }
}

fn scale_of(eng: &Engine, item: &str) -> u32 {
    let cat = &eng.state().cat;
    cat.item_id(item).map_or(0, |id| cat.item(id).scale() as u32)
}

/// Half of `v`, truncated to `scale` decimal places.
fn half(v: Decimal, scale: u32) -> Decimal {
    (v / Decimal::TWO).trunc_with_scale(scale).normalize()
}

/// Turns an operation into a command against the engine's current state.
/// `clock` is the test's wall clock (the command's `occurred_at`), `n` the
/// step number (for fresh client keys).
pub fn materialize(step: &Step, eng: &Engine, clock: Millis, n: usize) -> Command {
    let mut at = clock;
    let today = Date::at(clock, 0);
    let body = match &step.op {
        Op::Define(d) => item_def(*d),
        Op::Receive { item, loc, qty, lot, expiry, receipt } => {
            let item = item_code(*item);
            let lot = lot_code(item, *lot);
            CommandBody::Receive(Receive {
                item: item.into(),
                location: loc_code(*loc),
                qty: qty_in(item, *qty),
                expiry: if item == "L" { lot_expiry(lot.as_deref(), *expiry) } else { None },
                lot,
                receipt: (receipt % 4 == 3).then(|| format!("P{}", receipt % 3)),
                reference: (receipt % 5 == 0).then(|| "DN-1".into()),
            })
        }
        Op::Expect { id, item, loc, qty, days } => {
            let item = item_code(*item);
            CommandBody::ExpectReceipt(ExpectReceipt {
                receipt: format!("P{}", id % 3),
                item: item.into(),
                location: loc_code(*loc),
                qty: qty_in(item, *qty),
                expected: today.plus((*days % 12) as i32 - 2),
            })
        }
        Op::CancelReceipt { id } => CommandBody::CancelReceipt { receipt: format!("P{}", id % 4) },
        Op::Sell { item, loc, qty, lot, back } => {
            let item = item_code(*item);
            if back % 4 == 0 {
                // A back-dated fact: an offline till syncing late.
                at = clock - (*back as i64) * 1000;
            }
            CommandBody::Sell(Sell {
                item: item.into(),
                location: loc_code(*loc),
                qty: qty_in(item, *qty),
                lot: lot_code(item, *lot),
                reference: None,
            })
        }
        Op::Adjust { item, loc, qty, neg, lot } => {
            let item = item_code(*item);
            let mut qty = qty_in(item, *qty);
            if *neg {
                qty.qty = -qty.qty;
            }
            CommandBody::Adjust(Adjust {
                item: item.into(),
                location: loc_code(*loc),
                qty,
                lot: lot_code(item, *lot),
                reference: Some("count".into()),
            })
        }
        Op::Move { item, from, to, qty, lot } => {
            let item = item_code(*item);
            // Mostly free stock of a real bucket, all of it or half.
            let bals = eng.balances(item).unwrap_or_default();
            let free: Vec<_> = bals.iter().filter(|b| b.on_hand > b.reserved).collect();
            match free.len() {
                n if n > 0 && from % 4 != 3 => {
                    let b = free[*from as usize / 4 % n];
                    let f = b.on_hand - b.reserved;
                    let h = half(f, scale_of(eng, item));
                    CommandBody::Move(MoveStock {
                        item: item.into(),
                        from: b.location.to_string(),
                        to: loc_code(*to),
                        qty: QtyIn::base(if qty.n % 2 == 0 && h > Decimal::ZERO { h } else { f }),
                        lot: b.lot.as_ref().map(|l| l.to_string()),
                        reservation: None,
                    })
                }
                _ => CommandBody::Move(MoveStock {
                    item: item.into(),
                    from: loc_code(*from),
                    to: loc_code(*to),
                    qty: qty_in(item, *qty),
                    lot: lot_code(item, *lot),
                    reservation: None,
                }),
            }
        }
        Op::MoveReserved { res, alloc, to, part } => {
            let code = pick_res(eng, *res, true);
            match eng.reservation(&code).filter(|v| !v.allocations.is_empty()) {
                Some(v) => {
                    let (loc, lot, q) = v.allocations[*alloc as usize % v.allocations.len()].clone();
                    let scale = scale_of(eng, &v.item);
                    let q = if *part && half(q, scale) > Decimal::ZERO { half(q, scale) } else { q };
                    CommandBody::Move(MoveStock {
                        item: v.item.to_string(),
                        from: loc.to_string(),
                        to: loc_code(*to),
                        qty: QtyIn::base(q),
                        lot: lot.map(|l| l.to_string()),
                        reservation: Some(code),
                    })
                }
                None => CommandBody::Move(MoveStock {
                    item: "U".into(),
                    from: "S1/A/01".into(),
                    to: loc_code(*to),
                    qty: QtyIn::base(Decimal::ONE),
                    lot: None,
                    reservation: Some(code),
                }),
            }
        }
        Op::Scrap { item, loc, qty, lot } => {
            let item = item_code(*item);
            CommandBody::Scrap(Scrap {
                item: item.into(),
                location: loc_code(*loc),
                qty: qty_in(item, *qty),
                lot: lot_code(item, *lot),
                reference: Some("damaged".into()),
            })
        }
        Op::LotStatus { item, lot, status } => {
            let item = if item % 4 == 0 { item_code(*item) } else { "L" };
            CommandBody::SetLotStatus {
                item: item.into(),
                lot: pick_lot(eng, "L", *lot).unwrap_or_else(|| "L9".into()),
                status: match status % 3 {
                    0 => LotStatus::Available,
                    1 => LotStatus::OnHold,
                    _ => LotStatus::Rejected,
                },
            }
        }
        Op::Reverse { pick } => {
            let moves = eng.state().moves.len() as u64;
            CommandBody::Reverse { move_id: (*pick as u64) % (moves + 1) + 1 }
        }
        Op::Reserve { res, item, qty, scope: s, strategy: st, partial, ttl: t, min_days, need } => {
            let item = item_code(*item);
            CommandBody::Reserve(Reserve {
                reservation: fresh_res(eng, *res),
                item: item.into(),
                qty: qty_in(item, *qty),
                scope: scope(*s),
                channel: (need % 3 == 0).then(|| "web".into()),
                ttl_ms: ttl(*t),
                strategy: strategy(*st),
                min_shelf_life_days: [0, 0, 1, 5][*min_days as usize % 4],
                fill: if *partial { Fill::Partial } else { Fill::All },
                need_date: (need % 4 == 0).then(|| today.plus((need % 7) as i32)),
                priority: (*need as i32 / 16) % 3,
            })
        }
        Op::Commit { res, qty, keep, dest, buckets, pick } => commit(eng, *res, *qty, *keep, *dest, *buckets, *pick),
        Op::Release { res } => CommandBody::Release { reservation: pick_res(eng, *res, false) },
        Op::Extend { res, ttl: t } => {
            CommandBody::Extend { reservation: pick_res(eng, *res, false), ttl_ms: ttl(*t).unwrap_or(600_000) }
        }
        Op::Amend { res, qty } => {
            let code = pick_res(eng, *res, false);
            let item = eng.reservation(&code).map_or_else(|| "U".to_string(), |v| v.item.to_string());
            CommandBody::Amend(Amend { reservation: code, qty: qty_in(&item, *qty) })
        }
        Op::Promise { res, item, qty, days, scope: s, priority } => {
            let item = item_code(*item);
            CommandBody::Promise(Promise {
                reservation: fresh_res(eng, *res),
                item: item.into(),
                qty: qty_in(item, *qty),
                need_date: today.plus((days % 10) as i32),
                scope: scope(*s),
                channel: None,
                priority: (*priority % 3) as i32,
            })
        }
        Op::Advance => CommandBody::Advance,
        Op::Ops { kind, a, b, qty } => {
            let v = ops_body(eng, *kind, *a, *b, *qty);
            serde_json::from_value(v.clone())
                .unwrap_or_else(|e| panic!("generated ops command {v} does not decode: {e}"))
        }
    };
    let client_key = match step.key % 10 {
        0..=5 => None,
        6..=8 => Some(format!("k{n}")),
        k => Some(format!("kp{}", (k as usize + n) % 3)),
    };
    Command { occurred_at: at, client_key, body }
}

fn commit(eng: &Engine, res: u8, q: u8, keep: bool, dest: u8, buckets: u8, pick: u8) -> CommandBody {
    let code = pick_res(eng, res, true);
    let view = eng.reservation(&code);
    let allocated = view.as_ref().map_or(Decimal::ONE, |v| v.allocated);
    let item = view.as_ref().map_or_else(|| "U".to_string(), |v| v.item.to_string());
    let scale = scale_of(eng, &item);
    let (qty, unit) = match q % 8 {
        0..=2 => (None, None),
        3 if half(allocated, scale) > Decimal::ZERO => (Some(half(allocated, scale)), None),
        3 | 4 => (Some(allocated), None),
        5 => (Some(allocated + Decimal::ONE), None),
        6 if item == "W" => (Some((allocated * Decimal::from(1000)).normalize()), Some("g".to_string())),
        6 if item == "C" => (Some(Decimal::ONE), Some("case".to_string())),
        6 => (Some(allocated), None),
        _ => (Some(Decimal::ZERO), None),
    };
    let destination = match dest % 10 {
        0..=3 => None,
        4 => Some("@customer".into()),
        5 => Some("S1/STG".into()),
        6 => Some("S2/A/01".into()),
        7 => Some("S1/Q".into()),
        8 => Some("@scrap".into()),
        _ => Some("NOPE".into()),
    };
    // The buckets a picker names: the reservation's own (in reverse order),
    // or a substitute with free stock.
    let want = if unit.is_some() { None } else { Some(qty.unwrap_or(allocated)) };
    let buckets = match (buckets % 6, &view, want) {
        (4, Some(v), Some(mut rest)) if !v.allocations.is_empty() => {
            let mut picks = Vec::new();
            for (loc, lot, a) in v.allocations.iter().rev() {
                if rest <= Decimal::ZERO {
                    break;
                }
                let take = (*a).min(rest);
                rest -= take;
                picks.push(BucketPick {
                    location: loc.to_string(),
                    lot: lot.as_ref().map(|l| l.to_string()),
                    qty: take,
                });
            }
            Some(picks)
        }
        (5, Some(v), Some(w)) => {
            let bals = eng.balances(&v.item).unwrap_or_default();
            let free: Vec<_> = bals.iter().filter(|b| b.on_hand > b.reserved).collect();
            if free.is_empty() {
                None
            } else {
                let b = free[pick as usize % free.len()];
                Some(vec![BucketPick {
                    location: b.location.to_string(),
                    lot: b.lot.as_ref().map(|l| l.to_string()),
                    qty: w,
                }])
            }
        }
        _ => None,
    };
    let qty = if buckets.is_some() && qty.is_none() { want } else { qty };
    CommandBody::Commit(Commit {
        reservation: code,
        qty,
        unit,
        buckets,
        destination,
        remainder: if keep { Remainder::Keep } else { Remainder::Release },
        reference: None,
    })
}

/// Whether a command is a fact (never refused for stock reasons).
pub fn is_fact(cmd: &Command) -> bool {
    matches!(cmd.body, CommandBody::Sell(_) | CommandBody::Adjust(_) | CommandBody::Scrap(_) | CommandBody::Receive(_))
}
