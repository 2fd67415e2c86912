//! Returns queries: an RMA's view and the returnable quantity of an order line.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{claimed, shipped, Grade, Rma, RmaStatus};
use crate::error::Error;
use crate::ids::Code;
use crate::state::State;
use crate::time::Millis;

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// An RMA with its lines, held stock and gradings (`null` when unknown).
    Rma {
        /// The RMA.
        rma: String,
    },
    /// Shipped, claimed and returnable quantity of an item on an order.
    Returnable {
        /// The order reference.
        order: String,
        /// The item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["rma", "returnable"];

/// One RMA line in decimals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RmaLineView {
    /// The item.
    pub item: Code,
    /// Authorised.
    pub authorised: Decimal,
    /// Received so far.
    pub received: Decimal,
    /// Graded so far.
    pub graded: Decimal,
    /// Received and not yet graded.
    pub ungraded: Decimal,
    /// The customer location the return comes from.
    pub customer: Code,
}

/// Received, ungraded stock in one returns bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeldView {
    /// The item.
    pub item: Code,
    /// The returns location.
    pub location: Code,
    /// The lot.
    pub lot: Option<Code>,
    /// Quantity.
    pub qty: Decimal,
}

/// One grading decision in decimals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GradingView {
    /// The item.
    pub item: Code,
    /// The lot.
    pub lot: Option<Code>,
    /// From (the returns location).
    pub from: Code,
    /// To.
    pub to: Code,
    /// The grade.
    pub grade: Grade,
    /// Quantity.
    pub qty: Decimal,
    /// Why.
    pub reason: String,
}

/// An RMA as queries show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RmaView {
    /// The RMA.
    pub rma: Code,
    /// The order reference.
    pub order: Code,
    /// Where it stands.
    pub status: RmaStatus,
    /// When it was authorised.
    pub authorised_at: Millis,
    /// The return window, days.
    pub window_days: u32,
    /// Lines.
    pub lines: Vec<RmaLineView>,
    /// Received, ungraded stock.
    pub held: Vec<HeldView>,
    /// Gradings in order.
    pub gradings: Vec<GradingView>,
}

/// The returnable quantity of an order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Returnable {
    /// The order reference.
    pub order: String,
    /// The item.
    pub item: Code,
    /// Shipped (net of reversals).
    pub shipped: Decimal,
    /// Claimed by RMAs (authorised while open, received once closed).
    pub claimed: Decimal,
    /// Shipped minus claimed, floored at zero.
    pub returnable: Decimal,
    /// The last shipping move's `occurred_at`.
    pub last_shipped_at: Option<Millis>,
}

fn dec_of(st: &State, item: &str, q: i64) -> Decimal {
    st.cat.item_id(item).map_or(Decimal::from(q), |id| st.dec(id, q as i128))
}

fn rma_view(st: &State, code: &str, r: &Rma) -> RmaView {
    RmaView {
        rma: code.into(),
        order: r.order.clone(),
        status: r.status,
        authorised_at: r.authorised_at,
        window_days: r.window_days,
        lines: r
            .lines
            .iter()
            .map(|l| RmaLineView {
                item: l.item.clone(),
                authorised: dec_of(st, &l.item, l.authorised),
                received: dec_of(st, &l.item, l.received),
                graded: dec_of(st, &l.item, l.graded),
                ungraded: dec_of(st, &l.item, l.received - l.graded),
                customer: l.customer.clone(),
            })
            .collect(),
        held: r
            .held
            .iter()
            .map(|h| HeldView {
                item: h.item.clone(),
                location: h.location.clone(),
                lot: h.lot.clone(),
                qty: dec_of(st, &h.item, h.qty),
            })
            .collect(),
        gradings: r
            .gradings
            .iter()
            .map(|g| GradingView {
                item: g.item.clone(),
                lot: g.lot.clone(),
                from: g.from.clone(),
                to: g.to.clone(),
                grade: g.grade,
                qty: dec_of(st, &g.item, g.qty),
                reason: g.reason.clone(),
            })
            .collect(),
    }
}

fn returnable(st: &State, order: &str, item: &str) -> Result<Returnable, Error> {
    State::check_code("order", order)?;
    let id = st.find_item(item)?;
    let (ship, last, _) = shipped(st, order, id);
    let claim = claimed(st, order, item, None);
    Ok(Returnable {
        order: order.into(),
        item: st.cat.item(id).code.clone(),
        shipped: st.dec(id, ship as i128),
        claimed: st.dec(id, claim as i128),
        returnable: st.dec(id, (ship - claim).max(0) as i128),
        last_shipped_at: last,
    })
}

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::Rma { rma } => a.answer(&st.ops.returns.rmas.get(rma).map(|r| rma_view(st, rma, r))),
        Qry::Returnable { order, item } => a.answer(&returnable(st, order, item)?),
    }
}

impl crate::engine::Engine {
    /// An RMA, or `None` when unknown.
    pub fn rma(&self, rma: &str) -> Option<RmaView> {
        self.st.ops.returns.rmas.get(rma).map(|r| rma_view(&self.st, rma, r))
    }
    /// Shipped, claimed and returnable quantity of an item on an order.
    pub fn returnable(&self, order: &str, item: &str) -> Result<Returnable, Error> {
        returnable(&self.st, order, item)
    }
}
