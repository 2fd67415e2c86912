//! `Engine`: a whole engine in the page or in Node.

use ims_core::edge::SyncOptions;
use ims_core::{hex, BatchMode, Command, Error, Outcome, Slice, SyncRequest, SyncResponse};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::cart::Cart;

use crate::error::js;
use crate::json::{bytes, options, parse, string, to_js, value_to_js};

/// An engine: its state in memory, commands in, events out.
#[wasm_bindgen]
pub struct Engine {
    inner: ims_core::Engine,
}

/// An outcome as the door shows it: `{seq, exists, events, changes}`.
pub(crate) fn outcome(o: &Outcome) -> Value {
    json!({
        "seq": o.seq,
        "exists": o.exists,
        "events": serde_json::to_value(o.events()).unwrap_or(Value::Null),
        "changes": serde_json::to_value(&o.changes).unwrap_or(Value::Null),
    })
}

/// A batch's results: `[{ok: outcome} | {error: {code, name, message, data}}]`
/// for an independent batch; one outcome for an atomic one.
pub(crate) fn batch(e: &mut ims_core::Engine, cmds: &JsValue, mode: Option<String>) -> Result<JsValue, Error> {
    let mode = match mode.as_deref() {
        None | Some("independent") => BatchMode::Independent,
        Some("atomic") => BatchMode::Atomic,
        Some(m) => return Err(Error::InvalidCommand { reason: format!("batch mode `{m}`: independent or atomic") }),
    };
    let cmds: Vec<Command> = parse(cmds, "commands")?;
    let results = e.execute_batch(&cmds, mode)?;
    if mode == BatchMode::Atomic {
        return Ok(to_js(&results.first().and_then(|r| r.as_ref().ok()).map_or(Value::Null, outcome)));
    }
    let v: Vec<Value> = results
        .iter()
        .map(|r| match r {
            Ok(o) => json!({ "ok": outcome(o) }),
            Err(e) => json!({ "error": error_json(e) }),
        })
        .collect();
    Ok(to_js(&Value::Array(v)))
}

/// A refusal inside a batch result.
pub(crate) fn error_json(e: &Error) -> Value {
    let mut data = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut data {
        m.remove("name");
    }
    json!({ "code": e.code(), "name": e.name(), "message": e.to_string(), "data": data })
}

fn slice_of(v: &JsValue) -> Result<Slice, Error> {
    options(v, "slice")
}

