//! Deterministic simulation with crashes (RELIABILITY.md). A seeded
//! workload drives one engine that keeps crashing and a twin that never
//! does:
//!
//! * modelled traffic (receive, sell, transfer, reserve with a TTL, commit,
//!   release, extend, reverse, client-key retries and key conflicts), about
//!   one command in ten invalid on purpose, whose every result the reference
//!   model (`sim/model.rs`) predicts: the refusal's name, or the moves
//!   posted and the on-hand, reserved, available and reservation states
//!   after it;
//! * unmodelled traffic from the property tests' generator (`gen/`), every
//!   command family including the operational flows and batches, checked
//!   against the twin;
//! * garbage JSON, refused with the state unchanged;
//! * a till (an edge replica of site M1) selling offline and syncing; the
//!   model predicts what the back office makes of each queued sale, and a
//!   lost answer (sometimes with a crash of the back office) must not sell
//!   anything twice when the till sends its queue again;
//! * time moving on, so reservations expire between and inside commands.
//!
//! Faults: the engine is dropped at random points and rebuilt from its last
//! snapshot plus the journal tail (`Disk::recover`), sometimes right after a
//! command reached the journal but before the client saw the answer (the
//! client's retry must then find it done); appends fail at random (the
//! command is refused, the state unchanged; the client retries).
//!
//! After every step: the model's prediction holds and the journal digest and
//! seq equal the twin's; every 64 steps (`IMS_SIM_CHECK_EVERY`) and after every
//! recovery: `verify()` is clean and the state digests are equal.
//!
//! A failure prints the seed, the step and a file with the command log
//! (JSON lines, replayable with `execute_json`). `IMS_SIM_SEED` (first
//! seed), `IMS_SIM_RUNS` (seeds) and `IMS_SIM_STEPS` (steps per seed) set
//! the run; `scripts/test-long` runs the soak.

#![allow(clippy::unwrap_used)]

mod gen;
mod sim;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use ims_core::edge::{QueueLimits, Replica, Slice, SyncOptions, Verdict};
use ims_core::simulate::SplitMix64;
use ims_core::{BatchMode, Command, CommandBody, Engine, Envelope, Error, Event, Outcome, Scope};
use sim::model::{key_body, Model, Next, Op, Place, Status, BINS, ITEMS, SITES};
use sim::store::Disk;

/// Steps between full checks (verify, state digests); `IMS_SIM_CHECK_EVERY`
/// sets it (1 finds the very step that broke an invariant).
/// The back office sends a till at most this many envelopes; further
/// behind, the till takes a snapshot.
const TILL_SYNC: SyncOptions = SyncOptions { max_tail: 2_000 };

fn check_every() -> u64 {
    env_u64("IMS_SIM_CHECK_EVERY", 64).max(1)
}

#[derive(Default, Debug, Clone, Copy)]
struct Stats {
    steps: u64,
    commands: u64,
    modelled: u64,
    refused_predicted: u64,
    exists_predicted: u64,
    unmodelled: u64,
    garbage: u64,
    crashes: u64,
    unacked_crashes: u64,
    replayed: u64,
    storage_faults: u64,
    checkpoints: u64,
    full_checks: u64,
    expired: u64,
    till_sales: u64,
    syncs: u64,
    lost_responses: u64,
    till_resets: u64,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.steps += o.steps;
        self.commands += o.commands;
        self.modelled += o.modelled;
        self.refused_predicted += o.refused_predicted;
        self.exists_predicted += o.exists_predicted;
        self.unmodelled += o.unmodelled;
        self.garbage += o.garbage;
        self.crashes += o.crashes;
        self.unacked_crashes += o.unacked_crashes;
        self.replayed += o.replayed;
        self.storage_faults += o.storage_faults;
        self.checkpoints += o.checkpoints;
        self.full_checks += o.full_checks;
        self.expired += o.expired;
        self.till_sales += o.till_sales;
        self.syncs += o.syncs;
        self.lost_responses += o.lost_responses;
        self.till_resets += o.till_resets;
    }
}

