//! Returns commands: validate everything on a copy of the RMA, then emit.

use serde::{Deserialize, Serialize};

use super::{claimed, shipped, AuthorisedLine, Ev, Grade, Grading, Rma, RmaStatus, DEFAULT_RETURN_WINDOW_DAYS};
use crate::catalog::{LocationKind, NO_LOT};
use crate::command::QtyIn;
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::exec::Sign;
use crate::ids::{ItemId, LocId, LotId};
use crate::ops::OpsEvent;
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Millis, DAY_MS};

/// A line of an authorisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnLine {
    /// The item.
    pub item: String,
    /// Quantity to authorise.
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// A line of a return receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiveLine {
    /// The item.
    pub item: String,
    /// Quantity received.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// The lot (required for tracked items; must be known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
}

/// A grading decision as a command gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeLine {
    /// The item.
    pub item: String,
    /// Quantity graded.
    #[serde(flatten)]
    pub qty: QtyIn,
    /// The grade.
    pub grade: Grade,
    /// The lot; the RMA's first held lot of the item when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// The returns location it is in; the RMA's first returns location
    /// holding the item (and lot) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Destination: a sellable location (A), an internal location that is
    /// not sellable (B); scrap (C, `@scrap` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why (the inspector's note).
    pub reason: String,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Authorise a return against an order's shipped quantity.
    AuthoriseReturn {
        /// Client-chosen RMA code.
        rma: String,
        /// The order reference (a sales order code, a till receipt number).
        order: String,
        /// Items and quantities.
        lines: Vec<ReturnLine>,
        /// Return window in days from the line's last shipping move;
        /// [`DEFAULT_RETURN_WINDOW_DAYS`] when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window_days: Option<u32>,
    },
    /// Receive returned stock into a returns location.
    ReceiveReturn {
        /// The RMA.
        rma: String,
        /// The returns location (internal).
        location: String,
        /// What arrived.
        lines: Vec<ReceiveLine>,
    },
    /// Grade received stock: A restocks, B quarantines, C scraps.
    GradeReturn {
        /// The RMA.
        rma: String,
        /// The decisions.
        lines: Vec<GradeLine>,
    },
    /// Close the RMA (everything received must be graded).
    CloseReturn {
        /// The RMA.
        rma: String,
    },
    /// Cancel the RMA (only before anything was received).
    CancelReturn {
        /// The RMA.
        rma: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["authorise_return", "receive_return", "grade_return", "close_return", "cancel_return"];

/// At most this many lines per command.
const MAX_LINES: usize = 256;

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Returns(ev)))
}

fn check_lines(n: usize) -> Result<(), Error> {
    if n == 0 {
        return Err(Error::InvalidLines { document: "rma", reason: "no lines".into() });
    }
    if n > MAX_LINES {
        return Err(Error::LimitExceeded { what: "lines", max: MAX_LINES as u64 });
    }
    Ok(())
}

/// An RMA that still takes commands.
fn open_rma(st: &State, rma: &str) -> Result<Rma, Error> {
    State::check_code("rma", rma)?;
    let doc = st.ops.returns.rmas.get(rma).ok_or_else(|| Error::UnknownRma { rma: rma.into() })?;
    match doc.status {
        RmaStatus::Closed => Err(Error::RmaClosed { rma: rma.into() }),
        RmaStatus::Cancelled => Err(Error::RmaCancelled { rma: rma.into() }),
        _ => Ok(doc.clone()),
    }
}

fn known_rma(st: &State, rma: &str) -> Result<(), Error> {
    State::check_code("rma", rma)?;
    st.ops.returns.rmas.get(rma).map(|_| ()).ok_or_else(|| Error::UnknownRma { rma: rma.into() })
}

