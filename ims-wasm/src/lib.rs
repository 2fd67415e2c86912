//! ims in the browser and in Node, through wasm-bindgen.
//!
//! Two classes: [`Engine`] — a whole engine (load a snapshot or a compact
//! catalogue, execute command batches, ask ATP) — and [`Storefront`] — an
//! edge replica of the authority's public projection that holds a shopper's
//! cart optimistically, takes journal tails the server pushes, and syncs.
//!
//! Conventions at this door: method names are camelCase; commands, queries
//! and answers are JSON (text in, plain objects out); quantities are decimal
//! strings, never JS numbers; dates are `"YYYY-MM-DD"`, instants are
//! milliseconds since 1970 UTC. Every failure is thrown as an `ImsError`
//! (a subclass of `Error`) carrying the core catalogue's `code` and `name`,
//! and leaves the engine as it was.

mod atp;
mod cart;
mod engine;
mod error;
mod json;
mod storefront;

pub use cart::Cart;
pub use engine::{decode_sync_response, Engine};
pub use error::{error_catalogue, set_error_factory};
pub use storefront::Storefront;
