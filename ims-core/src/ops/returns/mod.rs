//! Operations flow `returns`: return authorisations (RMAs) against shipped
//! quantity, the return's receipt and its grading.
//!
//! An RMA (client-chosen code) authorises lines (item, quantity) against an
//! order reference. Shipped quantity is read from the core ledger: moves of
//! the item into a customer-kind location whose `reference` is the order
//! reference (a sales order's shipments, or a till sale's receipt number),
//! reversed moves left out. An RMA never authorises more than shipped minus
//! what other RMAs of the order authorised (or, once closed, received), and
//! only within the return window counted from the line's last shipping
//! move. States: `authorised` → `received` (some stock in, not all graded)
//! → `graded` (all received stock graded) → `closed`, or `cancelled`
//! before anything was received. Receiving moves stock from the customer
//! location into a returns location (`customer_return`, reference = the
//! RMA); grading moves it on (`grading`): A to a sellable location, B to an
//! internal location that is not sellable (quarantine, refurbishment), C to
//! scrap.

mod run;
mod view;

use serde::{Deserialize, Serialize};

pub use view::{Returnable, RmaView};

use crate::error::Error;
use crate::event::MoveReason;
use crate::ids::Code;
use crate::ops::DocMap;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

pub(crate) use run::run;
pub(crate) use view::query;

/// The return window when an authorisation names none, in days.
pub const DEFAULT_RETURN_WINDOW_DAYS: u32 = 30;

/// Where an RMA stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RmaStatus {
    /// Authorised; nothing received yet.
    Authorised,
    /// Some stock received that is not yet graded.
    Received,
    /// Everything received so far is graded.
    Graded,
    /// Closed: what was not received is no longer authorised.
    Closed,
    /// Cancelled before anything was received.
    Cancelled,
}

impl RmaStatus {
    /// Whether the RMA takes no more commands.
    pub fn is_final(self) -> bool {
        matches!(self, RmaStatus::Closed | RmaStatus::Cancelled)
    }
}

/// A return grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// As new: restocked to a sellable location.
    A,
    /// Needs work: quarantine or refurbishment (internal, not sellable).
    B,
    /// Beyond repair: scrapped.
    C,
}

impl Grade {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            Grade::A => "a",
            Grade::B => "b",
            Grade::C => "c",
        }
    }
}

/// One authorised line of an RMA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RmaLine {
    /// The item.
    pub item: Code,
    /// Authorised, minor units.
    pub authorised: Minor,
    /// Received so far.
    pub received: Minor,
    /// Graded so far.
    pub graded: Minor,
    /// The customer location the item was shipped to (returns come from it).
    pub customer: Code,
}

/// Received stock not yet graded, per returns bucket.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Held {
    /// The item.
    pub item: Code,
    /// The returns location.
    pub location: Code,
    /// The lot, for tracked items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Ungraded quantity.
    pub qty: Minor,
}

/// One grading decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grading {
    /// The item.
    pub item: Code,
    /// The lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Where it was (the returns location).
    pub from: Code,
    /// Where it went.
    pub to: Code,
    /// The grade.
    pub grade: Grade,
    /// Quantity.
    pub qty: Minor,
    /// Why (the inspector's note).
    pub reason: String,
}

/// A return authorisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rma {
    /// The order reference it returns against.
    pub order: Code,
    /// Where it stands.
    pub status: RmaStatus,
    /// When it was authorised.
    pub authorised_at: Millis,
    /// The return window applied, in days.
    pub window_days: u32,
    /// Lines in the order given.
    pub lines: Vec<RmaLine>,
    /// Received, ungraded stock, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<Held>,
    /// Grading decisions in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gradings: Vec<Grading>,
}