#[wasm_bindgen]
impl Engine {
    /// A new, empty engine.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Engine {
        Engine { inner: ims_core::Engine::new() }
    }

    /// An engine restored from a snapshot (`Uint8Array`), for example a
    /// public projection the server cut with `publicSnapshot`. A damaged
    /// or truncated snapshot throws (`SNAPSHOT_*` codes).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(snapshot: &JsValue) -> Result<Engine, JsValue> {
        js(bytes(snapshot, "snapshot").and_then(|b| ims_core::Engine::restore(&b))).map(|inner| Engine { inner })
    }

    /// An engine built from a compact catalogue: `{now?, locations:
    /// [{code, kind?, parent?}], items: [{sku, ...item fields}], stock:
    /// [{sku, location, qty, lot?, expiry?}], incoming: [{sku, location,
    /// qty, date, id?}]}` (JSON text or an object). All or nothing.
    #[wasm_bindgen(js_name = fromCatalog)]
    pub fn from_catalog(catalog: &JsValue) -> Result<Engine, JsValue> {
        js(crate::storefront::catalog_engine(catalog)).map(|inner| Engine { inner })
    }

    /// The whole state as snapshot bytes.
    pub fn snapshot(&self) -> Vec<u8> {
        self.inner.snapshot()
    }

    /// The public projection for browsers (no costs, suppliers, customer
    /// references, history, client keys or operations documents) of the
    /// `slice` (`{items?: string[], locations?: string[]}`; all when absent).
    #[wasm_bindgen(js_name = publicSnapshot)]
    pub fn public_snapshot(&self, slice: JsValue) -> Result<Vec<u8>, JsValue> {
        js(slice_of(&slice).and_then(|s| self.inner.public_snapshot(&s)))
    }

    /// Serves a storefront's sync request (bytes from `syncRequest()`):
    /// runs its queued holds, and answers with the public tail (bytes for
    /// the storefront's `receive`). `maxTail` caps the tail (default 100000).
    #[wasm_bindgen(js_name = publicSync)]
    pub fn public_sync(&mut self, request: &JsValue, max_tail: Option<f64>) -> Result<Vec<u8>, JsValue> {
        js(self.serve(request, max_tail, true))
    }

    /// Serves a replica's sync request with the whole (private) tail, as
    /// an authority does for its own tills; `publicSync` for browsers.
    pub fn sync(&mut self, request: &JsValue, max_tail: Option<f64>) -> Result<Vec<u8>, JsValue> {
        js(self.serve(request, max_tail, false))
    }

    /// The public journal tail after `afterSeq` for `slice`, as the bytes
    /// of a sync response (what `Storefront.applyTail` takes): the server
    /// pushes it to pages that hold a public snapshot.
    #[wasm_bindgen(js_name = publicTail)]
    pub fn public_tail(&self, after_seq: f64, slice: JsValue, max: Option<f64>) -> Result<Vec<u8>, JsValue> {
        let run = || {
            let slice = slice_of(&slice)?;
            let max = max.map_or(SyncOptions::default().max_tail, |m| m.max(0.0) as u64);
            let tail = self.inner.public_tail(after_seq.max(0.0) as u64, max, &slice)?;
            Ok(SyncResponse {
                replica: String::new(),
                request: 0,
                results: Vec::new(),
                conflicts: Vec::new(),
                tail,
                head_seq: self.inner.seq(),
                head_digest: self.inner.journal_digest(),
                snapshot_required: false,
            }
            .to_bytes())
        };
        js(run())
    }

    /// The digest of `slice` of this engine (hex), to compare with a
    /// storefront's `sliceDigest()`.
    #[wasm_bindgen(js_name = sliceDigest)]
    pub fn slice_digest(&self, slice: JsValue) -> Result<String, JsValue> {
        js(slice_of(&slice).and_then(|s| self.inner.slice_digest(&s)).map(|d| hex(&d)))
    }

    /// The state digest (hex): equal on every platform and door for the
    /// same commands.
    #[wasm_bindgen(js_name = stateDigest)]
    pub fn state_digest(&self) -> String {
        hex(&self.inner.state_digest())
    }

    /// The journal digest (hex): the chain over every envelope.
    #[wasm_bindgen(js_name = journalDigest)]
    pub fn journal_digest(&self) -> String {
        hex(&self.inner.journal_digest())
    }

    /// The last envelope's sequence number.
    pub fn seq(&self) -> f64 {
        self.inner.seq() as f64
    }

    /// The engine's clock (ms since 1970 UTC).
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// Moves the clock forward to `ms` (reservations expire).
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, ms: f64) -> Result<JsValue, JsValue> {
        js(self.inner.advance_to(ms as i64).map(|o| to_js(&outcome(&o))))
    }

    /// Executes one command (JSON text or an object):
    /// `{seq, exists, events, changes}`.
    pub fn execute(&mut self, command: &JsValue) -> Result<JsValue, JsValue> {
        js(parse::<Command>(command, "command").and_then(|c| self.inner.execute(&c)).map(|o| to_js(&outcome(&o))))
    }

    /// Executes a batch (a JSON array, text or array). `mode`
    /// `"independent"` (default): one result per command, `{ok}` or
    /// `{error}`; `"atomic"`: all or nothing, one outcome, a refusal throws
    /// `BATCH_REFUSED` with the failing index.
    #[wasm_bindgen(js_name = executeBatch)]
    pub fn execute_batch(&mut self, commands: &JsValue, mode: Option<String>) -> Result<JsValue, JsValue> {
        js(batch(&mut self.inner, commands, mode))
    }

    /// Answers a query (`{"kind": ...}`, JSON text or an object).
    pub fn query(&self, query: &JsValue) -> Result<JsValue, JsValue> {
        js(parse::<Value>(query, "query").and_then(|q| self.inner.query_value(q)).map(|v| to_js(&v)))
    }

    /// On hand, sellable, reserved and available now, as decimal strings.
    pub fn availability(&self, sku: &JsValue, scope: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::atp::availability(&self.inner, sku, scope))
    }

    /// Available to promise for `sku` in `scope` (a location code, an
    /// array of them, or `"*"`): now, and on `options.at`; options
    /// `{minShelfLifeDays, at, horizonDays, includePastDue, explain,
    /// timeline}`.
    pub fn atp(&self, sku: &JsValue, scope: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        js(string(sku, "sku").and_then(|sku| crate::atp::atp(&self.inner, &sku, scope, options)))
    }

    /// ATP for every line of a cart (`[{sku, scope, qty?}]`), in order.
    #[wasm_bindgen(js_name = atpMany)]
    pub fn atp_many(&self, lines: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::atp::atp_many(&self.inner, lines, options))
    }

    /// Resolves a cart's lines (`[{sku, scope?, qty}]`) once, for
    /// `checkCart`: SKUs and locations to the engine's ids, quantities to
    /// minor units. Throws as `atpMany` would on a bad line.
    pub fn cart(&self, lines: &JsValue) -> Result<Cart, JsValue> {
        js(crate::cart::cart(&self.inner, lines))
    }

    /// Every line of a resolved cart: `{available, enough, scale}`, typed
    /// arrays in line order, available now or (with `at`, `"YYYY-MM-DD"`)
    /// to promise on that date; `options` as in `atp`.
    #[wasm_bindgen(js_name = checkCart, unchecked_return_type = "CartCheck")]
    pub fn check_cart(&self, cart: &Cart, at: Option<String>, options: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::cart::check(&self.inner, cart, at, options))
    }

    /// The engine's self-check: an empty array when every invariant holds.
    pub fn verify(&self) -> JsValue {
        value_to_js(&self.inner.verify().err().unwrap_or_default())
    }
}

