//! Demand flow state (1010–1019).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! demand_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
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
        );
    };
}
