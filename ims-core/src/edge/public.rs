//! The public projection: what a web storefront may load into a shopper's
//! browser to answer available-to-promise locally and hold cart stock as an
//! edge [`Replica`](super::Replica), without receiving anything private.
//!
//! * [`Engine::public_snapshot`] — a snapshot of the authority at its seq
//!   that [`Engine::restore`] and
//!   [`Replica::from_snapshot`](super::Replica::from_snapshot) take as they
//!   take any other.
//! * [`Engine::public_tail`] — the journal after a seq, projected the same
//!   way, for the server to push; [`Engine::public_sync`] — [`Engine::sync`]
//!   with its tail projected, for a browser replica's own cart commands.
//!
//! Applied in order to a public snapshot, a public tail gives the same
//! answers as the authority for the slice's items: [`Engine::atp`],
//! [`Engine::availability`], the timeline, and [`Engine::slice_digest`]
//! (see "Known differences" for when the last one differs).
//!
//! # What is kept
//!
//! Every internal location (a slice of locations bounds what a replica may
//! change, not what it holds, as for [`Engine::slice_snapshot`]); the
//! slice's items (an item definition carries no cost); their lots (code,
//! expiry, received date, status); their balances in internal locations;
//! their *active* reservations (id, quantity, scope, channel, expiry,
//! allocations, open demand); their scheduled receipts (id, destination,
//! quantity, open, expected date); count flags at internal locations; the
//! engine's time and seq.
//!
//! # What is private, and how it is left out
//!
//! | private | snapshot | tail |
//! | --- | --- | --- |
//! | operations documents: suppliers and their terms and prices, purchase and sales orders (customers, ship-to), shipments, returns, costs and valuation, item profiles, channels and pools, plans | section 10 not written | operations events dropped |
//! | move history: every past sale, receipt, scrap and adjustment, with its free-text `reference` and time | no moves; the balances at the cut are written as *opening balances* (section 12) | `reference` and `reverses` blanked on each move |
//! | virtual locations, whose codes may name a supplier or a customer (`SUP-ACME`, `CUST-1234`), and their balances (cumulative receipts, sales, scrap) | not written, nor any balance at one; a reservation's scope names the built-in location of the kind instead | a move from or to one, or a new reservation's scope, names the built-in location of its kind (`@supplier`, `@customer`, ...); its `location_defined` and `negative_stock` events are dropped |
//! | finished reservations (past orders and carts) | not written | — (events only concern active ones) |
//! | client keys and command hashes (a hash of a command can confirm a guess of its content) | each key replaced by its public token | each key (and each key of an atomic batch) replaced by its public token |
//!
//! A *public token* is `~` and 32 hex digits, with a 32-byte hash in place
//! of the command hash, both derived with BLAKE3 from the key **and** the
//! command's hash. The replica that queued a command holds both and derives
//! the token to recognise its own command in a public tail or snapshot (so
//! its queue drains, and a retry of a synced command answers `exists`, see
//! [`Replica`](super::Replica)); nobody else learns the key or the
//! command's hash. (So a replica cannot tell locally that a *different*
//! command reuses a synced key: the authority refuses it,
//! `EXISTS_WITH_DIFFERENT_COMMAND`.)
//!
//! Other codes are not projected: item, internal location, lot,
//! reservation, channel and receipt ids reach the browser as they are.
//! Receipt ids of purchase-order lines are `<po>/<line>` and those of
//! transfers `<transfer>/<line>`, and a sales order's reservations are
//! `<order>/<line>`: a host that treats such numbers as private must choose
//! codes that are not. (Pseudonyms stable
//! across cuts and restarts would need a secret, and the core holds none.)
//!
//! # No virtual side
//!
//! A public engine keeps balances at internal locations only: a move from
//! or to a virtual location changes its internal side alone, and
//! [`Engine::verify`] checks internal balances against the opening balances
//! plus the moves since (conservation over all locations, which the
//! authority checks, needs the virtual side). So nothing the authority
//! accepted can overflow in a browser: the authority's many virtual
//! locations, each within 64 bits, would not fit one collapsed balance
//! (found by the projection's property test with quantities near 2^62).
//!
//! # Digests and sequence
//!
//! A public snapshot carries the authority's seq, time and journal digest.
//! Its move log is *sparse* (section 11, as a sliced replica's) with no
//! move and its floor at the authority's next move id, so the moves of a
//! later tail apply by id; its opening balances (section 12, written even
//! when empty) mark it public: [`Engine::verify`] checks its balances
//! against the opening balances plus the moves since, and a replica on it
//! matches its queued commands by public token as well as by key.
//!
//! Sequence checks are unchanged: a public tail has every seq of the
//! journal (an envelope whose events were all dropped stays, empty), so a
//! gap or a duplicate is still `ENVELOPE_OUT_OF_ORDER`. The journal digest,
//! however, is a hash chain over the envelopes *as applied*: after a public
//! tail, a public engine's digest is its own, no longer the authority's
//! (as for a sliced replica). Compare a browser's state with the
//! authority's by [`Engine::slice_digest`] instead.
//!
//! # Known differences
//!
//! * Count flags follow the core's `negative_stock` events only. The flag a
//!   short pick raises and the flags an approved count clears come in
//!   operations events, which are dropped: then a public replica's flags,
//!   and so its slice digest, differ from the authority's (as a sliced
//!   replica's do). No availability answer reads count flags.
//! * Channel pools are operations documents: a public replica's optimistic
//!   `reserve` does not see another channel's ring-fence or a channel's
//!   minimum shelf life, so the authority may refuse a hold the browser
//!   showed (reported as a conflict by [`Engine::public_sync`]). Availability
//!   and ATP queries do not read pools, and agree.
//! * A local `reverse` of a move from before the cut is `UNKNOWN_MOVE` (the
//!   moves are not there).

