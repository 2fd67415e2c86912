//! Fulfillment and logistics state (900).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! fulfillment_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
        /// A sales order with this code exists.
        #[error("sales order {order} already exists")]
        SalesOrderIdConflict {
            /// The code.
            order: String,
        },
        /// Only an open order can be allocated.
        #[error("sales order {order} is {status}, not open: it cannot be allocated")]
        OrderNotAllocatable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// A pick list needs orders that are allocated and not finished.
        #[error("sales order {order} is {status}: nothing of it can be picked")]
        OrderNotPickable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// The orders of a pick list hold no stock outside staging to pick.
        #[error("pick list {pick_list}: its orders hold nothing to pick")]
        NothingToPick {
            /// The pick list.
            pick_list: String,
        },
        /// A pick list with this code exists.
        #[error("pick list {pick_list} already exists")]
        PickListIdConflict {
            /// The code.
            pick_list: String,
        },
        /// The task was confirmed before.
        #[error("task {task} of pick list {pick_list} is already confirmed")]
        PickTaskAlreadyConfirmed {
            /// The pick list.
            pick_list: String,
            /// The task.
            task: u32,
        },
        /// More was picked than the task asks for.
        #[error("task {task} of pick list {pick_list} asks for {qty}, {picked} confirmed")]
        OverPick {
            /// The pick list.
            pick_list: String,
            /// The task.
            task: u32,
            /// The task's quantity, base unit.
            qty: Decimal,
            /// The quantity confirmed, base unit.
            picked: Decimal,
        },
        /// The stock a task was made for is no longer held for its reservation
        /// on that bin (released, cancelled, re-allocated by a loss).
        #[error("task {task} of pick list {pick_list}: reservation {reservation} no longer holds its stock there")]
        PickTaskStale {
            /// The pick list.
            pick_list: String,
            /// The task.
            task: u32,
            /// The reservation that lost it.
            reservation: String,
        },
        /// Packing needs an order being picked, packed or partially shipped.
        #[error("sales order {order} is {status}: it cannot be packed")]
        OrderNotPackable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// A package with this code exists.
        #[error("package {package} already exists")]
        PackageIdConflict {
            /// The code.
            package: String,
        },
        /// A package line asks for more than is picked and not yet packed.
        #[error("line {line} of {order}: {requested} to pack, {available} picked and unpacked")]
        OverPack {
            /// The order.
            order: String,
            /// The line.
            line: String,
            /// Requested, base unit.
            requested: Decimal,
            /// Picked and not packed, base unit.
            available: Decimal,
        },
        /// Shipping needs an order with packed packages that is not finished.
        #[error("sales order {order} is {status}: it cannot be shipped")]
        OrderNotShippable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// The package belongs to another order.
        #[error("package {package} belongs to order {belongs_to}, not {order}")]
        PackageNotInOrder {
            /// The package.
            package: String,
            /// The order named.
            order: String,
            /// The order the package was packed for.
            belongs_to: String,
        },
        /// The package was shipped before.
        #[error("package {package} is already shipped")]
        PackageAlreadyShipped {
            /// The package.
            package: String,
        },
        /// Cancelling needs an order that has shipped nothing.
        #[error("sales order {order} is {status}: it cannot be cancelled")]
        OrderNotCancellable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// Closing needs an order that has shipped.
        #[error("sales order {order} is {status}: it cannot be closed")]
        OrderNotClosable {
            /// The order.
            order: String,
            /// Its status.
            status: &'static str,
        },
        /// A shipment with this code exists.
        #[error("shipment {shipment} already exists")]
        ShipmentIdConflict {
            /// The code.
            shipment: String,
        },
        /// The package travels in another shipment already.
        #[error("package {package} is already in shipment {shipment}")]
        PackageInOtherShipment {
            /// The package.
            package: String,
            /// The shipment that holds it.
            shipment: String,
        },
        /// Only a created shipment can be picked up.
        #[error("shipment {shipment} is {status}: it cannot be picked up")]
        ShipmentNotAwaitingPickup {
            /// The shipment.
            shipment: String,
            /// Its status.
            status: &'static str,
        },
        /// Only a picked-up shipment, or one in exception, can go in transit.
        #[error("shipment {shipment} is {status}: it cannot go in transit")]
        ShipmentCannotGoInTransit {
            /// The shipment.
            shipment: String,
            /// Its status.
            status: &'static str,
        },
        /// Only a shipment in transit, or in exception, can be delivered.
        #[error("shipment {shipment} is {status}: it cannot be delivered")]
        ShipmentNotDeliverable {
            /// The shipment.
            shipment: String,
            /// Its status.
            status: &'static str,
        },
        /// Only a picked-up or in-transit shipment can report an exception.
        #[error("shipment {shipment} is {status}: no exception can be reported")]
        ShipmentExceptionNotAllowed {
            /// The shipment.
            shipment: String,
            /// Its status.
            status: &'static str,
        },
        );
    };
}
