//! `verify`: each order line's received quantity recomputed from the goods
//! receipts and returns, the statuses from it, the scheduled receipts from
//! the lines, and each GRN line's inspected quantities from its inspections.

use std::collections::BTreeMap;

use super::PoStatus;
use crate::ids::Code;
use crate::qty::Minor;
use crate::state::State;

pub(super) fn verify(st: &State, errs: &mut Vec<String>) {
    let p = &st.ops.procurement;
    let mut received: BTreeMap<(Code, u32), i128> = BTreeMap::new();
    for (code, g) in p.receipts.iter() {
        for l in &g.lines {
            if let (Some(po), Some(n)) = (&g.po, l.po_line) {
                *received.entry((po.clone(), n)).or_default() += l.qty as i128;
            }
            let (pass, fail) =
                l.inspections.iter().fold((0i128, 0i128), |(a, b), i| (a + i.pass as i128, b + i.fail as i128));
            if (pass, fail) != (l.passed as i128, l.failed as i128) {
                errs.push(format!(
                    "GRN {code} line {}: passed/failed {}/{} but inspections sum to {pass}/{fail}",
                    l.line, l.passed, l.failed
                ));
            }
            if l.uninspected() < 0 {
                errs.push(format!("GRN {code} line {}: inspected more than received", l.line));
            }
        }
    }
    for (code, r) in p.returns.iter() {
        if !p.receipts.get(&r.grn).is_some_and(|g| g.lines.iter().any(|l| l.line == r.grn_line)) {
            errs.push(format!("RTV {code}: unknown GRN line {}/{}", r.grn, r.grn_line));
        }
        if let (true, Some(po), Some(n)) = (r.reorder, &r.po, r.po_line) {
            *received.entry((po.clone(), n)).or_default() -= r.qty as i128;
        }
    }
    for (code, o) in p.orders.iter() {
        for l in &o.lines {
            let want = received.remove(&(code.clone(), l.line)).unwrap_or(0);
            if want != l.received as i128 {
                errs.push(format!("PO {code} line {}: received {} but GRNs and RTVs give {want}", l.line, l.received));
            }
            if l.status != o.line_status(l) {
                errs.push(format!("PO {code} line {}: status {:?}, derived {:?}", l.line, l.status, o.line_status(l)));
            }
            if o.status == PoStatus::Draft {
                continue;
            }
            let id = super::order::receipt_id(code, l.line);
            match st.receipt_index(&id).map(|ix| &st.receipts[ix as usize]) {
                // A draft cancelled before confirmation never had one.
                None if o.status == PoStatus::Cancelled => {}
                None => errs.push(format!("PO {code} line {}: no scheduled receipt {id}", l.line)),
                Some(r) => {
                    let open: Minor = o.open(l);
                    if r.open != open || r.qty != l.qty || st.cat.item(r.item).code != l.item {
                        errs.push(format!(
                            "scheduled receipt {id}: open {} qty {}, line open {open} qty {}",
                            r.open, r.qty, l.qty
                        ));
                    }
                }
            }
        }
        if o.status != o.derived_status() {
            errs.push(format!("PO {code}: status {:?}, derived {:?}", o.status, o.derived_status()));
        }
    }
    for ((po, n), q) in received {
        if q != 0 {
            errs.push(format!("receipts against unknown PO line {po}/{n}"));
        }
    }
}