fn lot_of(st: &State, item: ItemId, lot: Option<&str>) -> Result<LotId, Error> {
    let it = st.cat.item(item);
    match (it.tracked(), lot) {
        (false, None) => Ok(NO_LOT),
        (false, Some(_)) => Err(Error::LotNotTracked { item: it.code.to_string() }),
        (true, None) => Err(Error::LotRequired { item: it.code.to_string() }),
        (true, Some(l)) => {
            st.cat.lot_id(item, l).ok_or_else(|| Error::UnknownLot { item: it.code.to_string(), lot: l.into() })
        }
    }
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::AuthoriseReturn { rma, order, lines, window_days } => authorise(st, rma, order, lines, *window_days, out),
        Cmd::ReceiveReturn { rma, location, lines } => receive(st, rma, location, lines, at, out),
        Cmd::GradeReturn { rma, lines } => grade(st, rma, lines, at, out),
        Cmd::CloseReturn { rma } => {
            known_rma(st, rma)?;
            let doc = open_rma(st, rma)?;
            if let Some(h) = doc.held.first() {
                let id = st.find_item(&h.item)?;
                let ungraded: Minor = doc.held.iter().filter(|x| x.item == h.item).map(|x| x.qty).sum();
                return Err(Error::RmaUngradedStock {
                    rma: rma.clone(),
                    item: h.item.to_string(),
                    ungraded: st.dec(id, ungraded as i128),
                });
            }
            emit(st, out, Ev::ReturnClosed { rma: rma.as_str().into() })
        }
        Cmd::CancelReturn { rma } => {
            known_rma(st, rma)?;
            let doc = open_rma(st, rma)?;
            if doc.lines.iter().any(|l| l.received > 0) {
                return Err(Error::RmaHasReceipts { rma: rma.clone() });
            }
            emit(st, out, Ev::ReturnCancelled { rma: rma.as_str().into() })
        }
    }
}

fn authorise(
    st: &mut State,
    rma: &str,
    order: &str,
    lines: &[ReturnLine],
    window_days: Option<u32>,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("rma", rma)?;
    State::check_code("order", order)?;
    check_lines(lines.len())?;
    for (i, l) in lines.iter().enumerate() {
        State::check_code("item", &l.item)?;
        State::check_sign("qty", l.qty.qty, Sign::Positive)?;
        if lines[..i].iter().any(|o| o.item == l.item) {
            return Err(Error::InvalidLines { document: "rma", reason: format!("item {} is listed twice", l.item) });
        }
    }
    let mut items = Vec::with_capacity(lines.len());
    for l in lines {
        let id = st.find_item(&l.item)?;
        items.push((id, st.to_minor(id, &l.qty)?));
    }
    if st.ops.returns.rmas.contains(rma) {
        return Err(Error::RmaIdConflict { rma: rma.into() });
    }
    let window = window_days.unwrap_or(DEFAULT_RETURN_WINDOW_DAYS);
    let mut auth = Vec::with_capacity(lines.len());
    for (l, (id, qty)) in lines.iter().zip(items) {
        let (ship, last, customer) = shipped(st, order, id);
        let returnable = ship - claimed(st, order, &l.item, None);
        if qty > returnable {
            return Err(Error::ReturnExceedsShipped {
                order: order.into(),
                item: l.item.clone(),
                requested: st.dec(id, qty as i128),
                returnable: st.dec(id, returnable.max(0) as i128),
                shipped: st.dec(id, ship as i128),
            });
        }
        // Something was shipped, so a last shipping move exists.
        let (Some(last), Some(customer)) = (last, customer) else {
            return Err(Error::InvalidCommand { reason: "shipment without a move".into() });
        };
        let closes = last.saturating_add(i64::from(window).saturating_mul(DAY_MS));
        if st.now > closes {
            return Err(Error::ReturnWindowClosed {
                order: order.into(),
                item: l.item.clone(),
                last_shipped_at: last,
                closed_at: closes,
            });
        }
        auth.push(AuthorisedLine { item: st.cat.item(id).code.clone(), qty, customer });
    }
    let ev = Ev::ReturnAuthorised { rma: rma.into(), order: order.into(), window_days: window, lines: auth };
    emit(st, out, ev)
}

