//! Transfers between sites through a transit location. Shipping moves the
//! stock from the source into transit (reason `transit`) and registers one
//! scheduled receipt per line at the destination (`<transfer>/<line>`, on
//! the expected arrival date), so the destination's ATP shows it incoming;
//! receiving moves it from transit to the destination and lowers the
//! scheduled receipt. Transit locations are never sellable, and must lie
//! outside both sites so the stock is not counted twice.

use serde::{Deserialize, Serialize};

use crate::catalog::LocationKind;
use crate::command::QtyIn;
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::qty::Minor;
use crate::state::State;
use crate::time::{Date, Millis};

use super::putaway::{check_free, existing_lot};
use super::{emit, unknown_doc, Ev};

/// Where a transfer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    /// Created, not shipped.
    Draft,
    /// In transit.
    Shipped,
    /// Some of it arrived.
    PartiallyReceived,
    /// All of it arrived.
    Received,
    /// Cancelled before shipping.
    Cancelled,
}

impl TransferState {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            TransferState::Draft => "draft",
            TransferState::Shipped => "shipped",
            TransferState::PartiallyReceived => "partially_received",
            TransferState::Received => "received",
            TransferState::Cancelled => "cancelled",
        }
    }
}

/// A transfer line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferLine {
    /// Line number, from 1.
    pub line: u32,
    /// Item.
    pub item: Code,
    /// Lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Quantity, minor units.
    pub qty: Minor,
    /// Received so far, minor units.
    pub received: Minor,
}

/// What arrived on one line (event `transfer_received`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrived {
    /// Line number.
    pub line: u32,
    /// Quantity, minor units.
    pub qty: Minor,
}

/// A transfer between sites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// State.
    pub state: TransferState,
    /// Source (internal).
    pub from: Code,
    /// Destination (internal, another site).
    pub to: Code,
    /// Transit location.
    pub transit: Code,
    /// Expected arrival at the destination.
    pub expected_arrival: Date,
    /// Lines.
    pub lines: Vec<TransferLine>,
}

/// One line of `create_transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineIn {
    /// Item.
    pub item: String,
    /// Lot (required for lot-tracked items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Quantity.
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// `create_transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateTransfer {
    /// Transfer code.
    pub transfer: String,
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// Transit location.
    pub transit: String,
    /// Lines.
    pub lines: Vec<LineIn>,
    /// Expected arrival date.
    pub expected_arrival: Date,
}

/// A command naming a transfer only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransferRef {
    /// Transfer code.
    pub transfer: String,
}

/// One line of `receive_transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiveLine {
    /// Line number.
    pub line: u32,
    /// Quantity arrived.
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// `receive_transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiveTransfer {
    /// Transfer code.
    pub transfer: String,
    /// Lines arrived; everything still in transit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<ReceiveLine>>,
}

/// The site a location belongs to (its nearest site ancestor, or its root).
fn site_of(st: &State, mut l: LocId) -> LocId {
    loop {
        let loc = st.cat.loc(l);
        match loc.parent {
            _ if loc.kind == LocationKind::Site => return l,
            Some(p) => l = p,
            None => return l,
        }
    }
}

/// The scheduled receipt id of a line.
pub fn receipt_id(transfer: &str, line: u32) -> String {
    format!("{transfer}/{line}")
}

pub(crate) fn create(st: &mut State, c: &CreateTransfer, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("transfer", &c.transfer)?;
    if c.lines.is_empty() {
        return Err(Error::EmptyLines { field: "lines" });
    }
    if c.lines.len() > 10_000 {
        return Err(Error::LimitExceeded { what: "transfer lines", max: 10_000 });
    }
    for l in &c.lines {
        State::check_sign("qty", l.qty.qty, crate::exec::Sign::Positive)?;
    }
    let from = st.find_loc(&c.from)?;
    let to = st.find_loc(&c.to)?;
    let transit = st.find_loc(&c.transit)?;
    let mut lines = Vec::with_capacity(c.lines.len());
    for (i, l) in c.lines.iter().enumerate() {
        let item = st.find_item(&l.item)?;
        let qty = st.to_minor(item, &l.qty)?;
        let lot = existing_lot(st, item, l.lot.as_deref())?;
        lines.push(TransferLine {
            line: i as u32 + 1,
            item: st.cat.item(item).code.clone(),
            lot: st.cat.lot_code(lot),
            qty,
            received: 0,
        });
    }
    if st.ops.warehouse.transfers.contains(&c.transfer) {
        return Err(Error::TransferExists { transfer: c.transfer.clone() });
    }
    st.find_internal(&c.from)?;
    st.find_internal(&c.to)?;
    let t = st.cat.loc(transit);
    if t.kind != LocationKind::Transit {
        return Err(Error::WrongLocationKind { location: c.transit.clone(), kind: t.kind.name() });
    }
    if t.sellable {
        return Err(Error::TransitSellable { transit: c.transit.clone() });
    }
    for l in &lines {
        st.check_active_item(st.item_of(&l.item)?)?;
    }
    let (sf, sd) = (site_of(st, from), site_of(st, to));
    if sf == sd {
        return Err(Error::TransferSameSite {
            from: c.from.clone(),
            to: c.to.clone(),
            site: st.cat.loc(sf).code.to_string(),
        });
    }
    for s in [sf, sd] {
        if st.cat.in_subtree(transit, s) {
            return Err(Error::TransitInsideSite { transit: c.transit.clone(), site: st.cat.loc(s).code.to_string() });
        }
    }
    let doc = Transfer {
        state: TransferState::Draft,
        from: st.cat.loc(from).code.clone(),
        to: st.cat.loc(to).code.clone(),
        transit: st.cat.loc(transit).code.clone(),
        expected_arrival: c.expected_arrival,
        lines,
    };
    emit(st, out, Ev::TransferCreated { transfer: c.transfer.as_str().into(), doc })
}

