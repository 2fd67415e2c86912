//! The till's hot path as typed calls: a sale (the core's `sell` fact), a
//! customer's return (`return_sale`), a void (`reverse` of a sale's move),
//! and a batch of them from an array of structs. No JSON on this path.

use ims_core::{BatchMode, Command, CommandBody, Engine, Error, Event, Outcome, QtyIn, StockFact, MAX_BATCH};

use crate::args::{array, array_out, ims_str, input, Out};
use crate::call::run;
use crate::codes::IMS_BATCH_REFUSED;
use crate::engine::{ims_engine, with};
use crate::json::batch_mode;
use crate::qty::ims_qty;
use crate::status::{ims_status, IMS_OK};

/// `ims_sale.kind`: a sale (stock leaves the location for the customer).
pub const IMS_LINE_SALE: u32 = 0;
/// `ims_sale.kind`: a customer's return (stock comes back).
pub const IMS_LINE_RETURN: u32 = 1;

/// One till line. Optional strings are `{NULL, 0}` when absent.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ims_sale {
    /// The item's code.
    pub item: ims_str,
    /// The selling location's code.
    pub location: ims_str,
    /// How many, positive, in `unit`.
    pub qty: ims_qty,
    /// Optional: a unit of the item (`"case"`); the base unit when absent.
    pub unit: ims_str,
    /// Optional: the lot sold or returned, when the till knows it.
    pub lot: ims_str,
    /// Optional: the receipt number (a return names its sale's receipt).
    pub reference: ims_str,
    /// Optional but recommended: a key unique to this line at this till,
    /// so that a retry after a lost answer never counts it twice.
    pub client_key: ims_str,
    /// When it happened, ms since 1970 UTC (the engine's clock follows).
    pub occurred_at_ms: i64,
    /// In `ims_sell_batch` only: `IMS_LINE_SALE` (0) or `IMS_LINE_RETURN`.
    pub kind: u32,
}

/// What a sale, return or void did.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ims_sale_outcome {
    /// The envelope's seq (the original one for a retry).
    pub seq: u64,
    /// True when the client key was seen before with the same line:
    /// nothing was done again, and no moves are reported.
    pub exists: bool,
    /// The first stock move posted (void it with `ims_void`), 0 if none.
    pub first_move: u64,
    /// How many moves were posted: their ids are `first_move` onwards (a
    /// sale of a lot-tracked item without a lot may split over lots).
    pub moves: u32,
}

pub(crate) fn command(s: &ims_sale, kind: u32) -> Result<Command, Error> {
    let fact = StockFact {
        item: s.item.text("item")?.to_owned(),
        location: s.location.text("location")?.to_owned(),
        qty: QtyIn { qty: s.qty.to_decimal()?, unit: s.unit.opt("unit")?.map(str::to_owned), rounding: None },
        lot: s.lot.opt("lot")?.map(str::to_owned),
        reference: s.reference.opt("reference")?.map(str::to_owned),
    };
    let body = match kind {
        IMS_LINE_SALE => CommandBody::Sell(fact),
        IMS_LINE_RETURN => CommandBody::ReturnSale(fact),
        k => {
            return Err(Error::InvalidCommand {
                reason: format!("line kind {k}: want IMS_LINE_SALE or IMS_LINE_RETURN"),
            })
        }
    };
    Ok(Command { occurred_at: s.occurred_at_ms, client_key: s.client_key.opt("client_key")?.map(str::to_owned), body })
}

fn status(e: &Error) -> ims_status {
    ims_status::from(e.code())
}

pub(crate) fn outcome(o: &Outcome) -> ims_sale_outcome {
    let mut moves = o.events().iter().filter_map(|e| match e {
        Event::MovePosted { move_id, .. } => Some(*move_id),
        _ => None,
    });
    let first = moves.next();
    ims_sale_outcome {
        seq: o.seq,
        exists: o.exists,
        first_move: first.unwrap_or(0),
        moves: first.map_or(0, |_| 1 + moves.count() as u32),
    }
}

fn one(engine: *mut ims_engine, sale: *const ims_sale, out: *mut ims_sale_outcome, kind: u32) -> Result<(), Error> {
    record(sale, out, kind, |cmd| with(engine, |e| e.execute(cmd)))
}

/// One till line through `execute` (an engine's or a replica's): decoded,
/// run, and its outcome written to `out` when not NULL.
pub(crate) fn record(
    sale: *const ims_sale,
    out: *mut ims_sale_outcome,
    kind: u32,
    execute: impl FnOnce(&Command) -> Result<Outcome, Error>,
) -> Result<(), Error> {
    let cmd = command(input(sale, "sale")?, kind)?;
    let out = Out::opt(out)?;
    let o = execute(&cmd)?;
    Out::put_opt(out, outcome(&o));
    Ok(())
}

