//! The day's operations documents, on top of the stock flows of `sim.rs`:
//! suppliers and purchase orders received through goods receipts (fresh
//! goods through inspection), putaway by rule, B2B sales orders picked in
//! waves (with short picks), packed, rated with the carriers and shipped,
//! customer returns graded A/B/C, a transfer between DCs, cycle counts, till
//! scans by barcode, gift-box kits and a ring-fenced web channel.
//!
//! Everything goes through the engine's JSON door (`execute` of commands
//! decoded from JSON, `ops_query` for questions), as a host would use it.

use std::collections::BTreeMap;

use ims_benches::Rng;
use ims_core::catalog::LocationKind;
use ims_core::ops::OpsQuery;
use ims_core::{Command, Date, Millis};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::run::Runner;
use crate::world::{Kind, World, HOUR, MINUTE};

/// Sales orders of the day, and gift-box kits.
const SALES_ORDERS: usize = 240;
const KITS: usize = 10;
const ZONES: [&str; 3] = ["Z1", "Z2", "Z3"];

/// What the operations acts of the day are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpsAct {
    Procure,
    GoodsIn(usize),
    Inspect(usize),
    Putaway(usize),
    SalesOrder(usize),
    Wave(usize),
    Dispatch,
    Returns,
    TransferOut,
    TransferIn,
    Counts,
}

/// Counters for the summary.
#[derive(Default)]
pub struct OpsLog {
    pub pos: [u64; 2],
    pub grns: [u64; 2],
    pub inspected: [u64; 2],
    pub putaways: [u64; 2],
    pub orders: [u64; 3],
    pub picks: [u64; 2],
    pub packages: u64,
    pub shipments: BTreeMap<String, u64>,
    pub no_carrier: u64,
    pub held: u64,
    pub returns: [u64; 4],
    pub transfer: [u64; 3],
    pub counts: [u64; 4],
    pub scans: [u64; 2],
    pub kits: [u64; 2],
}

/// A purchase order of the day: code, DC, lines (sku, ordered base qty).
struct Po {
    code: String,
    dc: usize,
    lines: Vec<(usize, Decimal)>,
}

/// The operations side of the day.
pub struct Ops {
    pos: Vec<Po>,
    /// Sales orders: (code, dc, allocated).
    orders: Vec<(String, usize, bool)>,
    picked: Vec<String>,
    shipped: Vec<String>,
    pub log: OpsLog,
}

fn cmd(t: Millis, v: Value) -> Command {
    let mut c: Command = serde_json::from_value(v).unwrap_or_else(|e| panic!("store_day built a bad command: {e}"));
    c.occurred_at = t;
    c
}

fn query(r: &Runner, v: Value) -> Option<Value> {
    let q = OpsQuery::from_value(v).ok()?;
    r.eng.ops_query(&q).ok()
}

/// GTIN-13 of a SKU in the in-store range (prefix 20), with its check digit.
pub fn gtin13(sku: usize) -> String {
    let body = format!("20{sku:010}");
    format!("{body}{}", check_digit(&body))
}

/// GTIN-14 of a case of a SKU: indicator 1 and the GTIN-13 body.
fn gtin14_case(sku: usize) -> String {
    let body = format!("120{sku:010}");
    format!("{body}{}", check_digit(&body))
}

/// The GS1 mod-10 check digit: weights 3 and 1 from the right.
fn check_digit(body: &str) -> u32 {
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, b)| (b - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
    (10 - sum % 10) % 10
}

fn dec(v: &Value) -> Decimal {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_default()
}

fn run_all(r: &mut Runner, cmds: &[Command], what: &str) {
    let oks = r.independent(cmds);
    if let Some(i) = oks.iter().position(|ok| !ok) {
        panic!("{what} set-up refused: {:?}", cmds[i]);
    }
}

