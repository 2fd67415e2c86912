//! Suppliers and their terms per item.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{unknown, Ev};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::OpsEvent;
use crate::qty::Minor;
use crate::state::State;

/// A supplier's own terms, as `define_supplier` gives them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierSpec {
    /// Client-chosen code.
    pub supplier: Code,
    /// Currency of its prices (ISO code).
    pub currency: Code,
    /// Mean lead time, days.
    #[serde(default)]
    pub lead_time_mean_days: Decimal,
    /// Standard deviation of the lead time, days.
    #[serde(default)]
    pub lead_time_sd_days: Decimal,
    /// Minimum order quantity per line, in the item's base unit (when the
    /// item's terms name none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_order_qty: Option<Decimal>,
    /// Order multiple per line, base unit (when the item's terms name none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_multiple: Option<Decimal>,
    /// How much more than ordered a line may receive, percent.
    #[serde(default)]
    pub tolerance_over_pct: Decimal,
    /// How much less than ordered still receives a line in full, percent.
    #[serde(default)]
    pub tolerance_under_pct: Decimal,
}

/// A supplier with its item terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplier {
    /// Its own terms.
    pub spec: SupplierSpec,
    /// Terms per item code.
    pub items: BTreeMap<Code, Terms>,
}

/// A supplier's terms for one item. Quantities are minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    /// The item.
    pub item: Code,
    /// Price per base unit, in the supplier's currency.
    pub unit_price: Decimal,
    /// Units per pack; an order line must be whole packs when set (and no
    /// order multiple is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_size: Option<Minor>,
    /// Minimum order quantity per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_order_qty: Option<Minor>,
    /// Order multiple per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_multiple: Option<Minor>,
    /// The item's preferred supplier (at most one per item).
    #[serde(default)]
    pub preferred: bool,
    /// Receipts of the item without a purchase order are accepted.
    #[serde(default)]
    pub allow_unplanned: bool,
}

/// `set_supplier_item`: terms with quantities as the host gives them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetSupplierItem {
    /// The supplier.
    pub supplier: String,
    /// The item.
    pub item: String,
    /// Price per base unit.
    pub unit_price: Decimal,
    /// Units per pack, base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_size: Option<Decimal>,
    /// Minimum order quantity per line, base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_order_qty: Option<Decimal>,
    /// Order multiple per line, base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_multiple: Option<Decimal>,
    /// Make this the item's preferred supplier.
    #[serde(default)]
    pub preferred: bool,
    /// Accept receipts without a purchase order.
    #[serde(default)]
    pub allow_unplanned: bool,
}

/// A percentage within `0..=max`.
pub(super) fn check_pct(field: &'static str, v: Decimal, max: u32) -> Result<(), Error> {
    if v < Decimal::ZERO || v > Decimal::from(max) {
        return Err(Error::InvalidSupplierTerm { field, value: v });
    }
    Ok(())
}

fn check_non_negative(field: &'static str, v: Decimal) -> Result<(), Error> {
    if v < Decimal::ZERO {
        return Err(Error::InvalidSupplierTerm { field, value: v });
    }
    Ok(())
}

fn check_positive(field: &'static str, v: Option<Decimal>) -> Result<(), Error> {
    match v {
        Some(v) if v <= Decimal::ZERO => Err(Error::InvalidSupplierTerm { field, value: v }),
        _ => Ok(()),
    }
}

pub(super) fn define(st: &mut State, c: &SupplierSpec, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("supplier", &c.supplier)?;
    State::check_code("currency", &c.currency)?;
    check_non_negative("lead_time_mean_days", c.lead_time_mean_days)?;
    check_non_negative("lead_time_sd_days", c.lead_time_sd_days)?;
    check_positive("min_order_qty", c.min_order_qty)?;
    check_positive("order_multiple", c.order_multiple)?;
    check_pct("tolerance_over_pct", c.tolerance_over_pct, 1000)?;
    check_pct("tolerance_under_pct", c.tolerance_under_pct, 100)?;
    let mut spec = c.clone();
    for d in [
        &mut spec.lead_time_mean_days,
        &mut spec.lead_time_sd_days,
        &mut spec.tolerance_over_pct,
        &mut spec.tolerance_under_pct,
    ] {
        *d = d.normalize();
    }
    spec.min_order_qty = spec.min_order_qty.map(|d| d.normalize());
    spec.order_multiple = spec.order_multiple.map(|d| d.normalize());
    st.emit(out, Event::Ops(OpsEvent::Procurement(Ev::SupplierDefined(spec))))
}

/// A positive decimal of the item's base unit in minor units.
fn minor(
    st: &State,
    item: crate::ids::ItemId,
    field: &'static str,
    v: Option<Decimal>,
) -> Result<Option<Minor>, Error> {
    let Some(v) = v else { return Ok(None) };
    State::check_sign(field, v, crate::exec::Sign::Positive)?;
    st.to_minor(item, &crate::command::QtyIn::base(v)).map(Some)
}

pub(super) fn set_item(st: &mut State, c: &SetSupplierItem, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("supplier", &c.supplier)?;
    check_non_negative("unit_price", c.unit_price)?;
    let item = st.find_item(&c.item)?;
    let pack_size = minor(st, item, "pack_size", c.pack_size)?;
    let min_order_qty = minor(st, item, "min_order_qty", c.min_order_qty)?;
    let order_multiple = minor(st, item, "order_multiple", c.order_multiple)?;
    let sup = st.ops.procurement.suppliers.code(&c.supplier);
    let sup = sup.ok_or_else(|| Error::UnknownSupplier { supplier: c.supplier.clone() })?;
    let item_code = st.cat.item(item).code.clone();
    if c.preferred {
        let other = st
            .ops
            .procurement
            .suppliers
            .iter()
            .find(|(code, s)| **code != sup && s.items.get(&item_code).is_some_and(|t| t.preferred));
        if let Some((code, _)) = other {
            return Err(Error::PreferredSupplierConflict { item: c.item.clone(), supplier: code.to_string() });
        }
    }
    let terms = Terms {
        item: item_code,
        unit_price: c.unit_price.normalize(),
        pack_size,
        min_order_qty,
        order_multiple,
        preferred: c.preferred,
        allow_unplanned: c.allow_unplanned,
    };
    st.emit(out, Event::Ops(OpsEvent::Procurement(Ev::SupplierItemSet { supplier: sup, terms })))
}

pub(super) fn apply_defined(st: &mut State, s: &SupplierSpec) -> Result<(), Error> {
    let code = s.supplier.clone();
    let done = st.edit_doc(|o| &mut o.procurement.suppliers, &code, |d| d.spec = s.clone());
    if done.is_none() {
        st.put_doc(|o| &mut o.procurement.suppliers, code, Supplier { spec: s.clone(), items: BTreeMap::new() });
    }
    Ok(())
}

pub(super) fn apply_item(st: &mut State, supplier: &str, terms: &Terms) -> Result<(), Error> {
    st.edit_doc(
        |o| &mut o.procurement.suppliers,
        supplier,
        |d| {
            d.items.insert(terms.item.clone(), terms.clone());
        },
    )
    .ok_or_else(|| unknown("supplier", supplier))
}