/// What the model says a command must do.
enum Expect {
    Done(Box<Next>),
    Exists,
    Refused(&'static str),
}

struct Sim {
    seed: u64,
    g: SplitMix64,
    gen: TestRunner,
    disk: Disk,
    /// The engine that crashes (None only while it is down).
    eng: Option<Engine>,
    twin: Engine,
    model: Model,
    clock: i64,
    step: u64,
    next_res: u64,
    next_key: u64,
    /// Keyed modelled commands that succeeded: (JSON, op), for retries.
    keyed: Vec<(Value, Op)>,
    /// Keyed unmodelled commands, for the generator's retries.
    gen_keyed: Vec<Command>,
    log: Vec<String>,
    stats: Stats,
    check_every: u64,
    /// The till: an edge replica of site M1, selling offline.
    till: Replica,
    till_online: bool,
    till_sales: u64,
    /// What the till queued, by key (JSON and op), for the model.
    till_queued: BTreeMap<String, (Value, Op)>,
}

fn dec(v: i64) -> Decimal {
    Decimal::from(v)
}

impl Sim {
    fn new(seed: u64) -> Sim {
        let disk = Disk::default();
        let mut eng = Engine::with_storage(Box::new(disk.clone()));
        let mut twin = Engine::new();
        let mut setup: Vec<Command> = gen::setup_commands(&gen::item_specs(), &gen::location_specs());
        setup.extend(gen::seed_commands());
        let mine = [
            json!({"type":"define_location","location":"M1","kind":"site"}),
            json!({"type":"define_location","location":"M1/A","kind":"storage","parent":"M1"}),
            json!({"type":"define_location","location":"M2","kind":"site"}),
            json!({"type":"define_location","location":"M2/A","kind":"storage","parent":"M2"}),
        ]
        .into_iter()
        .chain(ITEMS.iter().map(|i| json!({"type":"define_item","item":i})));
        for mut v in mine {
            v["occurred_at"] = json!(gen::T0);
            setup.push(serde_json::from_value(v).unwrap());
        }
        for c in &setup {
            eng.execute(c).unwrap();
            twin.execute(c).unwrap();
        }
        let slice = Slice { items: vec![], locations: vec!["M1".into()] };
        let limits = QueueLimits { max_len: 10_000, max_age_ms: 365 * gen::DAY };
        let till = Replica::from_snapshot("till", &eng.snapshot(), slice, limits).unwrap();
        let mut seed_bytes = [0u8; 32];
        seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let gen = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
        Sim {
            seed,
            g: SplitMix64(seed),
            gen,
            disk,
            eng: Some(eng),
            twin,
            model: Model::new(gen::T0),
            clock: gen::T0,
            step: 0,
            next_res: 0,
            next_key: 0,
            keyed: Vec::new(),
            gen_keyed: Vec::new(),
            log: Vec::new(),
            stats: Stats::default(),
            check_every: check_every(),
            till,
            till_online: true,
            till_sales: 0,
            till_queued: BTreeMap::new(),
        }
    }

    fn eng(&mut self) -> &mut Engine {
        self.eng.as_mut().expect("the engine is up")
    }

    fn pick(&mut self, n: u64) -> u64 {
        self.g.next_u64() % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.pick(n) == 0
    }

    /// Writes the command log next to the build and panics with how to rerun.
    fn fail(&self, msg: String) -> ! {
        let path = std::env::temp_dir().join(format!("ims-sim-{}.jsonl", self.seed));
        let body = self.log.join("\n") + "\n";
        let saved = std::fs::write(&path, body).map_or_else(|e| format!("(not saved: {e})"), |_| String::new());
        let tail: Vec<&String> = self.log.iter().rev().take(25).collect();
        let mut s = String::new();
        for l in tail.into_iter().rev() {
            let _ = writeln!(s, "  {}", l.chars().take(300).collect::<String>());
        }
        panic!(
            "simulation seed {} failed at step {}: {msg}\nlast commands:\n{s}command log: {} {saved}\n\
             rerun: IMS_SIM_SEED={} IMS_SIM_RUNS=1 IMS_SIM_STEPS={} cargo test -p ims-core --test sim_crash -- --nocapture",
            self.seed,
            self.step,
            path.display(),
            self.seed,
            self.step
        );
    }

    // ---- one step ------------------------------------------------------

