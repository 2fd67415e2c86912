//! Running a scenario's steps on a fresh engine and recording what each one
//! gives, in the JSON shape of an expectation. Engine invariants that only
//! the Rust runner checks (verify, unchanged snapshot on refusal, replay,
//! restore) fail here, before any comparison.

use ims_core::edge::{QueueLimits, Replica, Slice, SyncOptions};
use ims_core::{hex, BatchMode, Command, Engine, Envelope, Error, Outcome, Query};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::{Failure, Scenario, Step};

/// What a scenario actually gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// Per step, the actual outcome in the shape of a full expectation.
    pub steps: Vec<Value>,
    /// Envelopes written.
    pub envelopes: usize,
    /// Final journal digest (hex).
    pub journal_digest: String,
    /// Final state digest (hex).
    pub state_digest: String,
}

struct Run<'a> {
    name: &'a str,
    engine: Engine,
    envelopes: Vec<Envelope>,
    /// Edge replicas by name, in the order they were started.
    replicas: Vec<Replica>,
}

/// A `start_replica` step.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartReplica {
    name: String,
    #[serde(default)]
    slice: Slice,
    #[serde(default)]
    limits: Option<QueueLimits>,
}

/// A `sync` step.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SyncStep {
    replica: String,
    #[serde(default)]
    max_tail: Option<u64>,
    /// `"response"`: the authority executes the request but the answer
    /// never reaches the replica.
    #[serde(default)]
    lose: Option<String>,
}

/// Runs every step of a scenario and records the outcomes. Fails only on a
/// malformed scenario or a broken engine invariant, never on a difference
/// from the file's expectations.
pub fn observe(sc: &Scenario) -> Result<Observed, Failure> {
    let mut run = Run { name: &sc.name, engine: Engine::new(), envelopes: Vec::new(), replicas: Vec::new() };
    let mut steps = Vec::with_capacity(sc.steps.len());
    for (i, step) in sc.steps.iter().enumerate() {
        let fail = |m: String| Failure::new(&sc.name, Some(i), m);
        let v = run.step(step).map_err(fail)?;
        run.engine.verify().map_err(|errs| fail(format!("verify() after this step: {}", errs.join("; "))))?;
        steps.push(v);
    }
    run.check_replay_and_restore()?;
    Ok(Observed {
        steps,
        envelopes: run.envelopes.len(),
        journal_digest: hex(&run.engine.journal_digest()),
        state_digest: hex(&run.engine.state_digest()),
    })
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_else(|e| json!({ "unserialisable": e.to_string() }))
}

/// An error as `{"error": NAME, "data": {...}}`. The data is left out when
/// empty, and for `INVALID_COMMAND`, whose reason is the JSON decoder's own
/// text (it quotes columns of the input) and so differs between doors.
pub(crate) fn error_json(e: &Error) -> Value {
    let mut m = Map::new();
    m.insert("error".into(), Value::String(e.name().into()));
    if matches!(e, Error::InvalidCommand { .. }) {
        return Value::Object(m);
    }
    if let Value::Object(mut data) = to_value(e) {
        data.remove("name");
        if !data.is_empty() {
            m.insert("data".into(), Value::Object(data));
        }
    }
    Value::Object(m)
}

