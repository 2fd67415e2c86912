//! Over every internal location the demand questions read the items'
//! demand days (`crate::demand_days`); with the days set aside they pass
//! over the log. Both must answer alike, whatever moved: sales at sites of
//! three offsets, back-dated sales, commits, customer returns, reversals,
//! batches undone, a site's offset redefined (inside an undone batch too)
//! and restores.

use serde_json::{json, Value};

use crate::command::{BatchMode, Command};
use crate::engine::Engine;
use crate::ids::ItemId;
use crate::state::State;
use crate::time::{Date, DAY_MS};

use super::classes::{classes, ClassesQuery};
use super::history::{demand_table, from_days, Bucket};
use super::scope::ScopeFilter;

const HOUR: i64 = 3_600_000;

fn cmd(v: Value) -> Command {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad test command {v}: {e}"))
}

/// A copy of the state whose questions pass over the log.
fn pass_only(st: &State) -> State {
    let mut s = st.clone();
    s.days_overflowed = true;
    s
}

fn start() -> Date {
    Date::from_ymd(2026, 11, 2).unwrap()
}

/// The same questions through the days and through the pass.
fn same_answers(st: &State, step: usize) {
    assert_eq!(st.verify(), Vec::<String>::new(), "step {step}");
    let pass = pass_only(st);
    let all = ScopeFilter::All.resolve(st).unwrap();
    assert!(from_days(st, &all, Bucket::Week, start(), 1, None).is_some(), "the days answer");
    assert!(from_days(&pass, &all, Bucket::Week, start(), 1, None).is_none(), "the copy passes over the log");
    for (bucket, from, periods) in [
        (Bucket::Day, -3, 200),
        (Bucket::Day, 5, 3),
        (Bucket::Week, 0, 30),
        (Bucket::Week, 3, 2),
        (Bucket::Month, -40, 8),
    ] {
        let from = start().plus(from);
        let a = demand_table(st, &ScopeFilter::All, bucket, from, periods).unwrap();
        let b = demand_table(&pass, &ScopeFilter::All, bucket, from, periods).unwrap();
        for ix in 0..st.cat.item_count() as u32 {
            let id = ItemId(ix);
            let what = format!("step {step}, {bucket:?} from {from}, item {ix}");
            assert_eq!(a.shipped(id), b.shipped(id), "shipped, {what}");
            assert_eq!(a.returned(id), b.returned(id), "returned, {what}");
            assert_eq!(a.lost(id), b.lost(id), "lost, {what}");
        }
        assert_eq!(a.items().collect::<Vec<_>>(), b.items().collect::<Vec<_>>(), "step {step}");
    }
    for (bucket, from, to) in [(Bucket::Week, 0, 181), (Bucket::Week, 2, 12), (Bucket::Day, 1, 170)] {
        let q = ClassesQuery {
            scope: ScopeFilter::All,
            from: start().plus(from),
            to: start().plus(to),
            bucket,
            abc: Default::default(),
            xyz: Default::default(),
        };
        assert_eq!(classes(st, &q), classes(&pass, &q), "classes, step {step}, {bucket:?} {from}..{to}");
    }
}

