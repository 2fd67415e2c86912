//! Events: what happened, keyed by codes. Applying an event never fails for
//! domain reasons; a journal of envelopes rebuilds the state exactly.
//! Quantities in events are integers of the item's smallest unit.

use serde::{Deserialize, Serialize};

use crate::catalog::LotStatus;
use crate::command::{Fill, ItemSpec, LocationSpec, Scope, Strategy};
use crate::ids::Code;
use crate::qty::Minor;
use crate::time::{Date, Millis};

/// Why a move was posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// Goods receipt.
    Receipt,
    /// Till sale.
    Sale,
    /// Correction.
    Adjustment,
    /// Internal move.
    Transfer,
    /// Destroyed.
    Scrap,
    /// Reservation committed.
    Commit,
    /// Mirror of an earlier move.
    Reversal,
    /// Received stock put away into storage.
    Putaway,
    /// Inspection result: to staging, quarantine or back to the supplier.
    Inspection,
    /// Returned to the supplier (a return-to-vendor document).
    ReturnToVendor,
    /// A customer's return received.
    CustomerReturn,
    /// A graded return: restocked, quarantined or scrapped.
    Grading,
    /// A cycle count's variance.
    Count,
    /// Into or out of a transit location between sites.
    Transit,
    /// Picked from a bin to staging or packing.
    Pick,
    /// Kit components consumed or produced.
    Kitting,
}

/// Why an allocation changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocReason {
    /// At reservation time.
    Reserve,
    /// Consumed by a commit.
    Commit,
    /// Given back (release, amend down, commit remainder).
    Release,
    /// The reservation expired.
    Expire,
    /// Re-allocated after a loss, a hold or a lot expiry.
    Reallocate,
    /// Open demand met by new supply.
    Supply,
    /// Swapped for a picker's substitute bucket.
    Substitute,
}

/// How a reservation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    /// Committed (in full, or with the remainder released).
    Committed,
    /// Released by the client.
    Released,
    /// Expired.
    Expired,
}

/// Every event of the engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// An item was created or changed.
    ItemDefined(ItemSpec),
    /// A location was created or changed.
    LocationDefined(LocationSpec),
    /// A lot became known.
    LotCreated {
        /// Item.
        item: Code,
        /// Lot.
        lot: Code,
        /// Expiry date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expiry: Option<Date>,
        /// Date first received.
        received: Date,
    },
    /// A lot's status changed.
    LotStatusChanged {
        /// Item.
        item: Code,
        /// Lot.
        lot: Code,
        /// New status.
        status: LotStatus,
    },
    /// Stock moved. Double entry: `from` loses what `to` gains.
    MovePosted {
        /// Sequential move id, from 1.
        move_id: u64,
        /// Item.
        item: Code,
        /// Lot, if the item is tracked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// Quantity, minor units, positive.
        qty: Minor,
        /// Source.
        from: Code,
        /// Destination.
        to: Code,
        /// Why.
        reason: MoveReason,
        /// The reservation whose allocation moves with the stock.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reservation: Option<Code>,
        /// The move this one mirrors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reverses: Option<u64>,
        /// Host reference.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<Code>,
        /// When it happened (may be before the envelope's processing time).
        occurred_at: Millis,
    },
    /// A fact drove a bucket below zero; a count is due.
    NegativeStock {
        /// Item.
        item: Code,
        /// Location.
        location: Code,
        /// Lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// The bucket's new on-hand.
        on_hand: Minor,
    },
    /// A reservation or promise was accepted.
    ReservationCreated {
        /// Client id.
        reservation: Code,
        /// Item.
        item: Code,
        /// Requested quantity.
        qty: Minor,
        /// Scope.
        scope: Scope,
        /// Channel.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Code>,
        /// Expiry instant.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<Millis>,
        /// Strategy.
        strategy: Strategy,
        /// Extra shelf life required.
        min_shelf_life_days: u32,
        /// Fill mode.
        fill: Fill,
        /// Need date of open demand.
        need_date: Date,
        /// Demand priority.
        priority: i32,
        /// Unallocated remainder, as dated demand.
        open_demand: Minor,
    },
    /// Quantity allocated to a bucket.
    Allocated {
        /// Reservation.
        reservation: Code,
        /// Location.
        location: Code,
        /// Lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// Quantity.
        qty: Minor,
        /// Why.
        reason: AllocReason,
    },
    /// Quantity taken off a bucket's allocation.
    Deallocated {
        /// Reservation.
        reservation: Code,
        /// Location.
        location: Code,
        /// Lot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lot: Option<Code>,
        /// Quantity.
        qty: Minor,
        /// Why.
        reason: AllocReason,
    },
    /// A reservation's open demand changed (met by supply, amended, shorted).
    DemandChanged {
        /// Reservation.
        reservation: Code,
        /// New open demand.
        open_demand: Minor,
    },
    /// A loss could not be re-allocated: the reservation is short.
    ReservationShorted {
        /// Reservation.
        reservation: Code,
        /// How much it lost.
        shortfall: Minor,
    },
    /// A reservation's requested quantity changed.
    ReservationAmended {
        /// Reservation.
        reservation: Code,
        /// New requested total.
        qty: Minor,
    },
    /// Committed quantity (the moves follow as `MovePosted`).
    ReservationCommitted {
        /// Reservation.
        reservation: Code,
        /// Quantity committed by this command.
        qty: Minor,
    },
    /// New expiry.
    ReservationExtended {
        /// Reservation.
        reservation: Code,
        /// New expiry instant.
        expires_at: Millis,
    },
    /// The reservation is finished; what it still held was given back.
    ReservationFinished {
        /// Reservation.
        reservation: Code,
        /// How.
        finish: Finish,
    },
    /// A scheduled receipt was registered.
    ReceiptExpected {
        /// Receipt id.
        receipt: Code,
        /// Item.
        item: Code,
        /// Destination.
        location: Code,
        /// Quantity.
        qty: Minor,
        /// Expected date.
        expected: Date,
    },
    /// What is still open on a scheduled receipt.
    ReceiptOpenChanged {
        /// Receipt id.
        receipt: Code,
        /// Open quantity (0 closes it).
        open: Minor,
    },
    /// An event of an operations flow.
    #[serde(skip)]
    Ops(crate::ops::OpsEvent),
}

// As for `CommandBody`: a `type` owned by an operations flow goes to it.
impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Event::Ops(o) => o.serialize(s),
            _ => Event::serialize(self, s),
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let v = serde_json::Value::deserialize(d)?;
        if crate::ops::owned_type(&v, crate::ops::OpsEvent::owns) {
            return serde_json::from_value(v).map(Event::Ops).map_err(D::Error::custom);
        }
        Event::deserialize(v).map_err(D::Error::custom)
    }
}