/// Locations, suppliers, profiles, bins and putaway rules, carriers,
/// channels and pools, barcodes and kits: what the operations need.
pub fn setup(w: &World, r: &mut Runner) {
    let t = w.at(4.5);
    let loc = |code: &str, parent: &str, kind: LocationKind| {
        let kind = serde_json::to_value(kind).unwrap_or_default();
        cmd(t, json!({"type":"define_location","location":code,"parent":parent,"kind":kind}))
    };
    let mut c = Vec::new();
    for dc in &w.dcs {
        let d = &dc.code;
        c.push(loc(&format!("{d}/INS"), d, LocationKind::Inspection));
        c.push(loc(&format!("{d}/QUA"), d, LocationKind::Quarantine));
        c.push(loc(&format!("{d}/STG"), d, LocationKind::Staging));
        c.push(loc(&format!("{d}/RET"), d, LocationKind::Receiving));
        for b in &dc.bins {
            c.push(cmd(
                t,
                json!({"type":"define_bin","location":b,"max_units":"200000","mix_items":true,"mix_lots":true}),
            ));
        }
        // Chilled and deli goods to their zones; everything else anywhere.
        for (rule, cat, zone) in [("CHILL", "DAIRY", "C"), ("DELI", "DELI", "B")] {
            let zones = [format!("{d}/WH/{zone}")];
            c.push(cmd(
                t,
                json!({"type":"define_putaway_rule","rule":format!("{d}-{rule}"),"priority":0,
                                 "category":cat,"zones":zones}),
            ));
        }
    }
    // Goods between DCs travel through a transit location outside both sites.
    let transit = serde_json::to_value(LocationKind::Transit).unwrap_or_default();
    c.push(cmd(t, json!({"type":"define_location","location":"TRANSIT","kind":transit})));
    c.push(cmd(
        t,
        json!({"type":"define_putaway_rule","rule":"ANY","priority":9,"zones":["DC1/WH","DC2/WH","DC3/WH"]}),
    ));
    for (k, lead) in ["2", "3", "5", "8"].into_iter().enumerate() {
        c.push(cmd(
            t,
            json!({"type":"define_supplier","supplier":format!("SUP-{k}"),"currency":"EUR",
            "lead_time_mean_days":lead,"lead_time_sd_days":"1.5","tolerance_over_pct":"5","tolerance_under_pct":"10"}),
        ));
    }
    for (i, s) in w.skus.iter().enumerate() {
        let price = Decimal::new(50 + (i as i64 * 37) % 900, 2);
        let pack = if s.kind == Kind::Case { "12" } else { "1" };
        c.push(cmd(
            t,
            json!({"type":"set_supplier_item","supplier":format!("SUP-{}", i % 4),"item":s.code,
                             "unit_price":price.to_string(),"pack_size":pack,"preferred":true}),
        ));
        let cat = s.code.split('-').next().unwrap_or("GRO");
        let weight = Decimal::new(100 + (i as i64 * 53) % 1900, 3);
        c.push(cmd(
            t,
            json!({"type":"set_item_profile","item":s.code,"category":cat,
                             "weight_kg":weight.to_string(),"volume_l":"1"}),
        ));
        if s.kind != Kind::Weight {
            c.push(cmd(t, json!({"type":"assign_barcode","barcode":gtin13(i),"item":s.code})));
        }
        if s.kind == Kind::Case {
            c.push(cmd(t, json!({"type":"assign_barcode","barcode":gtin14_case(i),"item":s.code,"unit":"case"})));
        }
    }
    let band = |zone: &str, max: &str, price: &str, days: u32| json!({"zone":zone,"max_weight_kg":max,"price":price,"transit_days":days});
    let mut post = Vec::new();
    let mut fast = Vec::new();
    for (z, zone) in ZONES.iter().enumerate() {
        let z = z as u32;
        post.extend([band(zone, "5", "4.90", 2 + z), band(zone, "31.5", "9.90", 2 + z)]);
        fast.extend([band(zone, "5", "8.50", 1), band(zone, "31.5", "14.00", 1 + z / 2)]);
    }
    c.push(cmd(t, json!({"type":"define_carrier","carrier":"POST","services":[{"service":"STD","rates":post}]})));
    c.push(cmd(t, json!({"type":"define_carrier","carrier":"FASTCO","services":[{"service":"NEXT","rates":fast}]})));
    c.push(cmd(t, json!({"type":"define_channel","channel":"web","priority":0})));
    c.push(cmd(t, json!({"type":"define_channel","channel":"b2b","priority":1})));
    // The web keeps a few units of each of the 50 best sellers at every DC.
    for &sku in w.by_rank.iter().take(50) {
        for dc in &w.dcs {
            c.push(cmd(
                t,
                json!({"type":"define_channel_pool","pool":format!("WEB-{}-{}", dc.code, w.skus[sku].code),
                "channel":"web","item":w.skus[sku].code,"scope":dc.code,"quota":"4"}),
            ));
        }
    }
    // Gift boxes: three plain best sellers each, sold at the tills.
    let plain: Vec<usize> =
        w.by_rank.iter().copied().filter(|s| w.skus[*s].kind == Kind::Plain).take(3 * KITS).collect();
    for k in 0..KITS {
        let kit = format!("KIT-{k:02}");
        c.push(cmd(t, json!({"type":"define_item","item":kit})));
        let comps: Vec<Value> =
            plain[3 * k..3 * k + 3].iter().map(|s| json!({"item":w.skus[*s].code,"qty":"1"})).collect();
        c.push(cmd(t, json!({"type":"define_kit","kit":kit,"components":comps})));
    }
    run_all(r, &c, "operations");
}

