//! `Storefront`: the shopper's side of edge mode. A replica of the
//! server's public projection that answers ATP locally, holds cart stock
//! optimistically (`reserve` / `release`, queued for the server), takes
//! the journal tails the server pushes, and syncs.
//!
//! Also the compact catalogue loader of `Engine.fromCatalog`.

use ims_core::edge::{QueueLimits, Replica, SyncResponse};
use ims_core::{hex, Command, Engine as CoreEngine, Error, Slice};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use crate::cart::Cart;
use crate::engine::outcome;
use crate::error::js;
use crate::json::{bytes, options, parse, string, to_js, value_to_js};

/// The shopper's replica.
#[wasm_bindgen]
pub struct Storefront {
    replica: Replica,
    /// Holds made here without an explicit id get `<name>-hold-<n>`.
    next_hold: u64,
}

/// `reserve` options.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HoldOpts {
    /// The hold's id (default `<name>-hold-<n>`): the reservation id and
    /// its client key.
    id: Option<String>,
    /// Time to live in ms; the hold lapses on the server after it.
    ttl_ms: Option<i64>,
    /// Remaining shelf life the shopper needs, in days.
    min_shelf_life_days: Option<u32>,
}

/// `fromSnapshot` queue limits.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Limits {
    max_len: Option<u32>,
    max_age_ms: Option<i64>,
}

fn command(v: Value) -> Result<Command, Error> {
    serde_json::from_value(v).map_err(|e| Error::InvalidCommand { reason: e.to_string() })
}

