//! Shared helpers of the ims-core integration tests: commands from JSON, a
//! harness that checks every step (verify, replay on a replica, envelope
//! round trip), and `expect_err`, which checks that a refusal names the
//! expected catalogue error and leaves the snapshot byte-identical.
#![allow(dead_code, clippy::unwrap_used)]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::str::FromStr;

use ims_core::time::DAY_MS;
use ims_core::{
    AtpOptions, Availability, BatchMode, Command, Date, Engine, Envelope, Error, Event, Outcome, ReservationView, Scope,
};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// 2026-11-28 00:00 UTC.
pub const T0: i64 = 20_785 * DAY_MS;
/// One minute in ms.
pub const MIN: i64 = 60_000;
/// One hour in ms.
pub const HOUR: i64 = 3_600_000;
/// One day in ms.
pub const DAY: i64 = DAY_MS;

/// The date `n` days after T0's date.
pub fn day(n: i32) -> Date {
    Date(20_785 + n)
}

/// A date as JSON writes it.
pub fn ds(n: i32) -> String {
    day(n).to_string()
}

/// A decimal from a string.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// A command from its JSON form.
pub fn cmd(v: Value) -> Command {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad test command {v}: {e}"))
}

/// A subtree scope.
pub fn sub(code: &str) -> Scope {
    Scope::Subtree(code.into())
}

/// Default ATP options.
pub fn opts() -> AtpOptions {
    AtpOptions::default()
}

thread_local! {
    /// Names of the errors `expect_err` and `record` observed on this thread.
    /// Thread-local because the test harness runs tests in parallel threads:
    /// the coverage test counts only what it provoked itself.
    static OBSERVED: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
}