fn receive(
    st: &mut State,
    rma: &str,
    location: &str,
    lines: &[ReceiveLine],
    at: Millis,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("rma", rma)?;
    State::check_code("location", location)?;
    check_lines(lines.len())?;
    for l in lines {
        State::check_code("item", &l.item)?;
        State::check_sign("qty", l.qty.qty, Sign::Positive)?;
    }
    known_rma(st, rma)?;
    let loc = st.find_internal(location)?;
    let mut resolved = Vec::with_capacity(lines.len());
    for l in lines {
        let id = st.find_item(&l.item)?;
        let qty = st.to_minor(id, &l.qty)?;
        let lot = lot_of(st, id, l.lot.as_deref())?;
        st.check_serial(id, qty)?;
        let doc = st.ops.returns.rmas.get(rma).ok_or_else(|| Error::UnknownRma { rma: rma.into() })?;
        let line = doc.line(&l.item).ok_or_else(|| Error::UnknownRmaLine { rma: rma.into(), item: l.item.clone() })?;
        let from = st.find_loc(&line.customer)?;
        resolved.push((id, qty, lot, from));
    }
    // State: a dry run on a copy, so lines of the same item add up.
    let mut doc = open_rma(st, rma)?;
    let loc_code = st.cat.loc(loc).code.clone();
    for (l, (id, qty, lot, from)) in lines.iter().zip(&resolved) {
        let line = doc.line(&l.item).ok_or_else(|| Error::UnknownRmaLine { rma: rma.into(), item: l.item.clone() })?;
        let open = line.authorised - line.received;
        if *qty > open {
            return Err(Error::ReceiveExceedsAuthorised {
                rma: rma.into(),
                item: l.item.clone(),
                requested: st.dec(*id, *qty as i128),
                open: st.dec(*id, open as i128),
            });
        }
        st.check_posting(*id, *lot, *qty, *from, loc)?;
        let item = st.cat.item(*id).code.clone();
        doc.add_received(&item, &loc_code, st.cat.lot_code(*lot).as_ref(), *qty);
    }
    // Point of no failure.
    for (id, qty, lot, from) in resolved {
        let ev = Ev::ReturnReceived {
            rma: rma.into(),
            item: st.cat.item(id).code.clone(),
            location: loc_code.clone(),
            lot: st.cat.lot_code(lot),
            qty,
        };
        emit(st, out, ev)?;
        st.post(id, lot, qty, from, loc, MoveReason::CustomerReturn, None, None, Some(rma), at, out)?;
        st.serve_demand(id, out)?;
    }
    Ok(())
}

/// A grading line resolved: item, lot, from, to, quantity.
struct Resolved {
    item: ItemId,
    /// The returns bucket (location, lot); `None` when nothing is held.
    src: Option<(LocId, LotId)>,
    to: LocId,
    qty: Minor,
}