impl Run<'_> {
    fn step(&mut self, step: &Step) -> Result<Value, String> {
        if let Some(name) = &step.replica {
            return match (&step.command, &step.query, &step.batch, &step.start_replica, &step.sync) {
                (Some(c), None, None, None, None) => self.replica_command(name, c),
                (None, Some(q), None, None, None) => {
                    let ix = self.replica_ix(name)?;
                    Self::query(self.replicas[ix].view(), q)
                }
                _ => Err("a \"replica\" step needs exactly one of \"command\" or \"query\"".into()),
            };
        }
        match (&step.command, &step.batch, &step.query, &step.start_replica, &step.sync) {
            (Some(c), None, None, None, None) => self.command(c),
            (None, Some(b), None, None, None) => self.batch(&b.mode, &b.commands),
            (None, None, Some(q), None, None) => Self::query(&self.engine, q),
            (None, None, None, Some(r), None) => self.start_replica(r),
            (None, None, None, None, Some(s)) => self.sync(s),
            _ => {
                Err("a step needs exactly one of \"command\", \"batch\", \"query\", \"start_replica\" or \"sync\""
                    .into())
            }
        }
    }

    fn outcome(&mut self, o: &Outcome) -> Value {
        if let Some(env) = &o.envelope {
            self.envelopes.push(env.clone());
        }
        json!({
            "ok": true,
            "seq": o.seq,
            "exists": o.exists,
            "events": to_value(&o.events()),
            "changes": to_value(&o.changes),
            "journal_digest": hex(&self.engine.journal_digest()),
        })
    }

    /// A refusal must leave the snapshot byte-identical.
    fn refused(&self, before: &[u8], e: &Error) -> Result<Value, String> {
        if self.engine.snapshot() != before {
            return Err(format!("refused with {} but the snapshot changed", e.name()));
        }
        Ok(error_json(e))
    }

    fn command(&mut self, c: &Value) -> Result<Value, String> {
        let before = self.engine.snapshot();
        match self.engine.execute_json(&c.to_string()) {
            Ok(o) => Ok(self.outcome(&o)),
            Err(e) => self.refused(&before, &e),
        }
    }

    fn batch(&mut self, mode: &str, cmds: &[Value]) -> Result<Value, String> {
        let mode = match mode {
            "atomic" => BatchMode::Atomic,
            "independent" => BatchMode::Independent,
            m => return Err(format!("batch mode {m:?}: want \"atomic\" or \"independent\"")),
        };
        // Commands are decoded as execute_json would (same error text).
        let mut parsed = Vec::with_capacity(cmds.len());
        for c in cmds {
            match serde_json::from_str::<Command>(&c.to_string()) {
                Ok(c) => parsed.push(c),
                Err(e) => return Ok(error_json(&Error::InvalidCommand { reason: e.to_string() })),
            }
        }
        let before = self.engine.snapshot();
        let results = match self.engine.execute_batch(&parsed, mode) {
            Ok(r) => r,
            Err(e) => return self.refused(&before, &e),
        };
        if mode == BatchMode::Atomic {
            return Ok(match results.first() {
                Some(Ok(o)) => self.outcome(o),
                Some(Err(e)) => error_json(e),
                None => return Err("an atomic batch gave no result".into()),
            });
        }
        let v: Vec<Value> = results
            .iter()
            .map(|r| match r {
                Ok(o) => self.outcome(o),
                Err(e) => error_json(e),
            })
            .collect();
        Ok(json!({ "results": v }))
    }

    fn query(e: &Engine, q: &Value) -> Result<Value, String> {
        let q = Query::from_value(q.clone()).map_err(|e| format!("bad query: {e}"))?;
        Ok(match e.query(&q) {
            Ok(v) => json!({ "result": v }),
            Err(err) => error_json(&err),
        })
    }

    fn replica_ix(&self, name: &str) -> Result<usize, String> {
        self.replicas.iter().position(|r| r.name() == name).ok_or_else(|| format!("no replica {name:?} was started"))
    }

    fn start_replica(&mut self, v: &Value) -> Result<Value, String> {
        let s: StartReplica = serde_json::from_value(v.clone()).map_err(|e| format!("bad start_replica: {e}"))?;
        if self.replica_ix(&s.name).is_ok() {
            return Err(format!("replica {:?} started twice", s.name));
        }
        let snap = self.engine.snapshot();
        match Replica::from_snapshot(&s.name, &snap, s.slice, s.limits.unwrap_or_default()) {
            Ok(r) => {
                let v = json!({ "ok": true, "seq": r.seq(), "slice_digest": hex(&r.slice_digest()) });
                self.replicas.push(r);
                Ok(v)
            }
            Err(e) => Ok(error_json(&e)),
        }
    }

    /// A local command on a replica: the outcome as for the authority (its
    /// seq and journal digest are the replica view's), plus the queue length.
    fn replica_command(&mut self, name: &str, c: &Value) -> Result<Value, String> {
        let ix = self.replica_ix(name)?;
        let r = &mut self.replicas[ix];
        let before = (r.base().snapshot(), r.view().snapshot(), r.pending().len());
        let cmd: Command = match serde_json::from_str(&c.to_string()) {
            Ok(c) => c,
            Err(e) => return Ok(error_json(&Error::InvalidCommand { reason: e.to_string() })),
        };
        match r.execute(&cmd) {
            Ok(o) => Ok(json!({
                "ok": true,
                "seq": o.seq,
                "exists": o.exists,
                "events": to_value(&o.events()),
                "changes": to_value(&o.changes),
                "pending": r.pending().len(),
            })),
            Err(e) => {
                if (r.base().snapshot(), r.view().snapshot(), r.pending().len()) != before {
                    return Err(format!("replica refused with {} but changed", e.name()));
                }
                Ok(error_json(&e))
            }
        }
    }

    /// One sync round trip: the replica's request, the authority's answer
    /// (unless lost), and what the replica made of it.
    fn sync(&mut self, v: &Value) -> Result<Value, String> {
        let s: SyncStep = serde_json::from_value(v.clone()).map_err(|e| format!("bad sync: {e}"))?;
        let lose = match s.lose.as_deref() {
            None => false,
            Some("response") => true,
            Some(o) => return Err(format!("lose: {o:?}: want \"response\"")),
        };
        let ix = self.replica_ix(&s.replica)?;
        let req = self.replicas[ix].sync_request();
        let opts = SyncOptions { max_tail: s.max_tail.unwrap_or(SyncOptions::default().max_tail) };
        let resp = match self.engine.sync(&req, &opts) {
            Ok(r) => r,
            Err(e) => return Ok(error_json(&e)),
        };
        let from = self.envelopes.len() as u64 + 1;
        let fresh = self.engine.storage().read_from(from).map_err(|e| e.to_string())?;
        self.envelopes.extend(fresh);
        let answer = json!({
            "results": to_value(&resp.results),
            "conflicts": to_value(&resp.conflicts),
            "head_seq": resp.head_seq,
            "tail": resp.tail.len(),
            "snapshot_required": resp.snapshot_required,
        });
        if lose {
            return Ok(json!({ "ok": true, "answer": answer, "lost": true }));
        }
        let r = &mut self.replicas[ix];
        let rep = match r.receive(&resp) {
            Ok(rep) => rep,
            Err(e) => return Ok(error_json(&e)),
        };
        if rep.snapshot_required {
            r.reset(&self.engine.snapshot()).map_err(|e| format!("reset: {e}"))?;
        }
        r.base().verify().map_err(|errs| format!("replica verify(): {}", errs.join("; ")))?;
        r.view().verify().map_err(|errs| format!("replica view verify(): {}", errs.join("; ")))?;
        let level = r.pending().is_empty() && r.seq() == self.engine.seq();
        if level {
            let own = self.engine.slice_digest(r.slice()).map_err(|e| e.to_string())?;
            if own != r.slice_digest() {
                return Err(format!("replica {} is level but its slice digest differs", r.name()));
            }
        }
        Ok(json!({
            "ok": true,
            "answer": answer,
            "report": to_value(&rep),
            "level": level,
            "seq": r.seq(),
            "slice_digest": hex(&r.slice_digest()),
        }))
    }

    /// The journal rebuilds the same state; a snapshot restores to the same bytes.
    fn check_replay_and_restore(&self) -> Result<(), Failure> {
        let fail = |m: String| Failure::new(self.name, None, m);
        let digests = (self.engine.journal_digest(), self.engine.state_digest());
        let mut replica = Engine::new();
        for env in &self.envelopes {
            replica.apply(env).map_err(|e| fail(format!("replaying envelope {}: {e}", env.seq)))?;
            let bytes = env.to_bytes();
            match Envelope::from_bytes(&bytes) {
                Ok(back) if back == *env => {}
                Ok(_) => return Err(fail(format!("envelope {} changed through its binary encoding", env.seq))),
                Err(e) => return Err(fail(format!("envelope {} does not decode: {e}", env.seq))),
            }
        }
        if (replica.journal_digest(), replica.state_digest()) != digests {
            return Err(fail("replaying the journal on a fresh engine gives other digests".into()));
        }
        let snap = self.engine.snapshot();
        let restored = Engine::restore(&snap).map_err(|e| fail(format!("restore of the final snapshot: {e}")))?;
        if restored.snapshot() != snap {
            return Err(fail("snapshot -> restore -> snapshot is not byte-identical".into()));
        }
        restored.verify().map_err(|errs| fail(format!("verify() after restore: {}", errs.join("; "))))?;
        Ok(())
    }
}
