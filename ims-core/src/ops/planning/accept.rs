//! Accepting a proposal: the saved plan's lines become a draft purchase
//! order through procurement's own `create_po` (the same checks, the same
//! events), and the proposal remembers the order so it is taken once.

use super::{emit, Ev};
use crate::error::Error;
use crate::event::Event;
use crate::ops::procurement::{create_po, CreatePo, LineQty, PoLineIn};
use crate::state::State;
use crate::time::Millis;

pub(super) fn accept(
    st: &mut State,
    plan: &str,
    proposal: &str,
    po: &str,
    at: Millis,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("plan", plan)?;
    State::check_code("po", po)?;
    let doc = st.ops.planning.plans.get(plan).ok_or_else(|| Error::UnknownPlan { plan: plan.into() })?;
    let p = doc.proposals.iter().find(|p| p.id == proposal);
    let p = p.ok_or_else(|| Error::UnknownProposal { plan: plan.into(), proposal: proposal.into() })?;
    if let Some(taken) = &p.accepted_po {
        return Err(Error::ProposalAlreadyAccepted {
            plan: plan.into(),
            proposal: proposal.into(),
            po: taken.to_string(),
        });
    }
    let c = CreatePo {
        po: po.into(),
        supplier: p.supplier.to_string(),
        tolerance_over_pct: None,
        tolerance_under_pct: None,
        lines: p
            .lines
            .iter()
            .map(|l| PoLineIn {
                item: l.item.to_string(),
                qty: LineQty { qty: l.qty, unit: None, rounding: None },
                unit_price: l.unit_price,
                expected: l.expected,
                location: l.location.to_string(),
            })
            .collect(),
    };
    let plan_code = st.ops.planning.plans.code(plan).unwrap_or_else(|| plan.into());
    create_po(st, &c, at, out)?;
    emit(st, out, Ev::ProposalAccepted { plan: plan_code, proposal: proposal.into(), po: po.into() })
}