    fn run_step(&mut self) {
        self.step += 1;
        self.stats.steps += 1;
        // Time moves on: mostly seconds to minutes, sometimes an hour.
        self.clock += match self.pick(20) {
            0 => 3_600_000,
            1..=4 => 0,
            _ => self.pick(300_000) as i64,
        };
        if self.one_in(150) {
            self.crash("between commands");
        }
        if self.one_in(40) {
            self.eng().checkpoint().unwrap();
            self.stats.checkpoints += 1;
        }
        match self.pick(100) {
            0..=7 => self.unmodelled(),
            8..=9 => self.garbage(),
            10..=17 => self.till(),
            _ => self.modelled(),
        }
        let (a, b) = (self.eng().journal_digest(), self.twin.journal_digest());
        if a != b || self.eng().seq() != self.twin.seq() {
            self.fail("the journal differs from the twin's".into());
        }
        if self.step % self.check_every == 0 {
            self.full_check("periodic");
        }
    }

    fn full_check(&mut self, why: &str) {
        self.stats.full_checks += 1;
        if let Err(errs) = self.eng().verify() {
            self.fail(format!("verify ({why}): {errs:?}"));
        }
        if self.eng().state_digest() != self.twin.state_digest() {
            self.fail(format!("state digest differs from the twin's ({why})"));
        }
    }

    /// Drops the engine and brings it back from the disk.
    fn crash(&mut self, why: &str) {
        drop(self.eng.take());
        let (e, replayed) = self.disk.recover();
        self.eng = Some(e);
        self.stats.crashes += 1;
        self.stats.replayed += replayed as u64;
        self.log.push(format!("# crash ({why}) at step {}; recovered, {replayed} envelopes replayed", self.step));
        if self.eng().journal_digest() != self.twin.journal_digest() {
            self.fail(format!("after recovery ({why}) the journal differs from the twin's"));
        }
        self.full_check("after recovery");
    }

    // ---- traffic ---------------------------------------------------------

    fn garbage(&mut self) {
        const BAD: [&str; 6] = [
            "{",
            "[]",
            r#"{"type":"sell","item":"P0"}"#,
            r#"{"type":"no_such_command","occurred_at":1}"#,
            r#"{"type":"receive","item":"P0","location":"M1/A","qty":"1e999","occurred_at":1}"#,
            "\u{0}\u{1}binary",
        ];
        let text = BAD[self.pick(BAD.len() as u64) as usize];
        let seq = self.eng().seq();
        self.stats.garbage += 1;
        self.log.push(format!("# garbage {text:?}"));
        let (a, b) = (self.eng().execute_json(text), self.twin.execute_json(text));
        if a.is_ok() || b.is_ok() || self.eng().seq() != seq {
            self.fail(format!("garbage was accepted: {text:?}"));
        }
    }

    fn unmodelled(&mut self) {
        let act = gen::action().new_tree(&mut self.gen).unwrap().current();
        let n = self.step as usize;
        let clock = self.clock;
        let (cmds, batch) = match &act {
            gen::Action::Cmd(s) => (vec![gen::materialize(s, self.eng.as_ref().unwrap(), clock, n)], None),
            gen::Action::Retry(i, _) if !self.gen_keyed.is_empty() => {
                (vec![self.gen_keyed[*i as usize % self.gen_keyed.len()].clone()], None)
            }
            gen::Action::Retry(..) => return,
            gen::Action::Batch(steps, atomic) => {
                let e = self.eng.as_ref().unwrap();
                let cmds = steps.iter().enumerate().map(|(j, s)| gen::materialize(s, e, clock, n * 10 + j)).collect();
                (cmds, Some(if *atomic { BatchMode::Atomic } else { BatchMode::Independent }))
            }
        };
        // The generator reverses moves by picking among all of them; the
        // model's own moves are reversed only by modelled commands.
        let model_moves = &self.model.moves;
        if cmds.iter().any(|c| matches!(c.body, CommandBody::Reverse { move_id } if model_moves.contains_key(&move_id)))
        {
            return;
        }
        self.stats.unmodelled += cmds.len() as u64;
        self.stats.commands += cmds.len() as u64;
        for c in &cmds {
            self.log.push(serde_json::to_string(c).unwrap());
        }
        let same = match batch {
            Some(mode) => {
                let a = self.eng().execute_batch(&cmds, mode);
                a == self.twin.execute_batch(&cmds, mode)
            }
            None => {
                let a = self.eng().execute(&cmds[0]);
                a == self.twin.execute(&cmds[0])
            }
        };
        if !same {
            self.fail("an unmodelled command answered differently from the twin".into());
        }
        self.gen_keyed.extend(cmds.into_iter().filter(|c| c.client_key.is_some()));
        // Time may have moved: the model's reservations expire with it.
        let now = self.eng().now();
        self.stats.expired += self.model.advance(now) as u64;
        self.check_model(None);
    }