#[test]
fn the_days_answer_as_the_pass_over_the_log() {
    let mut e = Engine::new();
    let t0 = start().start_ms(0);
    let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
    let mut at = t0;
    let setup = [
        json!({"type":"define_location","location":"S1","kind":"site"}),
        json!({"type":"define_location","location":"A","kind":"storage","parent":"S1"}),
        json!({"type":"define_location","location":"B","kind":"storage","parent":"S1"}),
        json!({"type":"define_location","location":"RCV","kind":"receiving","parent":"S1"}),
        json!({"type":"define_location","location":"S2","kind":"site","utc_offset_minutes":780}),
        json!({"type":"define_location","location":"X","kind":"storage","parent":"S2"}),
        json!({"type":"define_location","location":"S3","kind":"site","utc_offset_minutes":-300}),
        json!({"type":"define_location","location":"Y","kind":"storage","parent":"S3"}),
        json!({"type":"define_location","location":"WEB","kind":"customer"}),
        json!({"type":"define_item","item":"P1"}),
        json!({"type":"define_item","item":"P2"}),
        json!({"type":"define_item","item":"P3","scale":2}),
        json!({"type":"set_item_cost","item":"P1","unit_cost":"2.5"}),
        json!({"type":"set_item_cost","item":"P3","unit_cost":"0.7"}),
    ];
    for mut v in setup {
        v["occurred_at"] = json!(at);
        e.execute(&cmd(v)).unwrap();
    }
    let bins = ["A", "B", "X", "Y"];
    let mut moves: Vec<u64> = Vec::new();
    let mut s2_offset = 780;
    for step in 0..400 {
        at += next(20) as i64 * HOUR;
        // P2's cost comes after its first moves, and P3 is received on a
        // purchase order: the one-cost check must see the moves before
        // the cost and the receipt documents' moves.
        let extra = match step {
            150 => vec![json!({"type":"set_item_cost","item":"P2","unit_cost":"4"})],
            250 => vec![
                json!({"type":"define_supplier","supplier":"ACME","currency":"EUR","lead_time_mean_days":"4"}),
                json!({"type":"set_supplier_item","supplier":"ACME","item":"P3","unit_price":"3.00","preferred":true}),
                json!({"type":"create_po","po":"PO-1","supplier":"ACME",
                       "lines":[{"item":"P3","qty":"30","expected":"2027-01-30","location":"RCV"}]}),
                json!({"type":"confirm_po","po":"PO-1"}),
                json!({"type":"receive_po","grn":"GRN-1","po":"PO-1","location":"RCV","lines":[{"po_line":1,"qty":"30"}]}),
                json!({"type":"move","item":"P3","from":"RCV","to":"A","qty":"30"}),
                // Past every layer at A, the order's own among them.
                json!({"type":"sell","item":"P3","location":"A","qty":"2000"}),
            ],
            _ => vec![],
        };
        for mut v in extra {
            v["occurred_at"] = json!(at);
            e.execute(&cmd(v)).unwrap();
        }
        let item = ["P1", "P2", "P3"][next(3) as usize];
        let bin = bins[next(4) as usize];
        let qty = (next(3) + 1).to_string();
        // One sale in four is back-dated by up to five days.
        let when = if next(4) == 0 { at - next(5 * 24) as i64 * HOUR } else { at };
        let v = match next(10) {
            0 | 1 => json!({"type":"receive","item":item,"location":bin,"qty":"20","reference":format!("GR-{step}")}),
            2..=4 => json!({"type":"sell","item":item,"location":bin,"qty":qty,"occurred_at":when}),
            5 => json!({"type":"return_sale","item":item,"location":bin,"qty":qty,"occurred_at":when}),
            6 if !moves.is_empty() => {
                json!({"type":"reverse","move_id":moves[next(moves.len() as u64) as usize]})
            }
            7 => {
                let r = format!("R{step}");
                let hold = json!({"type":"reserve","reservation":r,"item":item,"qty":qty,"scope":"*",
                                  "occurred_at":at});
                if e.execute(&cmd(hold)).is_err() {
                    continue;
                }
                json!({"type":"commit","reservation":r,"destination":"WEB"})
            }
            8 => {
                // A site's offset redefined: every day recounted.
                s2_offset = if s2_offset == 780 { -600 } else { 780 };
                json!({"type":"define_location","location":"S2","kind":"site","utc_offset_minutes":s2_offset})
            }
            _ => {
                // A batch of everything, undone by its last command.
                let other = if s2_offset == 780 { 60 } else { 780 };
                let mut batch = vec![
                    json!({"type":"sell","item":item,"location":bin,"qty":qty}),
                    json!({"type":"return_sale","item":item,"location":"X","qty":"1","occurred_at":when}),
                    json!({"type":"define_location","location":"S2","kind":"site","utc_offset_minutes":other}),
                    // A redefinition that changes nothing the days read.
                    json!({"type":"define_location","location":"S1","kind":"site","inbound_days":next(3)}),
                    json!({"type":"sell","item":item,"location":"X","qty":"1"}),
                    json!({"type":"sell","item":"NOPE","location":bin,"qty":"1"}),
                ];
                if let Some(m) = moves.last() {
                    batch.insert(1, json!({"type":"reverse","move_id":m}));
                }
                let cmds: Vec<Command> = batch
                    .into_iter()
                    .map(|mut v| {
                        if v.get("occurred_at").is_none() {
                            v["occurred_at"] = json!(at);
                        }
                        cmd(v)
                    })
                    .collect();
                let before = e.state_digest();
                let out = e.execute_batch(&cmds, BatchMode::Atomic);
                assert!(out.is_err() || out.is_ok_and(|r| r.iter().any(|r| r.is_err())), "the batch fails");
                assert_eq!(e.state_digest(), before, "the batch left nothing");
                same_answers(&e.st, step);
                continue;
            }
        };
        let mut v = v;
        if v.get("occurred_at").is_none() {
            v["occurred_at"] = json!(at);
        }
        if let Ok(out) = e.execute(&cmd(v)) {
            for ev in out.events() {
                if let crate::event::Event::MovePosted { move_id, .. } = ev {
                    moves.push(*move_id);
                }
            }
        }
        if step % 50 == 49 {
            e = Engine::restore(&e.snapshot()).unwrap();
        }
        if step % 5 == 0 {
            same_answers(&e.st, step);
        }
    }
    same_answers(&e.st, 400);
    let shipped: i64 = e.st.stock.iter().flat_map(|s| &s.days).map(|d| d.shipped).sum();
    let returned: i64 = e.st.stock.iter().flat_map(|s| &s.days).map(|d| d.returned).sum();
    assert!(shipped > 100 && returned > 20, "the scenario ships and takes back: {shipped}, {returned}");
    assert!(moves.len() > 200, "{} moves", moves.len());
}

