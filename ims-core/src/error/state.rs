//! State of the catalogue, the stock and reservations (300 catalog state, 400
//! stock, 500 reservations).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! state_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// The item is archived and takes no new stock or demand.
        #[error("item {item} is archived")]
        ItemArchived {
            /// The item.
            item: String,
        },
        /// An item's scale cannot change while it holds stock.
        #[error("item {item} holds stock; its scale cannot change")]
        ScaleChangeWithStock {
            /// The item.
            item: String,
        },
        /// A location's parent or kind cannot change once defined.
        #[error("location {location} already exists with another parent or kind")]
        LocationRedefined {
            /// The location.
            location: String,
        },
        /// The location is virtual where an internal one is needed, or the reverse.
        #[error("location {location} is {kind}, which cannot be used here")]
        WrongLocationKind {
            /// The location.
            location: String,
            /// Its kind.
            kind: &'static str,
        },
        /// A lot-tracked item needs a lot code here.
        #[error("item {item} is lot-tracked: a lot is required")]
        LotRequired {
            /// The item.
            item: String,
        },
        /// An item without lot tracking was given a lot.
        #[error("item {item} is not lot-tracked")]
        LotNotTracked {
            /// The item.
            item: String,
        },
        /// A receipt names an existing lot with another expiry date.
        #[error("lot {lot} of {item} already has another expiry date")]
        LotExpiryMismatch {
            /// The item.
            item: String,
            /// The lot.
            lot: String,
        },
        /// A serial-tracked item moves in ones.
        #[error("item {item} is serial-tracked: quantity must be 1")]
        SerialQuantity {
            /// The item.
            item: String,
        },
        /// The move was already reversed (or is itself a reversal).
        #[error("move {move_id} is already reversed")]
        MoveAlreadyReversed {
            /// The move.
            move_id: u64,
        },

        /// An item's tracking cannot change while it holds stock.
        #[error("item {item} holds stock; its tracking cannot change")]
        TrackingChangeWithStock {
            /// The item.
            item: String,
        },
        /// A scheduled receipt id is already in use.
        #[error("scheduled receipt id {receipt} is already used")]
        ReceiptIdConflict {
            /// The id.
            receipt: String,
        },
        /// A commit or amend would leave a reservation below what it committed.
        #[error("reservation {reservation} has committed {committed}; it cannot go below")]
        BelowCommitted {
            /// The id.
            reservation: String,
            /// Committed so far, base unit.
            committed: Decimal,
        },

        /// A request needs more free stock in a bucket than it holds.
        #[error("{item} at {location}: requested {requested}, free {available}")]
        InsufficientStock {
            /// The item.
            item: String,
            /// The location.
            location: String,
            /// The lot, if one was named.
            lot: Option<String>,
            /// Requested, base unit.
            requested: Decimal,
            /// Free in the bucket, base unit.
            available: Decimal,
        },
        /// A reservation needs more available stock in its scope than there is.
        #[error("{item}: requested {requested}, available {available}")]
        InsufficientAvailable {
            /// The item.
            item: String,
            /// Requested, base unit.
            requested: Decimal,
            /// Available in scope, base unit.
            available: Decimal,
        },

        /// The id belongs to a reservation for another item or with other terms.
        #[error("reservation id {reservation} is already used by another request")]
        ReservationIdConflict {
            /// The id.
            reservation: String,
        },
        /// The reservation was already committed in full.
        #[error("reservation {reservation} is already committed")]
        ReservationAlreadyCommitted {
            /// The id.
            reservation: String,
        },
        /// The reservation was already released.
        #[error("reservation {reservation} is already released")]
        ReservationAlreadyReleased {
            /// The id.
            reservation: String,
        },
        /// The reservation expired.
        #[error("reservation {reservation} expired")]
        ReservationExpired {
            /// The id.
            reservation: String,
        },
        /// A commit asks for more than the reservation holds.
        #[error("commit of {requested} on {reservation}, which holds {allocated}")]
        OverCommit {
            /// The id.
            reservation: String,
            /// Requested, base unit.
            requested: Decimal,
            /// Allocated, base unit.
            allocated: Decimal,
        },
        /// A commit names buckets whose sum differs from its quantity.
        #[error("commit buckets of {reservation} sum to {buckets}, not {qty}")]
        CommitBucketsMismatch {
            /// The id.
            reservation: String,
            /// The commit quantity.
            qty: Decimal,
            /// The buckets' sum.
            buckets: Decimal,
        },
        );
    };
}
