//! The day as a discrete-event simulation: every action has a time, the
//! queue runs them in (time, sequence) order, and handlers schedule what
//! follows (a cart's checkout, an order's second shipment, a putaway).

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use ims_core::catalog::LotStatus;
use ims_core::command::{Commit, ExpectReceipt, MoveStock, Promise, Receive, Reserve, Sell};
use ims_core::edge::{QueueLimits, Replica, Slice};
use ims_core::{hex, Command, CommandBody, Date, Fill, Millis, QtyIn, Remainder, Scope, Strategy};
use rust_decimal::Decimal;

use crate::ops::{Ops, OpsAct};
use crate::run::Runner;
use crate::world::{base_qty, lot_for, qty_in, Kind, World, HOUR, MINUTE};
use ims_benches::Rng;

const CARTS: usize = 25_000;
const ORDERS: usize = 1_200;
const POS: usize = 2_500;
const CART_TTL_MS: i64 = 20 * MINUTE;
const OFFLINE_STORE: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Act {
    Tick,
    Basket(usize),
    Sync,
    Cart(usize),
    Checkout(usize),
    Drop(usize),
    Extend(usize),
    Late(usize),
    Order(usize),
    Ship(usize, bool),
    Expect,
    Arrive(usize),
    Putaway(usize),
    Promises,
    Recall,
    Ops(OpsAct),
}

/// A scheduled receipt: (sku, dc, qty in `unit`, unit, expected, received base qty and lot).
type Po = (usize, usize, Decimal, Option<&'static str>, Date, Option<(Decimal, Option<(String, Date)>)>);

/// Outcomes worth reporting beyond the counters.
#[derive(Default)]
pub struct Log {
    /// Carts: placed, refused, checked out, emptied, abandoned, came back too late.
    pub carts: [u64; 6],
    /// Order lines: accepted, refused, shipped in part.
    pub order_lines: [u64; 3],
    /// Receipts: expected, arrived, put away.
    pub receipts: [u64; 3],
    pub promises: Vec<(String, String, String)>,
    /// (sku, lot, allocations moved, shortfalls).
    pub recall: Option<(String, String, usize, usize)>,
    pub offline_sales: u64,
    /// The offline till's sync: (queued commands accepted, oversold sales
    /// reported, envelopes in the tail, slice digest after it, equal to
    /// the authority's).
    pub offline_sync: Option<(u32, usize, u64, String)>,
}

pub struct Sim<'a> {
    w: &'a World,
    pub r: &'a mut Runner,
    rng: Rng,
    queue: BinaryHeap<Reverse<(Millis, u64, Act)>>,
    seq: u64,
    carts: Vec<Vec<String>>,
    orders: Vec<Vec<String>>,
    pos: Vec<Po>,
    /// The till of `OFFLINE_STORE` while its link is down: a replica of
    /// the store that keeps selling and queues its sales.
    offline: Option<Replica>,
    pub log: Log,
    pub ops: Ops,
}

fn reserve(code: String, item: &str, qty: QtyIn, scope: Scope, channel: &str) -> Reserve {
    let (ttl_ms, need_date, min_shelf_life_days, priority) = (None, None, 0, 0);
    let (channel, strategy, fill) = (Some(channel.into()), Strategy::Fefo, Fill::All);
    Reserve {
        reservation: code,
        item: item.into(),
        qty,
        scope,
        channel,
        ttl_ms,
        strategy,
        min_shelf_life_days,
        fill,
        need_date,
        priority,
    }
}

fn commit(code: &str, qty: Option<Decimal>, remainder: Remainder) -> CommandBody {
    let reservation = code.into();
    CommandBody::Commit(Commit {
        reservation,
        qty,
        unit: None,
        buckets: None,
        destination: None,
        remainder,
        reference: None,
    })
}