fn grade(st: &mut State, rma: &str, lines: &[GradeLine], at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("rma", rma)?;
    check_lines(lines.len())?;
    for l in lines {
        State::check_code("item", &l.item)?;
        State::check_sign("qty", l.qty.qty, Sign::Positive)?;
        if let Some(lot) = &l.lot {
            State::check_code("lot", lot)?;
        }
        for c in [&l.from, &l.to].into_iter().flatten() {
            State::check_code("location", c)?;
        }
        if l.reason.len() > 256 || l.reason.chars().any(char::is_control) {
            return Err(Error::InvalidCode { field: "reason", code: l.reason.chars().take(200).collect() });
        }
    }
    known_rma(st, rma)?;
    let doc0 = st.ops.returns.rmas.get(rma).ok_or_else(|| Error::UnknownRma { rma: rma.into() })?.clone();
    let mut resolved = Vec::with_capacity(lines.len());
    for l in lines {
        let id = st.find_item(&l.item)?;
        let qty = st.to_minor(id, &l.qty)?;
        st.check_serial(id, qty)?;
        doc0.line(&l.item).ok_or_else(|| Error::UnknownRmaLine { rma: rma.into(), item: l.item.clone() })?;
        // Defaults: the first held bucket of the item (and lot), in order.
        let first = doc0.held.iter().find(|h| {
            *h.item == *l.item
                && l.lot.as_deref().is_none_or(|x| h.lot.as_deref() == Some(x))
                && l.from.as_deref().is_none_or(|x| &*h.location == x)
        });
        // Nothing held to default from: the state check below reports it.
        let src = if first.is_none() && l.from.is_none() {
            None
        } else {
            let lot_code = l.lot.clone().or_else(|| first.and_then(|h| h.lot.as_deref().map(str::to_string)));
            let lot = lot_of(st, id, lot_code.as_deref())?;
            let from_code = l.from.clone().or_else(|| first.map(|h| h.location.to_string())).unwrap_or_default();
            Some((st.find_internal(&from_code)?, lot))
        };
        let to = match (&l.to, l.grade) {
            (Some(c), _) => st.find_loc(c)?,
            (None, Grade::C) => st.builtin("@scrap"),
            (None, g) => {
                return Err(Error::GradeDestinationInvalid {
                    rma: rma.into(),
                    grade: g.name(),
                    location: String::new(),
                    reason: "grades a and b need a destination",
                })
            }
        };
        resolved.push(Resolved { item: id, src, to, qty });
    }
    let mut doc = open_rma(st, rma)?;
    let mut gradings = Vec::with_capacity(lines.len());
    for (l, r) in lines.iter().zip(&resolved) {
        let dest = st.cat.loc(r.to);
        let wrong = match l.grade {
            Grade::A if !dest.is_internal() || !dest.sellable => Some("grade a restocks to a sellable location"),
            Grade::B if !dest.is_internal() || dest.sellable => {
                Some("grade b goes to an internal location that is not sellable")
            }
            Grade::C if dest.kind != LocationKind::Scrap => Some("grade c goes to scrap"),
            _ => None,
        };
        if let Some(reason) = wrong {
            return Err(Error::GradeDestinationInvalid {
                rma: rma.into(),
                grade: l.grade.name(),
                location: dest.code.to_string(),
                reason,
            });
        }
        let Some((r_from, r_lot)) = r.src else {
            return Err(Error::GradeExceedsUngraded {
                item: l.item.clone(),
                location: String::new(),
                lot: l.lot.clone(),
                requested: st.dec(r.item, r.qty as i128),
                ungraded: st.dec(r.item, 0),
            });
        };
        if r_from == r.to {
            return Err(Error::SameLocation { location: dest.code.to_string() });
        }
        let item = st.cat.item(r.item).code.clone();
        let from = st.cat.loc(r_from).code.clone();
        let lot = st.cat.lot_code(r_lot);
        let ungraded =
            doc.held.iter().find(|h| h.item == item && h.location == from && h.lot == lot).map_or(0, |h| h.qty);
        if r.qty > ungraded {
            return Err(Error::GradeExceedsUngraded {
                item: l.item.clone(),
                location: from.to_string(),
                lot: lot.as_deref().map(str::to_string),
                requested: st.dec(r.item, r.qty as i128),
                ungraded: st.dec(r.item, ungraded as i128),
            });
        }
        // The returned stock must still be there, free (someone may have
        // moved it); earlier lines of this command took their share.
        let taken: Minor = gradings
            .iter()
            .filter(|g: &&Grading| g.item == item && g.from == from && g.lot == lot)
            .map(|g| g.qty)
            .sum();
        let free = st.stock[r.item.ix()].get(r_from, r_lot).map_or(0, |b| b.free()) - taken;
        if r.qty > free {
            return Err(Error::InsufficientStock {
                item: l.item.clone(),
                location: from.to_string(),
                lot: lot.as_deref().map(str::to_string),
                requested: st.dec(r.item, r.qty as i128),
                available: st.dec(r.item, free.max(0) as i128),
            });
        }
        st.check_posting(r.item, r_lot, r.qty, r_from, r.to)?;
        let g =
            Grading { item, lot, from, to: dest.code.clone(), grade: l.grade, qty: r.qty, reason: l.reason.clone() };
        doc.add_grading(g.clone());
        gradings.push(g);
    }
    // Point of no failure.
    for (g, r) in gradings.into_iter().zip(resolved) {
        let restock = g.grade == Grade::A;
        // Checked above: every graded line has its returns bucket.
        let Some((from, lot)) = r.src else { continue };
        emit(st, out, Ev::ReturnGraded { rma: rma.into(), grading: g })?;
        st.post(r.item, lot, r.qty, from, r.to, MoveReason::Grading, None, None, Some(rma), at, out)?;
        if restock {
            st.serve_demand(r.item, out)?;
        }
    }
    Ok(())
}