impl Ops {
    pub fn new() -> Ops {
        Ops { pos: Vec::new(), orders: Vec::new(), picked: Vec::new(), shipped: Vec::new(), log: OpsLog::default() }
    }

    /// When each act of the day happens.
    pub fn schedule(w: &World, rng: &mut Rng, mut at: impl FnMut(Millis, OpsAct)) {
        at(w.at(5.25), OpsAct::Procure);
        for i in 0..SALES_ORDERS {
            at(w.at(7.0) + rng.range(0, 8 * HOUR), OpsAct::SalesOrder(i));
        }
        for (n, h) in [11.0, 15.5].into_iter().enumerate() {
            at(w.at(h), OpsAct::Wave(n));
        }
        for (h, act) in
            [(9.0, OpsAct::TransferOut), (17.0, OpsAct::Dispatch), (19.5, OpsAct::Returns), (21.0, OpsAct::TransferIn)]
        {
            at(w.at(h), act);
        }
        at(w.at(21.5), OpsAct::Counts);
    }

    /// Runs one act; returns acts to schedule.
    pub fn step(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis, act: OpsAct) -> Vec<(Millis, OpsAct)> {
        match act {
            OpsAct::Procure => return self.procure(w, r, rng, t),
            OpsAct::GoodsIn(n) => return self.goods_in(w, r, rng, t, n),
            OpsAct::Inspect(n) => return self.inspect(w, r, rng, t, n),
            OpsAct::Putaway(n) => self.putaway(w, r, t, n),
            OpsAct::SalesOrder(i) => self.sales_order(w, r, rng, t, i),
            OpsAct::Wave(n) => self.wave(w, r, rng, t, n),
            OpsAct::Dispatch => self.dispatch(w, r, t),
            OpsAct::Returns => self.returns(w, r, rng, t),
            OpsAct::TransferOut => self.transfer_out(w, r, t),
            OpsAct::TransferIn => self.transfer_in(r, t),
            OpsAct::Counts => self.counts(w, r, rng, t),
        }
        Vec::new()
    }

    fn exec(r: &mut Runner, t: Millis, v: Value) -> bool {
        r.exec(&cmd(t, v)).is_some()
    }

