//! Warehouse state: putaway, counts, transfers (850).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! warehouse_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// A putaway would put more into a bin than its capacity allows.
        #[error("bin {location} can take {capacity} of {item}, not {requested}")]
        BinCapacityExceeded {
            /// The bin.
            location: String,
            /// The item.
            item: String,
            /// Requested, base unit.
            requested: Decimal,
            /// What the bin can still take, base unit.
            capacity: Decimal,
        },
        /// The bin may not mix items and holds another one.
        #[error("bin {location} holds {holds} and may not mix items")]
        BinMixesItems {
            /// The bin.
            location: String,
            /// The item to put away.
            item: String,
            /// The item the bin holds.
            holds: String,
        },
        /// The bin may not mix lots and holds another lot of the item.
        #[error("bin {location} holds lot {holds} of {item} and may not mix lots")]
        BinMixesLots {
            /// The bin.
            location: String,
            /// The item.
            item: String,
            /// The lot to put away.
            lot: Option<String>,
            /// The lot the bin holds.
            holds: String,
        },
        /// The suggested bins cannot take the whole quantity.
        #[error("no room for {requested} of {item}: the suggested bins take {placeable}")]
        PutawayNoRoom {
            /// The item.
            item: String,
            /// Requested, base unit.
            requested: Decimal,
            /// What the suggested bins can take, base unit.
            placeable: Decimal,
        },
        /// A count task with this code exists.
        #[error("count task {task} already exists")]
        CountTaskExists {
            /// The task.
            task: String,
        },
        /// The count was already entered and awaits approval (or was settled).
        #[error("count task {task} is {state}: its count was already entered")]
        CountAlreadyEntered {
            /// The task.
            task: String,
            /// Its state.
            state: &'static str,
        },
        /// The count was approved and its adjustments posted.
        #[error("count task {task} is already approved")]
        CountAlreadyApproved {
            /// The task.
            task: String,
        },
        /// The count task was cancelled.
        #[error("count task {task} is cancelled")]
        CountCancelled {
            /// The task.
            task: String,
        },
        /// Approve or reject on a task that is not waiting for approval.
        #[error("count task {task} is {state}, not pending approval")]
        CountNotPendingApproval {
            /// The task.
            task: String,
            /// Its state.
            state: &'static str,
        },
        /// A count line lies outside the task's location subtree or item.
        #[error("count task {task} does not cover {item} at {location}")]
        CountLineOutOfScope {
            /// The task.
            task: String,
            /// The item.
            item: String,
            /// The location.
            location: String,
        },
        /// A transfer with this code exists.
        #[error("transfer {transfer} already exists")]
        TransferExists {
            /// The transfer.
            transfer: String,
        },
        /// A transfer's source and destination lie in the same site.
        #[error("transfer from {from} to {to}: both are in site {site}")]
        TransferSameSite {
            /// Source.
            from: String,
            /// Destination.
            to: String,
            /// The shared site.
            site: String,
        },
        /// The transit location lies inside the source or destination site (its
        /// stock would count as on hand or incoming there twice).
        #[error("transit location {transit} lies inside site {site}")]
        TransitInsideSite {
            /// The transit location.
            transit: String,
            /// The site.
            site: String,
        },
        /// Ship or cancel on a transfer that has shipped.
        #[error("transfer {transfer} is {state}: it has already shipped")]
        TransferAlreadyShipped {
            /// The transfer.
            transfer: String,
            /// Its state.
            state: &'static str,
        },
        /// The transfer was cancelled.
        #[error("transfer {transfer} is cancelled")]
        TransferCancelled {
            /// The transfer.
            transfer: String,
        },
        /// Receive on a transfer that has not shipped.
        #[error("transfer {transfer} has not shipped")]
        TransferNotShipped {
            /// The transfer.
            transfer: String,
        },
        /// Receive on a transfer received in full.
        #[error("transfer {transfer} is already received in full")]
        TransferAlreadyReceived {
            /// The transfer.
            transfer: String,
        },
        /// A receipt of more than a transfer line still has in transit.
        #[error("transfer {transfer} line {line}: receiving {requested}, in transit {open}")]
        TransferOverReceipt {
            /// The transfer.
            transfer: String,
            /// The line.
            line: u32,
            /// Requested, base unit.
            requested: Decimal,
            /// Still in transit on the line, base unit.
            open: Decimal,
        },
        );
    };
}
