//! The status codes: the core's error catalogue as C constants.
//! Generated from `ims_core::catalogue()` by `tests/generated.rs`
//! (`IMS_BLESS=1 cargo test -p ims-ffi --test generated`): do not edit.

use std::ffi::CStr;

use crate::status::ims_status;

/// A command or document could not be decoded.
pub const IMS_INVALID_COMMAND: ims_status = 100;
/// A code is empty, longer than 128 bytes, or holds control characters.
pub const IMS_INVALID_CODE: ims_status = 101;
/// A quantity that must be positive is zero or negative.
pub const IMS_INVALID_QUANTITY: ims_status = 102;
/// A quantity is finer than the item's scale.
pub const IMS_QUANTITY_SCALE_EXCEEDED: ims_status = 103;
/// A unit conversion is not exact and no rounding mode was named.
pub const IMS_INEXACT_UNIT_CONVERSION: ims_status = 104;
/// A quantity or balance does not fit 64 bits of the item's smallest unit.
pub const IMS_QUANTITY_OVERFLOW: ims_status = 105;
/// An item's scale is above 9.
pub const IMS_INVALID_SCALE: ims_status = 106;
/// A unit is not defined for the item.
pub const IMS_UNKNOWN_UNIT: ims_status = 107;
/// A TTL or duration is zero or negative.
pub const IMS_INVALID_DURATION: ims_status = 108;
/// A scope names no location.
pub const IMS_EMPTY_SCOPE: ims_status = 109;
/// A site's UTC offset is outside -14h..+14h.
pub const IMS_INVALID_UTC_OFFSET: ims_status = 110;
/// A move names the same location on both sides.
pub const IMS_SAME_LOCATION: ims_status = 111;
/// A door was given a binary float, NaN or infinity where an exact number is expected.
pub const IMS_INEXACT_NUMBER: ims_status = 112;
/// A door was given a date-time without a time zone.
pub const IMS_NAIVE_DATETIME: ims_status = 113;
/// A door was given a NULL pointer where an argument is needed.
pub const IMS_NULL_ARGUMENT: ims_status = 114;
/// A door was given text that is not valid UTF-8.
pub const IMS_INVALID_UTF8: ims_status = 115;
/// A supplier or order term is out of range.
pub const IMS_INVALID_SUPPLIER_TERM: ims_status = 120;
/// A purchase order, goods receipt or inspection names no line.
pub const IMS_NO_LINES: ims_status = 121;
/// A goods-receipt line lacks its order line (with a PO) or its item (without).
pub const IMS_GRN_LINE_REFERENCE_MISSING: ims_status = 122;
/// An inspection lacks its destination, reason or fail disposition.
pub const IMS_INSPECTION_FIELD_MISSING: ims_status = 123;
/// A putaway rule names more than one of item, category and lot status.
pub const IMS_PUTAWAY_RULE_AMBIGUOUS: ims_status = 125;
/// A count tolerance is negative or given both in percent and in units.
pub const IMS_INVALID_TOLERANCE: ims_status = 126;
/// A document or rule needs at least one line or zone.
pub const IMS_EMPTY_LINES: ims_status = 127;
/// A count entry names the same item, location and lot twice.
pub const IMS_DUPLICATE_COUNT_LINE: ims_status = 128;
/// A sales order names the same line twice.
pub const IMS_DUPLICATE_ORDER_LINE: ims_status = 130;
/// Order lines, pick list orders, package contents, shipped packages or carrier services are empty.
pub const IMS_EMPTY_FULFILLMENT_LIST: ims_status = 131;
/// A carrier's services or rates are malformed (duplicates, negative price, non-positive weight band).
pub const IMS_INVALID_RATE_TABLE: ims_status = 132;
/// A weight that must be positive is zero or negative.
pub const IMS_INVALID_WEIGHT: ims_status = 133;
/// A list names the same order, line or package twice.
pub const IMS_DUPLICATE_ENTRY: ims_status = 134;
/// A barcode is not a GTIN-8, -12, -13 or -14.
pub const IMS_INVALID_BARCODE: ims_status = 135;
/// A GTIN's check digit does not match its other digits.
pub const IMS_BARCODE_CHECK_DIGIT: ims_status = 136;
/// An RFID EPC is not a valid SGTIN-96 (24 hex characters).
pub const IMS_INVALID_EPC: ims_status = 137;
/// A kit lists itself among its components.
pub const IMS_KIT_CONTAINS_ITSELF: ims_status = 138;
/// A document has no lines, or lists the same item twice.
pub const IMS_INVALID_LINES: ims_status = 139;
/// A channel pool names neither or both of quota and all_but.
pub const IMS_CHANNEL_POOL_SIZE: ims_status = 140;
/// A parameter of a pure planning function (policy, forecast) is outside its domain.
pub const IMS_INVALID_PARAMETER: ims_status = 141;
/// An item's unit cost is negative.
pub const IMS_INVALID_UNIT_COST: ims_status = 145;
/// A period of a demand or analytics question ends before it begins.
pub const IMS_INVALID_PERIOD: ims_status = 146;
/// ABC or XYZ thresholds are out of range or order, or a count interval is zero.
pub const IMS_INVALID_CLASS_THRESHOLDS: ims_status = 147;
/// Stock aging bucket edges are empty or not strictly ascending.
pub const IMS_INVALID_AGE_BUCKETS: ims_status = 148;
/// A policy's levels contradict each other (S not above s, max below min, zero order quantity).
pub const IMS_INVALID_POLICY: ims_status = 150;
/// No item has this code.
pub const IMS_UNKNOWN_ITEM: ims_status = 200;
/// No location has this code.
pub const IMS_UNKNOWN_LOCATION: ims_status = 201;
/// The item has no lot with this code.
pub const IMS_UNKNOWN_LOT: ims_status = 202;
/// No reservation has this id.
pub const IMS_UNKNOWN_RESERVATION: ims_status = 203;
/// No scheduled receipt has this id.
pub const IMS_UNKNOWN_RECEIPT: ims_status = 204;
/// No move has this id.
pub const IMS_UNKNOWN_MOVE: ims_status = 205;
/// No supplier has this code.
pub const IMS_UNKNOWN_SUPPLIER: ims_status = 220;
/// No purchase order has this code.
pub const IMS_UNKNOWN_PURCHASE_ORDER: ims_status = 221;
/// The purchase order has no line with this number.
pub const IMS_UNKNOWN_PO_LINE: ims_status = 222;
/// No goods receipt has this code.
pub const IMS_UNKNOWN_GOODS_RECEIPT: ims_status = 223;
/// The goods receipt has no line with this number.
pub const IMS_UNKNOWN_GRN_LINE: ims_status = 224;
/// The supplier has no terms for the item.
pub const IMS_UNKNOWN_SUPPLIER_ITEM: ims_status = 225;
/// The location has no bin profile.
pub const IMS_UNKNOWN_BIN: ims_status = 230;
/// No count task has this code.
pub const IMS_UNKNOWN_COUNT_TASK: ims_status = 231;
/// No transfer has this code.
pub const IMS_UNKNOWN_TRANSFER: ims_status = 232;
/// The transfer has no line with this number.
pub const IMS_UNKNOWN_TRANSFER_LINE: ims_status = 233;
/// No sales order has this code.
pub const IMS_UNKNOWN_SALES_ORDER: ims_status = 240;
/// The sales order has no such line.
pub const IMS_UNKNOWN_ORDER_LINE: ims_status = 241;
/// No pick list has this code.
pub const IMS_UNKNOWN_PICK_LIST: ims_status = 242;
/// The pick list has no such task.
pub const IMS_UNKNOWN_PICK_TASK: ims_status = 243;
/// No package has this code.
pub const IMS_UNKNOWN_PACKAGE: ims_status = 244;
/// No carrier has this code.
pub const IMS_UNKNOWN_CARRIER: ims_status = 245;
/// The carrier has no such service.
pub const IMS_UNKNOWN_CARRIER_SERVICE: ims_status = 246;
/// No shipment has this code.
pub const IMS_UNKNOWN_SHIPMENT: ims_status = 247;
/// No return authorisation (RMA) has this code.
pub const IMS_UNKNOWN_RMA: ims_status = 250;
/// No item or pack has this barcode.
pub const IMS_UNKNOWN_BARCODE: ims_status = 251;
/// No kit is defined for this item.
pub const IMS_UNKNOWN_KIT: ims_status = 252;
/// No kit reservation has this id.
pub const IMS_UNKNOWN_KIT_RESERVATION: ims_status = 253;
/// The RMA has no line for this item.
pub const IMS_UNKNOWN_RMA_LINE: ims_status = 254;
/// No channel has this code.
pub const IMS_UNKNOWN_CHANNEL: ims_status = 260;
/// No channel pool has this code.
pub const IMS_UNKNOWN_CHANNEL_POOL: ims_status = 261;
/// The item has no policy at the location.
pub const IMS_UNKNOWN_POLICY: ims_status = 270;
/// No saved plan has this code.
pub const IMS_UNKNOWN_PLAN: ims_status = 271;
/// The saved plan has no proposal with this id.
pub const IMS_UNKNOWN_PROPOSAL: ims_status = 272;
/// The item is archived.
pub const IMS_ITEM_ARCHIVED: ims_status = 300;
/// An item's scale cannot change while it holds stock.
pub const IMS_SCALE_CHANGE_WITH_STOCK: ims_status = 301;
/// A location's parent or kind cannot change.
pub const IMS_LOCATION_REDEFINED: ims_status = 302;
/// A virtual location where an internal one is needed, or the reverse.
pub const IMS_WRONG_LOCATION_KIND: ims_status = 303;
/// A lot-tracked item needs a lot here.
pub const IMS_LOT_REQUIRED: ims_status = 304;
/// An item without lot tracking was given a lot.
pub const IMS_LOT_NOT_TRACKED: ims_status = 305;
/// An existing lot was received with another expiry date.
pub const IMS_LOT_EXPIRY_MISMATCH: ims_status = 306;
/// A serial-tracked item moves in ones.
pub const IMS_SERIAL_QUANTITY: ims_status = 307;
/// The move is already reversed or is a reversal.
pub const IMS_MOVE_ALREADY_REVERSED: ims_status = 308;
/// An item's tracking cannot change while it holds stock.
pub const IMS_TRACKING_CHANGE_WITH_STOCK: ims_status = 309;
/// A scheduled receipt id is already used.
pub const IMS_RECEIPT_ID_CONFLICT: ims_status = 310;
/// An amend would leave a reservation below what it committed.
pub const IMS_BELOW_COMMITTED: ims_status = 311;
/// A request needs more free stock in a bucket than it holds.
pub const IMS_INSUFFICIENT_STOCK: ims_status = 400;
/// A reservation needs more available stock than the scope has.
pub const IMS_INSUFFICIENT_AVAILABLE: ims_status = 401;
/// The reservation id is in use for another item or other terms.
pub const IMS_RESERVATION_ID_CONFLICT: ims_status = 500;
/// The reservation is already committed.
pub const IMS_RESERVATION_ALREADY_COMMITTED: ims_status = 501;
/// The reservation is already released.
pub const IMS_RESERVATION_ALREADY_RELEASED: ims_status = 502;
/// The reservation expired.
pub const IMS_RESERVATION_EXPIRED: ims_status = 503;
/// A commit asks for more than the reservation holds.
pub const IMS_OVER_COMMIT: ims_status = 504;
/// A commit's buckets do not sum to its quantity.
pub const IMS_COMMIT_BUCKETS_MISMATCH: ims_status = 505;
/// A client key was used for a different command.
pub const IMS_EXISTS_WITH_DIFFERENT_COMMAND: ims_status = 600;
/// An envelope's seq is not the next one.
pub const IMS_ENVELOPE_OUT_OF_ORDER: ims_status = 601;
/// A command of an atomic batch failed, so none was applied.
pub const IMS_BATCH_REFUSED: ims_status = 602;
/// A replica queues only commands with a client key.
pub const IMS_CLIENT_KEY_REQUIRED: ims_status = 603;
/// The replica's queue of unsynced commands is full: sync first.
pub const IMS_QUEUE_FULL: ims_status = 604;
/// The replica's oldest unsynced command is older than the queue allows: sync first.
pub const IMS_QUEUE_TOO_OLD: ims_status = 605;
/// The replica is too far behind the authority: restart it from a fresh snapshot.
pub const IMS_SNAPSHOT_REQUIRED: ims_status = 606;
/// A replica command names an item or location outside the replica's slice.
pub const IMS_NOT_IN_SLICE: ims_status = 607;
/// The command runs on the authority only.
pub const IMS_NOT_ALLOWED_ON_REPLICA: ims_status = 608;
/// A sync response that does not answer this replica.
pub const IMS_SYNC_RESPONSE_MISMATCH: ims_status = 609;
/// A snapshot could not be decoded.
pub const IMS_INVALID_SNAPSHOT: ims_status = 700;
/// The storage port refused a write; nothing was applied.
pub const IMS_STORAGE: ims_status = 701;
/// An earlier internal failure poisoned the shared handle.
pub const IMS_ENGINE_POISONED: ims_status = 702;
/// Input beyond a hard limit.
pub const IMS_LIMIT_EXCEEDED: ims_status = 703;
/// The door's engine handle was closed.
pub const IMS_ENGINE_CLOSED: ims_status = 704;
/// A C handle is NULL, freed, stale or foreign.
pub const IMS_INVALID_HANDLE: ims_status = 705;
/// A door caught an internal failure (a bug) before it reached the host.
pub const IMS_INTERNAL: ims_status = 706;
/// Another supplier is already preferred for the item.
pub const IMS_PREFERRED_SUPPLIER_CONFLICT: ims_status = 800;
/// A purchase order with this code exists.
pub const IMS_PO_EXISTS: ims_status = 801;
/// A goods receipt with this code exists.
pub const IMS_GRN_EXISTS: ims_status = 802;
/// A return to vendor with this code exists.
pub const IMS_RTV_EXISTS: ims_status = 803;
/// Only a draft purchase order can be confirmed.
pub const IMS_PO_NOT_DRAFT: ims_status = 804;
/// A draft purchase order takes no receipts and cannot be closed.
pub const IMS_PO_NOT_CONFIRMED: ims_status = 805;
/// The purchase order is cancelled.
pub const IMS_PO_CANCELLED: ims_status = 806;
/// The purchase order is closed.
pub const IMS_PO_CLOSED: ims_status = 807;
/// A purchase order that received stock cannot be cancelled.
pub const IMS_PO_HAS_RECEIPTS: ims_status = 808;
/// A purchase order line is below the minimum order quantity.
pub const IMS_BELOW_MIN_ORDER_QTY: ims_status = 809;
/// A purchase order line is not a multiple of the order multiple.
pub const IMS_NOT_ORDER_MULTIPLE: ims_status = 810;
/// A receipt exceeds the line's over-receipt tolerance.
pub const IMS_OVER_RECEIPT: ims_status = 811;
/// A receipt without a purchase order is not allowed.
pub const IMS_RECEIPT_WITHOUT_PO: ims_status = 812;
/// A goods-receipt line names another item than its order line.
pub const IMS_PO_LINE_ITEM_MISMATCH: ims_status = 813;
/// An inspection asks for more than is uninspected.
pub const IMS_INSPECT_EXCEEDS_UNINSPECTED: ims_status = 814;
/// The goods-receipt line was not received into an inspection location.
pub const IMS_NOT_IN_INSPECTION: ims_status = 815;
/// A goods receipt names another supplier than its order.
pub const IMS_PO_SUPPLIER_MISMATCH: ims_status = 816;
/// A putaway would exceed the bin's capacity in units, volume or weight.
pub const IMS_BIN_CAPACITY_EXCEEDED: ims_status = 850;
/// The bin may not mix items and holds another item.
pub const IMS_BIN_MIXES_ITEMS: ims_status = 851;
/// The bin may not mix lots and holds another lot of the item.
pub const IMS_BIN_MIXES_LOTS: ims_status = 852;
/// The suggested bins cannot take the whole quantity.
pub const IMS_PUTAWAY_NO_ROOM: ims_status = 853;
/// A count task with this code exists.
pub const IMS_COUNT_TASK_EXISTS: ims_status = 854;
/// The count was already entered and awaits approval.
pub const IMS_COUNT_ALREADY_ENTERED: ims_status = 855;
/// The count was approved and its adjustments posted.
pub const IMS_COUNT_ALREADY_APPROVED: ims_status = 856;
/// The count task was cancelled.
pub const IMS_COUNT_CANCELLED: ims_status = 857;
/// Approve or reject on a count that is not pending approval.
pub const IMS_COUNT_NOT_PENDING_APPROVAL: ims_status = 858;
/// A count line lies outside the task's location subtree or item.
pub const IMS_COUNT_LINE_OUT_OF_SCOPE: ims_status = 859;
/// A transfer with this code exists.
pub const IMS_TRANSFER_EXISTS: ims_status = 860;
/// A transfer's source and destination are in the same site.
pub const IMS_TRANSFER_SAME_SITE: ims_status = 861;
/// The transit location lies inside the source or destination site.
pub const IMS_TRANSIT_INSIDE_SITE: ims_status = 862;
/// Ship or cancel on a transfer that has shipped.
pub const IMS_TRANSFER_ALREADY_SHIPPED: ims_status = 863;
/// The transfer was cancelled.
pub const IMS_TRANSFER_CANCELLED: ims_status = 864;
/// Receive on a transfer that has not shipped.
pub const IMS_TRANSFER_NOT_SHIPPED: ims_status = 865;
/// Receive on a transfer received in full.
pub const IMS_TRANSFER_ALREADY_RECEIVED: ims_status = 866;
/// A receipt of more than a transfer line has in transit.
pub const IMS_TRANSFER_OVER_RECEIPT: ims_status = 867;
/// The transit location of a transfer is flagged sellable.
pub const IMS_TRANSIT_SELLABLE: ims_status = 868;
/// A sales order with this code exists.
pub const IMS_SALES_ORDER_ID_CONFLICT: ims_status = 900;
/// Only an open sales order can be allocated.
pub const IMS_ORDER_NOT_ALLOCATABLE: ims_status = 901;
/// A pick list needs allocated orders that are not finished.
pub const IMS_ORDER_NOT_PICKABLE: ims_status = 902;
/// The pick list's orders hold no stock outside staging.
pub const IMS_NOTHING_TO_PICK: ims_status = 903;
/// A pick list with this code exists.
pub const IMS_PICK_LIST_ID_CONFLICT: ims_status = 904;
/// The pick task was confirmed before.
pub const IMS_PICK_TASK_ALREADY_CONFIRMED: ims_status = 905;
/// More was picked than the task asks for.
pub const IMS_OVER_PICK: ims_status = 906;
/// The reservation no longer holds the task's stock on its bin.
pub const IMS_PICK_TASK_STALE: ims_status = 907;
/// Packing needs an order being picked, packed or partially shipped.
pub const IMS_ORDER_NOT_PACKABLE: ims_status = 908;
/// A package with this code exists.
pub const IMS_PACKAGE_ID_CONFLICT: ims_status = 909;
/// A package line asks for more than is picked and not packed.
pub const IMS_OVER_PACK: ims_status = 910;
/// Shipping needs a packed order that is not finished.
pub const IMS_ORDER_NOT_SHIPPABLE: ims_status = 911;
/// The package belongs to another order.
pub const IMS_PACKAGE_NOT_IN_ORDER: ims_status = 912;
/// The package was shipped before.
pub const IMS_PACKAGE_ALREADY_SHIPPED: ims_status = 913;
/// An order that shipped something, or is finished, cannot be cancelled.
pub const IMS_ORDER_NOT_CANCELLABLE: ims_status = 914;
/// Only a shipped or partially shipped order can be closed.
pub const IMS_ORDER_NOT_CLOSABLE: ims_status = 915;
/// A shipment with this code exists.
pub const IMS_SHIPMENT_ID_CONFLICT: ims_status = 920;
/// The package travels in another shipment already.
pub const IMS_PACKAGE_IN_OTHER_SHIPMENT: ims_status = 921;
/// Only a created shipment can be picked up.
pub const IMS_SHIPMENT_NOT_AWAITING_PICKUP: ims_status = 922;
/// Only a picked-up shipment, or one in exception, can go in transit.
pub const IMS_SHIPMENT_CANNOT_GO_IN_TRANSIT: ims_status = 923;
/// Only a shipment in transit, or in exception, can be delivered.
pub const IMS_SHIPMENT_NOT_DELIVERABLE: ims_status = 924;
/// Only a picked-up or in-transit shipment can report an exception.
pub const IMS_SHIPMENT_EXCEPTION_NOT_ALLOWED: ims_status = 925;
/// An RMA code is already used.
pub const IMS_RMA_ID_CONFLICT: ims_status = 950;
/// A return exceeds what was shipped and is not yet authorised on other RMAs.
pub const IMS_RETURN_EXCEEDS_SHIPPED: ims_status = 951;
/// The return window of the order line has closed.
pub const IMS_RETURN_WINDOW_CLOSED: ims_status = 952;
/// The RMA was cancelled.
pub const IMS_RMA_CANCELLED: ims_status = 953;
/// The RMA is closed.
pub const IMS_RMA_CLOSED: ims_status = 954;
/// A return receipt exceeds what is authorised and not yet received.
pub const IMS_RECEIVE_EXCEEDS_AUTHORISED: ims_status = 955;
/// Grading exceeds what was received and is not yet graded.
pub const IMS_GRADE_EXCEEDS_UNGRADED: ims_status = 956;
/// A grade's destination does not fit the grade.
pub const IMS_GRADE_DESTINATION_INVALID: ims_status = 957;
/// An RMA cannot close while received stock is ungraded.
pub const IMS_RMA_UNGRADED_STOCK: ims_status = 958;
/// An RMA with receipts cannot be cancelled.
pub const IMS_RMA_HAS_RECEIPTS: ims_status = 959;
/// A barcode is already assigned to another item or unit.
pub const IMS_BARCODE_CONFLICT: ims_status = 960;
/// Kits do not nest: a component may not be a kit, nor a kit a component.
pub const IMS_NESTED_KIT: ims_status = 961;
/// A channel pool code is in use for another channel or item.
pub const IMS_CHANNEL_POOL_CONFLICT: ims_status = 1000;
/// An item's costs, or a scope's items, name more than one currency.
pub const IMS_MIXED_CURRENCIES: ims_status = 1010;
/// A saved plan with this code exists.
pub const IMS_PLAN_EXISTS: ims_status = 1020;
/// The proposal was already accepted as a purchase order.
pub const IMS_PROPOSAL_ALREADY_ACCEPTED: ims_status = 1021;
/// A policy cannot be derived: no demand in the history window.
pub const IMS_NO_DEMAND_HISTORY: ims_status = 1022;