fn find<'a>(st: &'a State, transfer: &str) -> Result<&'a Transfer, Error> {
    State::check_code("transfer", transfer)?;
    st.ops.warehouse.transfers.get(transfer).ok_or_else(|| Error::UnknownTransfer { transfer: transfer.into() })
}

/// A line's ids.
fn ids(st: &State, l: &TransferLine) -> Result<(ItemId, LotId), Error> {
    let item = st.item_of(&l.item)?;
    Ok((item, st.lot_of(item, l.lot.as_deref())?))
}

fn not_draft(t: &Transfer, transfer: &str) -> Result<(), Error> {
    match t.state {
        TransferState::Draft => Ok(()),
        TransferState::Cancelled => Err(Error::TransferCancelled { transfer: transfer.into() }),
        s => Err(Error::TransferAlreadyShipped { transfer: transfer.into(), state: s.name() }),
    }
}

pub(crate) fn ship(st: &mut State, transfer: &str, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    let t = find(st, transfer)?.clone();
    not_draft(&t, transfer)?;
    let (from, to, transit) = (st.loc_of(&t.from)?, st.loc_of(&t.to)?, st.loc_of(&t.transit)?);
    // Lines of one bucket draw on its free stock together.
    for (i, l) in t.lines.iter().enumerate() {
        let (item, lot) = ids(st, l)?;
        let same: Minor = t.lines[..=i].iter().filter(|o| o.item == l.item && o.lot == l.lot).map(|o| o.qty).sum();
        check_free(st, item, from, lot, same)?;
        st.check_posting(item, lot, l.qty, from, transit)?;
        let r = receipt_id(transfer, l.line);
        if st.receipt_index(&r).is_some() {
            return Err(Error::ReceiptIdConflict { receipt: r });
        }
    }
    // Point of no failure.
    let code: Code = st.ops.warehouse.transfers.code(transfer).unwrap_or_else(|| transfer.into());
    for l in &t.lines {
        let (item, lot) = ids(st, l)?;
        st.post(item, lot, l.qty, from, transit, MoveReason::Transit, None, None, Some(&code), at, out)?;
        let ev = Event::ReceiptExpected {
            receipt: receipt_id(transfer, l.line).into(),
            item: l.item.clone(),
            location: st.cat.loc(to).code.clone(),
            qty: l.qty,
            expected: t.expected_arrival,
        };
        st.emit(out, ev)?;
    }
    emit(st, out, Ev::TransferShipped { transfer: code })
}