use super::slice::Slice;
use super::sync::{SyncOptions, SyncRequest, SyncResponse};
use crate::engine::{Engine, Envelope, KeyEntry};
use crate::error::Error;
use crate::event::Event;
use crate::ids::ItemId;
use crate::snapshot::{public_location, public_scope};
use crate::state::{public_key_token, State};

impl Engine {
    /// The public projection of the authority's state for `slice` (module
    /// docs: what is kept, what is left out). [`Engine::restore`] and
    /// [`Replica::from_snapshot`](super::Replica::from_snapshot) take it;
    /// the restored engine has this engine's seq and time, and answers ATP
    /// and availability for the slice's items as this engine does.
    ///
    /// Errors, in order: the slice's codes and sizes as
    /// [`Engine::slice_snapshot`] checks them (`INVALID_CODE`,
    /// `LIMIT_EXCEEDED`); an item not defined (`UNKNOWN_ITEM`); a location
    /// root not defined (`UNKNOWN_LOCATION`) or virtual
    /// (`WRONG_LOCATION_KIND`).
    pub fn public_snapshot(&self, slice: &Slice) -> Result<Vec<u8>, Error> {
        check_public_slice(&self.st, slice)?;
        if !slice.cuts_items() {
            return Ok(self.st.encode_public_of(&|_| true));
        }
        let items: hashbrown::HashSet<&str> = slice.items.iter().map(String::as_str).collect();
        let keep = |i: ItemId| items.contains(&*self.st.cat.item(i).code);
        Ok(self.st.encode_public_of(&keep))
    }

    /// The envelopes after `after_seq`, as [`Engine::tail_after`] gives them
    /// for `slice`, projected for a public snapshot (module docs): applied
    /// in order to an engine or replica restored from
    /// [`Engine::public_snapshot`] at `after_seq`, they keep its answers
    /// equal to this engine's.
    ///
    /// Errors: the slice as for [`Engine::public_snapshot`], then those of
    /// [`Engine::tail_after`] (`ENVELOPE_OUT_OF_ORDER` past this engine's
    /// seq, `SNAPSHOT_REQUIRED` beyond `max` envelopes or a journal the
    /// storage no longer holds).
    pub fn public_tail(&self, after_seq: u64, max: u64, slice: &Slice) -> Result<Vec<Envelope>, Error> {
        check_public_slice(&self.st, slice)?;
        let tail = self.tail_after(after_seq, max, slice)?;
        Ok(tail.iter().map(|e| public_envelope(&self.st, e)).collect())
    }