#[wasm_bindgen]
impl Storefront {
    /// A storefront named `name` (its sync messages carry it) on a
    /// snapshot from the server (`Engine.publicSnapshot`), answering for
    /// `slice`; `limits` `{maxLen, maxAgeMs}` bound the offline queue.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        name: &JsValue,
        snapshot: &JsValue,
        slice: JsValue,
        limits: JsValue,
    ) -> Result<Storefront, JsValue> {
        let run = || {
            let (name, snapshot) = (string(name, "name")?, bytes(snapshot, "snapshot")?);
            let slice: Slice = options(&slice, "slice")?;
            let l: Limits = options(&limits, "limits")?;
            let d = QueueLimits::default();
            let limits = QueueLimits {
                max_len: l.max_len.unwrap_or(d.max_len),
                max_age_ms: l.max_age_ms.unwrap_or(d.max_age_ms),
            };
            Replica::from_snapshot(&name, &snapshot, slice, limits)
        };
        js(run()).map(|replica| Storefront { replica, next_hold: 1 })
    }

    /// Holds `qty` (a decimal string) of `sku` in `scope` for the cart, at
    /// once on this page and queued for the server. Returns `{id, seq,
    /// exists, events, changes}`; throws `INSUFFICIENT_AVAILABLE` (and holds
    /// nothing) when the page's view has too little.
    pub fn reserve(
        &mut self,
        sku: &JsValue,
        scope: &JsValue,
        qty: &JsValue,
        options: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let mut run = || {
            let (sku, qty) = (string(sku, "sku")?, string(qty, "qty")?);
            let o: HoldOpts = options_of(options)?;
            let scope = crate::atp::scope_of(scope)?;
            let numbered = o.id.is_none();
            let id = o.id.unwrap_or_else(|| format!("{}-hold-{}", self.replica.name(), self.next_hold));
            let mut c = json!({
                "type": "reserve", "reservation": id, "client_key": id, "item": sku, "scope": scope,
                "qty": qty, "occurred_at": self.replica.view().now(),
            });
            if let Some(t) = o.ttl_ms {
                c["ttl_ms"] = json!(t);
            }
            if let Some(d) = o.min_shelf_life_days {
                c["min_shelf_life_days"] = json!(d);
            }
            let out = self.replica.execute(&command(c)?)?;
            if numbered {
                self.next_hold += 1;
            }
            let mut v = outcome(&out);
            v["id"] = json!(id);
            Ok(to_js(&v))
        };
        js(run())
    }

    /// Lets a cart hold go (here at once, and queued for the server).
    pub fn release(&mut self, id: &JsValue) -> Result<JsValue, JsValue> {
        let mut run = || {
            let id = string(id, "id")?;
            let c = json!({
                "type": "release", "reservation": id, "client_key": format!("{id}/release"),
                "occurred_at": self.replica.view().now(),
            });
            Ok(to_js(&outcome(&self.replica.execute(&command(c)?)?)))
        };
        js(run())
    }

    /// Executes any command the build includes on the page's view (it
    /// needs a `client_key`: it is queued for the server).
    pub fn execute(&mut self, command: &JsValue) -> Result<JsValue, JsValue> {
        js(parse::<Command>(command, "command").and_then(|c| self.replica.execute(&c)).map(|o| to_js(&outcome(&o))))
    }

    /// Applies the journal tail the server pushed (the bytes of a sync
    /// response, e.g. `Engine.publicSync` of an empty request): the
    /// server's events first, then the page's queued holds again on top.
    /// Returns the conflicts (holds the new stock no longer covers).
    #[wasm_bindgen(js_name = applyTail)]
    pub fn apply_tail(&mut self, tail: &JsValue) -> Result<JsValue, JsValue> {
        let mut run = || {
            let resp = SyncResponse::from_bytes(&bytes(tail, "tail")?)?;
            Ok(value_to_js(&self.replica.apply_tail(&resp.tail)?))
        };
        js(run())
    }

    /// The queued commands not yet confirmed by the server:
    /// `[{command, acknowledged, doubtful}]`.
    pub fn pending(&self) -> JsValue {
        let v: Vec<Value> = self
            .replica
            .pending()
            .iter()
            .map(|p| json!({ "command": p.command, "acknowledged": p.acknowledged, "doubtful": p.doubtful }))
            .collect();
        to_js(&Value::Array(v))
    }

    /// The sync request to send to the server (bytes).
    #[wasm_bindgen(js_name = syncRequest)]
    pub fn sync_request(&mut self) -> Vec<u8> {
        self.replica.sync_request().to_bytes()
    }

    /// Takes the server's sync response (bytes): the report `{accepted,
    /// refused, conflicts, pending, snapshotRequired, ...}`.
    pub fn receive(&mut self, response: &JsValue) -> Result<JsValue, JsValue> {
        let mut run = || {
            let r = SyncResponse::from_bytes(&bytes(response, "response")?)?;
            Ok(value_to_js(&self.replica.receive(&r)?))
        };
        js(run())
    }

    /// Answers a query on this page's view (`{"kind": ...}`).
    pub fn query(&self, query: &JsValue) -> Result<JsValue, JsValue> {
        js(parse::<Value>(query, "query").and_then(|q| self.replica.view().query_value(q)).map(|v| to_js(&v)))
    }

    /// Starts again from a fresh snapshot (after `snapshot_required`),
    /// keeping the queue.
    pub fn reset(&mut self, snapshot: &JsValue) -> Result<(), JsValue> {
        js(bytes(snapshot, "snapshot").and_then(|b| self.replica.reset(&b)))
    }

    /// Moves the page's clock forward (holds expire).
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, ms: f64) -> Result<(), JsValue> {
        js(self.replica.advance_to(ms as i64))
    }

    /// The last server envelope applied.
    pub fn seq(&self) -> f64 {
        self.replica.seq() as f64
    }

    /// The page's view's state digest (hex).
    #[wasm_bindgen(js_name = stateDigest)]
    pub fn state_digest(&self) -> String {
        hex(&self.replica.view().state_digest())
    }

    /// The digest of the slice this storefront answers for (hex): equal to
    /// the server's slice digest when both hold the same state.
    #[wasm_bindgen(js_name = sliceDigest)]
    pub fn slice_digest(&self) -> String {
        hex(&self.replica.slice_digest())
    }

    /// Whether the server's last answer asked for a fresh snapshot.
    #[wasm_bindgen(js_name = needsSnapshot)]
    pub fn needs_snapshot(&self) -> bool {
        self.replica.needs_snapshot()
    }

    /// On hand, sellable, reserved and available now on this page.
    pub fn availability(&self, sku: &JsValue, scope: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::atp::availability(self.replica.view(), sku, scope))
    }

    /// As `Engine.atp`, on this page's view (cart holds included).
    pub fn atp(&self, sku: &JsValue, scope: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        js(string(sku, "sku").and_then(|sku| crate::atp::atp(self.replica.view(), &sku, scope, options)))
    }

    /// As `Engine.atpMany`, on this page's view.
    #[wasm_bindgen(js_name = atpMany)]
    pub fn atp_many(&self, lines: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::atp::atp_many(self.replica.view(), lines, options))
    }

    /// As `Engine.cart`, on this page's view.
    pub fn cart(&self, lines: &JsValue) -> Result<Cart, JsValue> {
        js(crate::cart::cart(self.replica.view(), lines))
    }

    /// As `Engine.checkCart`, on this page's view (cart holds included).
    #[wasm_bindgen(js_name = checkCart, unchecked_return_type = "CartCheck")]
    pub fn check_cart(&self, cart: &Cart, at: Option<String>, options: &JsValue) -> Result<JsValue, JsValue> {
        js(crate::cart::check(self.replica.view(), cart, at, options))
    }
}