    /// Morning purchase orders: per supplier and DC, ten lines, due today.
    fn procure(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis) -> Vec<(Millis, OpsAct)> {
        let mut next = Vec::new();
        for dc in 0..w.dcs.len() {
            for sup in 0..4 {
                let mut lines: Vec<(usize, Decimal)> = Vec::new();
                while lines.len() < 10 {
                    let sku = w.draw(rng);
                    if sku % 4 != sup || w.skus[sku].kind == Kind::Weight || lines.iter().any(|l| l.0 == sku) {
                        continue;
                    }
                    let units = if w.skus[sku].kind == Kind::Case { 12 * rng.range(2, 8) } else { rng.range(10, 60) };
                    lines.push((sku, Decimal::from(units)));
                }
                let code = format!("PO-{}-{sup}", w.dcs[dc].code);
                let to = |s: usize| {
                    let d = &w.dcs[dc].code;
                    if w.skus[s].kind == Kind::Fresh {
                        format!("{d}/INS")
                    } else {
                        w.dcs[dc].rcv.clone()
                    }
                };
                let json_lines: Vec<Value> = lines
                    .iter()
                    .map(|(s, q)| json!({"item":w.skus[*s].code,"qty":q.to_string(),"expected":w.day0,"location":to(*s)}))
                    .collect();
                let ok = Self::exec(
                    r,
                    t,
                    json!({"type":"create_po","po":code,"supplier":format!("SUP-{sup}"),"lines":json_lines}),
                ) && Self::exec(r, t, json!({"type":"confirm_po","po":code}));
                self.log.pos[!ok as usize] += 1;
                if ok {
                    next.push((w.at(7.5) + rng.range(0, 7 * HOUR), OpsAct::GoodsIn(self.pos.len())));
                    self.pos.push(Po { code, dc, lines });
                }
            }
        }
        next
    }

    /// The delivery: every line, a few a little short (within tolerance);
    /// fresh lines on their own goods receipt into inspection.
    fn goods_in(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis, n: usize) -> Vec<(Millis, OpsAct)> {
        let po = &self.pos[n];
        let d = &w.dcs[po.dc];
        for fresh in [false, true] {
            let lines: Vec<Value> = (po.lines.iter().enumerate())
                .filter(|(_, (s, _))| (w.skus[*s].kind == Kind::Fresh) == fresh)
                .map(|(k, (_, q))| {
                    let q = if rng.pct(15) { (*q * Decimal::new(95, 2)).floor() } else { *q };
                    let mut l = json!({"po_line":k + 1,"qty":q.to_string()});
                    if fresh {
                        l["lot"] = json!(format!("L{}", w.day0.plus(12)));
                        l["expiry"] = json!(w.day0.plus(12));
                    }
                    l
                })
                .collect();
            if lines.is_empty() {
                continue;
            }
            let (grn, location) = match fresh {
                true => (format!("GRN-{n:03}-F"), format!("{}/INS", d.code)),
                false => (format!("GRN-{n:03}"), d.rcv.clone()),
            };
            let ok =
                Self::exec(r, t, json!({"type":"receive_po","grn":grn,"po":po.code,"location":location,"lines":lines}));
            self.log.grns[!ok as usize] += 1;
        }
        vec![(t + rng.range(30, 90) * MINUTE, OpsAct::Inspect(n))]
    }

    /// Fresh lines are inspected (one in twenty fails to quarantine); then
    /// everything is put away.
    fn inspect(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis, n: usize) -> Vec<(Millis, OpsAct)> {
        let dc = self.pos[n].dc;
        let grn = format!("GRN-{n:03}-F");
        let view = query(r, json!({"kind":"goods_receipt","grn":grn})).unwrap_or_default();
        let lines = view["lines"].as_array().cloned().unwrap_or_default();
        for (k, l) in lines.iter().enumerate() {
            let got = dec(&l["uninspected"]);
            let fail = if rng.pct(5) { Decimal::ONE.min(got) } else { Decimal::ZERO };
            let d = &w.dcs[dc].code;
            let line = l["line"].as_u64().unwrap_or(k as u64 + 1);
            let mut v =
                json!({"type":"inspect","grn":grn,"line":line,"pass":(got - fail).to_string(),"to":format!("{d}/STG")});
            if !fail.is_zero() {
                v["fail"] = json!(fail.to_string());
                v["reason"] = json!("damaged packaging");
                v["quarantine"] = json!(format!("{d}/QUA"));
            }
            if got - fail == Decimal::ZERO {
                v.as_object_mut().map(|o| o.remove("pass"));
            }
            let ok = Self::exec(r, t, v);
            self.log.inspected[!ok as usize] += 1;
        }
        vec![(t + rng.range(20, 60) * MINUTE, OpsAct::Putaway(n))]
    }

