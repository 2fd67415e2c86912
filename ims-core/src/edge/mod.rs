//! Edge mode: replicas that keep selling offline and sync later without
//! overselling or losing a sale (DESIGN §7).
//!
//! * A [`Replica`] starts from the authority's snapshot, answers for a
//!   [`Slice`] of it (some items, some location subtrees; by default all),
//!   and follows the authority's journal by `seq`.
//! * Local commands run optimistically on the replica's view and are
//!   queued with their client keys ([`QueueLimits`] bound the queue).
//! * [`Replica::sync_request`] → [`Engine::sync`] on the authority →
//!   [`Replica::receive`]: the authority executes each queued command
//!   idempotently and answers with verdicts, [`Conflict`] reports and the
//!   journal tail; the replica applies the tail and rebases its view.
//! * A till's `sell` is a fact: the authority records it even when the book
//!   stock is short, and reports the shortfall (a count is due, and any
//!   reservation it shorted). A reservation is a request: the authority may
//!   refuse it, and the report offers a refund or a backorder.
//!
//! After a sync with nothing left queued, the replica's base is the
//! authority's state at `head_seq`: equal full digests, and equal
//! [`Engine::slice_digest`] for its slice.
//!
//! [`Engine::sync`]: crate::Engine::sync
//! [`Engine::slice_digest`]: crate::Engine::slice_digest

mod conflict;
mod replica;
mod slice;
mod sync;

pub use conflict::{Compensation, Conflict, ConflictKind};
pub use replica::{Pending, QueueLimits, Replica, SyncReport};
pub use slice::Slice;
pub use sync::{SyncOptions, SyncRequest, SyncResponse, SyncResult, Verdict, RESPONSE_MAGIC};
