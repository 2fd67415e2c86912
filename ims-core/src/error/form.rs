//! Form: the command itself is malformed (100–139: codes, quantities, units;
//! fulfillment and logistics form 130–134; returns, scanning, kits 135–139).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! form_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
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
        );
    };
}