thread_local! {
    /// The steps run through [`H`] on this thread, by harness id, as
    /// conformance scenario steps: `errors.rs` exports the error scenarios
    /// from them (`IMS_EXPORT_SCENARIOS`), so every door replays them.
    static TRACE: RefCell<Vec<(u64, Value)>> = const { RefCell::new(Vec::new()) };
    static NEXT_H: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Records a step run on harness `h` (see [`take_trace`]).
pub fn trace(h: u64, step: Value) {
    TRACE.with(|t| t.borrow_mut().push((h, step)));
}

/// The steps traced on this thread since the last call, by harness id.
pub fn take_trace() -> Vec<(u64, Value)> {
    TRACE.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// Asserts that `err` is the catalogue error `name` and records it as observed.
pub fn record(err: &Error, name: &str) {
    assert_eq!(err.name(), name, "expected {name}, got {err:?}");
    let info = ims_core::catalogue().iter().find(|i| i.name == name).expect("name is in the catalogue");
    assert_eq!(err.code(), info.code);
    assert_eq!(err.retryable(), info.retryable);
    OBSERVED.with(|o| o.borrow_mut().insert(err.name()));
}

/// The error names observed on this thread so far.
pub fn observed() -> BTreeSet<&'static str> {
    OBSERVED.with(|o| o.borrow().clone())
}

/// Clears the names observed on this thread.
pub fn clear_observed() {
    OBSERVED.with(|o| o.borrow_mut().clear());
}

/// Everything a refused command must leave alone.
fn fingerprint(e: &Engine) -> (Vec<u8>, u64, [u8; 32], i64) {
    (e.snapshot(), e.seq(), e.journal_digest(), e.now())
}

/// Executes `c`, expects the error `name`, checks that nothing changed
/// (snapshot bytes, seq, journal digest, time) and that `verify()` is clean.
pub fn expect_err(e: &mut Engine, c: &Command, name: &str) -> Error {
    let before = fingerprint(e);
    let err = match e.execute(c) {
        Ok(o) => panic!("expected {name}, got Ok: {:?}", o.events()),
        Err(err) => err,
    };
    record(&err, name);
    assert!(fingerprint(e) == before, "refused command ({name}) changed the state");
    if let Err(v) = e.verify() {
        panic!("verify after refusal {name}: {v:?}");
    }
    err
}

/// Runs an atomic batch and expects `BATCH_REFUSED` at `index` with the
/// inner error `inner`; checks that nothing changed. Returns the inner error.
pub fn expect_batch_err(e: &mut Engine, cmds: &[Command], index: u32, inner: &str) -> Error {
    let before = fingerprint(e);
    let err = match e.execute_batch(cmds, BatchMode::Atomic) {
        Ok(v) => panic!("expected BATCH_REFUSED, got Ok: {v:?}"),
        Err(err) => err,
    };
    record(&err, "BATCH_REFUSED");
    let Error::BatchRefused { index: got, source } = err else { unreachable!("checked by record") };
    assert_eq!(got, index, "failing index");
    record(&source, inner);
    assert!(fingerprint(e) == before, "refused atomic batch changed the state");
    if let Err(v) = e.verify() {
        panic!("verify after refused batch: {v:?}");
    }
    *source
}

/// An engine plus a replica that applies every envelope it produces; each
/// step is checked: `verify()` clean on both, equal snapshots, equal change
/// feeds, and the envelope survives its binary encoding.
pub struct H {
    /// The engine under test.
    pub e: Engine,
    /// Follows `e` by applying its envelopes.
    pub replica: Engine,
    /// `occurred_at` given to commands that name none.
    pub clock: i64,
    /// Which harness of the thread this is (for the step trace).
    pub id: u64,
}

impl Default for H {
    fn default() -> Self {
        H::new()
    }
}

impl H {
    /// An empty engine at T0.
    pub fn new() -> H {
        let id = NEXT_H.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        H { e: Engine::new(), replica: Engine::new(), clock: T0, id }
    }

    /// A store: site S1 (inbound 1 day) with warehouse WH1, bins A, B, C
    /// (walk 3, 1, 2: so B is walked first), staging STG and receiving RCV;
    /// a second site S2 with bin S2/X. Items: SKU (each, scale 0), MILK
    /// (lot-tracked, shelf life 10 days), CHEESE (kg, scale 3, unit g),
    /// CAN (each, unit case = 12), PHONE (serial).
    pub fn store() -> H {
        let mut h = H::new();
        for v in [
            json!({"type":"define_location","location":"S1","kind":"site","inbound_days":1}),
            json!({"type":"define_location","location":"WH1","kind":"warehouse","parent":"S1"}),
            json!({"type":"define_location","location":"A","kind":"storage","parent":"WH1","walk_seq":3}),
            json!({"type":"define_location","location":"B","kind":"storage","parent":"WH1","walk_seq":1}),
            json!({"type":"define_location","location":"C","kind":"storage","parent":"WH1","walk_seq":2}),
            json!({"type":"define_location","location":"STG","kind":"staging","parent":"WH1"}),
            json!({"type":"define_location","location":"RCV","kind":"receiving","parent":"WH1"}),
            json!({"type":"define_location","location":"S2","kind":"site"}),
            json!({"type":"define_location","location":"X","kind":"storage","parent":"S2"}),
            json!({"type":"define_item","item":"SKU"}),
            json!({"type":"define_item","item":"MILK","tracking":"lot","shelf_life_days":10}),
            json!({"type":"define_item","item":"CHEESE","base_unit":"kg","scale":3,
                   "units":[{"unit":"g","factor":"1/1000"}]}),
            json!({"type":"define_item","item":"CAN","units":[{"unit":"case","factor":"12"}]}),
            json!({"type":"define_item","item":"PHONE","tracking":"serial"}),
        ] {
            h.ok(v);
        }
        h
    }

    /// Sets the clock for later commands.
    pub fn at(&mut self, t: i64) -> &mut H {
        self.clock = t;
        self
    }

    /// The JSON command with the clock's `occurred_at` unless it names one.
    pub fn c(&self, mut v: Value) -> Command {
        if v.get("occurred_at").is_none() {
            v["occurred_at"] = json!(self.clock);
        }
        cmd(v)
    }

    /// Executes a command that must succeed, and checks the step.
    pub fn ok(&mut self, v: Value) -> Outcome {
        let c = self.c(v);
        self.run(&c)
    }

    /// Executes a command that must succeed, and checks the step.
    pub fn run(&mut self, c: &Command) -> Outcome {
        trace(self.id, json!({ "command": c }));
        let o = self.e.execute(c).unwrap_or_else(|err| panic!("{c:?} refused: {err:?}"));
        self.check(&o);
        o
    }

    /// Executes a command that must fail with `name`; nothing may change.
    pub fn err(&mut self, v: Value, name: &str) -> Error {
        let c = self.c(v);
        trace(self.id, json!({ "command": c, "expect": { "error": name } }));
        expect_err(&mut self.e, &c, name)
    }

    /// Checks a step: verify, replica, envelope encoding.
    pub fn check(&mut self, o: &Outcome) {
        if let Err(v) = self.e.verify() {
            panic!("verify failed after seq {}: {v:#?}", o.seq);
        }
        if let Some(env) = &o.envelope {
            let back = Envelope::from_bytes(&env.to_bytes()).expect("envelope decodes");
            assert_eq!(&back, env, "envelope binary round trip");
            let changes =
                self.replica.apply(env).unwrap_or_else(|err| panic!("replica refused seq {}: {err:?}", env.seq));
            assert_eq!(changes, o.changes, "replica change feed differs at seq {}", env.seq);
            if let Err(v) = self.replica.verify() {
                panic!("replica verify failed after seq {}: {v:#?}", o.seq);
            }
            assert!(self.replica.snapshot() == self.e.snapshot(), "replica snapshot differs at seq {}", env.seq);
        }
    }

    /// Moves time forward (an `advance` command) and checks the step.
    pub fn advance(&mut self, t: i64) -> Outcome {
        self.clock = t;
        let o = self.e.advance_to(t).unwrap_or_else(|err| panic!("advance refused: {err:?}"));
        self.check(&o);
        o
    }

    /// Availability now in a subtree.
    pub fn avail(&self, item: &str, scope: &str) -> Availability {
        self.e.availability(item, &sub(scope)).expect("availability")
    }

    /// Available now in a subtree, as a string.
    pub fn free(&self, item: &str, scope: &str) -> String {
        self.avail(item, scope).available.to_string()
    }

    /// A reservation that must exist.
    pub fn res(&self, code: &str) -> ReservationView {
        self.e.reservation(code).unwrap_or_else(|| panic!("no reservation {code}"))
    }

    /// A reservation's allocations as (location, lot, qty) strings, in order.
    pub fn allocs(&self, code: &str) -> Vec<(String, Option<String>, String)> {
        self.res(code)
            .allocations
            .iter()
            .map(|(l, lot, q)| (l.to_string(), lot.as_ref().map(|x| x.to_string()), q.to_string()))
            .collect()
    }

    /// On hand and reserved of one bucket (zero when absent).
    pub fn bucket(&self, item: &str, loc: &str, lot: Option<&str>) -> (String, String) {
        let rows = self.e.balances(item).expect("balances");
        rows.iter()
            .find(|b| &*b.location == loc && b.lot.as_deref() == lot)
            .map_or(("0".into(), "0".into()), |b| (b.on_hand.to_string(), b.reserved.to_string()))
    }
}

/// Events as JSON values.
pub fn evs(o: &Outcome) -> Vec<Value> {
    o.events().iter().map(|e| serde_json::to_value(e).expect("event json")).collect()
}

/// The `type` of each event.
pub fn kinds(o: &Outcome) -> Vec<String> {
    evs(o).iter().map(|e| e["type"].as_str().unwrap_or_default().to_string()).collect()
}

/// Events of one type, as JSON.
pub fn of_type(o: &Outcome, ty: &str) -> Vec<Value> {
    evs(o).into_iter().filter(|e| e["type"] == ty).collect()
}

/// The change feed as (item, location) strings.
pub fn changes(o: &Outcome) -> Vec<(String, String)> {
    o.changes.iter().map(|c| (c.item.to_string(), c.location.to_string())).collect()
}

/// A pair of strings, for comparing with `changes`.
pub fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// An allocation triple for comparing with `H::allocs`.
pub fn al(loc: &str, lot: Option<&str>, q: &str) -> (String, Option<String>, String) {
    (loc.to_string(), lot.map(str::to_string), q.to_string())
}

/// Whether an event list holds a `MovePosted`.
pub fn has_move(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::MovePosted { .. }))
}
