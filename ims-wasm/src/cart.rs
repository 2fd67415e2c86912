//! A cart resolved once and checked many times: `cart(lines)` turns a
//! storefront's lines into the engine's ids and minor units, and
//! `checkCart(cart, at)` answers every line without JSON either way —
//! typed arrays out. `atpMany` parses its lines from JSON and writes its
//! answers as JSON on every call, ≈ 1.5 µs a line; a page re-checking its
//! cart on each change wants the lines' codes looked up once.
//!
//! Ids are indexes of one engine. A cart keeps its codes and checks each
//! line's id against the engine it is asked of (a code comparison): after a
//! `reset` to another snapshot, a line whose id now names another item is
//! resolved again by its code, so a stale cart is never answered for the
//! wrong item.

use std::cell::RefCell;

use ims_core::catalog::ItemsVersion;
use ims_core::ids::ItemId;
use ims_core::qty::minor_covering;
use ims_core::reservation::ScopeIds;
use ims_core::{Date, Engine, Error, ItemKey, Scope};
use rust_decimal::Decimal;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::json::parse;

/// Lines whose stock records are read ahead at a time (`Engine::prefetch`):
/// enough for the misses to overlap, few enough to stay in the L1 cache.
const PREFETCH: usize = 32;

/// One line as given: `{sku, scope?, qty}` (scope as in `atpMany`: a
/// location code, a list of codes, or `"*"` / absent for every internal
/// location).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    sku: String,
    #[serde(default = "all")]
    scope: Scope,
    qty: Decimal,
}

fn all() -> Scope {
    Scope::All
}

/// A line resolved: the item's id and the quantity in its minor units
/// (rounded up: a line of 0.5 of a whole-unit item needs 1 available).
#[derive(Debug)]
struct Line {
    /// The item's definition when resolved: while the engine still has it
    /// at this id, one pointer comparison proves the id and the scale
    /// `needed` was taken in, without reading the item's record.
    key: ItemKey,
    item: ItemId,
    /// The key's scale, which `needed` was taken in: kept here, since
    /// reading it through the key is a read of the item's record (a cache
    /// miss a line on a large catalogue).
    scale: u8,
    qty: Decimal,
    needed: i128,
    /// Index into the cart's distinct scopes.
    scope: usize,
}

#[wasm_bindgen(typescript_custom_section)]
const CART_CHECK: &str = r#"
/**
 * `checkCart`'s answer, one entry per line in order. Through the package's
 * entry, the three arrays are views of a buffer pooled with other answers
 * (never overwritten): copy one (`.slice()`) before transferring its buffer.
 */
export interface CartCheck {
  /** Available now, or to promise on the date asked, in the item's smallest unit. */
  available: BigInt64Array;
  /** 1 when available covers the line's quantity, else 0. */
  enough: Uint8Array;
  /** The item's decimals: available / 10^scale is the quantity in its base unit. */
  scale: Uint8Array;
}
"#;

/// A cart's lines resolved against an engine (`Engine.cart`,
/// `Storefront.cart`); ask it with `checkCart`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Cart {
    lines: Vec<Line>,
    /// The engine's item definitions when resolved: while it still has
    /// them, no line's id needs checking.
    items: ItemsVersion,
    /// The distinct scopes of the lines (a cart has one or a few), resolved
    /// again on each check: a location code is a hash lookup.
    scopes: Vec<Scope>,
}

#[wasm_bindgen]
impl Cart {
    /// The number of lines.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.lines.len()
    }
}

/// Resolves `lines` (`[{sku, scope?, qty}]`) against `e`: unknown SKUs or
/// locations, a quantity not above zero or too large, or more than
/// `MAX_BATCH` lines refuse the whole cart.
pub(crate) fn cart(e: &Engine, lines: &JsValue) -> Result<Cart, Error> {
    let given: Vec<LineIn> = parse(lines, "cart lines")?;
    if given.len() > ims_core::MAX_BATCH {
        return Err(Error::LimitExceeded { what: "cart lines", max: ims_core::MAX_BATCH as u64 });
    }
    let mut scopes: Vec<Scope> = Vec::new();
    let mut out = Vec::with_capacity(given.len());
    for l in given {
        e.resolve_scope(&l.scope)?;
        let scope = match scopes.iter().position(|s| *s == l.scope) {
            Some(i) => i,
            None => {
                scopes.push(l.scope);
                scopes.len() - 1
            }
        };
        let item = e.resolve_item(&l.sku)?;
        let Some(key) = e.item_key(item) else { return Err(Error::UnknownItem { item: l.sku }) };
        let scale = key.scale();
        out.push(Line { needed: i128::from(minor_covering(l.qty, scale)?), key, item, scale, qty: l.qty, scope });
    }
    Ok(Cart { lines: out, scopes, items: e.items_version() })
}