    /// [`Engine::sync`] for a replica that started from a public snapshot:
    /// the queued commands are executed the same way (results and conflicts
    /// concern the requesting replica's own commands), and the tail is
    /// projected as [`Engine::public_tail`] projects it. The request's
    /// slice is checked first, as for [`Engine::public_snapshot`]; then the
    /// errors of [`Engine::sync`].
    pub fn public_sync(&mut self, req: &SyncRequest, opts: &SyncOptions) -> Result<SyncResponse, Error> {
        check_public_slice(&self.st, &req.slice)?;
        let mut resp = self.sync(req, opts)?;
        resp.tail = resp.tail.iter().map(|e| public_envelope(&self.st, e)).collect();
        Ok(resp)
    }

    /// Whether this engine holds a public projection (it was restored from
    /// [`Engine::public_snapshot`], or from a snapshot of such an engine).
    pub fn is_public(&self) -> bool {
        self.st.is_public()
    }
}

/// A public slice names items and internal locations that exist: a
/// storefront's slice is built from the catalog, and a code that resolves
/// to nothing is a mistake to report, not a future item to wait for.
fn check_public_slice(st: &State, slice: &Slice) -> Result<(), Error> {
    slice.check()?;
    if let Some(c) = slice.items.iter().find(|c| st.cat.item_id(c).is_none()) {
        return Err(Error::UnknownItem { item: c.clone() });
    }
    for c in &slice.locations {
        let Some(l) = st.cat.loc_id(c) else { return Err(Error::UnknownLocation { location: c.clone() }) };
        let loc = st.cat.loc(l);
        if !loc.is_internal() {
            return Err(Error::WrongLocationKind { location: c.clone(), kind: loc.kind.name() });
        }
    }
    Ok(())
}

/// An envelope as a public replica receives it: same seq and times, client
/// keys as public tokens, private events dropped and private fields
/// blanked (module docs). `filter_envelope` has already cut it to a slice
/// of items, when the slice has some.
pub(crate) fn public_envelope(st: &State, env: &Envelope) -> Envelope {
    let (client_key, command_hash) = match (&env.client_key, &env.command_hash) {
        (Some(k), Some(h)) => {
            let (t, th) = public_key_token(k, h);
            (Some(t), Some(th))
        }
        _ => (None, None),
    };
    let batch_keys = env
        .batch_keys
        .iter()
        .map(|k| {
            let (key, hash) = public_key_token(&k.key, &k.hash);
            KeyEntry { key, hash }
        })
        .collect();
    Envelope {
        seq: env.seq,
        occurred_at: env.occurred_at,
        processed_at: env.processed_at,
        client_key,
        command_hash,
        batch_keys,
        events: env.events.iter().filter_map(|e| public_event(st, e)).collect(),
    }
}

/// Whether a location is internal (an unknown code counts as internal: it
/// is passed on as it is, and the receiver refuses it as it would anyway).
fn internal(st: &State, code: &str) -> bool {
    st.cat.loc_id(code).is_none_or(|l| st.cat.loc(l).is_internal())
}

/// One event as a public replica receives it, or `None` when it is private
/// as a whole.
fn public_event(st: &State, ev: &Event) -> Option<Event> {
    match ev {
        Event::Ops(_) => None,
        Event::LocationDefined(spec) if !spec.kind.is_internal() => None,
        Event::NegativeStock { location, .. } if !internal(st, location) => None,
        Event::MovePosted {
            move_id,
            item,
            lot,
            qty,
            from,
            to,
            reason,
            reservation,
            reverses: _,
            reference: _,
            occurred_at,
        } => Some(Event::MovePosted {
            move_id: *move_id,
            item: item.clone(),
            lot: lot.clone(),
            qty: *qty,
            from: public_location(&st.cat, from),
            to: public_location(&st.cat, to),
            reason: *reason,
            reservation: reservation.clone(),
            // The mirrored move is history the projection does not hold.
            reverses: None,
            reference: None,
            occurred_at: *occurred_at,
        }),
        Event::ReservationCreated { scope, .. } => {
            let mut ev = ev.clone();
            if let Event::ReservationCreated { scope: s, .. } = &mut ev {
                *s = public_scope(&st.cat, scope);
            }
            Some(ev)
        }
        _ => Some(ev.clone()),
    }
}
