//! The catalogue itself: for each error its stable code, name, whether a
//! retry may succeed, and what it means — one table, from which `code()`,
//! `name()`, `retryable()`, the doors' constants and docs/errors.md come.

use serde::Serialize;

use super::Error;

/// One catalogue entry, as listed at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// Stable numeric code.
    pub code: u16,
    /// Stable name.
    pub name: &'static str,
    /// Whether the same command may succeed if retried unchanged.
    pub retryable: bool,
    /// What it means.
    pub description: &'static str,
}

macro_rules! catalogue {
    ($( $variant:ident = $code:literal, $name:literal, $retry:literal, $desc:literal; )*) => {
        /// The whole catalogue in precedence order.
        pub const CATALOGUE: &[ErrorInfo] = &[
            $( ErrorInfo { code: $code, name: $name, retryable: $retry, description: $desc }, )*
        ];

        impl Error {
            /// This error's catalogue entry.
            pub fn info(&self) -> &'static ErrorInfo {
                let code = match self { $( Error::$variant { .. } => $code, )* };
                CATALOGUE.iter().find(|e| e.code == code).expect("every variant is catalogued")
            }
        }
    };
}

catalogue! {
    InvalidCommand = 100, "INVALID_COMMAND", false, "a command or document could not be decoded";
    InvalidCode = 101, "INVALID_CODE", false, "a code is empty, longer than 128 bytes, or holds control characters";
    InvalidQuantity = 102, "INVALID_QUANTITY", false, "a quantity that must be positive is zero or negative";
    QuantityScaleExceeded = 103, "QUANTITY_SCALE_EXCEEDED", false, "a quantity is finer than the item's scale";
    InexactUnitConversion = 104, "INEXACT_UNIT_CONVERSION", false, "a unit conversion is not exact and no rounding mode was named";
    QuantityOverflow = 105, "QUANTITY_OVERFLOW", false, "a quantity or balance does not fit 64 bits of the item's smallest unit";
    InvalidScale = 106, "INVALID_SCALE", false, "an item's scale is above 9";
    UnknownUnit = 107, "UNKNOWN_UNIT", false, "a unit is not defined for the item";
    InvalidDuration = 108, "INVALID_DURATION", false, "a TTL or duration is zero or negative";
    EmptyScope = 109, "EMPTY_SCOPE", false, "a scope names no location";
    InvalidUtcOffset = 110, "INVALID_UTC_OFFSET", false, "a site's UTC offset is outside -14h..+14h";
    SameLocation = 111, "SAME_LOCATION", false, "a move names the same location on both sides";
    InexactNumber = 112, "INEXACT_NUMBER", false, "a door was given a binary float, NaN or infinity where an exact number is expected";
    NaiveDatetime = 113, "NAIVE_DATETIME", false, "a door was given a date-time without a time zone";
    NullArgument = 114, "NULL_ARGUMENT", false, "a door was given a NULL pointer where an argument is needed";
    InvalidUtf8 = 115, "INVALID_UTF8", false, "a door was given text that is not valid UTF-8";
    InvalidSupplierTerm = 120, "INVALID_SUPPLIER_TERM", false, "a supplier or order term is out of range";
    NoLines = 121, "NO_LINES", false, "a purchase order, goods receipt or inspection names no line";
    GrnLineReferenceMissing = 122, "GRN_LINE_REFERENCE_MISSING", false, "a goods-receipt line lacks its order line (with a PO) or its item (without)";
    InspectionFieldMissing = 123, "INSPECTION_FIELD_MISSING", false, "an inspection lacks its destination, reason or fail disposition";
    PutawayRuleAmbiguous = 125, "PUTAWAY_RULE_AMBIGUOUS", false, "a putaway rule names more than one of item, category and lot status";
    InvalidTolerance = 126, "INVALID_TOLERANCE", false, "a count tolerance is negative or given both in percent and in units";
    EmptyLines = 127, "EMPTY_LINES", false, "a document or rule needs at least one line or zone";
    DuplicateCountLine = 128, "DUPLICATE_COUNT_LINE", false, "a count entry names the same item, location and lot twice";
    DuplicateOrderLine = 130, "DUPLICATE_ORDER_LINE", false, "a sales order names the same line twice";
    EmptyFulfillmentList = 131, "EMPTY_FULFILLMENT_LIST", false, "order lines, pick list orders, package contents, shipped packages or carrier services are empty";
    InvalidRateTable = 132, "INVALID_RATE_TABLE", false, "a carrier's services or rates are malformed (duplicates, negative price, non-positive weight band)";
    InvalidWeight = 133, "INVALID_WEIGHT", false, "a weight that must be positive is zero or negative";
    DuplicateEntry = 134, "DUPLICATE_ENTRY", false, "a list names the same order, line or package twice";
    InvalidBarcode = 135, "INVALID_BARCODE", false, "a barcode is not a GTIN-8, -12, -13 or -14";
    BarcodeCheckDigit = 136, "BARCODE_CHECK_DIGIT", false, "a GTIN's check digit does not match its other digits";
    InvalidEpc = 137, "INVALID_EPC", false, "an RFID EPC is not a valid SGTIN-96 (24 hex characters)";
    KitContainsItself = 138, "KIT_CONTAINS_ITSELF", false, "a kit lists itself among its components";
    InvalidLines = 139, "INVALID_LINES", false, "a document has no lines, or lists the same item twice";
    ChannelPoolSize = 140, "CHANNEL_POOL_SIZE", false, "a channel pool names neither or both of quota and all_but";
    InvalidParameter = 141, "INVALID_PARAMETER", false, "a parameter of a pure planning function (policy, forecast) is outside its domain";
    InvalidUnitCost = 145, "INVALID_UNIT_COST", false, "an item's unit cost is negative";
    InvalidPeriod = 146, "INVALID_PERIOD", false, "a period of a demand or analytics question ends before it begins";
    InvalidClassThresholds = 147, "INVALID_CLASS_THRESHOLDS", false, "ABC or XYZ thresholds are out of range or order, or a count interval is zero";
    InvalidAgeBuckets = 148, "INVALID_AGE_BUCKETS", false, "stock aging bucket edges are empty or not strictly ascending";
    InvalidPolicy = 150, "INVALID_POLICY", false, "a policy's levels contradict each other (S not above s, max below min, zero order quantity)";
    UnknownItem = 200, "UNKNOWN_ITEM", false, "no item has this code";
    UnknownLocation = 201, "UNKNOWN_LOCATION", false, "no location has this code";
    UnknownLot = 202, "UNKNOWN_LOT", false, "the item has no lot with this code";
    UnknownReservation = 203, "UNKNOWN_RESERVATION", false, "no reservation has this id";
    UnknownReceipt = 204, "UNKNOWN_RECEIPT", false, "no scheduled receipt has this id";
    UnknownMove = 205, "UNKNOWN_MOVE", false, "no move has this id";
    UnknownSupplier = 220, "UNKNOWN_SUPPLIER", false, "no supplier has this code";
    UnknownPurchaseOrder = 221, "UNKNOWN_PURCHASE_ORDER", false, "no purchase order has this code";
    UnknownPoLine = 222, "UNKNOWN_PO_LINE", false, "the purchase order has no line with this number";
    UnknownGoodsReceipt = 223, "UNKNOWN_GOODS_RECEIPT", false, "no goods receipt has this code";
    UnknownGrnLine = 224, "UNKNOWN_GRN_LINE", false, "the goods receipt has no line with this number";
    UnknownSupplierItem = 225, "UNKNOWN_SUPPLIER_ITEM", false, "the supplier has no terms for the item";
    UnknownBin = 230, "UNKNOWN_BIN", false, "the location has no bin profile";
    UnknownCountTask = 231, "UNKNOWN_COUNT_TASK", false, "no count task has this code";
    UnknownTransfer = 232, "UNKNOWN_TRANSFER", false, "no transfer has this code";
    UnknownTransferLine = 233, "UNKNOWN_TRANSFER_LINE", false, "the transfer has no line with this number";
    UnknownSalesOrder = 240, "UNKNOWN_SALES_ORDER", false, "no sales order has this code";
    UnknownOrderLine = 241, "UNKNOWN_ORDER_LINE", false, "the sales order has no such line";
    UnknownPickList = 242, "UNKNOWN_PICK_LIST", false, "no pick list has this code";
    UnknownPickTask = 243, "UNKNOWN_PICK_TASK", false, "the pick list has no such task";
    UnknownPackage = 244, "UNKNOWN_PACKAGE", false, "no package has this code";
    UnknownCarrier = 245, "UNKNOWN_CARRIER", false, "no carrier has this code";
    UnknownCarrierService = 246, "UNKNOWN_CARRIER_SERVICE", false, "the carrier has no such service";
    UnknownShipment = 247, "UNKNOWN_SHIPMENT", false, "no shipment has this code";
    UnknownRma = 250, "UNKNOWN_RMA", false, "no return authorisation (RMA) has this code";
    UnknownBarcode = 251, "UNKNOWN_BARCODE", false, "no item or pack has this barcode";
    UnknownKit = 252, "UNKNOWN_KIT", false, "no kit is defined for this item";
    UnknownKitReservation = 253, "UNKNOWN_KIT_RESERVATION", false, "no kit reservation has this id";
    UnknownRmaLine = 254, "UNKNOWN_RMA_LINE", false, "the RMA has no line for this item";
    UnknownChannel = 260, "UNKNOWN_CHANNEL", false, "no channel has this code";
    UnknownChannelPool = 261, "UNKNOWN_CHANNEL_POOL", false, "no channel pool has this code";
    UnknownPolicy = 270, "UNKNOWN_POLICY", false, "the item has no policy at the location";
    UnknownPlan = 271, "UNKNOWN_PLAN", false, "no saved plan has this code";
    UnknownProposal = 272, "UNKNOWN_PROPOSAL", false, "the saved plan has no proposal with this id";
    ItemArchived = 300, "ITEM_ARCHIVED", false, "the item is archived";
    ScaleChangeWithStock = 301, "SCALE_CHANGE_WITH_STOCK", false, "an item's scale cannot change while it holds stock";
    LocationRedefined = 302, "LOCATION_REDEFINED", false, "a location's parent or kind cannot change";
    WrongLocationKind = 303, "WRONG_LOCATION_KIND", false, "a virtual location where an internal one is needed, or the reverse";
    LotRequired = 304, "LOT_REQUIRED", false, "a lot-tracked item needs a lot here";
    LotNotTracked = 305, "LOT_NOT_TRACKED", false, "an item without lot tracking was given a lot";
    LotExpiryMismatch = 306, "LOT_EXPIRY_MISMATCH", false, "an existing lot was received with another expiry date";
    SerialQuantity = 307, "SERIAL_QUANTITY", false, "a serial-tracked item moves in ones";
    MoveAlreadyReversed = 308, "MOVE_ALREADY_REVERSED", false, "the move is already reversed or is a reversal";
    TrackingChangeWithStock = 309, "TRACKING_CHANGE_WITH_STOCK", false, "an item's tracking cannot change while it holds stock";
    ReceiptIdConflict = 310, "RECEIPT_ID_CONFLICT", false, "a scheduled receipt id is already used";
    BelowCommitted = 311, "BELOW_COMMITTED", false, "an amend would leave a reservation below what it committed";
    InsufficientStock = 400, "INSUFFICIENT_STOCK", true, "a request needs more free stock in a bucket than it holds";
    InsufficientAvailable = 401, "INSUFFICIENT_AVAILABLE", true, "a reservation needs more available stock than the scope has";
    ReservationIdConflict = 500, "RESERVATION_ID_CONFLICT", false, "the reservation id is in use for another item or other terms";
    ReservationAlreadyCommitted = 501, "RESERVATION_ALREADY_COMMITTED", false, "the reservation is already committed";
    ReservationAlreadyReleased = 502, "RESERVATION_ALREADY_RELEASED", false, "the reservation is already released";
    ReservationExpired = 503, "RESERVATION_EXPIRED", false, "the reservation expired";
    OverCommit = 504, "OVER_COMMIT", false, "a commit asks for more than the reservation holds";
    CommitBucketsMismatch = 505, "COMMIT_BUCKETS_MISMATCH", false, "a commit's buckets do not sum to its quantity";
    ExistsWithDifferentCommand = 600, "EXISTS_WITH_DIFFERENT_COMMAND", false, "a client key was used for a different command";
    EnvelopeOutOfOrder = 601, "ENVELOPE_OUT_OF_ORDER", false, "an envelope's seq is not the next one";
    BatchRefused = 602, "BATCH_REFUSED", false, "a command of an atomic batch failed, so none was applied";
    ClientKeyRequired = 603, "CLIENT_KEY_REQUIRED", false, "a replica queues only commands with a client key";
    QueueFull = 604, "QUEUE_FULL", true, "the replica's queue of unsynced commands is full: sync first";
    QueueTooOld = 605, "QUEUE_TOO_OLD", true, "the replica's oldest unsynced command is older than the queue allows: sync first";
    SnapshotRequired = 606, "SNAPSHOT_REQUIRED", false, "the replica is too far behind the authority: restart it from a fresh snapshot";
    NotInSlice = 607, "NOT_IN_SLICE", false, "a replica command names an item or location outside the replica's slice";
    NotAllowedOnReplica = 608, "NOT_ALLOWED_ON_REPLICA", false, "the command runs on the authority only";
    SyncResponseMismatch = 609, "SYNC_RESPONSE_MISMATCH", false, "a sync response that does not answer this replica";
    InvalidSnapshot = 700, "INVALID_SNAPSHOT", false, "a snapshot could not be decoded";
    Storage = 701, "STORAGE", true, "the storage port refused a write; nothing was applied";
    EnginePoisoned = 702, "ENGINE_POISONED", false, "an earlier internal failure poisoned the shared handle";
    LimitExceeded = 703, "LIMIT_EXCEEDED", false, "input beyond a hard limit";
    EngineClosed = 704, "ENGINE_CLOSED", false, "the door's engine handle was closed";
    InvalidHandle = 705, "INVALID_HANDLE", false, "a C handle is NULL, freed, stale or foreign";
    Internal = 706, "INTERNAL", false, "a door caught an internal failure (a bug) before it reached the host";
    PreferredSupplierConflict = 800, "PREFERRED_SUPPLIER_CONFLICT", false, "another supplier is already preferred for the item";
    PoExists = 801, "PO_EXISTS", false, "a purchase order with this code exists";
    GrnExists = 802, "GRN_EXISTS", false, "a goods receipt with this code exists";
    RtvExists = 803, "RTV_EXISTS", false, "a return to vendor with this code exists";
    PoNotDraft = 804, "PO_NOT_DRAFT", false, "only a draft purchase order can be confirmed";
    PoNotConfirmed = 805, "PO_NOT_CONFIRMED", false, "a draft purchase order takes no receipts and cannot be closed";
    PoCancelled = 806, "PO_CANCELLED", false, "the purchase order is cancelled";
    PoClosed = 807, "PO_CLOSED", false, "the purchase order is closed";
    PoHasReceipts = 808, "PO_HAS_RECEIPTS", false, "a purchase order that received stock cannot be cancelled";
    BelowMinOrderQty = 809, "BELOW_MIN_ORDER_QTY", false, "a purchase order line is below the minimum order quantity";
    NotOrderMultiple = 810, "NOT_ORDER_MULTIPLE", false, "a purchase order line is not a multiple of the order multiple";
    OverReceipt = 811, "OVER_RECEIPT", false, "a receipt exceeds the line's over-receipt tolerance";
    ReceiptWithoutPo = 812, "RECEIPT_WITHOUT_PO", false, "a receipt without a purchase order is not allowed";
    PoLineItemMismatch = 813, "PO_LINE_ITEM_MISMATCH", false, "a goods-receipt line names another item than its order line";
    InspectExceedsUninspected = 814, "INSPECT_EXCEEDS_UNINSPECTED", false, "an inspection asks for more than is uninspected";
    NotInInspection = 815, "NOT_IN_INSPECTION", false, "the goods-receipt line was not received into an inspection location";
    PoSupplierMismatch = 816, "PO_SUPPLIER_MISMATCH", false, "a goods receipt names another supplier than its order";
    BinCapacityExceeded = 850, "BIN_CAPACITY_EXCEEDED", false, "a putaway would exceed the bin's capacity in units, volume or weight";
    BinMixesItems = 851, "BIN_MIXES_ITEMS", false, "the bin may not mix items and holds another item";
    BinMixesLots = 852, "BIN_MIXES_LOTS", false, "the bin may not mix lots and holds another lot of the item";
    PutawayNoRoom = 853, "PUTAWAY_NO_ROOM", true, "the suggested bins cannot take the whole quantity";
    CountTaskExists = 854, "COUNT_TASK_EXISTS", false, "a count task with this code exists";
    CountAlreadyEntered = 855, "COUNT_ALREADY_ENTERED", false, "the count was already entered and awaits approval";
    CountAlreadyApproved = 856, "COUNT_ALREADY_APPROVED", false, "the count was approved and its adjustments posted";
    CountCancelled = 857, "COUNT_CANCELLED", false, "the count task was cancelled";
    CountNotPendingApproval = 858, "COUNT_NOT_PENDING_APPROVAL", false, "approve or reject on a count that is not pending approval";
    CountLineOutOfScope = 859, "COUNT_LINE_OUT_OF_SCOPE", false, "a count line lies outside the task's location subtree or item";
    TransferExists = 860, "TRANSFER_EXISTS", false, "a transfer with this code exists";
    TransferSameSite = 861, "TRANSFER_SAME_SITE", false, "a transfer's source and destination are in the same site";
    TransitInsideSite = 862, "TRANSIT_INSIDE_SITE", false, "the transit location lies inside the source or destination site";
    TransferAlreadyShipped = 863, "TRANSFER_ALREADY_SHIPPED", false, "ship or cancel on a transfer that has shipped";
    TransferCancelled = 864, "TRANSFER_CANCELLED", false, "the transfer was cancelled";
    TransferNotShipped = 865, "TRANSFER_NOT_SHIPPED", false, "receive on a transfer that has not shipped";
    TransferAlreadyReceived = 866, "TRANSFER_ALREADY_RECEIVED", false, "receive on a transfer received in full";
    TransferOverReceipt = 867, "TRANSFER_OVER_RECEIPT", false, "a receipt of more than a transfer line has in transit";
    TransitSellable = 868, "TRANSIT_SELLABLE", false, "the transit location of a transfer is flagged sellable";
    SalesOrderIdConflict = 900, "SALES_ORDER_ID_CONFLICT", false, "a sales order with this code exists";
    OrderNotAllocatable = 901, "ORDER_NOT_ALLOCATABLE", false, "only an open sales order can be allocated";
    OrderNotPickable = 902, "ORDER_NOT_PICKABLE", false, "a pick list needs allocated orders that are not finished";
    NothingToPick = 903, "NOTHING_TO_PICK", false, "the pick list's orders hold no stock outside staging";
    PickListIdConflict = 904, "PICK_LIST_ID_CONFLICT", false, "a pick list with this code exists";
    PickTaskAlreadyConfirmed = 905, "PICK_TASK_ALREADY_CONFIRMED", false, "the pick task was confirmed before";
    OverPick = 906, "OVER_PICK", false, "more was picked than the task asks for";
    PickTaskStale = 907, "PICK_TASK_STALE", false, "the reservation no longer holds the task's stock on its bin";
    OrderNotPackable = 908, "ORDER_NOT_PACKABLE", false, "packing needs an order being picked, packed or partially shipped";
    PackageIdConflict = 909, "PACKAGE_ID_CONFLICT", false, "a package with this code exists";
    OverPack = 910, "OVER_PACK", false, "a package line asks for more than is picked and not packed";
    OrderNotShippable = 911, "ORDER_NOT_SHIPPABLE", false, "shipping needs a packed order that is not finished";
    PackageNotInOrder = 912, "PACKAGE_NOT_IN_ORDER", false, "the package belongs to another order";
    PackageAlreadyShipped = 913, "PACKAGE_ALREADY_SHIPPED", false, "the package was shipped before";
    OrderNotCancellable = 914, "ORDER_NOT_CANCELLABLE", false, "an order that shipped something, or is finished, cannot be cancelled";
    OrderNotClosable = 915, "ORDER_NOT_CLOSABLE", false, "only a shipped or partially shipped order can be closed";
    ShipmentIdConflict = 920, "SHIPMENT_ID_CONFLICT", false, "a shipment with this code exists";
    PackageInOtherShipment = 921, "PACKAGE_IN_OTHER_SHIPMENT", false, "the package travels in another shipment already";
    ShipmentNotAwaitingPickup = 922, "SHIPMENT_NOT_AWAITING_PICKUP", false, "only a created shipment can be picked up";
    ShipmentCannotGoInTransit = 923, "SHIPMENT_CANNOT_GO_IN_TRANSIT", false, "only a picked-up shipment, or one in exception, can go in transit";
    ShipmentNotDeliverable = 924, "SHIPMENT_NOT_DELIVERABLE", false, "only a shipment in transit, or in exception, can be delivered";
    ShipmentExceptionNotAllowed = 925, "SHIPMENT_EXCEPTION_NOT_ALLOWED", false, "only a picked-up or in-transit shipment can report an exception";
    RmaIdConflict = 950, "RMA_ID_CONFLICT", false, "an RMA code is already used";
    ReturnExceedsShipped = 951, "RETURN_EXCEEDS_SHIPPED", false, "a return exceeds what was shipped and is not yet authorised on other RMAs";
    ReturnWindowClosed = 952, "RETURN_WINDOW_CLOSED", false, "the return window of the order line has closed";
    RmaCancelled = 953, "RMA_CANCELLED", false, "the RMA was cancelled";
    RmaClosed = 954, "RMA_CLOSED", false, "the RMA is closed";
    ReceiveExceedsAuthorised = 955, "RECEIVE_EXCEEDS_AUTHORISED", false, "a return receipt exceeds what is authorised and not yet received";
    GradeExceedsUngraded = 956, "GRADE_EXCEEDS_UNGRADED", false, "grading exceeds what was received and is not yet graded";
    GradeDestinationInvalid = 957, "GRADE_DESTINATION_INVALID", false, "a grade's destination does not fit the grade";
    RmaUngradedStock = 958, "RMA_UNGRADED_STOCK", false, "an RMA cannot close while received stock is ungraded";
    RmaHasReceipts = 959, "RMA_HAS_RECEIPTS", false, "an RMA with receipts cannot be cancelled";
    BarcodeConflict = 960, "BARCODE_CONFLICT", false, "a barcode is already assigned to another item or unit";
    NestedKit = 961, "NESTED_KIT", false, "kits do not nest: a component may not be a kit, nor a kit a component";
    ChannelPoolConflict = 1000, "CHANNEL_POOL_CONFLICT", false, "a channel pool code is in use for another channel or item";
    MixedCurrencies = 1010, "MIXED_CURRENCIES", false, "an item's costs, or a scope's items, name more than one currency";
    PlanExists = 1020, "PLAN_EXISTS", false, "a saved plan with this code exists";
    ProposalAlreadyAccepted = 1021, "PROPOSAL_ALREADY_ACCEPTED", false, "the proposal was already accepted as a purchase order";
    NoDemandHistory = 1022, "NO_DEMAND_HISTORY", false, "a policy cannot be derived: no demand in the history window";
}

impl Error {
    /// Stable numeric code.
    pub fn code(&self) -> u16 {
        self.info().code
    }
    /// Stable name.
    pub fn name(&self) -> &'static str {
        self.info().name
    }
    /// Whether retrying the same command unchanged may succeed.
    pub fn retryable(&self) -> bool {
        self.info().retryable
    }
}

/// The catalogue, for doors and documentation.
pub fn catalogue() -> &'static [ErrorInfo] {
    CATALOGUE
}