    /// Put away by rule from receiving and staging: what is there now.
    fn putaway(&mut self, w: &World, r: &mut Runner, t: Millis, n: usize) {
        let (po, d) = (&self.pos[n], &w.dcs[self.pos[n].dc]);
        for (s, _) in &po.lines {
            let item = &w.skus[*s].code;
            let from = if w.skus[*s].kind == Kind::Fresh { format!("{}/STG", d.code) } else { d.rcv.clone() };
            let rows = r.eng.balances(item).unwrap_or_default();
            let here: Vec<_> = rows.iter().filter(|b| *b.location == *from && b.on_hand > b.reserved).collect();
            for b in here {
                let mut v =
                    json!({"type":"putaway","from":from,"item":item,"qty":(b.on_hand - b.reserved).to_string()});
                if let Some(lot) = &b.lot {
                    v["lot"] = json!(lot);
                }
                let ok = Self::exec(r, t, v);
                self.log.putaways[!ok as usize] += 1;
            }
        }
    }

    /// A B2B sales order from one DC, allocated at once (backorders allowed).
    fn sales_order(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis, i: usize) {
        let dc = w.dc_of(rng);
        let mut lines: Vec<Value> = Vec::new();
        let mut seen = Vec::new();
        for l in 0..rng.range(1, 5) {
            let sku = w.draw(rng);
            if w.skus[sku].kind == Kind::Weight || seen.contains(&sku) {
                continue;
            }
            seen.push(sku);
            lines.push(json!({"line":format!("{}", l + 1),"item":w.skus[sku].code,"qty":rng.range(1, 8).to_string()}));
        }
        if lines.is_empty() {
            return;
        }
        let code = format!("SO-{i:04}");
        let zone = ZONES[rng.below(3) as usize];
        let ok = Self::exec(
            r,
            t,
            json!({"type":"create_sales_order","order":code,
            "lines":lines,"requested_ship_date":w.day0,"scope":w.dcs[dc].code,"channel":"b2b","ship_to_zone":zone}),
        );
        let allocated = ok && Self::exec(r, t, json!({"type":"allocate_order","order":code}));
        self.log.orders[if allocated { 0 } else { 1 }] += 1;
        if ok {
            self.orders.push((code, dc, allocated));
        }
    }

    /// A picking wave per DC: one pick list for the allocated orders, picked
    /// in walk order; one pick in fifty comes up one short.
    fn wave(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis, n: usize) {
        for dc in 0..w.dcs.len() {
            let orders: Vec<String> = (self.orders.iter())
                .filter(|o| o.1 == dc && o.2 && !self.picked.contains(&o.0))
                .map(|o| o.0.clone())
                .collect();
            if orders.is_empty() {
                continue;
            }
            let pl = format!("PL-{}-{n}", w.dcs[dc].code);
            let staging = format!("{}/STG", w.dcs[dc].code);
            if !Self::exec(r, t, json!({"type":"create_pick_list","pick_list":pl,"orders":orders,"staging":staging})) {
                continue;
            }
            let view = query(r, json!({"kind":"pick_list","pick_list":pl})).unwrap_or_default();
            for task in view["tasks"].as_array().cloned().unwrap_or_default() {
                let qty = dec(&task["qty"]);
                let short = rng.pct(2) && qty > Decimal::ONE;
                let picked = if short { qty - Decimal::ONE } else { qty };
                let ok = Self::exec(
                    r,
                    t,
                    json!({"type":"confirm_pick","pick_list":pl,"task":task["task"],"picked":picked.to_string()}),
                );
                self.log.picks[short as usize] += ok as u64;
            }
            self.picked.extend(orders);
        }
    }