/// A day's sum past `i64` sets the days aside, and the questions still
/// answer (from the log) until the days are recomputed.
#[test]
fn an_overflowing_day_sets_the_days_aside() {
    let mut e = Engine::new();
    let at = start().start_ms(0) + DAY_MS / 2;
    let big = "9000000000000000000";
    for v in [
        json!({"type":"define_location","location":"S1","kind":"site"}),
        json!({"type":"define_location","location":"A","kind":"storage","parent":"S1"}),
        json!({"type":"define_item","item":"P1"}),
        // The customer's balance goes up and back down; the day's
        // shipments add up past i64.
        json!({"type":"sell","item":"P1","location":"A","qty":big}),
        json!({"type":"return_sale","item":"P1","location":"A","qty":big}),
        json!({"type":"sell","item":"P1","location":"A","qty":big}),
    ] {
        let mut v = v;
        v["occurred_at"] = json!(at);
        e.execute(&cmd(v)).unwrap();
    }
    assert!(e.st.days_overflowed);
    // The same in a batch that fails: the days are back in use.
    let mut b = Engine::new();
    let cmds: Vec<Command> = [
        json!({"type":"define_location","location":"S1","kind":"site"}),
        json!({"type":"define_location","location":"A","kind":"storage","parent":"S1"}),
        json!({"type":"define_item","item":"P1"}),
    ]
    .into_iter()
    .chain([
        json!({"type":"sell","item":"P1","location":"A","qty":big}),
        json!({"type":"return_sale","item":"P1","location":"A","qty":big}),
        json!({"type":"sell","item":"P1","location":"A","qty":big}),
        json!({"type":"sell","item":"NOPE","location":"A","qty":"1"}),
    ])
    .map(|mut v| {
        v["occurred_at"] = json!(at);
        cmd(v)
    })
    .collect();
    b.execute_batch(&cmds[..3], BatchMode::Atomic).unwrap();
    let refused = b.execute_batch(&cmds[3..], BatchMode::Atomic);
    assert!(refused.is_err() || refused.is_ok_and(|r| r.iter().any(|r| r.is_err())));
    assert!(!b.st.days_overflowed, "the undone overflow leaves the days in use");
    assert_eq!(b.st.verify(), Vec::<String>::new());
    for st in [&e.st, &Engine::restore(&e.snapshot()).unwrap().st] {
        let all = ScopeFilter::All.resolve(st).unwrap();
        assert!(st.days_overflowed, "a restore recounts and overflows again");
        assert!(from_days(st, &all, Bucket::Day, start(), 1, None).is_none());
        let t = demand_table(st, &ScopeFilter::All, Bucket::Day, start(), 1).unwrap();
        assert_eq!(t.shipped(ItemId(0)), Some(&[i64::MAX][..]), "the pass saturates");
        assert_eq!(t.returned(ItemId(0)), Some(&[9_000_000_000_000_000_000][..]));
        assert_eq!(st.verify(), Vec::<String>::new());
    }
}

