//! Cycle counts. `issue_count` snapshots the expected on-hand per (item,
//! location, lot) in its scope and the last move id; `enter_count` compares
//! each counted quantity with the book quantity — expected at issue plus the
//! net of the moves into and out of that bucket posted since — so stock that
//! moved after the issue is not mistaken for a variance. Within tolerance
//! the count approves itself and posts its adjustments against
//! `@adjustment` (reason `count`, reference = task); beyond it the task waits
//! for `approve_count` / `reject_count` (a rejected task takes a recount).
//! Approval clears the core's count flags of the counted pairs.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::LocationKind;
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::ids::{Code, ItemId, LocId, LotId};
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

use super::putaway::existing_lot;
use super::{emit, unknown_doc, Ev};

/// Where a count task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountState {
    /// Waiting for its count.
    Issued,
    /// Counted (passes on at once to approved or pending approval).
    Counted,
    /// A variance beyond tolerance waits for a person.
    PendingApproval,
    /// Adjustments posted.
    Approved,
    /// Rejected: a recount may be entered.
    Rejected,
    /// Cancelled.
    Cancelled,
}

impl CountState {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            CountState::Issued => "issued",
            CountState::Counted => "counted",
            CountState::PendingApproval => "pending_approval",
            CountState::Approved => "approved",
            CountState::Rejected => "rejected",
            CountState::Cancelled => "cancelled",
        }
    }
}

/// One bucket of the snapshot taken at issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLine {
    /// Item.
    pub item: Code,
    /// Location.
    pub location: Code,
    /// Lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// On hand at issue, minor units.
    pub expected: Minor,
}

/// One entered line with what it was compared against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedLine {
    /// Item.
    pub item: Code,
    /// Location.
    pub location: Code,
    /// Lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Code>,
    /// Counted, minor units.
    pub counted: Minor,
    /// Book quantity: expected at issue plus the net moves since.
    pub book: Minor,
    /// counted − book.
    pub variance: Minor,
}

/// A cycle count task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountTask {
    /// State.
    pub state: CountState,
    /// Location subtree counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Code>,
    /// Item counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Code>,
    /// Expected quantities are hidden until the count is entered.
    pub blind: bool,
    /// Tolerance in percent of the book quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_pct: Option<Decimal>,
    /// Tolerance in base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_units: Option<Decimal>,
    /// When it was issued.
    pub issued_at: Millis,
    /// The last move id at issue: later moves adjust the book quantity.
    pub issue_move: u64,
    /// The snapshot at issue, sorted by (item, location, lot).
    pub expected: Vec<CountLine>,
    /// The entered count (the last one, after a recount).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counted: Vec<CountedLine>,
}

/// `issue_count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueCount {
    /// Task code.
    pub task: String,
    /// Count this location's subtree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Count this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Hide expected quantities until entered.
    #[serde(default)]
    pub blind: bool,
    /// Tolerance in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_pct: Option<Decimal>,
    /// Tolerance in base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_units: Option<Decimal>,
}

/// One counted line as entered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterLine {
    /// Item.
    pub item: String,
    /// Location.
    pub location: String,
    /// Lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Counted, base unit (zero or more).
    pub counted: Decimal,
}

/// `enter_count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterCount {
    /// Task code.
    pub task: String,
    /// Counted lines.
    pub lines: Vec<EnterLine>,
}

/// A command naming a task only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRef {
    /// Task code.
    pub task: String,
}

fn find_task<'a>(st: &'a State, task: &str) -> Result<&'a CountTask, Error> {
    State::check_code("task", task)?;
    st.ops.warehouse.counts.get(task).ok_or_else(|| Error::UnknownCountTask { task: task.into() })
}