impl Engine {
    /// The core engine (for the storefront's server-side helpers and tests).
    pub fn core(&self) -> &ims_core::Engine {
        &self.inner
    }

    fn serve(&mut self, request: &JsValue, max_tail: Option<f64>, public: bool) -> Result<Vec<u8>, Error> {
        let req = SyncRequest::from_bytes(&bytes(request, "request")?)?;
        let mut opts = SyncOptions::default();
        if let Some(m) = max_tail {
            opts.max_tail = m.max(0.0) as u64;
        }
        let resp = if public { self.inner.public_sync(&req, &opts)? } else { self.inner.sync(&req, &opts)? };
        Ok(resp.to_bytes())
    }
}

/// What a sync response (bytes) holds, without its tail: `{results,
/// conflicts, head_seq, tail (the number of envelopes), snapshot_required}`.
#[wasm_bindgen(js_name = decodeSyncResponse)]
pub fn decode_sync_response(response: &JsValue) -> Result<JsValue, JsValue> {
    let run = || {
        let r = SyncResponse::from_bytes(&bytes(response, "response")?)?;
        Ok(to_js(&json!({
            "results": serde_json::to_value(&r.results).unwrap_or(Value::Null),
            "conflicts": serde_json::to_value(&r.conflicts).unwrap_or(Value::Null),
            "head_seq": r.head_seq,
            "tail": r.tail.len(),
            "snapshot_required": r.snapshot_required,
        })))
    };
    js(run())
}
