//! Lost demand: what a customer asked for and could not have. A refused
//! request changes nothing in the engine, so the shop records it on
//! purpose with `record_lost_demand`; the record is a document of this
//! flow (in snapshots, rolled back with a failed batch) and counts in the
//! demand history's `lost` column at its location and date.

use serde::{Deserialize, Serialize};

use crate::command::QtyIn;
use crate::error::Error;
use crate::event::Event;
use crate::exec::Sign;
use crate::ids::Code;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

use super::{emit, Ev};

/// One lost-demand record. The quantity is in minor units of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostDemand {
    /// The item asked for.
    pub item: Code,
    /// Where it was asked for (an internal location).
    pub location: Code,
    /// How much could not be served.
    pub qty: Minor,
    /// When (the command's `occurred_at`).
    pub occurred_at: Millis,
    /// Why, in the host's words (e.g. `out_of_stock`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    /// Host reference (a cart, a quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Code>,
}

/// `record_lost_demand`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordLostDemand {
    /// The item.
    pub item: String,
    /// An internal location.
    pub location: String,
    /// The quantity not served, in any unit of the item.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Host reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The code of the `n`-th record: zero-padded, so code order is
/// recording order.
fn record_code(n: usize) -> Code {
    format!("{n:012}").into()
}

pub(super) fn record(st: &mut State, c: &RecordLostDemand, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_sign("qty", c.qty.qty, Sign::Positive)?;
    if let Some(r) = &c.reason {
        State::check_code("reason", r)?;
    }
    if let Some(r) = &c.reference {
        State::check_code("reference", r)?;
    }
    let item = st.find_item(&c.item)?;
    let qty = st.to_minor(item, &c.qty)?;
    let loc = st.find_internal(&c.location)?;
    let record = LostDemand {
        item: st.cat.item(item).code.clone(),
        location: st.cat.loc(loc).code.clone(),
        qty,
        occurred_at: at,
        reason: c.reason.as_deref().map(Into::into),
        reference: c.reference.as_deref().map(Into::into),
    };
    let id = record_code(st.ops.demand.lost.len() + 1);
    emit(st, out, Ev::LostDemandRecorded { id, record })
}

pub(super) fn apply(st: &mut State, id: &Code, record: &LostDemand) -> Result<(), Error> {
    st.item_of(&record.item)?;
    st.loc_of(&record.location)?;
    st.put_doc(|o| &mut o.demand.lost, id.clone(), record.clone());
    Ok(())
}

pub(super) fn verify(st: &State, errs: &mut Vec<String>) {
    for (i, (code, r)) in st.ops.demand.lost.iter().enumerate() {
        if **code != *record_code(i + 1) {
            errs.push(format!("lost demand record {code} is out of sequence (expected {})", record_code(i + 1)));
        }
        if st.cat.item_id(&r.item).is_none() {
            errs.push(format!("lost demand {code} names unknown item {}", r.item));
        }
        match st.cat.loc_id(&r.location) {
            Some(l) if st.cat.loc(l).is_internal() => {}
            _ => errs.push(format!("lost demand {code} is not at an internal location: {}", r.location)),
        }
        if r.qty <= 0 {
            errs.push(format!("lost demand {code} has quantity {}", r.qty));
        }
    }
}
