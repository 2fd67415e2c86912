//! Valuation answers: one item's FIFO layers and weighted average cost,
//! and the value of the stock in a scope by location and item, both ways.
//! The computation is the fold in [`super::fold`] (posting order).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Error;
use crate::ids::{Code, ItemId, LocId};
use crate::state::State;
use crate::time::{Date, Millis};

use super::fold::{Fold, ItemFold};
use super::scope::ScopeFilter;

/// One FIFO layer of an item at a location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerView {
    /// The location.
    pub location: Code,
    /// Id of the move that brought the stock in (its age).
    pub origin_move: u64,
    /// When that move occurred (ms UTC).
    pub received_at: Millis,
    /// The date it was received at the location's site.
    pub received: Date,
    /// Quantity in the base unit (negative: owed, taken beyond the layers).
    pub qty: Decimal,
    /// Cost per base unit.
    pub unit_cost: Decimal,
    /// qty × unit cost.
    pub value: Decimal,
    /// No cost was known: the unit cost is zero.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub uncosted: bool,
}

/// An item's stock and value at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocationValue {
    /// The location.
    pub location: Code,
    /// On hand (base unit).
    pub on_hand: Decimal,
    /// FIFO value.
    pub fifo_value: Decimal,
    /// WAC value (on hand × the item's average).
    pub wac_value: Decimal,
}

/// One item's valuation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemValuation {
    /// The item.
    pub item: Code,
    /// The currency of its costs, when one was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Code>,
    /// On hand over all internal locations (base unit).
    pub on_hand: Decimal,
    /// FIFO value.
    pub fifo_value: Decimal,
    /// Weighted average cost per base unit (kept to `WAC_DP` places).
    pub average_cost: Decimal,
    /// WAC value: on hand × average cost.
    pub wac_value: Decimal,
    /// FIFO layers by location code, oldest first.
    pub layers: Vec<LayerView>,
    /// Per internal location holding or owing stock, by code.
    pub locations: Vec<LocationValue>,
    /// Inbound moves that had no cost (valued at zero).
    pub uncosted_moves: u64,
    /// Settling owed stock at another cost than it was taken at.
    pub variance: Decimal,
}

fn dec(st: &State, item: ItemId, q: i128) -> Decimal {
    st.dec(item, q)
}

/// Builds an item's answer from its fold, for the locations `keep` accepts.
fn item_answer(st: &State, id: ItemId, f: &ItemFold, keep: impl Fn(LocId) -> bool) -> Result<ItemValuation, Error> {
    let scale = st.cat.item(id).scale();
    let mut locs: Vec<(&Code, LocId)> =
        f.fifo.keys().filter(|l| keep(**l)).map(|l| (&st.cat.loc(*l).code, *l)).collect();
    locs.sort();
    let (mut layers, mut locations) = (Vec::new(), Vec::new());
    let (mut on_hand, mut fifo_value, mut wac_value) = (0i128, Decimal::ZERO, Decimal::ZERO);
    for (code, l) in locs {
        let Some(q) = f.fifo.get(&l) else { continue };
        let qty = q.qty();
        if qty == 0 && q.layers.is_empty() && q.owed.is_empty() {
            continue;
        }
        let off = st.cat.loc(l).utc_offset_min();
        let view = |p: &super::fold::Piece, sign: i64| -> Result<LayerView, Error> {
            let q = dec(st, id, (p.qty as i128) * sign as i128);
            Ok(LayerView {
                location: code.clone(),
                origin_move: p.origin,
                received_at: p.received_at,
                received: Date::at(p.received_at, off),
                qty: q,
                unit_cost: p.unit_cost.normalize(),
                value: q.checked_mul(p.unit_cost).ok_or(Error::QuantityOverflow)?.normalize(),
                uncosted: !p.costed,
            })
        };
        for p in &q.layers {
            layers.push(view(p, 1)?);
        }
        for p in &q.owed {
            layers.push(view(p, -1)?);
        }
        let fv = q.value(scale)?;
        let wv = dec(st, id, qty).checked_mul(f.wac.average).ok_or(Error::QuantityOverflow)?;
        on_hand += qty;
        fifo_value += fv;
        wac_value += wv;
        locations.push(LocationValue {
            location: code.clone(),
            on_hand: dec(st, id, qty),
            fifo_value: fv.normalize(),
            wac_value: wv.normalize(),
        });
    }
    Ok(ItemValuation {
        item: st.cat.item(id).code.clone(),
        currency: f.currency.clone(),
        on_hand: dec(st, id, on_hand),
        fifo_value: fifo_value.normalize(),
        average_cost: f.wac.average.normalize(),
        wac_value: wac_value.normalize(),
        layers,
        locations,
        uncosted_moves: f.uncosted_moves,
        variance: f.variance.normalize(),
    })
}