impl<'a> Sim<'a> {
    pub fn new(w: &'a World, r: &'a mut Runner, rng: Rng) -> Sim<'a> {
        let (queue, carts, orders) = (BinaryHeap::new(), vec![Vec::new(); CARTS], vec![Vec::new(); ORDERS]);
        let (pos, offline, log, ops) = (Vec::new(), None, Log::default(), Ops::new());
        let mut s = Sim { w, r, rng, queue, seq: 0, carts, orders, pos, offline, log, ops };
        // Time advances every 5 minutes until 06:00 the next morning.
        (0..=300).for_each(|k| s.at(w.at(5.0) + k * 5 * MINUTE, Act::Tick));
        for (k, st) in w.stores.iter().enumerate() {
            // Tills open 08:00–21:00 local; a basket every 25 s on average.
            let mut t = w.at(8.0) - st.offset_min as i64 * MINUTE;
            let close = t + 13 * HOUR;
            while t < close {
                s.at(t, Act::Basket(k));
                t += s.rng.range(0, 50_000);
            }
        }
        let spread = |s: &mut Sim, n: usize, from: f64, to: f64, act: fn(usize) -> Act| {
            let (gap, mut t) = (((to - from) * HOUR as f64 / n as f64) as i64, w.at(from));
            for i in 0..n {
                s.at(t, act(i));
                t += s.rng.range(0, 2 * gap);
            }
        };
        spread(&mut s, CARTS, 6.0, 23.0, Act::Cart);
        spread(&mut s, ORDERS, 6.0, 16.0, Act::Order);
        for (h, act) in [(5.5, Act::Expect), (10.5, Act::Promises), (12.0, Act::Sync), (13.0, Act::Recall)] {
            s.at(w.at(h), act);
        }
        let mut acts = Vec::new();
        Ops::schedule(w, &mut s.rng, |t, a| acts.push((t, a)));
        acts.into_iter().for_each(|(t, a)| s.at(t, Act::Ops(a)));
        s
    }

    fn at(&mut self, t: Millis, act: Act) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, act)));
    }

    fn exec(&mut self, t: Millis, body: CommandBody) -> bool {
        self.r.exec(&Command::new(t, body)).is_some()
    }

    /// Runs every action scheduled up to `until`.
    pub fn run_until(&mut self, until: Millis) {
        while self.queue.peek().is_some_and(|Reverse(a)| a.0 <= until) {
            let Some(Reverse((t, _, act))) = self.queue.pop() else { break };
            self.step(t, act);
        }
    }

    fn step(&mut self, t: Millis, act: Act) {
        let w = self.w;
        match act {
            Act::Tick => {
                self.exec(t, CommandBody::Advance);
            }
            Act::Basket(k) => self.basket(t, k),
            Act::Sync => {
                // The offline till is back: one sync round trip posts its
                // queued sales (back-dated: they keep when they happened)
                // and brings the till level with the authority.
                if let Some(mut till) = self.offline.take() {
                    let report = self.r.sync(&mut till);
                    let oversold = report.conflicts.len();
                    let digest = till.slice_digest();
                    let theirs = self.r.eng.slice_digest(till.slice()).expect("the till's slice is valid");
                    assert!(till.pending().is_empty() && digest == theirs, "the till is level after its sync");
                    self.log.offline_sync = Some((report.accepted, oversold, report.applied, hex(&digest)));
                }
            }
            Act::Cart(i) => self.cart(t, i),
            Act::Checkout(i) | Act::Late(i) => {
                self.log.carts[if act == Act::Late(i) { 5 } else { 2 }] += 1;
                for code in self.carts[i].clone() {
                    let c = Command::new(t, commit(&code, None, Remainder::Release)).with_key(format!("{code}/out"));
                    if self.r.exec(&c).is_some() && self.rng.pct(4) {
                        // The storefront missed the answer and sends it again.
                        self.r.exec(&Command { occurred_at: t + 900, ..c });
                    }
                }
            }
            Act::Drop(i) => {
                self.log.carts[3] += 1;
                for code in self.carts[i].clone() {
                    self.exec(t, CommandBody::Release { reservation: code });
                }
            }
            Act::Extend(i) => {
                for code in self.carts[i].clone() {
                    self.exec(t, CommandBody::Extend { reservation: code, ttl_ms: CART_TTL_MS });
                }
                self.at(t + 10 * MINUTE, Act::Checkout(i));
            }
            Act::Order(i) => self.order(t, i),
            Act::Ship(i, last) => self.ship(t, i, last),
            Act::Expect => self.expect(t),
            Act::Arrive(n) => self.arrive(t, n),
            Act::Putaway(n) => {
                let (sku, dc, .., got) = &self.pos[n];
                let Some((qty, lot)) = got.clone() else { return };
                let (item, from, to) = (w.skus[*sku].code.clone(), w.dcs[*dc].rcv.clone(), w.bin(*dc, *sku).into());
                let lot = lot.map(|l| l.0);
                let body =
                    CommandBody::Move(MoveStock { item, from, to, qty: qty_in(qty, None), lot, reservation: None });
                self.log.receipts[2] += self.exec(t, body) as u64;
            }
            Act::Promises => self.promises(t),
            Act::Recall => self.recall(t),
            Act::Ops(a) => {
                for (t2, a2) in self.ops.step(w, self.r, &mut self.rng, t, a) {
                    self.at(t2, Act::Ops(a2));
                }
            }
        }
    }

    fn basket(&mut self, t: Millis, k: usize) {
        let w = self.w;
        for line in 0..self.rng.range(1, 6) {
            let mut sku = w.draw(&mut self.rng);
            // Shoppers buy what the store lists; a few scans are of unlisted
            // stock (mis-scans, unrecorded deliveries) and drive it negative.
            for _ in 0..3 {
                if w.carries(k, sku) || self.rng.pct(2) {
                    break;
                }
                sku = w.draw(&mut self.rng);
            }
            // One line in five is scanned: the barcode resolves to the SKU.
            if w.skus[sku].kind != Kind::Weight && self.rng.pct(20) {
                self.ops.scan(self.r, sku);
            }
            let (item, location) = (w.skus[sku].code.clone(), w.stores[k].floor.clone());
            let qty = w.line_qty(&mut self.rng, sku);
            let reference = Some(format!("{}-{}-{line}", w.stores[k].code, t / 1000 % 100_000));
            let cmd = Command::new(t, CommandBody::Sell(Sell { item, location, qty, lot: None, reference }));
            if k == OFFLINE_STORE && (w.at(10.0)..w.at(12.0)).contains(&t) {
                self.log.offline_sales += 1;
                let store = &w.stores[k].code;
                let till = self.offline.get_or_insert_with(|| {
                    let slice = Slice { items: Vec::new(), locations: vec![store.clone()] };
                    let snap = self.r.eng.slice_snapshot(&slice).expect("the store is a valid slice");
                    Replica::from_snapshot("till", &snap, slice, QueueLimits::default()).expect("a fresh snapshot")
                });
                let key = format!("{store}/till/{}", self.log.offline_sales);
                // A sale is a fact: the replica takes it whatever its stock.
                till.execute(&cmd.with_key(key)).expect("an offline sale is queued");
            } else {
                self.r.exec(&cmd);
            }
        }
        if self.rng.pct(1) {
            let kit = self.rng.below(64) as usize;
            self.ops.sell_kit(self.r, t, kit, &w.stores[k].floor);
        }
    }

    /// A web cart: its lines reserve all or nothing, with a TTL.
    fn cart(&mut self, t: Millis, i: usize) {
        let w = self.w;
        let scope = Scope::Subtree(w.dcs[w.dc_of(&mut self.rng)].code.clone());
        let mut lines: Vec<(usize, QtyIn)> = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let sku = w.draw(&mut self.rng);
            if lines.iter().all(|l| l.0 != sku) {
                lines.push((sku, w.line_qty(&mut self.rng, sku)));
            }
        }
        loop {
            let cmds: Vec<Command> = (lines.iter().enumerate())
                .map(|(l, (sku, q))| {
                    let code = format!("W{i}-{l}");
                    let mut r = reserve(code.clone(), &w.skus[*sku].code, q.clone(), scope.clone(), "web");
                    r.ttl_ms = Some(CART_TTL_MS);
                    Command::new(t, CommandBody::Reserve(r)).with_key(code)
                })
                .collect();
            match self.r.atomic(&cmds) {
                Ok(()) => break,
                // "Only 2 left": the shopper drops that line and tries again.
                Err(at) if lines.len() > 1 => drop(lines.remove(at.min(lines.len() - 1))),
                Err(_) => return self.log.carts[1] += 1,
            }
        }
        self.log.carts[0] += 1;
        self.carts[i] = (0..lines.len()).map(|l| format!("W{i}-{l}")).collect();
        let (u, late) = (self.rng.below(100), self.rng.pct(8));
        let (lo, hi, act) = match u {
            0..=54 => (1, 18, Some(Act::Checkout(i))),
            55..=62 => (1, 10, Some(Act::Drop(i))),
            63..=65 => (12, 18, Some(Act::Extend(i))),
            _ => {
                self.log.carts[4] += 1;
                (25, 60, late.then_some(Act::Late(i)))
            }
        };
        let d = self.rng.range(lo, hi) * MINUTE;
        act.into_iter().for_each(|a| self.at(t + d, a));
    }

    /// A B2B order: lines in cases from any DC, each on its own; some accept
    /// a partial fill with the rest as dated demand.
    fn order(&mut self, t: Millis, i: usize) {
        let w = self.w;
        let scope = Scope::List(w.dcs.iter().map(|d| d.code.clone()).collect());
        let partial = self.rng.pct(40);
        let mut cmds: Vec<Command> = Vec::new();
        for l in 0..self.rng.range(1, 5) {
            let sku = w.draw_kind(&mut self.rng, Kind::Case);
            let cases = qty_in(Decimal::from(self.rng.range(1, 6)), Some("case"));
            let mut r = reserve(format!("B{i}-{l}"), &w.skus[sku].code, cases, scope.clone(), "b2b");
            (r.strategy, r.priority) = (Strategy::SingleLocationFirst, self.rng.range(1, 2) as i32);
            if partial {
                (r.fill, r.need_date) = (Fill::Partial, Some(w.day0.plus(2)));
            }
            if !cmds.iter().any(|c| matches!(&c.body, CommandBody::Reserve(x) if x.item == r.item)) {
                cmds.push(Command::new(t, CommandBody::Reserve(r)).with_key(format!("B{i}-{l}")));
            }
        }
        for (c, ok) in cmds.iter().zip(self.r.independent(&cmds)) {
            self.log.order_lines[!ok as usize] += 1;
            if let (true, CommandBody::Reserve(r)) = (ok, &c.body) {
                self.orders[i].push(r.reservation.clone());
            }
        }
        let first = (t + self.rng.range(2, 5) * HOUR).min(w.at(19.0));
        self.at(first, Act::Ship(i, false));
        self.at(w.at(20.0), Act::Ship(i, true));
    }

    /// Ships half of what is allocated and keeps the rest (a split
    /// shipment); in the evening ships the rest, keeping lines that still
    /// wait for supply.
    fn ship(&mut self, t: Millis, i: usize, last: bool) {
        for code in self.orders[i].clone() {
            let Some(v) = self.r.eng.reservation(&code) else { continue };
            let half = (v.allocated / Decimal::TWO).floor();
            if v.status != "active" || v.allocated.is_zero() || (!last && half.is_zero()) {
                continue;
            }
            let body = match last {
                true if v.open_demand.is_zero() => commit(&code, None, Remainder::Release),
                true => commit(&code, None, Remainder::Keep),
                false => commit(&code, Some(half), Remainder::Keep),
            };
            self.log.order_lines[2] += (self.exec(t, body) && !last) as u64;
        }
    }

    /// The day's purchase-order lines: most due today, some tomorrow.
    fn expect(&mut self, t: Millis) {
        let w = self.w;
        let mut seen = BTreeSet::new();
        while self.pos.len() < POS {
            let (sku, dc) = (w.draw(&mut self.rng), w.dc_of(&mut self.rng));
            if !seen.insert((sku, dc)) {
                continue;
            }
            let (n, kind) = (self.pos.len(), w.skus[sku].kind);
            let amount = w.dc_demand(dc, sku) * self.rng.uniform(0.5, 1.5) + 12.0;
            let (qty, unit) = match kind {
                Kind::Case => (Decimal::from((amount / 12.0).ceil() as i64), Some("case")),
                _ => (base_qty(kind, amount), None),
            };
            let expected = if n < 1_800 { w.day0 } else { w.day0.plus(1) };
            let (receipt, item, location) = (format!("PO{n:05}"), w.skus[sku].code.clone(), w.dcs[dc].rcv.clone());
            let body =
                CommandBody::ExpectReceipt(ExpectReceipt { receipt, item, location, qty: qty_in(qty, unit), expected });
            self.log.receipts[0] += self.exec(t, body) as u64;
            self.pos.push((sku, dc, qty, unit, expected, None));
            if expected == w.day0 && self.rng.pct(92) {
                let at = w.at(7.0) + self.rng.range(0, 8 * HOUR);
                self.at(at, Act::Arrive(n));
            }
        }
    }

    /// A delivery against its purchase-order line, sometimes short.
    fn arrive(&mut self, t: Millis, n: usize) {
        let w = self.w;
        let (sku, dc, ordered, unit, ..) = self.pos[n];
        let kind = w.skus[sku].kind;
        let short = Decimal::new(self.rng.range(60, 95), 2);
        let qty = match self.rng.pct(85) {
            true => ordered,
            false if kind == Kind::Weight => (ordered * short).round_dp(3),
            false => (ordered * short).floor().max(Decimal::ONE),
        };
        let lot = (kind == Kind::Fresh).then(|| lot_for(w.day0.plus(14)));
        let body = CommandBody::Receive(Receive {
            item: w.skus[sku].code.clone(),
            location: w.dcs[dc].rcv.clone(),
            qty: qty_in(qty, unit),
            lot: lot.as_ref().map(|l| l.0.clone()),
            expiry: lot.as_ref().map(|l| l.1),
            receipt: Some(format!("PO{n:05}")),
            reference: Some(format!("ASN-{n}")),
        });
        if self.exec(t, body) {
            self.log.receipts[1] += 1;
            let base = if unit.is_some() { qty * Decimal::from(12) } else { qty };
            self.pos[n].5 = Some((base, lot));
            let d = self.rng.range(30, 120) * MINUTE;
            self.at(t + d, Act::Putaway(n));
        }
    }

    /// B2B customers are promised part of tomorrow's receipts, for later.
    fn promises(&mut self, t: Millis) {
        let w = self.w;
        let picks: Vec<Po> =
            self.pos.iter().filter(|p| p.4 > w.day0 && w.skus[p.0].kind != Kind::Weight).take(40).cloned().collect();
        for (n, (sku, dc, qty, unit, ..)) in picks.into_iter().enumerate() {
            let code = format!("PR{n:03}");
            let qty = if unit.is_some() { qty * Decimal::from(9) } else { (qty * Decimal::new(75, 2)).ceil() };
            let (item, scope) = (w.skus[sku].code.clone(), Scope::Subtree(w.dcs[dc].code.clone()));
            let (need_date, channel) = (w.day0.plus(3), Some("b2b".into()));
            let p = Promise {
                reservation: code.clone(),
                item,
                qty: qty_in(qty, None),
                need_date,
                scope,
                channel,
                priority: 1,
            };
            if self.exec(t, CommandBody::Promise(p)) {
                self.log.promises.push((code, w.skus[sku].code.clone(), w.dcs[dc].code.clone()));
            }
        }
    }

    /// A supplier recalls a lot: the best-selling fresh SKU's lot holding the
    /// most reservations at DC1 goes on hold.
    fn recall(&mut self, t: Millis) {
        let w = self.w;
        let Some(sku) = w.by_rank.iter().copied().find(|s| w.skus[*s].kind == Kind::Fresh) else { return };
        let item = w.skus[sku].code.clone();
        let rows = self.r.eng.balances(&item).unwrap_or_default();
        let best = rows.iter().filter(|b| b.location.starts_with("DC1/") && b.lot.is_some()).max_by_key(|b| b.reserved);
        let Some(lot) = best.and_then(|b| b.lot.as_deref().map(String::from)) else { return };
        let body = CommandBody::SetLotStatus { item: item.clone(), lot: lot.clone(), status: LotStatus::OnHold };
        if let Some(o) = self.r.exec(&Command::new(t, body)) {
            let ev = o.events();
            let moved = ev.iter().filter(|e| matches!(e, ims_core::Event::Deallocated { .. })).count();
            let short = ev.iter().filter(|e| matches!(e, ims_core::Event::ReservationShorted { .. })).count();
            self.log.recall = Some((item, lot, moved, short));
        }
    }
}
