//! Persistence and the host (700).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! host_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
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
        );
    };
}
