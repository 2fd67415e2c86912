//! Operations flow `warehouse`: bins and putaway, cycle counts, and
//! transfers between sites (see the module docs of `ops` for the shape).
//!
//! * [`bins`] — bin profiles (capacity, mix rules), putaway rules and the
//!   deterministic putaway suggestion;
//! * [`putaway`] — the `putaway` command (moves, reason `putaway`);
//! * [`count`] — cycle count tasks: issue, blind entry, tolerance,
//!   approval, adjustments against `@adjustment` (reason `count`);
//! * [`transfer`] — transfers through a transit location, with scheduled
//!   receipts at the destination;
//! * [`views`] — the JSON queries and the typed `Engine` API.

pub mod bins;
pub mod count;
pub mod putaway;
pub mod transfer;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::state::State;
use crate::time::Millis;

pub use bins::{BinProfile, PutawayRule};
pub use count::{CountLine, CountState, CountTask, CountedLine};
pub use transfer::{Transfer, TransferLine, TransferState};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Bin profiles by location code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub bins: DocMap<BinProfile>,
    /// Putaway rules by rule code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub rules: DocMap<PutawayRule>,
    /// Cycle count tasks by task code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub counts: DocMap<CountTask>,
    /// Transfers by transfer code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub transfers: DocMap<Transfer>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.bins.is_empty() && self.rules.is_empty() && self.counts.is_empty() && self.transfers.is_empty()
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Define or replace a bin profile.
    DefineBin(bins::DefineBin),
    /// Define or replace a putaway rule.
    DefinePutawayRule(bins::DefinePutawayRule),
    /// Move stock into storage.
    Putaway(putaway::Putaway),
    /// Issue a cycle count task.
    IssueCount(count::IssueCount),
    /// Enter a task's counted quantities.
    EnterCount(count::EnterCount),
    /// Approve a count pending approval (posts its adjustments).
    ApproveCount(count::TaskRef),
    /// Reject a count pending approval (a recount may be entered).
    RejectCount(count::TaskRef),
    /// Cancel a count task that is not approved.
    CancelCount(count::TaskRef),
    /// Create a transfer (draft).
    CreateTransfer(transfer::CreateTransfer),
    /// Ship a draft transfer into transit.
    ShipTransfer(transfer::TransferRef),
    /// Receive a shipped transfer, whole or per line.
    ReceiveTransfer(transfer::ReceiveTransfer),
    /// Cancel a draft transfer.
    CancelTransfer(transfer::TransferRef),
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &[
    "define_bin",
    "define_putaway_rule",
    "putaway",
    "issue_count",
    "enter_count",
    "approve_count",
    "reject_count",
    "cancel_count",
    "create_transfer",
    "ship_transfer",
    "receive_transfer",
    "cancel_transfer",
];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A bin profile was set.
    BinDefined {
        /// The bin (a storage location).
        location: Code,
        /// Its profile.
        bin: BinProfile,
    },
    /// A putaway rule was set.
    PutawayRuleDefined {
        /// The rule code.
        rule: Code,
        /// The rule.
        doc: PutawayRule,
    },
    /// A count task was issued with its snapshot.
    CountIssued {
        /// The task.
        task: Code,
        /// The task as issued.
        doc: CountTask,
    },
    /// Counted quantities were entered (state `counted`).
    CountEntered {
        /// The task.
        task: Code,
        /// The lines with their book quantity and variance.
        lines: Vec<CountedLine>,
    },
    /// A variance beyond tolerance waits for approval.
    CountPendingApproval {
        /// The task.
        task: Code,
    },
    /// The count was approved; its adjustment moves precede this event.
    CountApproved {
        /// The task.
        task: Code,
        /// Approved by tolerance rather than by a person.
        auto: bool,
    },
    /// The count was rejected; a recount may be entered.
    CountRejected {
        /// The task.
        task: Code,
    },
    /// The count task was cancelled.
    CountCancelled {
        /// The task.
        task: Code,
    },
    /// A transfer was created (draft).
    TransferCreated {
        /// The transfer.
        transfer: Code,
        /// The transfer as created.
        doc: Transfer,
    },
    /// A transfer shipped: its moves into transit and its scheduled receipts
    /// precede this event.
    TransferShipped {
        /// The transfer.
        transfer: Code,
    },
    /// Quantities of a transfer arrived; the moves precede this event.
    TransferReceived {
        /// The transfer.
        transfer: Code,
        /// What arrived, per line.
        lines: Vec<transfer::Arrived>,
    },
    /// A draft transfer was cancelled.
    TransferCancelled {
        /// The transfer.
        transfer: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &[
    "bin_defined",
    "putaway_rule_defined",
    "count_issued",
    "count_entered",
    "count_pending_approval",
    "count_approved",
    "count_rejected",
    "count_cancelled",
    "transfer_created",
    "transfer_shipped",
    "transfer_received",
    "transfer_cancelled",
];

/// Emits one of this flow's events.
pub(crate) fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Warehouse(ev)))
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::DefineBin(c) => bins::define_bin(st, c, out),
        Cmd::DefinePutawayRule(c) => bins::define_rule(st, c, out),
        Cmd::Putaway(c) => putaway::run(st, c, at, out),
        Cmd::IssueCount(c) => count::issue(st, c, at, out),
        Cmd::EnterCount(c) => count::enter(st, c, at, out),
        Cmd::ApproveCount(c) => count::approve(st, &c.task, at, out),
        Cmd::RejectCount(c) => count::reject(st, &c.task, out),
        Cmd::CancelCount(c) => count::cancel(st, &c.task, out),
        Cmd::CreateTransfer(c) => transfer::create(st, c, out),
        Cmd::ShipTransfer(c) => transfer::ship(st, &c.transfer, at, out),
        Cmd::ReceiveTransfer(c) => transfer::receive(st, c, at, out),
        Cmd::CancelTransfer(c) => transfer::cancel(st, &c.transfer, out),
    }
}

/// An event naming a document this state does not have.
pub(crate) fn unknown_doc(what: &str, code: &str) -> Error {
    Error::InvalidCommand { reason: format!("event refers to unknown {what} {code:?}") }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::BinDefined { location, bin } => {
            st.loc_of(location)?;
            st.put_doc(|o| &mut o.warehouse.bins, location.clone(), bin.clone());
        }
        Ev::PutawayRuleDefined { rule, doc } => {
            st.put_doc(|o| &mut o.warehouse.rules, rule.clone(), doc.clone());
        }
        Ev::CountIssued { .. }
        | Ev::CountEntered { .. }
        | Ev::CountPendingApproval { .. }
        | Ev::CountApproved { .. }
        | Ev::CountRejected { .. }
        | Ev::CountCancelled { .. } => count::apply(st, ev)?,
        Ev::TransferCreated { .. }
        | Ev::TransferShipped { .. }
        | Ev::TransferReceived { .. }
        | Ev::TransferCancelled { .. } => transfer::apply(st, ev)?,
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    bins::verify(st, errs);
    count::verify(st, errs);
    transfer::verify(st, errs);
}

pub use views::{query, Qry, QUERY_KINDS};