    fn code_of(&mut self, list: &[&'static str], bad: &'static str) -> String {
        // One code in fifty is unknown.
        if self.one_in(50) {
            bad.into()
        } else {
            list[self.pick(list.len() as u64) as usize].into()
        }
    }

    fn qty(&mut self, max: u64) -> i64 {
        if self.one_in(60) {
            -(self.pick(3) as i64)
        } else {
            1 + self.pick(max) as i64
        }
    }

    /// A reservation code: mostly a recent one, sometimes an unknown one.
    fn some_res(&mut self) -> String {
        if self.next_res == 0 || self.one_in(40) {
            return "R-NONE".into();
        }
        let back = self.pick(12.min(self.next_res));
        format!("R{:07}", self.next_res - 1 - back)
    }

    fn new_op(&mut self) -> Op {
        match self.pick(100) {
            0..=19 => {
                Op::Receive { item: self.code_of(&ITEMS, "PX"), bin: self.code_of(&BINS, "M9/A"), qty: self.qty(12) }
            }
            20..=44 => {
                Op::Sell { item: self.code_of(&ITEMS, "PX"), bin: self.code_of(&BINS, "M9/A"), qty: self.qty(3) }
            }
            45..=49 => {
                let from = self.pick(2) as usize;
                let to = if self.one_in(50) { "M9/A".to_string() } else { BINS[1 - from].to_string() };
                Op::Transfer { item: self.code_of(&ITEMS, "PX"), from: BINS[from].into(), to, qty: self.qty(8) }
            }
            50..=69 => {
                let code = if self.next_res > 0 && self.one_in(50) {
                    format!("R{:07}", self.next_res - 1)
                } else {
                    self.next_res += 1;
                    format!("R{:07}", self.next_res - 1)
                };
                let ttl = if self.one_in(80) { 0 } else { 60_000 + self.pick(40 * 60_000) as i64 };
                Op::Reserve {
                    code,
                    item: self.code_of(&ITEMS, "PX"),
                    site: self.code_of(&SITES, "M9"),
                    qty: self.qty(5),
                    ttl,
                }
            }
            70..=84 => {
                let qty = match self.pick(4) {
                    0 => Some(self.qty(3)),
                    _ => None,
                };
                Op::Commit { code: self.some_res(), qty, keep: self.one_in(3) }
            }
            85..=91 => Op::Release { code: self.some_res() },
            92..=94 => {
                let ttl = if self.one_in(40) { -5 } else { 60_000 + self.pick(20 * 60_000) as i64 };
                Op::Extend { code: self.some_res(), ttl }
            }
            _ => {
                let ids: Vec<u64> = self.model.moves.keys().copied().collect();
                let move_id = if ids.is_empty() || self.one_in(30) {
                    u64::MAX / 2
                } else {
                    ids[ids.len() - 1 - self.pick(20.min(ids.len() as u64)) as usize]
                };
                Op::Reverse { move_id }
            }
        }
    }

    fn modelled(&mut self) {
        // A client retrying an acknowledged command, or reusing its key for
        // another command; otherwise a new command, keyed one time in three.
        let (v, op) = match self.pick(100) {
            0..=3 if !self.keyed.is_empty() => {
                let k = self.pick(self.keyed.len() as u64) as usize;
                self.keyed[k].clone()
            }
            4 if !self.keyed.is_empty() => {
                let k = self.pick(self.keyed.len() as u64) as usize;
                let old = self.keyed[k].0.clone();
                let op = self.new_op();
                let mut v = op.to_json(self.clock);
                v["client_key"] = old["client_key"].clone();
                (v, op)
            }
            _ => {
                let op = self.new_op();
                let mut v = op.to_json(self.clock);
                if self.one_in(3) {
                    self.next_key += 1;
                    v["client_key"] = json!(format!("sim-{}", self.next_key));
                }
                (v, op)
            }
        };
        let mut v = v;
        v["occurred_at"] = json!(self.clock);
        // A till's sale synced late is back-dated; it is processed now.
        if matches!(op, Op::Sell { .. }) && self.one_in(10) {
            v["occurred_at"] = json!(self.clock - 3_600_000);
        }
        self.exec_modelled(v, op);
    }

    fn expectation(&self, v: &Value, op: &Op) -> Expect {
        let at = v["occurred_at"].as_i64().unwrap();
        match self.model.key_check(v["client_key"].as_str(), &key_body(v)) {
            Some(Ok(())) => Expect::Exists,
            Some(Err(name)) => Expect::Refused(name),
            None => match self.model.predict(op, at) {
                Ok(next) => Expect::Done(Box::new(next)),
                Err(name) => Expect::Refused(name),
            },
        }
    }

    fn exec_modelled(&mut self, v: Value, op: Op) {
        self.stats.modelled += 1;
        self.stats.commands += 1;
        let cmd: Command = serde_json::from_value(v.clone()).unwrap();
        let expect = self.expectation(&v, &op);
        let keyed = v.get("client_key").is_some();
        let done = matches!(expect, Expect::Done(..));
        self.log.push(v.to_string());
        // Faults only where the command would be written.
        if done && self.one_in(100) {
            self.disk.fail_next_append();
            self.stats.storage_faults += 1;
            let seq = self.eng().seq();
            match self.eng().execute(&cmd) {
                Err(Error::Storage { .. }) if self.eng().seq() == seq => {}
                other => self.fail(format!("a failed append gave {other:?}")),
            }
            self.log.push("# the append failed; the client retries".into());
            self.full_check("after a failed append");
        }
        if done && keyed && self.one_in(60) {
            // Written, then the power went before the answer reached the
            // client: the retry must find it done.
            let _ = self.eng().execute(&cmd);
            let _ = self.twin.execute(&cmd);
            self.stats.unacked_crashes += 1;
            self.crash("after the append, before the answer");
            self.apply_expectation(expect, &v, &op, None, true);
            let r = self.eng().execute(&cmd);
            self.check_result(&Expect::Exists, &r);
            self.twin.execute(&cmd).unwrap();
            return;
        }
        let seq0 = self.eng().seq();
        let r = self.eng().execute(&cmd);
        let t = self.twin.execute(&cmd);
        if r != t {
            self.fail(format!("the twin answered differently: {r:?} vs {t:?}"));
        }
        self.check_result(&expect, &r);
        if !matches!(expect, Expect::Done(..)) && self.eng().seq() != seq0 {
            self.fail("a refusal or retry moved the journal".into());
        }
        self.apply_expectation(expect, &v, &op, r.ok().and_then(|o| o.envelope), true);
    }

    fn check_result(&self, expect: &Expect, r: &Result<Outcome, Error>) {
        let ok = match (expect, r) {
            (Expect::Exists, Ok(o)) => o.exists,
            (Expect::Refused(name), Err(e)) => e.name() == *name,
            (Expect::Done(..), Ok(o)) => !o.exists,
            _ => false,
        };
        if !ok {
            let want = match expect {
                Expect::Exists => "exists".to_string(),
                Expect::Refused(n) => format!("refused {n}"),
                Expect::Done(n) => format!("done, posting {:?}", n.posted),
            };
            let got = match r {
                Ok(o) => format!("ok (exists {}, events {:?})", o.exists, o.events()),
                Err(e) => format!("{} ({e})", e.name()),
            };
            self.fail(format!("the model predicted {want}; the engine answered {got}"));
        }
    }

    /// Moves the model on after a command the engine took as predicted;
    /// its envelope (read from the disk when a crash ate the answer) names
    /// the moves. `check` compares the engine with the model afterwards
    /// (not between the commands of one sync).
    fn apply_expectation(&mut self, expect: Expect, v: &Value, op: &Op, env: Option<Envelope>, check: bool) {
        match expect {
            Expect::Exists => self.stats.exists_predicted += 1,
            Expect::Refused(_) => self.stats.refused_predicted += 1,
            Expect::Done(next) => {
                self.stats.expired += next.finished.iter().filter(|f| f.1 == Status::Expired).count() as u64;
                // The moves posted, from the envelope (or the journal when
                // the answer was lost).
                let env = match env {
                    Some(env) => env,
                    None => {
                        let seq = self.eng().seq();
                        self.disk_envelope(seq)
                    }
                };
                let posted: Vec<(u64, String, String, String, i64)> = env
                    .events
                    .iter()
                    .filter_map(|e| match e {
                        Event::MovePosted { move_id, item, from, to, qty, .. } if ITEMS.contains(&item.as_ref()) => {
                            Some((*move_id, item.to_string(), from.to_string(), to.to_string(), *qty))
                        }
                        _ => None,
                    })
                    .collect();
                let place = |p: Place| match p {
                    Place::Bin(b) => Some(BINS[b]),
                    Place::Outside => None,
                };
                let moves = &next.posted;
                let same = posted.len() == moves.len()
                    && posted.iter().zip(moves).all(|((_, item, from, to, qty), m)| {
                        item == ITEMS[m.item]
                            && *qty == m.qty
                            && place(m.from).is_none_or(|b| b == from)
                            && place(m.to).is_none_or(|b| b == to)
                            && (place(m.from).is_some() || !BINS.contains(&from.as_str()))
                            && (place(m.to).is_some() || !BINS.contains(&to.as_str()))
                    });
                if !same {
                    self.fail(format!("the model predicted the moves {moves:?}; the engine posted {posted:?}"));
                }
                let ids: Vec<u64> = posted.iter().map(|p| p.0).collect();
                self.model.take(*next, &ids);
                if let Some(k) = v["client_key"].as_str() {
                    self.model.keys.insert(k.to_string(), key_body(v));
                    self.keyed.push((v.clone(), op.clone()));
                }
            }
        }
        let code = match op {
            Op::Reserve { code, .. } | Op::Commit { code, .. } | Op::Release { code } | Op::Extend { code, .. } => {
                Some(code.clone())
            }
            _ => None,
        };
        if check {
            self.check_model(code);
        }
    }

    // ---- the till: an edge replica selling offline ------------------------

    fn till(&mut self) {
        match self.pick(10) {
            0..=5 => self.till_sale(),
            6 => {
                self.till_online = !self.till_online;
                self.log.push(format!("# the till goes {}", if self.till_online { "online" } else { "offline" }));
            }
            _ if self.till_online => self.till_sync(),
            _ => {}
        }
    }

    /// A sale at the till: a fact, queued for the back office.
    fn till_sale(&mut self) {
        self.till_sales += 1;
        self.stats.till_sales += 1;
        let op =
            Op::Sell { item: ITEMS[self.pick(4) as usize].into(), bin: BINS[0].into(), qty: 1 + self.pick(3) as i64 };
        let mut v = op.to_json(self.clock);
        let key = format!("till-{}", self.till_sales);
        v["client_key"] = json!(key);
        let cmd: Command = serde_json::from_value(v.clone()).unwrap();
        match self.till.execute(&cmd) {
            Ok(_) => {
                self.log.push(format!("# till queues {v}"));
                self.till_queued.insert(key, (v, op));
            }
            Err(e) if e.name() == "QUEUE_FULL" => {}
            Err(e) => self.fail(format!("the till refused a sale: {e}")),
        }
    }

    /// The till sends its queue; the back office (and the twin) runs it;
    /// the answer reaches the till, or is lost (the till sends the same
    /// sales again, and they must not be sold twice).
    fn till_sync(&mut self) {
        let req = self.till.sync_request();
        self.stats.syncs += 1;
        self.log.push(format!("# till sync, {} queued", req.commands.len()));
        let seq0 = self.eng().seq();
        let resp = self.eng().sync(&req, &TILL_SYNC);
        let twin = self.twin.sync(&req, &TILL_SYNC);
        let resp = match (resp, twin) {
            (Ok(a), Ok(b)) if a == b => a,
            (a, b) => self.fail(format!("the twin answered the sync differently: {a:?} vs {b:?}")),
        };
        // The model runs the same sales in queue order.
        for (cmd, result) in req.commands.iter().zip(&resp.results) {
            let key = cmd.client_key.clone().unwrap_or_default();
            let Some((v, op)) = self.till_queued.get(&key).cloned() else {
                self.fail(format!("the till sent {key}, which it never queued"));
            };
            let mut v = v;
            v["occurred_at"] = json!(cmd.occurred_at);
            let expect = self.expectation(&v, &op);
            let env = match (&expect, &result.verdict) {
                (Expect::Done(_), Verdict::Accepted { seq, exists: false }) => Some(self.disk_envelope(*seq)),
                (Expect::Exists, Verdict::Accepted { exists: true, .. }) => None,
                (Expect::Refused(n), Verdict::Refused { error, .. }) if n == error => None,
                (_, verdict) => self.fail(format!("the model and the back office disagree on {key}: {verdict:?}")),
            };
            self.stats.modelled += 1;
            self.stats.commands += 1;
            self.apply_expectation(expect, &v, &op, env, false);
        }
        self.check_model(None);
        if self.eng().seq() < seq0 {
            self.fail("a sync moved the journal back".into());
        }
        if self.one_in(8) {
            self.stats.lost_responses += 1;
            self.log.push("# the answer is lost".into());
            if self.one_in(3) {
                self.crash("after a sync, before the answer");
            }
            return;
        }
        let report = match self.till.receive(&resp) {
            Ok(r) => r,
            Err(e) => self.fail(format!("the till refused the back office's answer: {e}")),
        };
        if report.snapshot_required {
            let snap = self.eng().snapshot();
            self.till.reset(&snap).unwrap();
            self.stats.till_resets += 1;
        }
    }

    fn disk_envelope(&mut self, seq: u64) -> ims_core::Envelope {
        use ims_core::Storage;
        self.disk.read_one(seq).unwrap().expect("the last envelope is on the disk")
    }

    /// The engine's stock and reservations equal the model's.
    fn check_model(&mut self, touched: Option<String>) {
        let e = self.eng.as_ref().unwrap();
        let mut bad = Vec::new();
        for (i, item) in ITEMS.iter().enumerate() {
            let bals = e.balances(item).unwrap();
            for (b, bin) in BINS.iter().enumerate() {
                let (oh, rs) = bals
                    .iter()
                    .find(|x| x.location.as_ref() == *bin)
                    .map_or((dec(0), dec(0)), |x| (x.on_hand, x.reserved));
                let want = (dec(self.model.live.on_hand[i][b]), dec(self.model.live.reserved(i, b)));
                if (oh, rs) != want {
                    bad.push(format!("{item}@{bin}: on hand/reserved {oh}/{rs}, model {}/{}", want.0, want.1));
                }
                let av = e.availability(item, &Scope::Subtree(SITES[b].into())).unwrap().available;
                if av != dec(self.model.live.available(i, b)) {
                    bad.push(format!("{item}@{}: available {av}, model {}", SITES[b], self.model.live.available(i, b)));
                }
            }
        }
        let live = &self.model.live;
        for (c, r) in &live.active {
            match e.reservation(c) {
                Some(v) if v.status == "active" && v.allocated == dec(r.alloc) && v.expires_at == r.expires_at => {}
                v => bad.push(format!("{c}: engine {v:?}, model {r:?}")),
            }
        }
        if let Some(c) = touched.filter(|c| !live.active.contains_key(c)) {
            let want = self.model.status(&c);
            match (e.reservation(&c), want) {
                (None, None) => {}
                (Some(v), Some(s)) if v.status == s.name() && v.allocated.is_zero() => {}
                (v, s) => bad.push(format!("{c}: engine {v:?}, model {s:?}")),
            }
        }
        if !bad.is_empty() {
            self.fail(format!("the engine and the model disagree:\n  {}", bad.join("\n  ")));
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn run(seed: u64, steps: u64) -> Stats {
    let mut s = Sim::new(seed);
    for _ in 0..steps {
        s.run_step();
    }
    s.full_check("end");
    // A last crash: everything acknowledged comes back.
    s.crash("at the end");
    s.stats
}

#[test]
fn crashes_lose_nothing_and_the_model_predicts_every_result() {
    let first = env_u64("IMS_SIM_SEED", 1);
    let runs = env_u64("IMS_SIM_RUNS", 4);
    let steps = env_u64("IMS_SIM_STEPS", 5_000);
    let started = std::time::Instant::now();
    let mut total = Stats::default();
    for seed in first..first + runs {
        total.add(&run(seed, steps));
    }
    let t = started.elapsed().as_secs_f64();
    println!("simulation: seeds {first}..{}, {steps} steps each, {t:.1} s\n{total:#?}", first + runs - 1);
    // The run reached what it exists to test.
    assert!(total.crashes > 0 && total.unacked_crashes > 0 && total.storage_faults > 0, "{total:?}");
    assert!(total.refused_predicted > 0 && total.exists_predicted > 0 && total.expired > 0, "{total:?}");
    assert!(total.till_sales > 0 && total.syncs > 0 && total.lost_responses > 0, "{total:?}");
}
