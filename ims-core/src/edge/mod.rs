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
//! * A storefront in a browser starts from [`Engine::public_snapshot`] and
//!   follows [`Engine::public_tail`] (or syncs by [`Engine::public_sync`]):
//!   the same replica, fed a projection without costs, suppliers,
//!   customers, references, client keys, move history or operations
//!   documents ([`public`]).
//!
//! After a sync with nothing left queued, the replica's base is the
//! authority's state at `head_seq`: equal full digests, and equal
//! [`Engine::slice_digest`] for its slice.
//!
//! [`Engine::sync`]: crate::Engine::sync
//! [`Engine::slice_digest`]: crate::Engine::slice_digest
//! [`Engine::public_snapshot`]: crate::Engine::public_snapshot
//! [`Engine::public_tail`]: crate::Engine::public_tail
//! [`Engine::public_sync`]: crate::Engine::public_sync

mod conflict;
pub mod public;
mod replica;
mod slice;
mod sync;

pub use conflict::{Compensation, Conflict, ConflictKind};
pub use replica::{Pending, QueueLimits, Replica, SyncReport};
pub use slice::Slice;
pub use sync::{SyncOptions, SyncRequest, SyncResponse, SyncResult, Verdict, RESPONSE_MAGIC};
