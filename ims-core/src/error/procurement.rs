//! Procurement state (800).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! procurement_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// Another supplier is already the preferred one for this item.
        #[error("{supplier} is already the preferred supplier of {item}")]
        PreferredSupplierConflict {
            /// The item.
            item: String,
            /// The supplier that is preferred now.
            supplier: String,
        },
        /// A purchase order with this code exists.
        #[error("purchase order {po} already exists")]
        PoExists {
            /// The code.
            po: String,
        },
        /// A goods receipt with this code exists.
        #[error("goods receipt {grn} already exists")]
        GrnExists {
            /// The code.
            grn: String,
        },
        /// A return to vendor with this code exists.
        #[error("return to vendor {rtv} already exists")]
        RtvExists {
            /// The code.
            rtv: String,
        },
        /// Only a draft order can be confirmed.
        #[error("purchase order {po} is {status}, not draft")]
        PoNotDraft {
            /// The order.
            po: String,
            /// Its status.
            status: &'static str,
        },
        /// A draft order takes no receipts and cannot be closed.
        #[error("purchase order {po} is a draft; confirm it first")]
        PoNotConfirmed {
            /// The order.
            po: String,
        },
        /// The order is cancelled.
        #[error("purchase order {po} is cancelled")]
        PoCancelled {
            /// The order.
            po: String,
        },
        /// The order is closed.
        #[error("purchase order {po} is closed")]
        PoClosed {
            /// The order.
            po: String,
        },
        /// An order that received stock cannot be cancelled (close it instead).
        #[error("purchase order {po} line {line} has received {received}; close the order instead")]
        PoHasReceipts {
            /// The order.
            po: String,
            /// The first line with receipts.
            line: u32,
            /// Received on it, base unit.
            received: Decimal,
        },
        /// A line is below the supplier's minimum order quantity.
        #[error("purchase order {po} line {line}: {qty} is below the minimum order quantity {min}")]
        BelowMinOrderQty {
            /// The order.
            po: String,
            /// The line.
            line: u32,
            /// Ordered, base unit.
            qty: Decimal,
            /// The minimum, base unit.
            min: Decimal,
        },
        /// A line is not a whole number of the order multiple.
        #[error("purchase order {po} line {line}: {qty} is not a multiple of {multiple}")]
        NotOrderMultiple {
            /// The order.
            po: String,
            /// The line.
            line: u32,
            /// Ordered, base unit.
            qty: Decimal,
            /// The multiple, base unit.
            multiple: Decimal,
        },
        /// A receipt would take a line above its over-receipt tolerance.
        #[error("purchase order {po} line {line}: ordered {ordered}, received {received}, receiving {receiving} exceeds the maximum {max}")]
        OverReceipt {
            /// The order.
            po: String,
            /// The line.
            line: u32,
            /// Ordered, base unit.
            ordered: Decimal,
            /// Received so far, base unit.
            received: Decimal,
            /// This receipt, base unit.
            receiving: Decimal,
            /// The most the line may receive in total, base unit.
            max: Decimal,
        },
        /// A receipt without a purchase order, neither flagged unplanned nor
        /// allowed by the supplier's terms for the item.
        #[error("receipt of {item} from {supplier} without a purchase order is not allowed")]
        ReceiptWithoutPo {
            /// The supplier.
            supplier: String,
            /// The item.
            item: String,
        },
        /// A goods-receipt line names another item than its order line.
        #[error("purchase order {po} line {line} is for {expected}, not {item}")]
        PoLineItemMismatch {
            /// The order.
            po: String,
            /// The line.
            line: u32,
            /// The item given.
            item: String,
            /// The order line's item.
            expected: String,
        },
        /// An inspection asks for more than the line has uninspected.
        #[error("goods receipt {grn} line {line}: inspecting {requested}, uninspected {uninspected}")]
        InspectExceedsUninspected {
            /// The GRN.
            grn: String,
            /// The line.
            line: u32,
            /// Pass plus fail, base unit.
            requested: Decimal,
            /// Not yet inspected, base unit.
            uninspected: Decimal,
        },
        /// A goods receipt line was not received into an inspection location.
        #[error("goods receipt {grn} line {line} went to {location}, not an inspection location")]
        NotInInspection {
            /// The GRN.
            grn: String,
            /// The line.
            line: u32,
            /// Where it was received.
            location: String,
        },
        /// A goods receipt names another supplier than its order.
        #[error("purchase order {po} is from {expected}, not {supplier}")]
        PoSupplierMismatch {
            /// The order.
            po: String,
            /// The supplier given.
            supplier: String,
            /// The order's supplier.
            expected: String,
        },
        );
    };
}
