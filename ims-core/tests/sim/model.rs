//! The reference model of the crash simulation: a deliberately simple
//! account of the stock commands on a small catalog (four untracked items,
//! two sites of one bin each), written from DESIGN §3–4 and not from the
//! engine's code, that predicts each command's result — the refusal's
//! catalogue name, or the moves it posts and the state after it.
//!
//! With one bin per site and reservations scoped to a site, allocation has
//! no choices to make (the strategy cannot matter), so the model stays a
//! few arrays and maps. What it encodes:
//!
//! * a command first lets time pass (reservations with `expires_at <= t`
//!   expire) and a refused command undoes that too;
//! * receive and sell are facts: posted whatever the stock (a sale may
//!   drive a bin negative);
//! * a loss below the allocations (a sale, a reversal) takes allocations
//!   back from the highest reservation code down; nothing else in a site
//!   can carry them, so those reservations are short;
//! * a transfer moves only free stock (`on_hand − reserved`);
//! * reserve is all-or-nothing against `max(on_hand − reserved, 0)`;
//! * commit ships the allocation (or part of it), then the reservation is
//!   finished unless the rest is kept; release and expiry drop it;
//! * a move is reversed once; a reversal is not reversed;
//! * a client key returns the first success for the same command and
//!   refuses another command under it.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// The model's items and bins, and the sites holding the bins.
pub const ITEMS: [&str; 4] = ["P0", "P1", "P2", "P3"];
pub const BINS: [&str; 2] = ["M1/A", "M2/A"];
pub const SITES: [&str; 2] = ["M1", "M2"];

/// Where a move starts or ends: one of the model's bins, or outside
/// (a supplier or a customer: virtual, never counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Bin(usize),
    Outside,
}

/// A posted move the model knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub item: usize,
    pub from: Place,
    pub to: Place,
    pub qty: i64,
    /// This move has been reversed, or is itself a reversal.
    pub final_: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Committed,
    Released,
    Expired,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Committed => "committed",
            Status::Released => "released",
            Status::Expired => "expired",
        }
    }
}

/// An active reservation (its one bucket is its site's bin).
#[derive(Clone, Debug)]
pub struct Res {
    pub item: usize,
    pub bin: usize,
    pub alloc: i64,
    pub expires_at: Option<i64>,
}

/// One command of the modelled traffic. Codes are strings so that unknown
/// ones can be sent; quantities are signed so that bad ones can.
#[derive(Clone, Debug)]
pub enum Op {
    Receive { item: String, bin: String, qty: i64 },
    Sell { item: String, bin: String, qty: i64 },
    Transfer { item: String, from: String, to: String, qty: i64 },
    Reserve { code: String, item: String, site: String, qty: i64, ttl: i64 },
    Commit { code: String, qty: Option<i64>, keep: bool },
    Release { code: String },
    Extend { code: String, ttl: i64 },
    Reverse { move_id: u64 },
}

impl Op {
    /// The command as JSON (without key), at time `at`.
    pub fn to_json(&self, at: i64) -> Value {
        let mut v = match self {
            Op::Receive { item, bin, qty } => {
                json!({"type":"receive","item":item,"location":bin,"qty":qty.to_string()})
            }
            Op::Sell { item, bin, qty } => json!({"type":"sell","item":item,"location":bin,"qty":qty.to_string()}),
            Op::Transfer { item, from, to, qty } => {
                json!({"type":"move","item":item,"from":from,"to":to,"qty":qty.to_string()})
            }
            Op::Reserve { code, item, site, qty, ttl } => json!({"type":"reserve","reservation":code,"item":item,
                "scope":site,"qty":qty.to_string(),"ttl_ms":ttl}),
            Op::Commit { code, qty, keep } => {
                let mut v = json!({"type":"commit","reservation":code,"remainder":if *keep {"keep"} else {"release"}});
                if let Some(q) = qty {
                    v["qty"] = json!(q.to_string());
                }
                v
            }
            Op::Release { code } => json!({"type":"release","reservation":code}),
            Op::Extend { code, ttl } => json!({"type":"extend","reservation":code,"ttl_ms":ttl}),
            Op::Reverse { move_id } => json!({"type":"reverse","move_id":move_id}),
        };
        v["occurred_at"] = json!(at);
        v
    }
}

/// What changes as commands run: small (the active reservations are few),
/// so a prediction works on a copy of it.
#[derive(Clone, Debug)]
pub struct Live {
    pub now: i64,
    /// On hand per item and bin.
    pub on_hand: [[i64; 2]; 4],
    pub active: BTreeMap<String, Res>,
}

/// What a command did, predicted: the moves posted (in order) and the
/// model's next state.
#[derive(Debug)]
pub struct Next {
    pub posted: Vec<Move>,
    live: Live,
    /// Reservations the command (or the time it let pass) finished.
    pub finished: Vec<(String, Status)>,
    /// The move it reversed.
    reversed: Option<u64>,
}

