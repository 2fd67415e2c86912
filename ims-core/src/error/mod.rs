//! The error catalogue: every refusal the engine can give, each with a stable
//! numeric code and a stable SCREAMING_SNAKE name that are never reused.
//!
//! **Precedence.** A command is checked in the order of this catalogue's
//! groups: form (codes, quantities, units) first, then references (unknown
//! item, location, lot, reservation), then state (archived, stock,
//! reservation status, idempotency). Only the first applicable error is
//! returned. Codes are grouped by hundreds so groups can grow.

use rust_decimal::Decimal;
use serde::Serialize;

/// Every error the engine returns. `code()`, `name()` and `retryable()` are
/// stable across versions; the data says what a caller needs to act.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "name", rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Error {
    // --- 100: form ---
    /// A command or document could not be decoded.
    #[error("invalid command: {reason}")]
    InvalidCommand {
        /// What the decoder said.
        reason: String,
    },
    /// A code is empty, too long or holds control characters.
    #[error("invalid code in {field}: {code:?}")]
    InvalidCode {
        /// The field.
        field: &'static str,
        /// The code as given.
        code: String,
    },
    /// A quantity that must be positive is zero or negative.
    #[error("{field} must be positive, got {qty}")]
    InvalidQuantity {
        /// The field.
        field: &'static str,
        /// The value as given.
        qty: Decimal,
    },
    /// A quantity has more decimal places than the item's scale allows.
    #[error("{qty} is finer than item {item}'s scale of {scale} decimal places")]
    QuantityScaleExceeded {
        /// The item.
        item: String,
        /// The quantity as given.
        qty: Decimal,
        /// The item's scale.
        scale: u8,
    },
    /// A quantity in an alternative unit does not convert exactly and no
    /// rounding mode was named.
    #[error("{qty} {unit} of {item} is not a whole number of its smallest unit; name a rounding mode")]
    InexactUnitConversion {
        /// The item.
        item: String,
        /// The unit.
        unit: String,
        /// The quantity as given.
        qty: Decimal,
    },
    /// A quantity or a sum does not fit the engine's 64-bit counters.
    #[error("quantity overflow")]
    QuantityOverflow,
    /// An item's scale is above 9.
    #[error("scale {scale} is above the maximum of 9")]
    InvalidScale {
        /// The scale as given.
        scale: u8,
    },
    /// A unit is not defined for the item.
    #[error("unit {unit:?} is not defined for item {item}")]
    UnknownUnit {
        /// The item.
        item: String,
        /// The unit.
        unit: String,
    },
    /// A duration (TTL) is zero or negative.
    #[error("{field} must be a positive duration, got {value}")]
    InvalidDuration {
        /// The field.
        field: &'static str,
        /// The value in ms.
        value: i64,
    },
    /// A scope names no location.
    #[error("scope names no location")]
    EmptyScope,
    /// A UTC offset is outside -14h..+14h.
    #[error("utc offset {minutes} min is outside -840..=840")]
    InvalidUtcOffset {
        /// Minutes as given.
        minutes: i32,
    },
    /// A move names the same location on both sides.
    #[error("move from {location} to itself")]
    SameLocation {
        /// The location.
        location: String,
    },
    /// A door received a number it cannot hold exactly: a binary float, a
    /// NaN or an infinity where a quantity, price or count is expected. The
    /// core never sees one (its JSON carries decimals as strings); the
    /// Python, JavaScript and C doors refuse them before decoding.
    #[error("{field}: {value} is not an exact number; give a decimal, an integer or a string")]
    InexactNumber {
        /// The field (a dotted path inside the command).
        field: String,
        /// The value as the host printed it.
        value: String,
    },
    /// A door received a date-time without a time zone: the engine's times
    /// are instants (ms UTC), and guessing the zone would shift them.
    #[error("{field}: a date-time without a time zone; give an aware one")]
    NaiveDatetime {
        /// The field (a dotted path inside the command).
        field: String,
    },
    /// A door was given a NULL pointer where it needs an argument (the C
    /// door; a NULL output pointer too).
    #[error("{what} is NULL")]
    NullArgument {
        /// The argument.
        what: &'static str,
    },
    /// A door was given text that is not UTF-8 (the C door checks every
    /// string it is given).
    #[error("{what} is not valid UTF-8 (first bad byte at {at})")]
    InvalidUtf8 {
        /// The argument.
        what: &'static str,
        /// Offset of the first byte that is not UTF-8.
        at: u64,
    },
    /// A putaway rule names more than one of item, category and lot status.
    #[error("putaway rule {rule} names more than one of item, category and lot status")]
    PutawayRuleAmbiguous {
        /// The rule.
        rule: String,
    },
    /// A count tolerance is negative, or given both in percent and in units.
    #[error("invalid count tolerance: {reason}")]
    InvalidTolerance {
        /// What is wrong.
        reason: &'static str,
    },
    /// A document needs at least one line (or zone) and was given none.
    #[error("{field} is empty")]
    EmptyLines {
        /// The field.
        field: &'static str,
    },
    /// A count entry names the same (item, location, lot) twice.
    #[error("count line {item} at {location} (lot {lot:?}) is given twice")]
    DuplicateCountLine {
        /// The item.
        item: String,
        /// The location.
        location: String,
        /// The lot.
        lot: Option<String>,
    },

    /// A supplier or order term is out of range (a negative price or lead
    /// time, a tolerance outside 0..=1000 %, an under-tolerance above 100 %,
    /// a minimum or multiple that is not positive).
    #[error("{field} is out of range: {value}")]
    InvalidSupplierTerm {
        /// The field.
        field: &'static str,
        /// The value as given.
        value: Decimal,
    },
    /// A purchase order, goods receipt or inspection names no line.
    #[error("{document} has no lines")]
    NoLines {
        /// The document's code.
        document: String,
    },
    /// A goods-receipt line lacks what identifies it: `po_line` on a
    /// receipt against an order, `item` on one without.
    #[error("goods receipt {grn} line {line} needs {field}")]
    GrnLineReferenceMissing {
        /// The GRN.
        grn: String,
        /// The line number (from 1, in the command's order).
        line: u32,
        /// The missing field.
        field: &'static str,
    },
    /// An inspection lacks a field its quantities need: `to` for a pass,
    /// `reason` and one of `quarantine` / `return_to_vendor` for a fail.
    #[error("inspection of {grn} line {line} needs {field}")]
    InspectionFieldMissing {
        /// The GRN.
        grn: String,
        /// The line.
        line: u32,
        /// The missing field (or the two that conflict).
        field: &'static str,
    },

    // --- 130: fulfillment and logistics form ---
    /// A sales order names the same line twice.
    #[error("sales order {order} names line {line} twice")]
    DuplicateOrderLine {
        /// The order.
        order: String,
        /// The line.
        line: String,
    },
    /// A list that must hold something is empty (order lines, pick list
    /// orders, package contents, shipped packages, carrier services).
    #[error("{field} must not be empty")]
    EmptyFulfillmentList {
        /// Which list.
        field: &'static str,
    },
    /// A carrier's rate table is malformed.
    #[error("carrier {carrier}: {reason}")]
    InvalidRateTable {
        /// The carrier.
        carrier: String,
        /// What is wrong.
        reason: String,
    },
    /// A weight that must be positive is zero or negative.
    #[error("{field} must be positive, got {weight_kg}")]
    InvalidWeight {
        /// Which field.
        field: &'static str,
        /// The weight given.
        weight_kg: Decimal,
    },
    /// A list names the same entry twice (an order in a pick list, a line in
    /// a package, a package in a shipment).
    #[error("{field} names {code} twice")]
    DuplicateEntry {
        /// Which list.
        field: &'static str,
        /// The repeated entry.
        code: String,
    },
    // returns, scanning, kits: 135–139
    /// A barcode is not a GTIN-8, -12, -13 or -14 (digits only).
    #[error("barcode {barcode:?} is malformed: {reason}")]
    InvalidBarcode {
        /// The barcode as given.
        barcode: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A GTIN's check digit does not match its other digits.
    #[error("barcode {barcode} has a wrong check digit: expected {expected}")]
    BarcodeCheckDigit {
        /// The barcode as given.
        barcode: String,
        /// The check digit its other digits give.
        expected: u8,
    },
    /// An RFID EPC is not a valid SGTIN-96 (24 hex characters).
    #[error("EPC {epc:?} is not a valid SGTIN-96: {reason}")]
    InvalidEpc {
        /// The EPC as given.
        epc: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A kit lists itself among its components.
    #[error("kit {kit} lists itself as a component")]
    KitContainsItself {
        /// The kit.
        kit: String,
    },
    /// A document has no lines, or lists the same item twice.
    #[error("invalid lines in {document}: {reason}")]
    InvalidLines {
        /// The kind of document (`rma`, `kit`, ...).
        document: &'static str,
        /// What is wrong.
        reason: String,
    },

    // --- 200: references ---
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

    // --- 240: fulfillment and logistics documents ---
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

    // --- 300: catalog state ---
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

    // --- 400: stock ---
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

    // --- 500: reservations ---
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

    // --- 600: envelopes, batches, idempotency ---
    /// A client key was used before for a different command.
    #[error("client key {key:?} was used for a different command")]
    ExistsWithDifferentCommand {
        /// The key.
        key: String,
    },
    /// An envelope arrived out of sequence.
    #[error("envelope seq {got} out of order: expected {expected}")]
    EnvelopeOutOfOrder {
        /// The next seq the engine expects.
        expected: u64,
        /// The seq that arrived.
        got: u64,
    },
    /// A replica queues only commands with a client key: the key is what
    /// makes the later sync retry-safe.
    #[error("a replica needs a client key on every command ({command} has none)")]
    ClientKeyRequired {
        /// The command's type.
        command: String,
    },
    /// The replica's queue of unsynced commands is full. Sync, then retry.
    #[error("replica queue full ({max} commands): sync first")]
    QueueFull {
        /// The limit.
        max: u64,
    },
    /// The oldest unsynced command is older than the queue allows. Sync,
    /// then retry.
    #[error("oldest unsynced command is from {oldest_at}, older than {max_age_ms} ms: sync first")]
    QueueTooOld {
        /// When the oldest queued command occurred.
        oldest_at: i64,
        /// The limit.
        max_age_ms: i64,
    },
    /// The replica is further behind the authority than the journal tail it
    /// may be sent: it must restart from a fresh snapshot.
    #[error("replica is {behind} envelopes behind (at most {max} are sent as a tail): take a fresh snapshot")]
    SnapshotRequired {
        /// Envelopes between the replica and the authority.
        behind: u64,
        /// The longest tail the authority sends.
        max: u64,
    },
    /// A replica command names an item or location outside its slice.
    #[error("{what} {code:?} is outside the replica's slice")]
    NotInSlice {
        /// `item`, `location` or `scope`.
        what: &'static str,
        /// The code.
        code: String,
    },
    /// A command that only the authority may run (catalog, documents).
    #[error("{command} runs on the authority only, not on a replica")]
    NotAllowedOnReplica {
        /// The command's type.
        command: String,
    },
    /// A sync response that is not an answer to this replica.
    #[error("sync response mismatch: {reason}")]
    SyncResponseMismatch {
        /// What did not match.
        reason: String,
    },
    /// A command in an atomic batch failed; nothing of the batch was applied.
    #[error("atomic batch refused at command {index}: {source}")]
    BatchRefused {
        /// Zero-based index of the failing command.
        index: u32,
        /// Why it failed.
        source: Box<Error>,
    },

    // --- channels: 140 form, 260 references, 1000 state ---
    /// A pool names neither or both of `quota` and `all_but`.
    #[error("pool {pool} must name exactly one of quota and all_but")]
    ChannelPoolSize {
        /// The pool.
        pool: String,
    },
    /// No channel has this code.
    #[error("unknown channel {channel}")]
    UnknownChannel {
        /// The code.
        channel: String,
    },
    /// No pool has this code.
    #[error("unknown channel pool {pool}")]
    UnknownChannelPool {
        /// The code.
        pool: String,
    },
    /// A pool code is in use for another channel or item.
    #[error("channel pool {pool} belongs to another channel or item")]
    ChannelPoolConflict {
        /// The pool.
        pool: String,
    },

    // --- planning: 141-144 form (pure functions: policy, forecast) ---
    /// A parameter of a pure planning function (inventory theory,
    /// forecasting) is outside its domain: a negative cost, a probability
    /// outside (0, 1), a non-finite number, an empty series.
    #[error("{function}: parameter {param} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// The function called.
        function: &'static str,
        /// The parameter.
        param: &'static str,
        /// The value as given.
        value: String,
        /// The rule it breaks.
        reason: &'static str,
    },

    // --- planning: 150 form, 270 references, 1020 state ---
    /// A policy's levels contradict each other (S not above s, max below
    /// min, a zero order quantity or review period).
    #[error("policy of {item} at {location} is invalid: {reason}")]
    InvalidPolicy {
        /// The item.
        item: String,
        /// The location.
        location: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// The item has no policy at the location.
    #[error("no policy for {item} at {location}")]
    UnknownPolicy {
        /// The item.
        item: String,
        /// The location.
        location: String,
    },
    /// No saved plan has this code.
    #[error("unknown plan {plan}")]
    UnknownPlan {
        /// The code.
        plan: String,
    },
    /// The saved plan has no proposal with this id.
    #[error("plan {plan} has no proposal {proposal}")]
    UnknownProposal {
        /// The plan.
        plan: String,
        /// The proposal id.
        proposal: String,
    },
    /// A saved plan with this code exists.
    #[error("plan {plan} exists")]
    PlanExists {
        /// The code.
        plan: String,
    },
    /// The proposal was accepted before.
    #[error("proposal {proposal} of plan {plan} was accepted as purchase order {po}")]
    ProposalAlreadyAccepted {
        /// The plan.
        plan: String,
        /// The proposal.
        proposal: String,
        /// The order it became.
        po: String,
    },
    /// A policy cannot be derived: no demand in the history window.
    #[error("no demand for {item} at {location} in the last {days} days")]
    NoDemandHistory {
        /// The item.
        item: String,
        /// The location.
        location: String,
        /// Days looked at.
        days: u32,
    },

    // --- demand flow: 145-149 form ---
    /// A unit cost is negative.
    #[error("unit cost {unit_cost} of {item} is negative")]
    InvalidUnitCost {
        /// The item.
        item: String,
        /// The cost as given.
        unit_cost: Decimal,
    },
    /// A period ends before it begins.
    #[error("period from {from} to {to} ends before it begins")]
    InvalidPeriod {
        /// First day as given.
        from: String,
        /// Last day as given.
        to: String,
    },

    /// Class thresholds or count intervals are out of order or range.
    #[error("{classes} thresholds: {reason}")]
    InvalidClassThresholds {
        /// Which: `abc`, `xyz` or `count`.
        classes: &'static str,
        /// The rule they break.
        reason: &'static str,
    },
    /// Age bucket edges are empty or not strictly ascending.
    #[error("age buckets: {reason}")]
    InvalidAgeBuckets {
        /// The rule they break.
        reason: &'static str,
    },

    // --- 700: persistence and host ---
    /// A snapshot could not be decoded.
    #[error("invalid snapshot: {reason}")]
    InvalidSnapshot {
        /// What was wrong.
        reason: String,
    },
    /// The storage port refused a write; nothing was applied. Retryable.
    #[error("storage failure: {reason}")]
    Storage {
        /// What the storage said.
        reason: String,
    },
    /// A previous bug left the shared handle poisoned.
    #[error("engine poisoned by an earlier internal failure")]
    EnginePoisoned,
    /// Input beyond a hard limit (batch size, code count).
    #[error("limit exceeded: {what} (max {max})")]
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// Its value.
        max: u64,
    },
    /// A door's handle was closed (a durable engine after `close`); open it
    /// again to go on.
    #[error("the engine was closed")]
    EngineClosed,
    /// A C handle is not one the door gave out and has not freed: NULL,
    /// freed, stale (its slot reused since) or foreign.
    #[error("invalid handle: {reason}")]
    InvalidHandle {
        /// Which of those it is.
        reason: &'static str,
    },
    /// A door caught a panic (a bug in ims) before it crossed into the
    /// host; the call reported nothing done, and an engine it held is
    /// poisoned.
    #[error("internal failure in {call}; please report it")]
    Internal {
        /// The entry point.
        call: &'static str,
    },

    // --- 800: procurement state ---
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
    // --- 850: warehouse (putaway, counts, transfers) ---
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
    // --- 900: fulfillment and logistics state ---
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
    // --- 950: returns, scanning, kits (document state) ---
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
    // --- demand flow: 1010-1019 state ---
    /// An item's costs name more than one currency (or a scope's items
    /// do): valuation does not add amounts in different currencies.
    #[error("{item} is costed in {currency} and in {other}")]
    MixedCurrencies {
        /// The item.
        item: String,
        /// The currency seen first.
        currency: String,
        /// The other currency.
        other: String,
    },
    /// The transit location is flagged sellable: stock in transit must never be.
    #[error("transit location {transit} is sellable; stock in transit must not be")]
    TransitSellable {
        /// The transit location.
        transit: String,
    },
}

mod catalogue;

pub use catalogue::{catalogue, ErrorInfo};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        for w in catalogue().windows(2) {
            assert!(w[0].code < w[1].code, "{} then {}", w[0].name, w[1].name);
        }
        let mut names: Vec<_> = catalogue().iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), catalogue().len());
    }

    #[test]
    fn serialised_name_matches_catalogue() {
        let e = Error::UnknownItem { item: "X".into() };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["name"], e.name());
        assert_eq!(e.code(), 200);
        assert!(Error::Storage { reason: String::new() }.retryable());
    }
}
