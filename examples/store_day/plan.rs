//! The evening after the day: planning on what the day recorded. Policies
//! are derived for the 200 best sellers at the first DC from their demand
//! (shipped + lost) and a 95 % cycle service level, a 14-day buy plan is
//! saved, its first proposal becomes a draft purchase order, and the day's
//! ABC classes and inventory value are reported.

use std::fmt::Write as _;

use ims_core::ops::demand::{AbcThresholds, Bucket, ClassesQuery, ScopeFilter, XyzThresholds};
use ims_core::Command;
use serde_json::{json, Value};

use crate::run::Runner;
use crate::world::World;

pub fn evening(w: &World, r: &mut Runner) -> String {
    let now = r.eng.now();
    let cmd = |mut v: Value| -> Command {
        v["occurred_at"] = json!(now);
        serde_json::from_value(v).expect("planning commands are well formed")
    };
    let dc = w.dcs[0].code.clone();
    let (mut derived, mut no_history) = (0, 0);
    for &s in w.by_rank.iter().take(200) {
        let c = cmd(json!({"type":"derive_policy","item":w.skus[s].code,"location":dc,"rule":"s_s",
            "cycle_service_level":"0.95","history_days":14}));
        match r.exec(&c) {
            Some(_) => derived += 1,
            None => no_history += 1,
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "planning      : {derived} (s,S) policies derived at {dc} for 95 % cycle service ({no_history} best sellers had no demand there)");
    if r.exec(&cmd(json!({"type":"create_plan","plan":"EVENING","horizon_days":14}))).is_none() {
        let _ = writeln!(out, "                the plan was refused");
        return out;
    }
    let plan = r.eng.saved_plan("EVENING").cloned();
    if let Ok(plan) = plan {
        let lines: usize = plan.proposals.iter().map(|p| p.lines.len()).sum();
        let _ = writeln!(
            out,
            "                14-day buy plan: {} proposals, {lines} lines, {} lines without a supplier",
            plan.proposals.len(),
            plan.unassigned.len()
        );
        if let Some(p) = plan.proposals.first() {
            let c = cmd(json!({"type":"accept_proposal","plan":"EVENING","proposal":p.id,"po":"PO-EVENING-1"}));
            let ok = r.exec(&c).is_some();
            let _ = writeln!(
                out,
                "                proposal {} ({} lines) accepted as PO-EVENING-1: {ok}",
                p.id,
                p.lines.len()
            );
            if let Some(l) = p.lines.first() {
                let _ = writeln!(out, "                e.g. {}: {}", l.item, l.why.text);
            }
        }
    }
    let day = ims_core::Date::at(now, 0);
    let q = ClassesQuery {
        scope: ScopeFilter::All,
        from: day.plus(-1),
        to: day,
        bucket: Bucket::Day,
        abc: AbcThresholds::default(),
        xyz: XyzThresholds::default(),
    };
    if let Ok(c) = r.eng.classes(&q) {
        let n = |k: char| c.items.iter().filter(|i| i.abc == k).count();
        let _ = writeln!(out, "analytics     : ABC by value shipped: A {} B {} C {} items", n('A'), n('B'), n('C'));
    }
    if let Ok(v) = r.eng.inventory_value(&ScopeFilter::All) {
        let _ = writeln!(
            out,
            "                inventory value FIFO {} / WAC {} ({} items without a cost)",
            v.fifo_value.round_dp(2),
            v.wac_value.round_dp(2),
            v.uncosted_items.len()
        );
    }
    out
}