impl Rma {
    fn line_mut(&mut self, item: &str) -> Option<&mut RmaLine> {
        self.lines.iter_mut().find(|l| &*l.item == item)
    }
    /// The line of an item.
    pub fn line(&self, item: &str) -> Option<&RmaLine> {
        self.lines.iter().find(|l| &*l.item == item)
    }
    /// What this RMA takes of an order line's returnable quantity: the
    /// authorised quantity while open, what was received once closed,
    /// nothing once cancelled.
    pub fn claims(&self, item: &str) -> Minor {
        match (self.status, self.line(item)) {
            (_, None) | (RmaStatus::Cancelled, _) => 0,
            (RmaStatus::Closed, Some(l)) => l.received,
            (_, Some(l)) => l.authorised,
        }
    }
    fn held_mut(&mut self, item: &str, location: &str, lot: Option<&str>) -> Option<&mut Held> {
        self.held.iter_mut().find(|h| &*h.item == item && &*h.location == location && h.lot.as_deref() == lot)
    }
    /// Status after receipts or gradings (final states stay).
    fn restate(&mut self) {
        if self.status.is_final() {
            return;
        }
        let received: Minor = self.lines.iter().map(|l| l.received).sum();
        self.status = if received == 0 {
            RmaStatus::Authorised
        } else if self.held.is_empty() {
            RmaStatus::Graded
        } else {
            RmaStatus::Received
        };
    }
    /// Adds received stock (apply and the validation dry run share it).
    pub(crate) fn add_received(&mut self, item: &Code, location: &Code, lot: Option<&Code>, qty: Minor) {
        if let Some(l) = self.line_mut(item) {
            l.received += qty;
        }
        match self.held_mut(item, location, lot.map(|c| &**c)) {
            Some(h) => h.qty += qty,
            None => {
                self.held.push(Held { item: item.clone(), location: location.clone(), lot: lot.cloned(), qty });
                self.held.sort();
            }
        }
        self.restate();
    }
    /// Records a grading (apply and the validation dry run share it).
    pub(crate) fn add_grading(&mut self, g: Grading) {
        if let Some(l) = self.line_mut(&g.item) {
            l.graded += g.qty;
        }
        if let Some(h) = self.held_mut(&g.item, &g.from, g.lot.as_deref()) {
            h.qty -= g.qty;
        }
        self.held.retain(|h| h.qty != 0);
        self.gradings.push(g);
        self.restate();
    }
}

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// RMAs by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub rmas: DocMap<Rma>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.rmas.is_empty()
    }
}

/// An authorised line as the event records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisedLine {
    /// The item.
    pub item: Code,
    /// Authorised, minor units.
    pub qty: Minor,
    /// The customer location the item was shipped to.
    pub customer: Code,
}

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// An RMA was authorised.
    ReturnAuthorised {
        /// The RMA.
        rma: Code,
        /// The order reference.
        order: Code,
        /// The return window applied, in days.
        window_days: u32,
        /// The lines.
        lines: Vec<AuthorisedLine>,
    },
    /// Returned stock arrived (a `customer_return` move follows).
    ReturnReceived {
        /// The RMA.
        rma: Code,
        /// The item.
        item: Code,
        /// The returns location.
        location: Code,
        /// The lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// Quantity, minor units.
        qty: Minor,
    },
    /// Received stock was graded (a `grading` move follows).
    ReturnGraded {
        /// The RMA.
        rma: Code,
        /// The decision.
        #[serde(flatten)]
        grading: Grading,
    },
    /// The RMA was closed.
    ReturnClosed {
        /// The RMA.
        rma: Code,
    },
    /// The RMA was cancelled.
    ReturnCancelled {
        /// The RMA.
        rma: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] =
    &["return_authorised", "return_received", "return_graded", "return_closed", "return_cancelled"];

pub use run::{Cmd, GradeLine, ReceiveLine, ReturnLine, CMD_TYPES};
pub use view::{Qry, QUERY_KINDS};

fn field(o: &mut crate::ops::Ops) -> &mut DocMap<Rma> {
    &mut o.returns.rmas
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    let missing = |r: &str| Error::InvalidCommand { reason: format!("unknown RMA {r}") };
    match ev {
        Ev::ReturnAuthorised { rma, order, window_days, lines } => {
            let doc = Rma {
                order: order.clone(),
                status: RmaStatus::Authorised,
                authorised_at: st.now,
                window_days: *window_days,
                lines: lines
                    .iter()
                    .map(|l| RmaLine {
                        item: l.item.clone(),
                        authorised: l.qty,
                        received: 0,
                        graded: 0,
                        customer: l.customer.clone(),
                    })
                    .collect(),
                held: Vec::new(),
                gradings: Vec::new(),
            };
            st.put_doc(field, rma.clone(), doc);
        }
        Ev::ReturnReceived { rma, item, location, lot, qty } => st
            .edit_doc(field, rma, |d| d.add_received(item, location, lot.as_ref(), *qty))
            .ok_or_else(|| missing(rma))?,
        Ev::ReturnGraded { rma, grading } => {
            st.edit_doc(field, rma, |d| d.add_grading(grading.clone())).ok_or_else(|| missing(rma))?
        }
        Ev::ReturnClosed { rma } => {
            st.edit_doc(field, rma, |d| d.status = RmaStatus::Closed).ok_or_else(|| missing(rma))?
        }
        Ev::ReturnCancelled { rma } => {
            st.edit_doc(field, rma, |d| d.status = RmaStatus::Cancelled).ok_or_else(|| missing(rma))?
        }
    }
    Ok(())
}