    /// Pack what was picked, choose a carrier for the promised date, ship.
    fn dispatch(&mut self, w: &World, r: &mut Runner, t: Millis) {
        for code in self.picked.clone() {
            let Some(so) = query(r, json!({"kind":"sales_order","order":code})) else { continue };
            let contents: Vec<Value> = (so["lines"].as_array().cloned().unwrap_or_default().iter())
                .filter(|l| dec(&l["picked"]) > dec(&l["packed"]))
                .map(|l| json!({"line":l["line"],"qty":(dec(&l["picked"]) - dec(&l["packed"])).to_string()}))
                .collect();
            if contents.is_empty() {
                continue;
            }
            let pkg = format!("PKG-{code}");
            if !Self::exec(r, t, json!({"type":"pack","package":pkg,"order":code,"contents":contents})) {
                continue;
            }
            self.log.packages += 1;
            // The package's weight, computed from the item profiles at packing.
            let packages = &r.eng.state().ops.fulfillment.packages;
            let weight = packages.get(&pkg).and_then(|p| p.weight_kg).unwrap_or(Decimal::from(5)).to_string();
            let zone = so["ship_to_zone"].as_str().unwrap_or("Z1").to_string();
            let choice = query(
                r,
                json!({"kind":"select_carrier","weight_kg":weight,"zone":zone,
                                         "ship_date":w.day0,"promised_date":w.day0.plus(2)}),
            );
            let Some(chosen) = choice.as_ref().map(|c| &c["chosen"]).filter(|c| !c.is_null()) else {
                self.log.no_carrier += 1;
                continue;
            };
            let (carrier, service) = (chosen["carrier"].clone(), chosen["service"].clone());
            let sh = format!("SH-{code}");
            if !Self::exec(r, t, json!({"type":"ship_order","order":code,"packages":[pkg]})) {
                self.log.held += 1;
                continue;
            }
            let ok = Self::exec(
                r,
                t,
                json!({"type":"create_shipment","shipment":sh,"order":code,"packages":[pkg],
                                           "carrier":carrier,"service":service,"tracking":format!("TRK{}", code)}),
            ) && Self::exec(r, t + HOUR, json!({"type":"pick_up_shipment","shipment":sh}))
                && Self::exec(r, t + 2 * HOUR, json!({"type":"mark_shipment_in_transit","shipment":sh}));
            if ok {
                *self
                    .log
                    .shipments
                    .entry(format!("{}/{}", carrier.as_str().unwrap_or("?"), service.as_str().unwrap_or("?")))
                    .or_default() += 1;
                self.shipped.push(code);
            }
        }
    }

    /// A few customers send something back the same evening: graded A
    /// (back to a bin), B (quarantine) or C (scrap).
    fn returns(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis) {
        for code in self.shipped.clone() {
            if !rng.pct(8) {
                continue;
            }
            let Some(so) = query(r, json!({"kind":"sales_order","order":code})) else { continue };
            // Lot-tracked goods are not taken back (food safety): the first
            // shipped line of another kind is.
            let fresh = |l: &Value| l["item"].as_str().is_some_and(|i| i.starts_with("DAIRY"));
            let lines = so["lines"].as_array().cloned().unwrap_or_default();
            let Some(line) = lines.into_iter().find(|l| dec(&l["shipped"]) > Decimal::ZERO && !fresh(l)) else {
                continue;
            };
            let item = line["item"].as_str().unwrap_or_default().to_string();
            let dc = self.orders.iter().find(|o| o.0 == code).map_or(0, |o| o.1);
            let d = &w.dcs[dc].code;
            let rma = format!("RMA-{code}");
            let ok = Self::exec(
                r,
                t,
                json!({"type":"authorise_return","rma":rma,"order":code,"lines":[{"item":item,"qty":"1"}]}),
            ) && Self::exec(
                r,
                t + 30 * MINUTE,
                json!({"type":"receive_return","rma":rma,"location":format!("{d}/RET"),"lines":[{"item":item,"qty":"1"}]}),
            );
            self.log.returns[0] += ok as u64;
            if !ok {
                continue;
            }
            let sku = w.skus.iter().position(|s| s.code == item).unwrap_or(0);
            let (grade, to, g) = match rng.below(10) {
                0..=5 => ("a", Some(w.bin(dc, sku).to_string()), 1),
                6..=8 => ("b", Some(format!("{d}/QUA")), 2),
                _ => ("c", None, 3),
            };
            let mut l = json!({"item":item,"qty":"1","grade":grade,"reason":"customer return"});
            if let Some(to) = to {
                l["to"] = json!(to);
            }
            if Self::exec(r, t + HOUR, json!({"type":"grade_return","rma":rma,"lines":[l]})) {
                self.log.returns[g] += 1;
            }
        }
    }