/// Per line, in order: `available` (a `BigInt64Array` in each item's
/// smallest unit — `scale` decimals, a `Uint8Array`) and `enough`
/// (a `Uint8Array` of 0/1: available covers the line's qty). Without `at`,
/// available now (what `atpMany` calls `now`); with `at` (`"YYYY-MM-DD"`),
/// available to promise on that date, under `options` as in `atp`.
/// Lines whose item or location is gone from the engine fail the call
/// (`UNKNOWN_ITEM`, `UNKNOWN_LOCATION`); a sum beyond an `i64` is
/// `QUANTITY_OVERFLOW`.
pub(crate) fn check(e: &Engine, cart: &Cart, at: Option<String>, opts: &JsValue) -> Result<JsValue, Error> {
    let dated = match at {
        Some(s) => Some(s.parse::<Date>().map_err(|reason| Error::InvalidCommand { reason })?),
        None => None,
    };
    let o = crate::json::options::<crate::atp::PromiseOpts>(opts, "options")?.core();
    o.check()?;
    let scopes: Vec<ScopeIds> = cart.scopes.iter().map(|s| e.resolve_scope(s)).collect::<Result<_, _>>()?;
    let n = cart.lines.len();
    let unchanged = e.items_unchanged(&cart.items);
    // `available` in one vector; `enough` then `scale` in another, so
    // the answer factory copies two runs of this module's memory.
    let (mut available, mut flags) = (Vec::with_capacity(n), vec![0u8; 2 * n]);
    for (i, l) in cart.lines.iter().enumerate() {
        if i % PREFETCH == 0 {
            e.prefetch(cart.lines[i..].iter().take(PREFETCH).map(|l| l.item));
        }
        // The id as resolved, unless this engine gives it to another item
        // or has redefined it (perhaps with another scale): then by code.
        let (item, s, need) = if unchanged || e.is_item(l.item, &l.key) {
            (l.item, l.scale, l.needed)
        } else {
            let id = e.resolve_item(l.key.code())?;
            let s = e.item_of(id).map_or(0, |(_, s)| s);
            (id, s, i128::from(minor_covering(l.qty, s)?))
        };
        let scope = &scopes[l.scope];
        let q = match dated {
            None => e.available_minor(item, scope),
            Some(d) => e.atp_minor(item, scope, Some(d), &o)?,
        };
        available.push(i64::try_from(q).map_err(|_| Error::QuantityOverflow)?);
        flags[i] = u8::from(q >= need);
        flags[n + i] = s;
    }
    let (enough, scale) = flags.split_at(n);
    let made = ANSWER.with(|f| {
        let f = f.borrow();
        let f = f.as_ref()?;
        // Addresses in this module's memory: wasm32's are below 2^32.
        let at = |p: *const u8| JsValue::from(p as usize as f64);
        f.call3(&JsValue::NULL, &at(available.as_ptr().cast()), &at(flags.as_ptr()), &JsValue::from(n as f64)).ok()
    });
    if let Some(answer) = made {
        return Ok(answer);
    }
    let answer = js_sys::Object::new();
    let typed = KEYS.with(|[k_available, k_enough, k_scale]| {
        let set = |k: &JsValue, v: &JsValue| js_sys::Reflect::set(&answer, k, v).map(|_| ());
        set(k_available, &js_sys::BigInt64Array::from(&available[..]).into())
            .and_then(|_| set(k_enough, &js_sys::Uint8Array::from(enough).into()))
            .and_then(|_| set(k_scale, &js_sys::Uint8Array::from(scale).into()))
    });
    typed.map_err(|_| Error::InvalidCommand { reason: "could not build the answer object".into() })?;
    Ok(answer.into())
}

thread_local! {
    /// The answer's keys as JS strings, made once: a string from wasm is
    /// decoded by a `TextDecoder`, ≈ 0.3 µs each, most of a short cart's
    /// check.
    static KEYS: [JsValue; 3] = [JsValue::from_str("available"), JsValue::from_str("enough"), JsValue::from_str("scale")];
    /// The package entry's answer factory (`setCartAnswerFactory`).
    static ANSWER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Registers the factory of `checkCart`'s answers: `make(memory)` is
/// called once with this module's `WebAssembly.Memory` and returns
/// `answer(availablePtr, flagsPtr, n)`, which copies `n` i64 at
/// `availablePtr` and `2n` bytes at `flagsPtr` (`enough`, then `scale`) out
/// of that memory into a `CartCheck`. Called once by the package's entry.
///
/// Why: built from here, the answer took seven calls across the boundary
/// (the object, three typed arrays, three property sets) and a
/// `BigInt64Array` of its own — over 64 bytes, so V8 gives it a backing
/// store off its heap, ≈ 0.75 µs each — together ≈ 1.7 µs, a third of a
/// 50-line check. The entry's factory is one call and carves the arrays out
/// of a pooled buffer (as Node's `Buffer` pool does).
#[wasm_bindgen(js_name = setCartAnswerFactory)]
pub fn set_cart_answer_factory(make: js_sys::Function) -> Result<(), JsValue> {
    let answer = make.call1(&JsValue::NULL, &wasm_bindgen::memory())?;
    let answer = answer.dyn_into::<js_sys::Function>()?;
    ANSWER.with(|f| *f.borrow_mut() = Some(answer));
    Ok(())
}
