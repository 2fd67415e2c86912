//! Returns, scanning and kits: document state (950).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! returns_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// An RMA code is already used.
        #[error("RMA {rma} already exists")]
        RmaIdConflict {
            /// The code.
            rma: String,
        },
        /// A return asks for more than was shipped on the order and not yet
        /// authorised on other RMAs.
        #[error("return of {requested} {item} on order {order} exceeds the returnable {returnable} (shipped {shipped})")]
        ReturnExceedsShipped {
            /// The order reference.
            order: String,
            /// The item.
            item: String,
            /// The quantity asked for.
            requested: Decimal,
            /// Shipped minus authorised or returned on other RMAs.
            returnable: Decimal,
            /// Shipped in total (net of reversals).
            shipped: Decimal,
        },
        /// The return window of an order line has closed.
        #[error("return window of {item} on order {order} closed at {closed_at}")]
        ReturnWindowClosed {
            /// The order reference.
            order: String,
            /// The item.
            item: String,
            /// When the last shipping move occurred (ms UTC).
            last_shipped_at: i64,
            /// When the window closed (ms UTC).
            closed_at: i64,
        },
        /// The RMA was cancelled.
        #[error("RMA {rma} is cancelled")]
        RmaCancelled {
            /// The RMA.
            rma: String,
        },
        /// The RMA is closed.
        #[error("RMA {rma} is closed")]
        RmaClosed {
            /// The RMA.
            rma: String,
        },
        /// A return receipt exceeds what is authorised and not yet received.
        #[error("receiving {requested} {item} on RMA {rma} exceeds the open {open}")]
        ReceiveExceedsAuthorised {
            /// The RMA.
            rma: String,
            /// The item.
            item: String,
            /// The quantity received.
            requested: Decimal,
            /// Authorised minus already received.
            open: Decimal,
        },
        /// Grading exceeds what was received and is not yet graded (in the
        /// named returns bucket).
        #[error("grading {requested} {item} exceeds the ungraded {ungraded} at {location}")]
        GradeExceedsUngraded {
            /// The item.
            item: String,
            /// The returns location.
            location: String,
            /// The lot.
            lot: Option<String>,
            /// The quantity to grade.
            requested: Decimal,
            /// Received there and not yet graded.
            ungraded: Decimal,
        },
        /// A grade's destination does not fit the grade (A: a sellable
        /// location; B: an internal location that is not sellable; C: scrap).
        #[error("grade {grade} of RMA {rma} cannot go to {location}: {reason}")]
        GradeDestinationInvalid {
            /// The RMA.
            rma: String,
            /// The grade (`a`, `b`, `c`).
            grade: &'static str,
            /// The destination as given.
            location: String,
            /// What the grade needs.
            reason: &'static str,
        },
        /// An RMA cannot close while received stock is still ungraded.
        #[error("RMA {rma} holds {ungraded} ungraded {item}")]
        RmaUngradedStock {
            /// The RMA.
            rma: String,
            /// The first item with ungraded stock.
            item: String,
            /// Its ungraded quantity.
            ungraded: Decimal,
        },
        /// An RMA cannot be cancelled once goods were received on it.
        #[error("RMA {rma} has receipts and cannot be cancelled")]
        RmaHasReceipts {
            /// The RMA.
            rma: String,
        },
        /// A barcode is already assigned to another item or unit.
        #[error("barcode {barcode} is already assigned to {item} ({unit:?})")]
        BarcodeConflict {
            /// The barcode (as GTIN-14).
            barcode: String,
            /// The item it is assigned to.
            item: String,
            /// The unit it is assigned to (the base unit when absent).
            unit: Option<String>,
        },
        /// Kits do not nest: a component may not be a kit, and a kit may not be
        /// a component of another kit.
        #[error("kit {kit} and item {item} would nest kits")]
        NestedKit {
            /// The kit being defined.
            kit: String,
            /// The component that is a kit, or the kit that uses this one.
            item: String,
        },
        );
    };
}