fn options_of(v: &JsValue) -> Result<HoldOpts, Error> {
    options(v, "options")
}

/// The compact catalogue of `Engine.fromCatalog`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    #[serde(default)]
    now: Option<i64>,
    #[serde(default)]
    locations: Vec<Map<String, Value>>,
    #[serde(default)]
    items: Vec<Map<String, Value>>,
    #[serde(default)]
    stock: Vec<Map<String, Value>>,
    #[serde(default)]
    incoming: Vec<Map<String, Value>>,
}

/// Renames `from` to `to` in a line of the catalogue (`sku` → `item`).
fn rename(mut m: Map<String, Value>, pairs: &[(&str, &str)], ty: &str, at: i64) -> Value {
    for (from, to) in pairs {
        if let Some(v) = m.remove(*from) {
            m.insert((*to).to_owned(), v);
        }
    }
    m.insert("type".into(), json!(ty));
    m.entry("occurred_at").or_insert(json!(at));
    Value::Object(m)
}

pub(crate) fn catalog_engine(v: &JsValue) -> Result<CoreEngine, Error> {
    let c: Catalog = parse(v, "catalog")?;
    let at = c.now.unwrap_or(0);
    let mut cmds = Vec::with_capacity(c.locations.len() + c.items.len() + c.stock.len() + c.incoming.len());
    for m in c.locations {
        cmds.push(rename(m, &[("code", "location")], "define_location", at));
    }
    for m in c.items {
        cmds.push(rename(m, &[("sku", "item")], "define_item", at));
    }
    for m in c.stock {
        cmds.push(rename(m, &[("sku", "item")], "receive", at));
    }
    for (i, m) in c.incoming.into_iter().enumerate() {
        let mut v = rename(m, &[("sku", "item"), ("date", "expected")], "expect_receipt", at);
        if v.get("receipt").is_none() {
            v["receipt"] = json!(format!("incoming-{}", i + 1));
        }
        cmds.push(v);
    }
    let cmds: Vec<Command> = cmds.into_iter().map(command).collect::<Result<_, _>>()?;
    let mut e = CoreEngine::new();
    // One batch per call (the batch limit): all or nothing overall, since a
    // refusal drops the whole engine.
    for chunk in cmds.chunks(ims_core::MAX_BATCH) {
        e.execute_batch(chunk, ims_core::BatchMode::Atomic)?;
    }
    Ok(e)
}