/// Recomputes each line's received and graded quantities from the ledger's
/// `customer_return` and `grading` moves that carry the RMA's code.
pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    if st.ops.returns.rmas.is_empty() {
        return;
    }
    let mut seen: std::collections::BTreeMap<(Code, Code), (Minor, Minor)> = std::collections::BTreeMap::new();
    for (ix, m) in st.moves.iter().enumerate() {
        if !m.has_notes() {
            continue;
        }
        let Some(r) = &st.moves.notes(ix).reference else { continue };
        let k = match m.reason {
            MoveReason::CustomerReturn => 0,
            MoveReason::Grading => 1,
            _ => continue,
        };
        if !st.ops.returns.rmas.contains(r) {
            continue;
        }
        let e = seen.entry((r.clone(), st.cat.item(m.item).code.clone())).or_default();
        if k == 0 {
            e.0 += m.qty;
        } else {
            e.1 += m.qty;
        }
    }
    for (code, rma) in st.ops.returns.rmas.iter() {
        for l in &rma.lines {
            let (rec, gr) = seen.get(&(code.clone(), l.item.clone())).copied().unwrap_or_default();
            if (rec, gr) != (l.received, l.graded) {
                errs.push(format!(
                    "RMA {code} {}: received {} graded {} but moves say {rec} and {gr}",
                    l.item, l.received, l.graded
                ));
            }
            let held: Minor = rma.held.iter().filter(|h| h.item == l.item).map(|h| h.qty).sum();
            if held != l.received - l.graded || l.received > l.authorised {
                errs.push(format!("RMA {code} {}: held {held} does not match received − graded", l.item));
            }
        }
    }
}

/// Shipped quantity of an item on an order: moves into a customer-kind
/// location carrying the order reference, less till returns of it,
/// reversed moves left out. Returns
/// (shipped, last shipping move's `occurred_at`, its customer location).
pub(crate) fn shipped(st: &State, order: &str, item: crate::ids::ItemId) -> (Minor, Option<Millis>, Option<Code>) {
    let mut sum: Minor = 0;
    let mut last: Option<(Millis, Code)> = None;
    for (ix, m) in st.moves.iter().enumerate() {
        if m.item != item || m.reversed || !m.has_notes() {
            continue;
        }
        let notes = st.moves.notes(ix);
        if notes.reverses.is_some() || notes.reference.as_deref() != Some(order) {
            continue;
        }
        // A till's return of the order (`return_sale`, reference = the
        // receipt) gives back what it shipped.
        if m.reason == MoveReason::CustomerReturn && st.cat.loc(m.from).kind == crate::catalog::LocationKind::Customer {
            sum = sum.saturating_sub(m.qty);
            continue;
        }
        let to = st.cat.loc(m.to);
        if to.kind != crate::catalog::LocationKind::Customer {
            continue;
        }
        sum = sum.saturating_add(m.qty);
        if last.as_ref().is_none_or(|(t, _)| m.occurred_at >= *t) {
            last = Some((m.occurred_at, to.code.clone()));
        }
    }
    let (at, loc) = last.map_or((None, None), |(t, c)| (Some(t), Some(c)));
    (sum, at, loc)
}

/// What other RMAs of the order claim of an item.
pub(crate) fn claimed(st: &State, order: &str, item: &str, except: Option<&str>) -> Minor {
    st.ops
        .returns
        .rmas
        .iter()
        .filter(|(c, r)| &*r.order == order && except != Some(&***c))
        .map(|(_, r)| r.claims(item))
        .sum()
}