    /// DC1 sends twenty best sellers to DC2 for tomorrow.
    fn transfer_out(&mut self, w: &World, r: &mut Runner, t: Millis) {
        let lines: Vec<Value> =
            (w.by_rank.iter().filter(|s| matches!(w.skus[**s].kind, Kind::Plain | Kind::Case)).take(20))
                .map(|s| json!({"item":w.skus[*s].code,"qty":"6"}))
                .collect();
        // One transfer per SKU: from its bin at DC1 to its bin at DC2.
        let mut ok_n = 0;
        for (k, l) in lines.iter().enumerate() {
            let item = l["item"].as_str().unwrap_or_default();
            let sku = w.skus.iter().position(|s| s.code == item).unwrap_or(0);
            let tf = format!("TF-{k:02}");
            let ok = Self::exec(
                r,
                t,
                json!({"type":"create_transfer","transfer":tf,"from":w.bin(0, sku),"to":w.bin(1, sku),
                    "transit":"TRANSIT","expected_arrival":w.day0.plus(1),"lines":[l]}),
            ) && Self::exec(r, t + HOUR, json!({"type":"ship_transfer","transfer":tf}));
            ok_n += ok as u64;
        }
        self.log.transfer[0] = ok_n;
    }

    /// Half the transfers arrive early, the evening before they were due.
    fn transfer_in(&mut self, r: &mut Runner, t: Millis) {
        for k in (0..self.log.transfer[0] as usize).step_by(2) {
            let tf = format!("TF-{k:02}");
            self.log.transfer[1] +=
                Self::exec(r, t, json!({"type":"receive_transfer","transfer":tf,"lines":[{"line":1,"qty":"6"}]}))
                    as u64;
        }
        self.log.transfer[2] = self.log.transfer[0] - self.log.transfer[1];
    }

    /// Blind counts of one zone per DC after closing: most lines match the
    /// book, a few differ by one (auto-approved), a few by more (wait for
    /// approval, then approved).
    fn counts(&mut self, w: &World, r: &mut Runner, rng: &mut Rng, t: Millis) {
        for dc in &w.dcs {
            let zone = format!("{}/WH/A", dc.code);
            let task = format!("CC-{}", dc.code);
            if !Self::exec(
                r,
                t,
                json!({"type":"issue_count","task":task,"location":zone,"blind":true,"tolerance_units":"1"}),
            ) {
                continue;
            }
            self.log.counts[0] += 1;
            let mut lines = Vec::new();
            for bin in dc.bins.iter().filter(|b| b.starts_with(&zone)) {
                for (i, s) in w.skus.iter().enumerate() {
                    if w.bin(0, i) != bin && w.bin(1, i) != bin && w.bin(2, i) != bin {
                        continue;
                    }
                    for b in r.eng.balances(&s.code).unwrap_or_default().iter().filter(|b| *b.location == **bin) {
                        let diff = match rng.below(100) {
                            0..=2 => Decimal::ONE,
                            3 => Decimal::from(-3),
                            _ => Decimal::ZERO,
                        };
                        let counted = (b.on_hand + diff).max(Decimal::ZERO);
                        self.log.counts[1] += 1;
                        self.log.counts[2] += !diff.is_zero() as u64;
                        let mut l = json!({"item":s.code,"location":bin,"counted":counted.to_string()});
                        if let Some(lot) = &b.lot {
                            l["lot"] = json!(lot);
                        }
                        lines.push(l);
                    }
                }
            }
            Self::exec(r, t + 30 * MINUTE, json!({"type":"enter_count","task":task,"lines":lines}));
            let status = query(r, json!({"kind":"count_task","task":task})).unwrap_or_default();
            if status["state"] == "pending_approval" {
                self.log.counts[3] += Self::exec(r, t + HOUR, json!({"type":"approve_count","task":task})) as u64;
            }
        }
    }