/// The model: the live part, and what only grows (finished reservations,
/// the moves, the client keys).
#[derive(Clone, Debug)]
pub struct Model {
    pub live: Live,
    pub finished: BTreeMap<String, Status>,
    /// Moves by the engine's move id (learnt from the envelope that posted them).
    pub moves: BTreeMap<u64, Move>,
    /// Client key → the keyed command's JSON without timestamp.
    pub keys: BTreeMap<String, Value>,
}

fn ix(list: &[&str], code: &str) -> Option<usize> {
    list.iter().position(|c| *c == code)
}

impl Live {
    /// Live allocations on a bucket.
    pub fn reserved(&self, item: usize, bin: usize) -> i64 {
        self.active.values().filter(|r| r.item == item && r.bin == bin).map(|r| r.alloc).sum()
    }

    /// ATP now at a site (its one bin): sellable minus reserved, floored.
    pub fn available(&self, item: usize, bin: usize) -> i64 {
        (self.on_hand[item][bin] - self.reserved(item, bin)).max(0)
    }

    /// Lets time pass to `t`: every reservation due by then expires.
    fn advance(&mut self, t: i64, finished: &mut Vec<(String, Status)>) {
        if t <= self.now {
            return;
        }
        self.now = t;
        let due: Vec<String> =
            self.active.iter().filter(|(_, r)| r.expires_at.is_some_and(|e| e <= t)).map(|(c, _)| c.clone()).collect();
        for c in due {
            self.active.remove(&c);
            finished.push((c, Status::Expired));
        }
    }

    /// After a loss on a bucket: allocations it can no longer carry are
    /// taken back from the highest reservation code down.
    fn settle(&mut self, item: usize, bin: usize) {
        let mut excess = self.reserved(item, bin) - self.on_hand[item][bin].max(0);
        for r in self.active.values_mut().rev() {
            if excess <= 0 {
                break;
            }
            if r.item == item && r.bin == bin && r.alloc > 0 {
                let take = excess.min(r.alloc);
                r.alloc -= take;
                excess -= take;
            }
        }
    }

    fn post(&mut self, item: usize, from: Place, to: Place, qty: i64, posted: &mut Vec<Move>) {
        if let Place::Bin(b) = from {
            self.on_hand[item][b] -= qty;
        }
        if let Place::Bin(b) = to {
            self.on_hand[item][b] += qty;
        }
        posted.push(Move { item, from, to, qty, final_: false });
    }
}

impl Model {
    pub fn new(now: i64) -> Model {
        Model {
            live: Live { now, on_hand: [[0; 2]; 4], active: BTreeMap::new() },
            finished: BTreeMap::new(),
            moves: BTreeMap::new(),
            keys: BTreeMap::new(),
        }
    }

    /// A reservation's state, `None` when unknown.
    pub fn status(&self, code: &str) -> Option<Status> {
        if self.live.active.contains_key(code) {
            Some(Status::Active)
        } else {
            self.finished.get(code).copied()
        }
    }

