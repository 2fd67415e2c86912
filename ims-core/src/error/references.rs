//! References: the command names something the engine does not hold (200–259:
//! items, locations, lots, reservations; fulfillment and logistics documents
//! 240; returns, scanning, kits 250–259).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! reference_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// No item has this code.
        #[error("unknown item {item}")]
        UnknownItem {
            /// The code.
            item: String,
        },
        /// No location has this code.
        #[error("unknown location {location}")]
        UnknownLocation {
            /// The code.
            location: String,
        },
        /// The item has no lot with this code.
        #[error("item {item} has no lot {lot}")]
        UnknownLot {
            /// The item.
            item: String,
            /// The lot.
            lot: String,
        },
        /// No reservation has this id.
        #[error("unknown reservation {reservation}")]
        UnknownReservation {
            /// The id.
            reservation: String,
        },
        /// No scheduled receipt has this id.
        #[error("unknown scheduled receipt {receipt}")]
        UnknownReceipt {
            /// The id.
            receipt: String,
        },
        /// No move has this id.
        #[error("unknown move {move_id}")]
        UnknownMove {
            /// The id.
            move_id: u64,
        },
        /// The location has no bin profile.
        #[error("location {location} has no bin profile")]
        UnknownBin {
            /// The location.
            location: String,
        },
        /// No count task has this code.
        #[error("unknown count task {task}")]
        UnknownCountTask {
            /// The task.
            task: String,
        },
        /// No transfer has this code.
        #[error("unknown transfer {transfer}")]
        UnknownTransfer {
            /// The transfer.
            transfer: String,
        },
        /// The transfer has no line with this number.
        #[error("transfer {transfer} has no line {line}")]
        UnknownTransferLine {
            /// The transfer.
            transfer: String,
            /// The line number.
            line: u32,
        },

        /// No supplier has this code.
        #[error("unknown supplier {supplier}")]
        UnknownSupplier {
            /// The code.
            supplier: String,
        },
        /// No purchase order has this code.
        #[error("unknown purchase order {po}")]
        UnknownPurchaseOrder {
            /// The code.
            po: String,
        },
        /// The purchase order has no line with this number.
        #[error("purchase order {po} has no line {line}")]
        UnknownPoLine {
            /// The order.
            po: String,
            /// The line number.
            line: u32,
        },
        /// No goods receipt has this code.
        #[error("unknown goods receipt {grn}")]
        UnknownGoodsReceipt {
            /// The code.
            grn: String,
        },
        /// The goods receipt has no line with this number.
        #[error("goods receipt {grn} has no line {line}")]
        UnknownGrnLine {
            /// The GRN.
            grn: String,
            /// The line number.
            line: u32,
        },
        /// The supplier has no terms for this item (and a price was needed).
        #[error("supplier {supplier} has no terms for item {item}")]
        UnknownSupplierItem {
            /// The supplier.
            supplier: String,
            /// The item.
            item: String,
        },

        /// No sales order has this code.
        #[error("unknown sales order {order}")]
        UnknownSalesOrder {
            /// The code.
            order: String,
        },
        /// The sales order has no such line.
        #[error("sales order {order} has no line {line}")]
        UnknownOrderLine {
            /// The order.
            order: String,
            /// The line.
            line: String,
        },
        /// No pick list has this code.
        #[error("unknown pick list {pick_list}")]
        UnknownPickList {
            /// The code.
            pick_list: String,
        },
        /// The pick list has no such task.
        #[error("pick list {pick_list} has no task {task}")]
        UnknownPickTask {
            /// The pick list.
            pick_list: String,
            /// The task number.
            task: u32,
        },
        /// No package has this code.
        #[error("unknown package {package}")]
        UnknownPackage {
            /// The code.
            package: String,
        },
        /// No carrier has this code.
        #[error("unknown carrier {carrier}")]
        UnknownCarrier {
            /// The code.
            carrier: String,
        },
        /// The carrier has no such service.
        #[error("carrier {carrier} has no service {service}")]
        UnknownCarrierService {
            /// The carrier.
            carrier: String,
            /// The service.
            service: String,
        },
        /// No shipment has this code.
        #[error("unknown shipment {shipment}")]
        UnknownShipment {
            /// The code.
            shipment: String,
        },

        // returns, scanning, kits: 250–259
        /// No return authorisation (RMA) has this code.
        #[error("unknown RMA {rma}")]
        UnknownRma {
            /// The code.
            rma: String,
        },
        /// No item or pack has this barcode.
        #[error("unknown barcode {barcode}")]
        UnknownBarcode {
            /// The barcode (as GTIN-14).
            barcode: String,
        },
        /// No kit is defined for this item.
        #[error("unknown kit {kit}")]
        UnknownKit {
            /// The kit item.
            kit: String,
        },
        /// No kit reservation has this id.
        #[error("unknown kit reservation {reservation}")]
        UnknownKitReservation {
            /// The id.
            reservation: String,
        },
        /// The RMA has no line for this item.
        #[error("RMA {rma} has no line for item {item}")]
        UnknownRmaLine {
            /// The RMA.
            rma: String,
            /// The item.
            item: String,
        },
        );
    };
}
