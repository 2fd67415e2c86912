//! Envelopes, batches and idempotency (600).
//!
//! Variants of [`super::Error`], in catalogue order: this macro appends them
//! to the variants gathered so far and hands all of them to the next
//! group's macro (see `error_enum!` in the module above).

macro_rules! batch_variants {
    ($next:ident $(, $more:ident)* ; $($gathered:tt)*) => {
        $next!($($more),* ; $($gathered)*
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
        );
    };
}