pub(crate) fn issue(st: &mut State, c: &IssueCount, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("task", &c.task)?;
    match (c.tolerance_pct, c.tolerance_units) {
        (Some(_), Some(_)) => return Err(Error::InvalidTolerance { reason: "both tolerance_pct and tolerance_units" }),
        (Some(t), _) | (_, Some(t)) if t.is_sign_negative() => {
            return Err(Error::InvalidTolerance { reason: "negative" })
        }
        _ => {}
    }
    if c.location.is_none() && c.item.is_none() {
        return Err(Error::InvalidCommand { reason: "issue_count needs a location or an item".into() });
    }
    let loc = c.location.as_deref().map(|l| st.find_loc(l)).transpose()?;
    let item = c.item.as_deref().map(|i| st.find_item(i)).transpose()?;
    if st.ops.warehouse.counts.contains(&c.task) {
        return Err(Error::CountTaskExists { task: c.task.clone() });
    }
    if let Some(l) = loc {
        st.find_internal(&st.cat.loc(l).code)?;
    }
    let in_scope = |st: &State, l: LocId| st.cat.loc(l).is_internal() && loc.is_none_or(|r| st.cat.in_subtree(l, r));
    let mut expected = Vec::new();
    let items: Vec<ItemId> = match item {
        Some(i) => vec![i],
        None => (0..st.stock.len() as u32).map(ItemId).collect(),
    };
    for i in items {
        for b in &st.stock[i.ix()].buckets {
            if b.on_hand != 0 && in_scope(st, b.loc) {
                expected.push(CountLine {
                    item: st.cat.item(i).code.clone(),
                    location: st.cat.loc(b.loc).code.clone(),
                    lot: st.cat.lot_code(b.lot),
                    expected: b.on_hand,
                });
            }
        }
    }
    expected.sort_by(|a, b| (&a.item, &a.location, &a.lot).cmp(&(&b.item, &b.location, &b.lot)));
    let doc = CountTask {
        state: CountState::Issued,
        location: loc.map(|l| st.cat.loc(l).code.clone()),
        item: item.map(|i| st.cat.item(i).code.clone()),
        blind: c.blind,
        tolerance_pct: c.tolerance_pct.map(|d| d.normalize()),
        tolerance_units: c.tolerance_units.map(|d| d.normalize()),
        issued_at: at,
        issue_move: st.moves.len() as u64,
        expected,
        counted: Vec::new(),
    };
    emit(st, out, Ev::CountIssued { task: c.task.as_str().into(), doc })
}

/// A resolved entered line.
struct Line {
    item: ItemId,
    loc: LocId,
    lot: LotId,
    counted: Minor,
    book: Minor,
}

