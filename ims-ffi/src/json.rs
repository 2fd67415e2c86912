//! The generic entry: any command, batch or query of the core in its JSON
//! form (`ims-core/src/command.rs`, `docs/engine.md`), for everything the
//! typed till functions do not cover. Answers come back as JSON text.

use std::os::raw::c_char;

use ims_core::{BatchMode, Command, Error, Outcome, Query};
use serde_json::{json, Value};

use crate::args::{ims_str, Out};
use crate::call::run;
use crate::engine::{ims_engine, with};
use crate::out::put_string;
use crate::status::{error_value, ims_status};

/// Batch mode: all or nothing, in one envelope; a refusal names the first
/// command that failed (`IMS_BATCH_REFUSED`, its index in the error data).
pub const IMS_BATCH_ATOMIC: u32 = 0;
/// Batch mode: each command on its own; the answer lists every result.
pub const IMS_BATCH_INDEPENDENT: u32 = 1;

pub(crate) fn batch_mode(mode: u32) -> Result<BatchMode, Error> {
    match mode {
        IMS_BATCH_ATOMIC => Ok(BatchMode::Atomic),
        IMS_BATCH_INDEPENDENT => Ok(BatchMode::Independent),
        m => Err(Error::InvalidCommand {
            reason: format!("batch mode {m}: want IMS_BATCH_ATOMIC or IMS_BATCH_INDEPENDENT"),
        }),
    }
}

/// An outcome as JSON: `{"seq", "exists", "events", "changes"}` (and
/// `"pending"`, a replica's queue length, when given).
pub(crate) fn outcome_value(o: &Outcome, pending: Option<usize>) -> Value {
    let mut v = json!({
        "seq": o.seq,
        "exists": o.exists,
        "events": serde_json::to_value(o.events()).unwrap_or(Value::Null),
        "changes": serde_json::to_value(&o.changes).unwrap_or(Value::Null),
    });
    if let (Some(p), Value::Object(m)) = (pending, &mut v) {
        m.insert("pending".into(), p.into());
    }
    v
}

/// [`outcome_value`] as text.
pub(crate) fn outcome_json(o: &Outcome, pending: Option<usize>) -> String {
    outcome_value(o, pending).to_string()
}

/// A command from JSON text, with the decoder's message on failure.
pub(crate) fn command(json: &str) -> Result<Command, Error> {
    serde_json::from_str(json).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
}

/// A query from JSON text (`{"kind": ..., ...}`).
pub(crate) fn query(json: &str) -> Result<Query, Error> {
    let v: Value = serde_json::from_str(json).map_err(|e| Error::InvalidCommand { reason: e.to_string() })?;
    Query::from_value(v).map_err(|reason| Error::InvalidCommand { reason })
}

/// Executes one command given as JSON. The outcome as JSON into `*out`
/// when `out` is not NULL (free with `ims_string_free`); its length into
/// `*out_len` when that is not NULL. A refusal leaves the engine unchanged.
#[no_mangle]
pub extern "C" fn ims_execute_json(
    engine: *mut ims_engine,
    json: ims_str,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_execute_json", || {
        let cmd = command(json.text("json")?)?;
        let (out, out_len) = (Out::opt(out)?, Out::opt(out_len)?);
        let o = with(engine, |e| e.execute(&cmd))?;
        match out {
            Some(out) => put_string(&outcome_json(&o, None), out, out_len),
            None => Ok(()),
        }
    })
}

/// Executes a JSON array of commands as one batch (`mode`:
/// `IMS_BATCH_ATOMIC` or `IMS_BATCH_INDEPENDENT`; at most 100000
/// commands). Atomic: the one outcome, or the refusal as the status.
/// Independent: `IMS_OK` and an array with, per command, `{"ok": true,
/// ...outcome}` or `{"ok": false, "error": {...}}`. If any element does not
/// decode, nothing runs (`IMS_INVALID_COMMAND`).
#[no_mangle]
pub extern "C" fn ims_execute_batch_json(
    engine: *mut ims_engine,
    json: ims_str,
    mode: u32,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_execute_batch_json", || {
        let text = json.text("json")?;
        let mode = batch_mode(mode)?;
        let cmds: Vec<Command> =
            serde_json::from_str(text).map_err(|e| Error::InvalidCommand { reason: e.to_string() })?;
        let (out, out_len) = (Out::opt(out)?, Out::opt(out_len)?);
        let results = with(engine, |e| e.execute_batch(&cmds, mode))?;
        let answer = match mode {
            BatchMode::Atomic => match results.into_iter().next() {
                Some(Ok(o)) => outcome_value(&o, None),
                Some(Err(e)) => return Err(e),
                None => return Err(Error::Internal { call: "ims_execute_batch_json" }),
            },
            BatchMode::Independent => Value::Array(
                results
                    .iter()
                    .map(|r| match r {
                        Ok(o) => {
                            let mut v = outcome_value(o, None);
                            if let Value::Object(m) = &mut v {
                                m.insert("ok".into(), true.into());
                            }
                            v
                        }
                        Err(e) => json!({ "ok": false, "error": error_value(e) }),
                    })
                    .collect(),
            ),
        };
        match out {
            Some(out) => put_string(&answer.to_string(), out, out_len),
            None => Ok(()),
        }
    })
}

/// Answers a query given as JSON (`{"kind": "availability", "item": ...,
/// "scope": ...}`; every kind of the core and its operations) into `*out`
/// as JSON (free with `ims_string_free`). Quantities are decimal strings.
#[no_mangle]
pub extern "C" fn ims_query_json(
    engine: *mut ims_engine,
    json: ims_str,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> ims_status {
    run("ims_query_json", || {
        let q = query(json.text("json")?)?;
        let (out, out_len) = (Out::new(out, "out")?, Out::opt(out_len)?);
        let v = with(engine, |e| e.query(&q))?;
        put_string(&v.to_string(), out, out_len)
    })
}