    /// A till scan: the barcode resolves to the SKU (and a case to its
    /// unit) before the sale is recorded.
    pub fn scan(&mut self, r: &Runner, sku: usize) -> bool {
        let found = query(r, json!({"kind":"resolve_barcode","barcode":gtin13(sku)})).is_some_and(|v| !v.is_null());
        self.log.scans[!found as usize] += 1;
        found
    }

    /// A gift box sold at a till: its three components leave the floor.
    pub fn sell_kit(&mut self, r: &mut Runner, t: Millis, k: usize, floor: &str) {
        let ok = Self::exec(
            r,
            t,
            json!({"type":"sell_kit","kit":format!("KIT-{:02}", k % KITS),"location":floor,"qty":"1",
                                         "reference":format!("KIT-SALE-{t}")}),
        );
        self.log.kits[!ok as usize] += 1;
    }
}

/// The operations summary lines of the report.
pub fn report(log: &OpsLog, r: &Runner, day0: Date) -> String {
    let mut s = String::new();
    let l = log;
    s += &format!(
        "purchasing    : {} purchase orders confirmed ({} refused); {} goods receipts ({} refused)\n",
        l.pos[0], l.pos[1], l.grns[0], l.grns[1]
    );
    s += &format!(
        "inspection    : {} fresh lines inspected ({} refused); putaway by rule: {} moves ({} refused)\n",
        l.inspected[0], l.inspected[1], l.putaways[0], l.putaways[1]
    );
    s += &format!(
        "sales orders  : {} allocated, {} refused; {} picks confirmed, {} short (re-allocated or backordered)\n",
        l.orders[0], l.orders[1], l.picks[0], l.picks[1]
    );
    let ships: Vec<String> = l.shipments.iter().map(|(k, v)| format!("{k} {v}")).collect();
    s += &format!(
        "dispatch      : {} packages; shipments by carrier/service: {}; {} without a carrier in time\n",
        l.packages,
        ships.join(", "),
        l.no_carrier
    );
    s += &format!(
        "                {} orders held back: their picked lot was recalled at 13:00 (staged stock on hold cannot ship)\n",
        l.held
    );
    s += &format!(
        "returns       : {} received; graded A {} (restocked), B {} (quarantine), C {} (scrap)\n",
        l.returns[0], l.returns[1], l.returns[2], l.returns[3]
    );
    s += &format!(
        "transfers     : {} DC1 → DC2 shipped, {} received tonight, {} in transit for {}\n",
        l.transfer[0],
        l.transfer[1],
        l.transfer[2],
        day0.plus(1)
    );
    s += &format!(
        "cycle counts  : {} tasks, {} lines, {} variances, {} approved after review\n",
        l.counts[0], l.counts[1], l.counts[2], l.counts[3]
    );
    s += &format!(
        "scanning      : {} till scans resolved by barcode ({} unknown); kits: {} gift boxes sold ({} refused)\n",
        l.scans[0], l.scans[1], l.kits[0], l.kits[1]
    );
    let _ = r;
    s
}
