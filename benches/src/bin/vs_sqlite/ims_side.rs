//! ims-core on the same stream: the same codes in, a command per write
//! (built before the clock starts, as the SQLite side's parameters are),
//! `stock_minor` per question.

use ims_core::command::{Commit, Reserve};
use ims_core::{BatchMode, Command, CommandBody, Engine, Error, Fill, QtyIn, Remainder, Scope, Strategy};
use rust_decimal::Decimal;

use crate::workload::{bin, res_code, sku, Ask, Op, Shape, Tally, Where, STOCK, T0, TTL_MS};

fn scope(at: Where) -> Scope {
    match at {
        Where::Site => Scope::Subtree("WH".into()),
        Where::Bin(b) => Scope::Subtree(bin(b)),
    }
}

/// A store of `s.items` SKUs with `STOCK` units in each of `s.bins` bins.
pub fn build(eng: &mut Engine, s: &Shape) {
    let layout = ims_benches::build(eng, "WH", 0, s.bins as usize, s.items as usize, STOCK);
    assert_eq!(layout.bins, (0..s.bins).map(bin).collect::<Vec<_>>(), "bin codes as the SQLite side names them");
}

/// The stream as commands, each at the clock of its moment.
pub fn commands(ops: &[Op]) -> Vec<Command> {
    let mut now = T0;
    ops.iter()
        .map(|op| {
            let body = match *op {
                Op::Reserve { res, item, at, qty } => CommandBody::Reserve(Reserve {
                    reservation: res_code(res),
                    item: sku(item),
                    qty: QtyIn::base(Decimal::from(qty)),
                    scope: scope(at),
                    channel: None,
                    ttl_ms: Some(TTL_MS),
                    strategy: Strategy::Fefo,
                    min_shelf_life_days: 0,
                    fill: Fill::All,
                    need_date: None,
                    priority: 0,
                }),
                Op::Commit { res } => CommandBody::Commit(Commit {
                    reference: None,
                    reservation: res_code(res),
                    qty: None,
                    unit: None,
                    buckets: None,
                    destination: None,
                    remainder: Remainder::Release,
                }),
                Op::Release { res } => CommandBody::Release { reservation: res_code(res) },
                Op::Tick => {
                    now += 1_000;
                    CommandBody::Advance
                }
            };
            Command::new(now, body)
        })
        .collect()
}

/// Counts an answer; anything but the expected refusals stops the run.
fn count(t: &mut Tally, op: &Op, r: Result<ims_core::Outcome, Error>) {
    match (op, r) {
        (Op::Reserve { .. }, Ok(_)) => t.reserved += 1,
        (Op::Reserve { .. }, Err(e)) if e.name() == "INSUFFICIENT_AVAILABLE" => t.refused_short += 1,
        (Op::Commit { .. }, Ok(_)) => t.committed += 1,
        (Op::Release { .. }, Ok(_)) => t.released += 1,
        (Op::Commit { .. } | Op::Release { .. }, Err(e))
            if matches!(
                e.name(),
                "UNKNOWN_RESERVATION"
                    | "RESERVATION_ALREADY_COMMITTED"
                    | "RESERVATION_ALREADY_RELEASED"
                    | "RESERVATION_EXPIRED"
            ) =>
        {
            t.refused_not_open += 1
        }
        (Op::Tick, Ok(o)) => {
            let expired = o.envelope.as_ref().map_or(0, |env| {
                env.events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e,
                            ims_core::Event::ReservationFinished { finish: ims_core::event::Finish::Expired, .. }
                        )
                    })
                    .count()
            });
            t.expired += expired as u64;
        }
        (op, Err(e)) => panic!("ims refused {op:?}: {e}"),
    }
}

/// Runs the commands one at a time (`batch` = 1) or `batch` to an
/// independent batch (one call, one answer per command).
pub fn run(eng: &mut Engine, ops: &[Op], cmds: &[Command], batch: usize, t: &mut Tally) {
    if batch <= 1 {
        for (op, c) in ops.iter().zip(cmds) {
            let r = eng.execute(c);
            count(t, op, r);
        }
        return;
    }
    for (ops, part) in ops.chunks(batch).zip(cmds.chunks(batch)) {
        let outs = eng.execute_batch(part, BatchMode::Independent).expect("an independent batch is taken");
        for (op, r) in ops.iter().zip(outs) {
            count(t, op, r);
        }
    }
}

/// Available now for each question, summed (the checksum of the answers).
/// By codes through `stock_minor`, the typed lookup a till uses (the C
/// door's `ims_stock_lookup`): integers of the item's smallest unit, as
/// SQLite's `SUM` answers, with no decimal made per answer.
pub fn answer(eng: &Engine, asks: &[(Ask, String, String)]) -> i64 {
    let mut sum = 0i64;
    for (_, item, at) in asks {
        let (b, scale) = eng.stock_minor(item, at).expect("a known item and scope");
        assert_eq!(scale, 0, "whole units");
        sum += i64::try_from(b.available).expect("small");
    }
    sum
}

/// The questions with their codes, built before the clock starts.
pub fn questions(asks: &[Ask]) -> Vec<(Ask, String, String)> {
    asks.iter()
        .map(|a| {
            let at = match a.at {
                Where::Site => "WH".to_owned(),
                Where::Bin(b) => bin(b),
            };
            (*a, sku(a.item), at)
        })
        .collect()
}

/// Every (item, bin) with its on-hand and reserved, in the SQLite side's ids.
pub fn balances(eng: &Engine, s: &Shape) -> Vec<(i64, i64, i64, i64)> {
    let mut out = Vec::with_capacity(s.items as usize * s.bins as usize);
    for i in 0..s.items {
        let rows = eng.balances(&sku(i)).expect("a known item");
        for b in 0..s.bins {
            let code = bin(b);
            let (oh, rs) = rows
                .iter()
                .filter(|r| *r.location == *code)
                .fold((0i64, 0i64), |(oh, rs), r| (oh + whole(r.on_hand), rs + whole(r.reserved)));
            out.push((i as i64, 1 + b as i64, oh, rs));
        }
    }
    out
}

fn whole(d: Decimal) -> i64 {
    assert!(d.fract().is_zero(), "whole units");
    i64::try_from(d.trunc().mantissa()).expect("small") / 10i64.pow(d.trunc().scale())
}