pub(crate) fn receive(st: &mut State, c: &ReceiveTransfer, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("transfer", &c.transfer)?;
    if let Some(v) = &c.lines {
        if v.is_empty() {
            return Err(Error::EmptyLines { field: "lines" });
        }
        for l in v {
            State::check_sign("qty", l.qty.qty, crate::exec::Sign::Positive)?;
        }
    }
    let t = find(st, &c.transfer)?.clone();
    // (line index, quantity) to receive now.
    let mut now: Vec<(usize, Minor)> = Vec::new();
    match &c.lines {
        Some(v) => {
            for r in v {
                let ix = t
                    .lines
                    .iter()
                    .position(|l| l.line == r.line)
                    .ok_or_else(|| Error::UnknownTransferLine { transfer: c.transfer.clone(), line: r.line })?;
                let item = st.item_of(&t.lines[ix].item)?;
                now.push((ix, st.to_minor(item, &r.qty)?));
            }
        }
        None => now.extend(t.lines.iter().enumerate().map(|(i, l)| (i, l.qty - l.received)).filter(|x| x.1 > 0)),
    }
    match t.state {
        TransferState::Shipped | TransferState::PartiallyReceived => {}
        TransferState::Draft => return Err(Error::TransferNotShipped { transfer: c.transfer.clone() }),
        TransferState::Received => return Err(Error::TransferAlreadyReceived { transfer: c.transfer.clone() }),
        TransferState::Cancelled => return Err(Error::TransferCancelled { transfer: c.transfer.clone() }),
    }
    for (n, &(ix, q)) in now.iter().enumerate() {
        let l = &t.lines[ix];
        let before: Minor = now[..n].iter().filter(|x| x.0 == ix).map(|x| x.1).sum();
        let open = l.qty - l.received - before;
        if q > open {
            let item = st.item_of(&l.item)?;
            return Err(Error::TransferOverReceipt {
                transfer: c.transfer.clone(),
                line: l.line,
                requested: st.dec(item, q as i128),
                open: st.dec(item, open.max(0) as i128),
            });
        }
    }
    let (transit, to) = (st.loc_of(&t.transit)?, st.loc_of(&t.to)?);
    for &(ix, q) in &now {
        let (item, lot) = ids(st, &t.lines[ix])?;
        st.check_posting(item, lot, q, transit, to)?;
    }
    // Point of no failure.
    let code: Code = st.ops.warehouse.transfers.code(&c.transfer).unwrap_or_else(|| c.transfer.as_str().into());
    let mut got: Vec<Arrived> = Vec::with_capacity(now.len());
    for &(ix, q) in &now {
        let l = &t.lines[ix];
        let (item, lot) = ids(st, l)?;
        st.post(item, lot, q, transit, to, MoveReason::Transit, None, None, Some(&code), at, out)?;
        let r = receipt_id(&c.transfer, l.line);
        if let Some(rix) = st.receipt_index(&r) {
            let rec = &st.receipts[rix as usize];
            let open = (rec.open - q).max(0);
            if open != rec.open {
                let receipt = rec.code.clone();
                st.emit(out, Event::ReceiptOpenChanged { receipt, open })?;
            }
        }
        got.push(Arrived { line: l.line, qty: q });
    }
    let mut items: Vec<ItemId> = Vec::new();
    for &(ix, _) in &now {
        let item = st.item_of(&t.lines[ix].item)?;
        if !items.contains(&item) {
            items.push(item);
        }
    }
    emit(st, out, Ev::TransferReceived { transfer: code, lines: got })?;
    for item in items {
        st.serve_demand(item, out)?;
    }
    Ok(())
}

pub(crate) fn cancel(st: &mut State, transfer: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    not_draft(find(st, transfer)?, transfer)?;
    let code: Code = st.ops.warehouse.transfers.code(transfer).unwrap_or_else(|| transfer.into());
    emit(st, out, Ev::TransferCancelled { transfer: code })
}

fn set_state(st: &mut State, transfer: &Code, s: TransferState) -> Result<(), Error> {
    st.edit_doc(|o| &mut o.warehouse.transfers, transfer, |t| t.state = s)
        .ok_or_else(|| unknown_doc("transfer", transfer))
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::TransferCreated { transfer, doc } => {
            st.put_doc(|o| &mut o.warehouse.transfers, transfer.clone(), doc.clone())
        }
        Ev::TransferShipped { transfer } => set_state(st, transfer, TransferState::Shipped)?,
        Ev::TransferReceived { transfer, lines } => {
            let lines = lines.clone();
            st.edit_doc(
                |o| &mut o.warehouse.transfers,
                transfer,
                |t| {
                    for a in lines {
                        if let Some(l) = t.lines.iter_mut().find(|l| l.line == a.line) {
                            l.received = l.received.saturating_add(a.qty);
                        }
                    }
                    let done = t.lines.iter().all(|l| l.received >= l.qty);
                    t.state = if done { TransferState::Received } else { TransferState::PartiallyReceived };
                },
            )
            .ok_or_else(|| unknown_doc("transfer", transfer))?;
        }
        Ev::TransferCancelled { transfer } => set_state(st, transfer, TransferState::Cancelled)?,
        _ => {}
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, t) in st.ops.warehouse.transfers.iter() {
        let shipped = !matches!(t.state, TransferState::Draft | TransferState::Cancelled);
        for l in &t.lines {
            if l.received < 0 || l.received > l.qty {
                errs.push(format!("transfer {code} line {}: received {} of {}", l.line, l.received, l.qty));
            }
            if !shipped {
                if l.received != 0 {
                    errs.push(format!("transfer {code} line {} received before shipping", l.line));
                }
                continue;
            }
            match st.receipt_index(&receipt_id(code, l.line)) {
                // A host may close the receipt early (cancel_receipt); it never
                // stays above what is still in transit.
                Some(ix) if st.receipts[ix as usize].open <= l.qty - l.received => {}
                Some(ix) => errs.push(format!(
                    "transfer {code} line {}: scheduled receipt open {}, in transit {}",
                    l.line,
                    st.receipts[ix as usize].open,
                    l.qty - l.received
                )),
                None => errs.push(format!("transfer {code} line {}: no scheduled receipt", l.line)),
            }
        }
        let all = t.lines.iter().all(|l| l.received == l.qty);
        let some = t.lines.iter().any(|l| l.received > 0);
        let want = match t.state {
            TransferState::Received => all,
            TransferState::PartiallyReceived => some && !all,
            TransferState::Shipped => !some,
            _ => true,
        };
        if !want {
            errs.push(format!("transfer {code} is {} but its lines say otherwise", t.state.name()));
        }
    }
}