/// Each status with its name, for `ims_status_name`.
pub(crate) static NAMES: &[(ims_status, &CStr)] = &[
    (IMS_INVALID_COMMAND, c"INVALID_COMMAND"),
    (IMS_INVALID_CODE, c"INVALID_CODE"),
    (IMS_INVALID_QUANTITY, c"INVALID_QUANTITY"),
    (IMS_QUANTITY_SCALE_EXCEEDED, c"QUANTITY_SCALE_EXCEEDED"),
    (IMS_INEXACT_UNIT_CONVERSION, c"INEXACT_UNIT_CONVERSION"),
    (IMS_QUANTITY_OVERFLOW, c"QUANTITY_OVERFLOW"),
    (IMS_INVALID_SCALE, c"INVALID_SCALE"),
    (IMS_UNKNOWN_UNIT, c"UNKNOWN_UNIT"),
    (IMS_INVALID_DURATION, c"INVALID_DURATION"),
    (IMS_EMPTY_SCOPE, c"EMPTY_SCOPE"),
    (IMS_INVALID_UTC_OFFSET, c"INVALID_UTC_OFFSET"),
    (IMS_SAME_LOCATION, c"SAME_LOCATION"),
    (IMS_INEXACT_NUMBER, c"INEXACT_NUMBER"),
    (IMS_NAIVE_DATETIME, c"NAIVE_DATETIME"),
    (IMS_NULL_ARGUMENT, c"NULL_ARGUMENT"),
    (IMS_INVALID_UTF8, c"INVALID_UTF8"),
    (IMS_INVALID_SUPPLIER_TERM, c"INVALID_SUPPLIER_TERM"),
    (IMS_NO_LINES, c"NO_LINES"),
    (IMS_GRN_LINE_REFERENCE_MISSING, c"GRN_LINE_REFERENCE_MISSING"),
    (IMS_INSPECTION_FIELD_MISSING, c"INSPECTION_FIELD_MISSING"),
    (IMS_PUTAWAY_RULE_AMBIGUOUS, c"PUTAWAY_RULE_AMBIGUOUS"),
    (IMS_INVALID_TOLERANCE, c"INVALID_TOLERANCE"),
    (IMS_EMPTY_LINES, c"EMPTY_LINES"),
    (IMS_DUPLICATE_COUNT_LINE, c"DUPLICATE_COUNT_LINE"),
    (IMS_DUPLICATE_ORDER_LINE, c"DUPLICATE_ORDER_LINE"),
    (IMS_EMPTY_FULFILLMENT_LIST, c"EMPTY_FULFILLMENT_LIST"),
    (IMS_INVALID_RATE_TABLE, c"INVALID_RATE_TABLE"),
    (IMS_INVALID_WEIGHT, c"INVALID_WEIGHT"),
    (IMS_DUPLICATE_ENTRY, c"DUPLICATE_ENTRY"),
    (IMS_INVALID_BARCODE, c"INVALID_BARCODE"),
    (IMS_BARCODE_CHECK_DIGIT, c"BARCODE_CHECK_DIGIT"),
    (IMS_INVALID_EPC, c"INVALID_EPC"),
    (IMS_KIT_CONTAINS_ITSELF, c"KIT_CONTAINS_ITSELF"),
    (IMS_INVALID_LINES, c"INVALID_LINES"),
    (IMS_CHANNEL_POOL_SIZE, c"CHANNEL_POOL_SIZE"),
    (IMS_INVALID_PARAMETER, c"INVALID_PARAMETER"),
    (IMS_INVALID_UNIT_COST, c"INVALID_UNIT_COST"),
    (IMS_INVALID_PERIOD, c"INVALID_PERIOD"),
    (IMS_INVALID_CLASS_THRESHOLDS, c"INVALID_CLASS_THRESHOLDS"),
    (IMS_INVALID_AGE_BUCKETS, c"INVALID_AGE_BUCKETS"),
    (IMS_INVALID_POLICY, c"INVALID_POLICY"),
    (IMS_UNKNOWN_ITEM, c"UNKNOWN_ITEM"),
    (IMS_UNKNOWN_LOCATION, c"UNKNOWN_LOCATION"),
    (IMS_UNKNOWN_LOT, c"UNKNOWN_LOT"),
    (IMS_UNKNOWN_RESERVATION, c"UNKNOWN_RESERVATION"),
    (IMS_UNKNOWN_RECEIPT, c"UNKNOWN_RECEIPT"),
    (IMS_UNKNOWN_MOVE, c"UNKNOWN_MOVE"),
    (IMS_UNKNOWN_SUPPLIER, c"UNKNOWN_SUPPLIER"),
    (IMS_UNKNOWN_PURCHASE_ORDER, c"UNKNOWN_PURCHASE_ORDER"),
    (IMS_UNKNOWN_PO_LINE, c"UNKNOWN_PO_LINE"),
    (IMS_UNKNOWN_GOODS_RECEIPT, c"UNKNOWN_GOODS_RECEIPT"),
    (IMS_UNKNOWN_GRN_LINE, c"UNKNOWN_GRN_LINE"),
    (IMS_UNKNOWN_SUPPLIER_ITEM, c"UNKNOWN_SUPPLIER_ITEM"),
    (IMS_UNKNOWN_BIN, c"UNKNOWN_BIN"),
    (IMS_UNKNOWN_COUNT_TASK, c"UNKNOWN_COUNT_TASK"),
    (IMS_UNKNOWN_TRANSFER, c"UNKNOWN_TRANSFER"),
    (IMS_UNKNOWN_TRANSFER_LINE, c"UNKNOWN_TRANSFER_LINE"),
    (IMS_UNKNOWN_SALES_ORDER, c"UNKNOWN_SALES_ORDER"),
    (IMS_UNKNOWN_ORDER_LINE, c"UNKNOWN_ORDER_LINE"),
    (IMS_UNKNOWN_PICK_LIST, c"UNKNOWN_PICK_LIST"),
    (IMS_UNKNOWN_PICK_TASK, c"UNKNOWN_PICK_TASK"),
    (IMS_UNKNOWN_PACKAGE, c"UNKNOWN_PACKAGE"),
    (IMS_UNKNOWN_CARRIER, c"UNKNOWN_CARRIER"),
    (IMS_UNKNOWN_CARRIER_SERVICE, c"UNKNOWN_CARRIER_SERVICE"),
    (IMS_UNKNOWN_SHIPMENT, c"UNKNOWN_SHIPMENT"),
    (IMS_UNKNOWN_RMA, c"UNKNOWN_RMA"),
    (IMS_UNKNOWN_BARCODE, c"UNKNOWN_BARCODE"),
    (IMS_UNKNOWN_KIT, c"UNKNOWN_KIT"),
    (IMS_UNKNOWN_KIT_RESERVATION, c"UNKNOWN_KIT_RESERVATION"),
    (IMS_UNKNOWN_RMA_LINE, c"UNKNOWN_RMA_LINE"),
    (IMS_UNKNOWN_CHANNEL, c"UNKNOWN_CHANNEL"),
    (IMS_UNKNOWN_CHANNEL_POOL, c"UNKNOWN_CHANNEL_POOL"),
    (IMS_UNKNOWN_POLICY, c"UNKNOWN_POLICY"),
    (IMS_UNKNOWN_PLAN, c"UNKNOWN_PLAN"),
    (IMS_UNKNOWN_PROPOSAL, c"UNKNOWN_PROPOSAL"),
    (IMS_ITEM_ARCHIVED, c"ITEM_ARCHIVED"),
    (IMS_SCALE_CHANGE_WITH_STOCK, c"SCALE_CHANGE_WITH_STOCK"),
    (IMS_LOCATION_REDEFINED, c"LOCATION_REDEFINED"),
    (IMS_WRONG_LOCATION_KIND, c"WRONG_LOCATION_KIND"),
    (IMS_LOT_REQUIRED, c"LOT_REQUIRED"),
    (IMS_LOT_NOT_TRACKED, c"LOT_NOT_TRACKED"),
    (IMS_LOT_EXPIRY_MISMATCH, c"LOT_EXPIRY_MISMATCH"),
    (IMS_SERIAL_QUANTITY, c"SERIAL_QUANTITY"),
    (IMS_MOVE_ALREADY_REVERSED, c"MOVE_ALREADY_REVERSED"),
    (IMS_TRACKING_CHANGE_WITH_STOCK, c"TRACKING_CHANGE_WITH_STOCK"),
    (IMS_RECEIPT_ID_CONFLICT, c"RECEIPT_ID_CONFLICT"),
    (IMS_BELOW_COMMITTED, c"BELOW_COMMITTED"),
    (IMS_INSUFFICIENT_STOCK, c"INSUFFICIENT_STOCK"),
    (IMS_INSUFFICIENT_AVAILABLE, c"INSUFFICIENT_AVAILABLE"),
    (IMS_RESERVATION_ID_CONFLICT, c"RESERVATION_ID_CONFLICT"),
    (IMS_RESERVATION_ALREADY_COMMITTED, c"RESERVATION_ALREADY_COMMITTED"),
    (IMS_RESERVATION_ALREADY_RELEASED, c"RESERVATION_ALREADY_RELEASED"),
    (IMS_RESERVATION_EXPIRED, c"RESERVATION_EXPIRED"),
    (IMS_OVER_COMMIT, c"OVER_COMMIT"),
    (IMS_COMMIT_BUCKETS_MISMATCH, c"COMMIT_BUCKETS_MISMATCH"),
    (IMS_EXISTS_WITH_DIFFERENT_COMMAND, c"EXISTS_WITH_DIFFERENT_COMMAND"),
    (IMS_ENVELOPE_OUT_OF_ORDER, c"ENVELOPE_OUT_OF_ORDER"),
    (IMS_BATCH_REFUSED, c"BATCH_REFUSED"),
    (IMS_CLIENT_KEY_REQUIRED, c"CLIENT_KEY_REQUIRED"),
    (IMS_QUEUE_FULL, c"QUEUE_FULL"),
    (IMS_QUEUE_TOO_OLD, c"QUEUE_TOO_OLD"),
    (IMS_SNAPSHOT_REQUIRED, c"SNAPSHOT_REQUIRED"),
    (IMS_NOT_IN_SLICE, c"NOT_IN_SLICE"),
    (IMS_NOT_ALLOWED_ON_REPLICA, c"NOT_ALLOWED_ON_REPLICA"),
    (IMS_SYNC_RESPONSE_MISMATCH, c"SYNC_RESPONSE_MISMATCH"),
    (IMS_INVALID_SNAPSHOT, c"INVALID_SNAPSHOT"),
    (IMS_STORAGE, c"STORAGE"),
    (IMS_ENGINE_POISONED, c"ENGINE_POISONED"),
    (IMS_LIMIT_EXCEEDED, c"LIMIT_EXCEEDED"),
    (IMS_ENGINE_CLOSED, c"ENGINE_CLOSED"),
    (IMS_INVALID_HANDLE, c"INVALID_HANDLE"),
    (IMS_INTERNAL, c"INTERNAL"),
    (IMS_PREFERRED_SUPPLIER_CONFLICT, c"PREFERRED_SUPPLIER_CONFLICT"),
    (IMS_PO_EXISTS, c"PO_EXISTS"),
    (IMS_GRN_EXISTS, c"GRN_EXISTS"),
    (IMS_RTV_EXISTS, c"RTV_EXISTS"),
    (IMS_PO_NOT_DRAFT, c"PO_NOT_DRAFT"),
    (IMS_PO_NOT_CONFIRMED, c"PO_NOT_CONFIRMED"),
    (IMS_PO_CANCELLED, c"PO_CANCELLED"),
    (IMS_PO_CLOSED, c"PO_CLOSED"),
    (IMS_PO_HAS_RECEIPTS, c"PO_HAS_RECEIPTS"),
    (IMS_BELOW_MIN_ORDER_QTY, c"BELOW_MIN_ORDER_QTY"),
    (IMS_NOT_ORDER_MULTIPLE, c"NOT_ORDER_MULTIPLE"),
    (IMS_OVER_RECEIPT, c"OVER_RECEIPT"),
    (IMS_RECEIPT_WITHOUT_PO, c"RECEIPT_WITHOUT_PO"),
    (IMS_PO_LINE_ITEM_MISMATCH, c"PO_LINE_ITEM_MISMATCH"),
    (IMS_INSPECT_EXCEEDS_UNINSPECTED, c"INSPECT_EXCEEDS_UNINSPECTED"),
    (IMS_NOT_IN_INSPECTION, c"NOT_IN_INSPECTION"),
    (IMS_PO_SUPPLIER_MISMATCH, c"PO_SUPPLIER_MISMATCH"),
    (IMS_BIN_CAPACITY_EXCEEDED, c"BIN_CAPACITY_EXCEEDED"),
    (IMS_BIN_MIXES_ITEMS, c"BIN_MIXES_ITEMS"),
    (IMS_BIN_MIXES_LOTS, c"BIN_MIXES_LOTS"),
    (IMS_PUTAWAY_NO_ROOM, c"PUTAWAY_NO_ROOM"),
    (IMS_COUNT_TASK_EXISTS, c"COUNT_TASK_EXISTS"),
    (IMS_COUNT_ALREADY_ENTERED, c"COUNT_ALREADY_ENTERED"),
    (IMS_COUNT_ALREADY_APPROVED, c"COUNT_ALREADY_APPROVED"),
    (IMS_COUNT_CANCELLED, c"COUNT_CANCELLED"),
    (IMS_COUNT_NOT_PENDING_APPROVAL, c"COUNT_NOT_PENDING_APPROVAL"),
    (IMS_COUNT_LINE_OUT_OF_SCOPE, c"COUNT_LINE_OUT_OF_SCOPE"),
    (IMS_TRANSFER_EXISTS, c"TRANSFER_EXISTS"),
    (IMS_TRANSFER_SAME_SITE, c"TRANSFER_SAME_SITE"),
    (IMS_TRANSIT_INSIDE_SITE, c"TRANSIT_INSIDE_SITE"),
    (IMS_TRANSFER_ALREADY_SHIPPED, c"TRANSFER_ALREADY_SHIPPED"),
    (IMS_TRANSFER_CANCELLED, c"TRANSFER_CANCELLED"),
    (IMS_TRANSFER_NOT_SHIPPED, c"TRANSFER_NOT_SHIPPED"),
    (IMS_TRANSFER_ALREADY_RECEIVED, c"TRANSFER_ALREADY_RECEIVED"),
    (IMS_TRANSFER_OVER_RECEIPT, c"TRANSFER_OVER_RECEIPT"),
    (IMS_TRANSIT_SELLABLE, c"TRANSIT_SELLABLE"),
    (IMS_SALES_ORDER_ID_CONFLICT, c"SALES_ORDER_ID_CONFLICT"),
    (IMS_ORDER_NOT_ALLOCATABLE, c"ORDER_NOT_ALLOCATABLE"),
    (IMS_ORDER_NOT_PICKABLE, c"ORDER_NOT_PICKABLE"),
    (IMS_NOTHING_TO_PICK, c"NOTHING_TO_PICK"),
    (IMS_PICK_LIST_ID_CONFLICT, c"PICK_LIST_ID_CONFLICT"),
    (IMS_PICK_TASK_ALREADY_CONFIRMED, c"PICK_TASK_ALREADY_CONFIRMED"),
    (IMS_OVER_PICK, c"OVER_PICK"),
    (IMS_PICK_TASK_STALE, c"PICK_TASK_STALE"),
    (IMS_ORDER_NOT_PACKABLE, c"ORDER_NOT_PACKABLE"),
    (IMS_PACKAGE_ID_CONFLICT, c"PACKAGE_ID_CONFLICT"),
    (IMS_OVER_PACK, c"OVER_PACK"),
    (IMS_ORDER_NOT_SHIPPABLE, c"ORDER_NOT_SHIPPABLE"),
    (IMS_PACKAGE_NOT_IN_ORDER, c"PACKAGE_NOT_IN_ORDER"),
    (IMS_PACKAGE_ALREADY_SHIPPED, c"PACKAGE_ALREADY_SHIPPED"),
    (IMS_ORDER_NOT_CANCELLABLE, c"ORDER_NOT_CANCELLABLE"),
    (IMS_ORDER_NOT_CLOSABLE, c"ORDER_NOT_CLOSABLE"),
    (IMS_SHIPMENT_ID_CONFLICT, c"SHIPMENT_ID_CONFLICT"),
    (IMS_PACKAGE_IN_OTHER_SHIPMENT, c"PACKAGE_IN_OTHER_SHIPMENT"),
    (IMS_SHIPMENT_NOT_AWAITING_PICKUP, c"SHIPMENT_NOT_AWAITING_PICKUP"),
    (IMS_SHIPMENT_CANNOT_GO_IN_TRANSIT, c"SHIPMENT_CANNOT_GO_IN_TRANSIT"),
    (IMS_SHIPMENT_NOT_DELIVERABLE, c"SHIPMENT_NOT_DELIVERABLE"),
    (IMS_SHIPMENT_EXCEPTION_NOT_ALLOWED, c"SHIPMENT_EXCEPTION_NOT_ALLOWED"),
    (IMS_RMA_ID_CONFLICT, c"RMA_ID_CONFLICT"),
    (IMS_RETURN_EXCEEDS_SHIPPED, c"RETURN_EXCEEDS_SHIPPED"),
    (IMS_RETURN_WINDOW_CLOSED, c"RETURN_WINDOW_CLOSED"),
    (IMS_RMA_CANCELLED, c"RMA_CANCELLED"),
    (IMS_RMA_CLOSED, c"RMA_CLOSED"),
    (IMS_RECEIVE_EXCEEDS_AUTHORISED, c"RECEIVE_EXCEEDS_AUTHORISED"),
    (IMS_GRADE_EXCEEDS_UNGRADED, c"GRADE_EXCEEDS_UNGRADED"),
    (IMS_GRADE_DESTINATION_INVALID, c"GRADE_DESTINATION_INVALID"),
    (IMS_RMA_UNGRADED_STOCK, c"RMA_UNGRADED_STOCK"),
    (IMS_RMA_HAS_RECEIPTS, c"RMA_HAS_RECEIPTS"),
    (IMS_BARCODE_CONFLICT, c"BARCODE_CONFLICT"),
    (IMS_NESTED_KIT, c"NESTED_KIT"),
    (IMS_CHANNEL_POOL_CONFLICT, c"CHANNEL_POOL_CONFLICT"),
    (IMS_MIXED_CURRENCIES, c"MIXED_CURRENCIES"),
    (IMS_PLAN_EXISTS, c"PLAN_EXISTS"),
    (IMS_PROPOSAL_ALREADY_ACCEPTED, c"PROPOSAL_ALREADY_ACCEPTED"),
    (IMS_NO_DEMAND_HISTORY, c"NO_DEMAND_HISTORY"),
];