/// A month whose first day is before the first date there is: the table
/// starts on `from` itself (`Bucket::align`), and the days before it in
/// the same month still count in the first period, as in the pass.
#[test]
fn the_first_month_of_the_dates_counts_alike() {
    let mut e = Engine::new();
    for v in [
        json!({"type":"define_location","location":"S1","kind":"site"}),
        json!({"type":"define_location","location":"A","kind":"storage","parent":"S1"}),
        json!({"type":"define_item","item":"P1"}),
        json!({"type":"sell","item":"P1","location":"A","qty":"2","occurred_at":i64::MIN}),
    ] {
        let mut v = v;
        if v.get("occurred_at").is_none() {
            v["occurred_at"] = json!(0);
        }
        e.execute(&cmd(v)).unwrap();
    }
    let from = Date(i32::MIN + 3);
    assert_eq!(Bucket::Month.align(from), from, "no first of the month to align to");
    let a = demand_table(&e.st, &ScopeFilter::All, Bucket::Month, from, 2).unwrap();
    let b = demand_table(&pass_only(&e.st), &ScopeFilter::All, Bucket::Month, from, 2).unwrap();
    assert_eq!(b.shipped(ItemId(0)), Some(&[2, 0][..]), "the pass counts the day before from");
    assert_eq!(a.shipped(ItemId(0)), b.shipped(ItemId(0)));
}

/// An event that reverses a move already reversed (a replay may carry
/// one) changes nothing, so undoing it leaves the mark — and the days —
/// as they were.
#[test]
fn undoing_a_second_reversal_keeps_the_first() {
    let mut e = Engine::new();
    let mut reversal = None;
    for v in [
        json!({"type":"define_location","location":"S1","kind":"site"}),
        json!({"type":"define_location","location":"A","kind":"storage","parent":"S1"}),
        json!({"type":"define_item","item":"P1"}),
        json!({"type":"sell","item":"P1","location":"A","qty":"3"}),
        json!({"type":"sell","item":"P1","location":"A","qty":"4"}),
        json!({"type":"reverse","move_id":1}),
    ] {
        let mut v = v;
        v["occurred_at"] = json!(start().start_ms(0));
        let out = e.execute(&cmd(v)).unwrap();
        reversal = out.events().iter().find(|ev| matches!(ev, crate::event::Event::MovePosted { .. })).cloned();
    }
    let Some(crate::event::Event::MovePosted { move_id, .. }) = reversal.as_mut() else { panic!("no reversal") };
    *move_id = e.st.moves.next_id();
    let days = e.st.stock[0].days.clone();
    assert_eq!(days.iter().map(|d| d.shipped).sum::<i64>(), 4, "the reversed sale left its day");
    let mark = e.st.begin();
    e.st.apply(reversal.as_ref().unwrap()).unwrap();
    e.st.rollback(mark);
    assert!(e.st.moves[0].reversed, "the first reversal stands");
    assert_eq!(e.st.stock[0].days, days);
    assert_eq!(e.st.verify(), Vec::<String>::new());
}