/// Records a sale: a fact, so it posts even past zero stock (the location
/// is then flagged for a count, and reservations on that stock are moved
/// or shorted). `out` (may be NULL) receives what it did.
#[no_mangle]
pub extern "C" fn ims_sell(engine: *mut ims_engine, sale: *const ims_sale, out: *mut ims_sale_outcome) -> ims_status {
    run("ims_sell", || one(engine, sale, out, IMS_LINE_SALE))
}

/// Records a customer's return at the till (`sale.reference`: the sale's
/// receipt): the stock comes back to `sale.location` and may serve open
/// demand at once. `sale.kind` is ignored.
#[no_mangle]
pub extern "C" fn ims_return(engine: *mut ims_engine, sale: *const ims_sale, out: *mut ims_sale_outcome) -> ims_status {
    run("ims_return", || one(engine, sale, out, IMS_LINE_RETURN))
}

/// Voids a sale's move (the core's `reverse`): posts its mirror image, so
/// the ledger keeps both. `client_key` is optional (`{NULL, 0}`).
/// `IMS_MOVE_ALREADY_REVERSED` the second time, `IMS_UNKNOWN_MOVE` for an
/// id never posted.
#[no_mangle]
pub extern "C" fn ims_void(
    engine: *mut ims_engine,
    move_id: u64,
    client_key: ims_str,
    occurred_at_ms: i64,
    out: *mut ims_sale_outcome,
) -> ims_status {
    run("ims_void", || {
        let key = client_key.opt("client_key")?.map(str::to_owned);
        let cmd = Command { occurred_at: occurred_at_ms, client_key: key, body: CommandBody::Reverse { move_id } };
        let out = Out::opt(out)?;
        let o = with(engine, |e| e.execute(&cmd))?;
        Out::put_opt(out, outcome(&o));
        Ok(())
    })
}

/// Records `n` till lines (sales and returns, by each line's `kind`) in
/// one call, at most 100000. `mode` `IMS_BATCH_INDEPENDENT`: each line on
/// its own; `IMS_OK`, with `statuses[i]` (when not NULL) each line's status
/// and `*accepted` (when not NULL) how many were recorded.
/// `IMS_BATCH_ATOMIC`: all or none in one envelope; on a refusal the call
/// returns `IMS_BATCH_REFUSED`, `statuses` holds the failing line's own
/// status at its index and `IMS_BATCH_REFUSED` elsewhere. A line that does
/// not decode (NULL item, bad UTF-8, unknown kind) refuses the whole call
/// before anything runs, in either mode.
#[no_mangle]
pub extern "C" fn ims_sell_batch(
    engine: *mut ims_engine,
    sales: *const ims_sale,
    n: usize,
    mode: u32,
    statuses: *mut ims_status,
    accepted: *mut usize,
) -> ims_status {
    run("ims_sell_batch", || {
        if n > MAX_BATCH {
            return Err(Error::LimitExceeded { what: "commands per batch", max: MAX_BATCH as u64 });
        }
        let lines = array(sales, n, "sales")?;
        let mode = batch_mode(mode)?;
        let statuses = array_out(statuses, n)?;
        let accepted = Out::opt(accepted)?;
        let cmds = lines.iter().map(|s| command(s, s.kind)).collect::<Result<Vec<_>, _>>()?;
        let codes: Vec<ims_status>;
        let run = |e: &mut Engine| match mode {
            // Each outcome is dropped as soon as its status is known: a
            // batch of 100k does not hold 100k envelopes until the end.
            BatchMode::Independent => {
                Ok(Ok(cmds.iter().map(|c| e.execute(c).map_or_else(|x| status(&x), |_| IMS_OK)).collect()))
            }
            // One envelope for the whole batch: every line was recorded.
            BatchMode::Atomic => Ok(e.execute_batch(&cmds, mode).map(|_| vec![IMS_OK; n])),
        };
        let refusal = match with(engine, run)? {
            Ok(c) => {
                codes = c;
                None
            }
            Err(Error::BatchRefused { index, source }) => {
                codes = (0..n).map(|i| if i == index as usize { status(&source) } else { IMS_BATCH_REFUSED }).collect();
                Some(Error::BatchRefused { index, source })
            }
            Err(e) => return Err(e),
        };
        if let Some(s) = statuses {
            s.copy_from_slice(&codes);
        }
        Out::put_opt(accepted, codes.iter().filter(|c| **c == IMS_OK).count());
        refusal.map_or(Ok(()), Err)
    })
}