    fn check_active(&self, code: &str) -> Result<(), &'static str> {
        match self.status(code) {
            None => Err("UNKNOWN_RESERVATION"),
            Some(Status::Active) => Ok(()),
            Some(Status::Committed) => Err("RESERVATION_ALREADY_COMMITTED"),
            Some(Status::Released) => Err("RESERVATION_ALREADY_RELEASED"),
            Some(Status::Expired) => Err("RESERVATION_EXPIRED"),
        }
    }

    /// Lets time pass outside the modelled traffic (an unmodelled command
    /// moved the engine's clock); returns how many reservations expired.
    pub fn advance(&mut self, t: i64) -> usize {
        let mut done = Vec::new();
        self.live.advance(t, &mut done);
        let n = done.len();
        self.finished.extend(done);
        n
    }

    /// What the engine must answer to `op` at `at`, the key aside (see
    /// [`Model::key_check`]): the refusal's catalogue name, or what it
    /// does. Each generated bad command has one defect, so the order of
    /// checks only has to follow the engine's where a command can have two
    /// (a bad quantity is found before a finished reservation).
    pub fn predict(&self, op: &Op, at: i64) -> Result<Next, &'static str> {
        let mut finished = Vec::new();
        let mut m = self.live.clone();
        // A refused command is refused at the time it lets pass, and
        // undoes that time too: the copy is dropped.
        m.advance(at, &mut finished);
        let expired: Vec<&str> = finished.iter().map(|f| f.0.as_str()).collect();
        let check_active =
            |code: &str| if expired.contains(&code) { Err("RESERVATION_EXPIRED") } else { self.check_active(code) };
        let mut posted = Vec::new();
        let mut reversed = None;
        let item_of = |code: &str| ix(&ITEMS, code).ok_or("UNKNOWN_ITEM");
        let bin_of = |code: &str| ix(&BINS, code).ok_or("UNKNOWN_LOCATION");
        let positive = |q: i64| if q > 0 { Ok(q) } else { Err("INVALID_QUANTITY") };
        let mut finish = None;
        match op {
            Op::Receive { item, bin, qty } => {
                let q = positive(*qty)?;
                let (i, b) = (item_of(item)?, bin_of(bin)?);
                m.post(i, Place::Outside, Place::Bin(b), q, &mut posted);
            }
            Op::Sell { item, bin, qty } => {
                let q = positive(*qty)?;
                let (i, b) = (item_of(item)?, bin_of(bin)?);
                m.post(i, Place::Bin(b), Place::Outside, q, &mut posted);
                m.settle(i, b);
            }
            Op::Transfer { item, from, to, qty } => {
                let q = positive(*qty)?;
                let (i, f, t) = (item_of(item)?, bin_of(from)?, bin_of(to)?);
                if q > m.on_hand[i][f] - m.reserved(i, f) {
                    return Err("INSUFFICIENT_STOCK");
                }
                m.post(i, Place::Bin(f), Place::Bin(t), q, &mut posted);
            }
            Op::Reserve { code, item, site, qty, ttl } => {
                let q = positive(*qty)?;
                if *ttl <= 0 {
                    return Err("INVALID_DURATION");
                }
                let i = item_of(item)?;
                let b = ix(&SITES, site).ok_or("UNKNOWN_LOCATION")?;
                if self.status(code).is_some() {
                    return Err("RESERVATION_ID_CONFLICT");
                }
                if q > m.available(i, b) {
                    return Err("INSUFFICIENT_AVAILABLE");
                }
                let r = Res { item: i, bin: b, alloc: q, expires_at: Some(m.now + ttl) };
                m.active.insert(code.clone(), r);
            }
            Op::Commit { code, qty, keep } => {
                if let Some(q) = qty {
                    positive(*q)?;
                }
                check_active(code)?;
                let r = &m.active[code];
                let (i, b, alloc) = (r.item, r.bin, r.alloc);
                let q = qty.unwrap_or(alloc);
                if q > alloc || q == 0 {
                    return Err("OVER_COMMIT");
                }
                m.post(i, Place::Bin(b), Place::Outside, q, &mut posted);
                let r = m.active.get_mut(code).expect("active reservation");
                r.alloc -= q;
                if !keep || r.alloc == 0 {
                    finish = Some((code.clone(), Status::Committed));
                }
            }
            Op::Release { code } => {
                check_active(code)?;
                finish = Some((code.clone(), Status::Released));
            }
            Op::Extend { code, ttl } => {
                if *ttl <= 0 {
                    return Err("INVALID_DURATION");
                }
                check_active(code)?;
                let now = m.now;
                m.active.get_mut(code).expect("active reservation").expires_at = Some(now + ttl);
            }
            Op::Reverse { move_id } => {
                let mv = self.moves.get(move_id).ok_or("UNKNOWN_MOVE")?;
                if mv.final_ {
                    return Err("MOVE_ALREADY_REVERSED");
                }
                reversed = Some(*move_id);
                m.post(mv.item, mv.to, mv.from, mv.qty, &mut posted);
                posted.last_mut().expect("just posted").final_ = true;
                if let Place::Bin(b) = mv.to {
                    m.settle(mv.item, b);
                }
            }
        }
        if let Some((code, status)) = finish {
            m.active.remove(&code);
            finished.push((code, status));
        }
        Ok(Next { posted, live: m, finished, reversed })
    }

    /// Takes a predicted step: `ids` are the engine's ids of the moves
    /// posted, in order.
    pub fn take(&mut self, next: Next, ids: &[u64]) {
        self.live = next.live;
        self.finished.extend(next.finished);
        if let Some(id) = next.reversed {
            self.moves.get_mut(&id).expect("reversed move is known").final_ = true;
        }
        for (id, m) in ids.iter().zip(next.posted) {
            self.moves.insert(*id, m);
        }
    }

    /// The key rule: `Some(Ok(()))` an idempotent hit (the stored outcome,
    /// nothing changes), `Some(Err(name))` a conflict, `None` a fresh key or
    /// no key.
    pub fn key_check(&self, key: Option<&str>, body: &Value) -> Option<Result<(), &'static str>> {
        let stored = self.keys.get(key?)?;
        Some(if stored == body { Ok(()) } else { Err("EXISTS_WITH_DIFFERENT_COMMAND") })
    }
}

/// The command JSON the key rule compares: without its timestamp.
pub fn key_body(cmd: &Value) -> Value {
    let mut v = cmd.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("occurred_at");
        o.remove("client_key");
    }
    v
}