pub(crate) fn enter(st: &mut State, c: &EnterCount, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("task", &c.task)?;
    if c.lines.is_empty() {
        return Err(Error::EmptyLines { field: "lines" });
    }
    if c.lines.len() > 10_000 {
        return Err(Error::LimitExceeded { what: "count lines", max: 10_000 });
    }
    for l in &c.lines {
        if l.counted.is_sign_negative() && !l.counted.is_zero() {
            return Err(Error::InvalidQuantity { field: "counted", qty: l.counted });
        }
    }
    for (i, a) in c.lines.iter().enumerate() {
        if c.lines[..i].iter().any(|b| (&b.item, &b.location, &b.lot) == (&a.item, &a.location, &a.lot)) {
            return Err(Error::DuplicateCountLine {
                item: a.item.clone(),
                location: a.location.clone(),
                lot: a.lot.clone(),
            });
        }
    }
    let task = find_task(st, &c.task)?;
    let mut lines = Vec::with_capacity(c.lines.len());
    for l in &c.lines {
        let item = st.find_item(&l.item)?;
        let loc = st.find_loc(&l.location)?;
        let lot = existing_lot(st, item, l.lot.as_deref())?;
        let q = crate::command::QtyIn::base(l.counted);
        let counted = if l.counted.is_zero() { 0 } else { st.to_minor(item, &q)? };
        lines.push(Line { item, loc, lot, counted, book: 0 });
    }
    match task.state {
        CountState::Issued | CountState::Rejected => {}
        CountState::Counted | CountState::PendingApproval => {
            return Err(Error::CountAlreadyEntered { task: c.task.clone(), state: task.state.name() })
        }
        CountState::Approved => return Err(Error::CountAlreadyApproved { task: c.task.clone() }),
        CountState::Cancelled => return Err(Error::CountCancelled { task: c.task.clone() }),
    }
    let root = task.location.as_deref().and_then(|l| st.cat.loc_id(l));
    for (l, raw) in lines.iter().zip(&c.lines) {
        let inside = st.cat.loc(l.loc).is_internal()
            && root.is_none_or(|r| st.cat.in_subtree(l.loc, r))
            && task.item.as_deref().is_none_or(|i| *i == *st.cat.item(l.item).code);
        if !inside {
            return Err(Error::CountLineOutOfScope {
                task: c.task.clone(),
                item: raw.item.clone(),
                location: raw.location.clone(),
            });
        }
    }
    // Book = expected at issue + the net of the moves since.
    for l in &mut lines {
        let (item, loc, lot) = (&st.cat.item(l.item).code, &st.cat.loc(l.loc).code, st.cat.lot_code(l.lot));
        l.book = task
            .expected
            .iter()
            .find(|e| e.item == *item && e.location == *loc && e.lot == lot)
            .map_or(0, |e| e.expected);
    }
    for ix in task.issue_move as usize..st.moves.len() {
        let m = &st.moves[ix];
        for l in lines.iter_mut().filter(|l| l.item == m.item && l.lot == m.lot) {
            if m.to == l.loc {
                l.book = l.book.saturating_add(m.qty);
            }
            if m.from == l.loc {
                l.book = l.book.saturating_sub(m.qty);
            }
        }
    }
    let (pct, units) = (task.tolerance_pct, task.tolerance_units);
    let mut within = true;
    let mut counted = Vec::with_capacity(lines.len());
    for l in &lines {
        let variance = l.counted.checked_sub(l.book).ok_or(Error::QuantityOverflow)?;
        let dv = st.dec(l.item, variance.unsigned_abs() as i128);
        let tol = match (pct, units) {
            (Some(p), _) => st.dec(l.item, l.book.unsigned_abs() as i128) * p / Decimal::ONE_HUNDRED,
            (_, Some(u)) => u,
            _ => Decimal::ZERO,
        };
        within &= dv <= tol;
        counted.push(CountedLine {
            item: st.cat.item(l.item).code.clone(),
            location: st.cat.loc(l.loc).code.clone(),
            lot: st.cat.lot_code(l.lot),
            counted: l.counted,
            book: l.book,
            variance,
        });
    }
    let code: Code = st.ops.warehouse.counts.code(&c.task).unwrap_or_else(|| c.task.as_str().into());
    if within {
        check_adjustments(st, &counted)?;
    }
    // Point of no failure.
    emit(st, out, Ev::CountEntered { task: code.clone(), lines: counted })?;
    if within {
        post_adjustments(st, &code, at, out)?;
        emit(st, out, Ev::CountApproved { task: code, auto: true })
    } else {
        emit(st, out, Ev::CountPendingApproval { task: code })
    }
}

/// The adjustment postings of a count's lines stay within 64 bits.
fn check_adjustments(st: &State, lines: &[CountedLine]) -> Result<(), Error> {
    let adj = st.builtin("@adjustment");
    for l in lines.iter().filter(|l| l.variance != 0) {
        let (item, loc, lot) = resolve(st, l)?;
        if l.variance > 0 {
            st.check_posting(item, lot, l.variance, adj, loc)?;
        } else {
            st.check_posting(item, lot, -l.variance, loc, adj)?;
        }
    }
    Ok(())
}

fn resolve(st: &State, l: &CountedLine) -> Result<(ItemId, LocId, LotId), Error> {
    let item = st.item_of(&l.item)?;
    Ok((item, st.loc_of(&l.location)?, st.lot_of(item, l.lot.as_deref())?))
}

/// Posts a task's variances against `@adjustment` through the core's
/// paths: a gain serves open demand, a loss re-allocates or shorts the
/// reservations the bucket can no longer carry.
fn post_adjustments(st: &mut State, task: &Code, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    let lines = st.ops.warehouse.counts.get(task).map(|t| t.counted.clone()).unwrap_or_default();
    let adj = st.builtin("@adjustment");
    for l in lines.iter().filter(|l| l.variance != 0) {
        let (item, loc, lot) = resolve(st, l)?;
        if l.variance > 0 {
            st.post(item, lot, l.variance, adj, loc, MoveReason::Count, None, None, Some(task), at, out)?;
            st.serve_demand(item, out)?;
        } else {
            st.post(item, lot, -l.variance, loc, adj, MoveReason::Count, None, None, Some(task), at, out)?;
            st.after_loss(item, loc, lot, out)?;
        }
    }
    Ok(())
}