/// One item's valuation over all internal locations.
pub(crate) fn item_valuation(st: &State, item: &str) -> Result<ItemValuation, Error> {
    let id = st.find_item(item)?;
    let fold = Fold::run(st, Some(id), |_, _| {})?;
    let empty = ItemFold::default();
    item_answer(st, id, fold.items.get(&id).unwrap_or(&empty), |_| true)
}

/// The value of the stock in a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InventoryValue {
    /// The one currency named by the items' costs, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Code>,
    /// FIFO value of the scope.
    pub fifo_value: Decimal,
    /// WAC value of the scope.
    pub wac_value: Decimal,
    /// Per location holding stock, by code (items summed).
    pub locations: Vec<ScopeLocationValue>,
    /// Per item holding stock in the scope, by code.
    pub items: Vec<ItemValue>,
    /// Items valued with an uncosted inbound move, by code.
    pub uncosted_items: Vec<Code>,
}

/// One item's stock and value in a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemValue {
    /// The item.
    pub item: Code,
    /// On hand in the scope (base unit).
    pub on_hand: Decimal,
    /// FIFO value.
    pub fifo_value: Decimal,
    /// WAC value.
    pub wac_value: Decimal,
}

/// One location's value summed over items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScopeLocationValue {
    /// The location.
    pub location: Code,
    /// FIFO value.
    pub fifo_value: Decimal,
    /// WAC value.
    pub wac_value: Decimal,
}

/// The value of every item's stock in `scope`, by location and by item.
/// Refused with `MIXED_CURRENCIES` when items name different currencies.
pub(crate) fn inventory_value(st: &State, scope: &ScopeFilter) -> Result<InventoryValue, Error> {
    let set = scope.resolve(st)?;
    let fold = Fold::run(st, None, |_, _| {})?;
    let mut ids: Vec<(&Code, ItemId)> = fold.items.keys().map(|i| (&st.cat.item(*i).code, *i)).collect();
    ids.sort();
    let mut out = InventoryValue {
        currency: None,
        fifo_value: Decimal::ZERO,
        wac_value: Decimal::ZERO,
        locations: Vec::new(),
        items: Vec::new(),
        uncosted_items: Vec::new(),
    };
    let mut by_loc: std::collections::BTreeMap<Code, (Decimal, Decimal)> = Default::default();
    for (code, id) in ids {
        let Some(f) = fold.items.get(&id) else { continue };
        if let Some(c) = &f.currency {
            match &out.currency {
                Some(have) if have != c => {
                    return Err(Error::MixedCurrencies {
                        item: code.to_string(),
                        currency: have.to_string(),
                        other: c.to_string(),
                    })
                }
                _ => out.currency = Some(c.clone()),
            }
        }
        let a = item_answer(st, id, f, |l| set.has(l))?;
        if a.locations.is_empty() {
            continue;
        }
        for l in &a.locations {
            let e = by_loc.entry(l.location.clone()).or_default();
            e.0 += l.fifo_value;
            e.1 += l.wac_value;
        }
        if f.uncosted_moves > 0 {
            out.uncosted_items.push(code.clone());
        }
        out.fifo_value += a.fifo_value;
        out.wac_value += a.wac_value;
        out.items.push(ItemValue {
            item: code.clone(),
            on_hand: a.on_hand,
            fifo_value: a.fifo_value,
            wac_value: a.wac_value,
        });
    }
    out.fifo_value = out.fifo_value.normalize();
    out.wac_value = out.wac_value.normalize();
    out.locations = by_loc
        .into_iter()
        .map(|(location, (f, w))| ScopeLocationValue { location, fifo_value: f.normalize(), wac_value: w.normalize() })
        .collect();
    Ok(out)
}

impl crate::engine::Engine {
    /// An item's FIFO layers, weighted average cost and value by location.
    pub fn item_valuation(&self, item: &str) -> Result<ItemValuation, Error> {
        item_valuation(&self.st, item)
    }
    /// The value of the stock in a scope, FIFO and WAC, by location and item.
    pub fn inventory_value(&self, scope: &ScopeFilter) -> Result<InventoryValue, Error> {
        inventory_value(&self.st, scope)
    }
}
