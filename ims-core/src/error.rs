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
    /// A command in an atomic batch failed; nothing of the batch was applied.
    #[error("atomic batch refused at command {index}: {source}")]
    BatchRefused {
        /// Zero-based index of the failing command.
        index: u32,
        /// Why it failed.
        source: Box<Error>,
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
    /// The transit location is flagged sellable: stock in transit must never be.
    #[error("transit location {transit} is sellable; stock in transit must not be")]
    TransitSellable {
        /// The transit location.
        transit: String,
    },
}

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
    PutawayRuleAmbiguous = 125, "PUTAWAY_RULE_AMBIGUOUS", false, "a putaway rule names more than one of item, category and lot status";
    InvalidTolerance = 126, "INVALID_TOLERANCE", false, "a count tolerance is negative or given both in percent and in units";
    EmptyLines = 127, "EMPTY_LINES", false, "a document or rule needs at least one line or zone";
    DuplicateCountLine = 128, "DUPLICATE_COUNT_LINE", false, "a count entry names the same item, location and lot twice";
    UnknownItem = 200, "UNKNOWN_ITEM", false, "no item has this code";
    UnknownLocation = 201, "UNKNOWN_LOCATION", false, "no location has this code";
    UnknownLot = 202, "UNKNOWN_LOT", false, "the item has no lot with this code";
    UnknownReservation = 203, "UNKNOWN_RESERVATION", false, "no reservation has this id";
    UnknownReceipt = 204, "UNKNOWN_RECEIPT", false, "no scheduled receipt has this id";
    UnknownMove = 205, "UNKNOWN_MOVE", false, "no move has this id";
    UnknownBin = 230, "UNKNOWN_BIN", false, "the location has no bin profile";
    UnknownCountTask = 231, "UNKNOWN_COUNT_TASK", false, "no count task has this code";
    UnknownTransfer = 232, "UNKNOWN_TRANSFER", false, "no transfer has this code";
    UnknownTransferLine = 233, "UNKNOWN_TRANSFER_LINE", false, "the transfer has no line with this number";
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
    InvalidSnapshot = 700, "INVALID_SNAPSHOT", false, "a snapshot could not be decoded";
    Storage = 701, "STORAGE", true, "the storage port refused a write; nothing was applied";
    EnginePoisoned = 702, "ENGINE_POISONED", false, "an earlier internal failure poisoned the shared handle";
    LimitExceeded = 703, "LIMIT_EXCEEDED", false, "input beyond a hard limit";
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        for w in CATALOGUE.windows(2) {
            assert!(w[0].code < w[1].code, "{} then {}", w[0].name, w[1].name);
        }
        let mut names: Vec<_> = CATALOGUE.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len());
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
