//! Channels (140 form, 260 references, 1000 state), planning (141–144 pure
//! functions, 150 form, 270 references, 1020 state) and demand-flow form
//! (145–149).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! planning_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
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
        );
    };
}