pub(crate) fn approve(st: &mut State, task: &str, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    let t = find_task(st, task)?;
    pending(t, task)?;
    check_adjustments(st, &t.counted)?;
    let code: Code = st.ops.warehouse.counts.code(task).unwrap_or_else(|| task.into());
    post_adjustments(st, &code, at, out)?;
    emit(st, out, Ev::CountApproved { task: code, auto: false })
}

fn pending(t: &CountTask, task: &str) -> Result<(), Error> {
    match t.state {
        CountState::PendingApproval => Ok(()),
        CountState::Approved => Err(Error::CountAlreadyApproved { task: task.into() }),
        CountState::Cancelled => Err(Error::CountCancelled { task: task.into() }),
        s => Err(Error::CountNotPendingApproval { task: task.into(), state: s.name() }),
    }
}

pub(crate) fn reject(st: &mut State, task: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    pending(find_task(st, task)?, task)?;
    let code: Code = st.ops.warehouse.counts.code(task).unwrap_or_else(|| task.into());
    emit(st, out, Ev::CountRejected { task: code })
}

pub(crate) fn cancel(st: &mut State, task: &str, out: &mut Vec<Event>) -> Result<(), Error> {
    match find_task(st, task)?.state {
        CountState::Approved => return Err(Error::CountAlreadyApproved { task: task.into() }),
        CountState::Cancelled => return Err(Error::CountCancelled { task: task.into() }),
        _ => {}
    }
    let code: Code = st.ops.warehouse.counts.code(task).unwrap_or_else(|| task.into());
    emit(st, out, Ev::CountCancelled { task: code })
}

fn set_state(st: &mut State, task: &Code, s: CountState) -> Result<(), Error> {
    st.edit_doc(|o| &mut o.warehouse.counts, task, |t| t.state = s).ok_or_else(|| unknown_doc("count task", task))
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::CountIssued { task, doc } => st.put_doc(|o| &mut o.warehouse.counts, task.clone(), doc.clone()),
        Ev::CountEntered { task, lines } => {
            let lines = lines.clone();
            st.edit_doc(
                |o| &mut o.warehouse.counts,
                task,
                |t| {
                    t.state = CountState::Counted;
                    t.counted = lines;
                },
            )
            .ok_or_else(|| unknown_doc("count task", task))?;
        }
        Ev::CountPendingApproval { task } => set_state(st, task, CountState::PendingApproval)?,
        Ev::CountApproved { task, .. } => {
            set_state(st, task, CountState::Approved)?;
            let pairs: Vec<(Code, Code)> = st
                .ops
                .warehouse
                .counts
                .get(task)
                .map(|t| t.counted.iter().map(|l| (l.item.clone(), l.location.clone())).collect())
                .unwrap_or_default();
            for p in &pairs {
                st.flag_remove(p);
            }
        }
        Ev::CountRejected { task } => set_state(st, task, CountState::Rejected)?,
        Ev::CountCancelled { task } => set_state(st, task, CountState::Cancelled)?,
        _ => {}
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, t) in st.ops.warehouse.counts.iter() {
        if t.issue_move > st.moves.len() as u64 {
            errs.push(format!("count task {code} was issued after move {}, beyond the log", t.issue_move));
        }
        for l in &t.counted {
            if l.counted.checked_sub(l.book) != Some(l.variance) {
                errs.push(format!("count task {code}: variance of {} at {} is not counted − book", l.item, l.location));
            }
        }
        // An approved count posted exactly its non-zero variances.
        if t.state == CountState::Approved {
            let posted = (t.issue_move as usize..st.moves.len())
                .filter(|ix| {
                    let m = &st.moves[*ix];
                    m.reason == MoveReason::Count && st.moves.notes(*ix).reference.as_deref() == Some(&**code)
                })
                .count();
            let want = t.counted.iter().filter(|l| l.variance != 0).count();
            if posted != want {
                errs.push(format!("count task {code}: {posted} count moves, {want} variances"));
            }
        }
        if t.location
            .as_deref()
            .and_then(|l| st.cat.loc_id(l))
            .is_some_and(|l| st.cat.loc(l).kind == LocationKind::Supplier || !st.cat.loc(l).is_internal())
        {
            errs.push(format!("count task {code} counts a virtual location"));
        }
    }
}
