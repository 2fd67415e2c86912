//! Availability questions, asked of any engine (a whole [`Engine`] or a
//! storefront replica's view): `atp` for one item, `atpMany` for a cart.
//!
//! [`Engine`]: crate::Engine

use ims_core::{AtpOptions, Date, Engine, Error, Scope};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use crate::json::{options, parse, string, value_to_js};

/// The options object of `atp` / `atpMany` (every field optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AtpOpts {
    /// Remaining shelf life the shopper needs, in days.
    min_shelf_life_days: Option<u32>,
    /// The date to promise on (`"YYYY-MM-DD"`); today when absent.
    at: Option<Date>,
    /// How far ahead supply is considered (default 365 days).
    horizon_days: Option<u32>,
    /// Whether overdue scheduled receipts count as arriving today.
    include_past_due: Option<bool>,
    /// Add the contributions that sum to the answer.
    #[serde(default)]
    explain: bool,
    /// Add the dated steps of the answer (`[{date, atp, projected}]`).
    #[serde(default)]
    timeline: bool,
    /// `atpMany`: add each line's earliest date for its quantity.
    #[serde(default)]
    earliest: bool,
}

impl AtpOpts {
    fn core(&self) -> AtpOptions {
        let (min_shelf_life_days, horizon_days, include_past_due) =
            (self.min_shelf_life_days, self.horizon_days, self.include_past_due);
        PromiseOpts { min_shelf_life_days, horizon_days, include_past_due }.core()
    }
}

/// The options of `checkCart`: those of `atp` that shape the answer's
/// figure (every field optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PromiseOpts {
    min_shelf_life_days: Option<u32>,
    horizon_days: Option<u32>,
    include_past_due: Option<bool>,
}

impl PromiseOpts {
    pub(crate) fn core(&self) -> AtpOptions {
        let d = AtpOptions::default();
        AtpOptions {
            min_shelf_life_days: self.min_shelf_life_days.unwrap_or(d.min_shelf_life_days),
            horizon_days: self.horizon_days.unwrap_or(d.horizon_days),
            include_past_due: self.include_past_due.unwrap_or(d.include_past_due),
        }
    }
}

/// One cart line of `atpMany`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CartLine {
    sku: String,
    scope: Scope,
    /// Wanted quantity (decimal string) — adds `enough` to the answer.
    #[serde(default)]
    qty: Option<Decimal>,
}

pub(crate) fn scope_of(v: &JsValue) -> Result<Scope, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(Scope::All);
    }
    // A string is a location code (not JSON text); an array lists several.
    match v.as_string() {
        Some(s) if s == "*" => Ok(Scope::All),
        Some(s) => Ok(Scope::Subtree(s)),
        None => parse(v, "scope"),
    }
}

/// `{sku, scope, now, date, available, [timeline], [contributions]}`:
/// available now (sellable less reserved) and available to promise on
/// `opts.at` (today when absent).
pub(crate) fn atp(e: &Engine, sku: &str, scope: &JsValue, opts: &JsValue) -> Result<JsValue, Error> {
    let scope = scope_of(scope)?;
    let o: AtpOpts = options(opts, "options")?;
    let core = o.core();
    let now = e.availability(sku, &scope)?;
    let answer = e.atp(sku, &scope, o.at, &core, o.explain)?;
    let mut v = json!({
        "sku": sku,
        "scope": scope,
        "now": now.available,
        "onHand": now.on_hand,
        "reserved": now.reserved,
        "date": answer.date,
        "available": answer.qty,
    });
    if o.explain {
        v["contributions"] = serde_json::to_value(&answer.contributions).unwrap_or(Value::Null);
    }
    if o.timeline {
        v["timeline"] = serde_json::to_value(e.atp_timeline(sku, &scope, &core)?).unwrap_or(Value::Null);
    }
    Ok(value_to_js(&v))
}

/// One answer per cart line, in order: `{sku, scope, now, [qty, enough],
/// [earliest]}`; with `opts.at`, `available` on that date too. Any bad line
/// fails the whole call (nothing is half-answered).
pub(crate) fn atp_many(e: &Engine, lines: &JsValue, opts: &JsValue) -> Result<JsValue, Error> {
    let lines: Vec<CartLine> = parse(lines, "cart lines")?;
    if lines.len() > ims_core::MAX_BATCH {
        return Err(Error::LimitExceeded { what: "cart lines", max: ims_core::MAX_BATCH as u64 });
    }
    let o: AtpOpts = options(opts, "options")?;
    let core = o.core();
    // The answer is written as JSON text and parsed once on the JS side:
    // one boundary crossing per cart instead of a value tree per line (the
    // cart is the storefront's hot path).
    let mut out = String::with_capacity(64 + lines.len() * 96);
    out.push('[');
    for (i, l) in lines.iter().enumerate() {
        let now = e.availability(&l.sku, &l.scope)?;
        if i > 0 {
            out.push(',');
        }
        field(&mut out, '{', "sku", &json_str(&l.sku));
        field(&mut out, ',', "scope", &serde_json::to_string(&l.scope).unwrap_or_default());
        field(&mut out, ',', "now", &quoted(now.available));
        let mut promised = now.available;
        if o.at.is_some() {
            let a = e.atp(&l.sku, &l.scope, o.at, &core, false)?;
            field(&mut out, ',', "date", &format!("\"{}\"", a.date));
            field(&mut out, ',', "available", &quoted(a.qty));
            promised = a.qty;
        }
        if let Some(q) = l.qty {
            field(&mut out, ',', "qty", &quoted(q));
            field(&mut out, ',', "enough", if promised >= q { "true" } else { "false" });
            if o.earliest {
                let d = e.earliest_date(&l.sku, &l.scope, q, &core)?;
                field(&mut out, ',', "earliest", &d.map_or("null".to_owned(), |d| format!("\"{d}\"")));
            }
        }
        out.push('}');
    }
    out.push(']');
    Ok(js_sys::JSON::parse(&out).unwrap_or(JsValue::NULL))
}

/// `sep"key":value` onto a JSON text being written.
fn field(out: &mut String, sep: char, key: &str, value: &str) {
    out.push(sep);
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
    out.push_str(value);
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A decimal as a JSON string (decimals never contain quotes).
fn quoted(d: Decimal) -> String {
    format!("\"{d}\"")
}

/// On hand, sellable, reserved and available now.
pub(crate) fn availability(e: &Engine, sku: &JsValue, scope: &JsValue) -> Result<JsValue, Error> {
    let (sku, scope) = (string(sku, "sku")?, scope_of(scope)?);
    Ok(value_to_js(&e.availability(&sku, &scope)?))
}
