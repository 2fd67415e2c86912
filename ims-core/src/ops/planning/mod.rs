//! Planning: replenishment policies per item and location, buy plans that
//! turn them into proposed purchase orders, and the acceptance that makes
//! a proposal a real purchase order. The inventory theory behind derived
//! policies is the pure [`crate::policy`] module; forecasts come from
//! [`crate::forecast`]; demand history from the `demand` flow.

mod accept;
mod derive;
mod plan;
mod position;
mod rule;
mod what_if;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use derive::DerivePolicy;
pub use plan::{Plan, PlanLine, Proposal, Unassigned, Why, MAX_HORIZON_DAYS};
pub use position::Position;
pub use rule::{Derivation, ItemPolicies, Policy, PolicyView, Review, Rule, RuleIn};
pub use what_if::{WhatIf, WhatIfDemand, WhatIfResult};

use crate::command::QtyIn;
use crate::engine::Engine;
use crate::error::Error;
use crate::event::Event;
use crate::ids::{Code, ItemId, LocId};
use crate::ops::{DocMap, OpsEvent};
use crate::qty::UnitFactor;
use crate::state::State;
use crate::time::{Date, Millis};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Policies by item code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub policies: DocMap<ItemPolicies>,
    /// Saved plans by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub plans: DocMap<Plan>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty() && self.plans.is_empty()
    }
}

/// `set_policy`: a policy set by hand (replaces the location's policy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetPolicy {
    /// The item.
    pub item: String,
    /// The (internal) location whose subtree the policy replenishes.
    pub location: String,
    /// The rule and its levels.
    #[serde(flatten)]
    pub rule: RuleIn,
    /// The supplier; the item's preferred (else cheapest) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// Expected demand per day for the plan's projection, base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_per_day: Option<Decimal>,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Set a policy by hand.
    SetPolicy(SetPolicy),
    /// Derive a policy from demand history and a service target.
    DerivePolicy(DerivePolicy),
    /// Remove an item's policy at a location.
    RemovePolicy {
        /// The item.
        item: String,
        /// The location.
        location: String,
    },
    /// Compute the buy plan now and keep it under a code.
    CreatePlan {
        /// Client-chosen code.
        plan: String,
        /// Days to project.
        horizon_days: u32,
    },
    /// Turn a saved plan's proposal into a purchase order (draft).
    AcceptProposal {
        /// The plan.
        plan: String,
        /// The proposal id.
        proposal: String,
        /// Code of the purchase order to create.
        po: String,
    },
    /// Drop a saved plan.
    DiscardPlan {
        /// The plan.
        plan: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = super::PLANNING_CMD_TYPES;

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A policy was set (by hand or derived).
    PolicySet {
        /// The item.
        item: Code,
        /// The location.
        location: Code,
        /// The policy (boxed: a derived policy carries its derivation).
        policy: Box<Policy>,
    },
    /// A policy was removed.
    PolicyRemoved {
        /// The item.
        item: Code,
        /// The location.
        location: Code,
    },
    /// A plan was computed and saved.
    PlanCreated {
        /// Its code.
        plan: Code,
        /// The plan.
        doc: Plan,
    },
    /// A proposal became a purchase order.
    ProposalAccepted {
        /// The plan.
        plan: Code,
        /// The proposal.
        proposal: String,
        /// The purchase order.
        po: Code,
    },
    /// A plan was dropped.
    PlanDiscarded {
        /// The plan.
        plan: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] =
    &["policy_set", "policy_removed", "plan_created", "proposal_accepted", "plan_discarded"];

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Planning(ev)))
}

/// The item and internal location of a policy, checked in catalogue order.
fn target(st: &State, item: &str, location: &str) -> Result<(ItemId, LocId), Error> {
    State::check_code("item", item)?;
    State::check_code("location", location)?;
    Ok((st.find_item(item)?, st.find_internal(location)?))
}

fn set_policy(st: &mut State, c: &SetPolicy, out: &mut Vec<Event>) -> Result<(), Error> {
    if let Some(s) = &c.supplier {
        State::check_code("supplier", s)?;
    }
    if let Some(d) = c.demand_per_day.filter(|d| d.is_sign_negative()) {
        return Err(Error::InvalidQuantity { field: "demand_per_day", qty: d });
    }
    let (item, loc) = target(st, &c.item, &c.location)?;
    let invalid = |reason| Error::InvalidPolicy { item: c.item.clone(), location: c.location.clone(), reason };
    let it = st.cat.item(item);
    let rule = c.rule.resolve(|_, v| State::convert(it, v, UnitFactor::ONE, &QtyIn::base(v)), invalid)?;
    if let Some(s) = &c.supplier {
        if !st.ops.procurement.suppliers.contains(s) {
            return Err(Error::UnknownSupplier { supplier: s.clone() });
        }
    }
    let policy = Policy {
        rule,
        supplier: c.supplier.as_deref().map(Into::into),
        demand_per_day: c.demand_per_day.map(|d| d.normalize()),
        derived: None,
    };
    let (item, location) = (st.cat.item(item).code.clone(), st.cat.loc(loc).code.clone());
    emit(st, out, Ev::PolicySet { item, location, policy: Box::new(policy) })
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::SetPolicy(c) => set_policy(st, c, out),
        Cmd::DerivePolicy(c) => derive::derive(st, c, at, out),
        Cmd::RemovePolicy { item, location } => {
            let (i, l) = target(st, item, location)?;
            let (item, location) = (st.cat.item(i).code.clone(), st.cat.loc(l).code.clone());
            if st.policy_of(&item, &location).is_none() {
                return Err(Error::UnknownPolicy { item: item.to_string(), location: location.to_string() });
            }
            emit(st, out, Ev::PolicyRemoved { item, location })
        }
        Cmd::CreatePlan { plan, horizon_days } => {
            State::check_code("plan", plan)?;
            if *horizon_days > MAX_HORIZON_DAYS {
                return Err(Error::LimitExceeded { what: "plan horizon days", max: MAX_HORIZON_DAYS as u64 });
            }
            if st.ops.planning.plans.contains(plan) {
                return Err(Error::PlanExists { plan: plan.clone() });
            }
            let doc = st.plan(Date::at(at, 0), *horizon_days);
            emit(st, out, Ev::PlanCreated { plan: plan.as_str().into(), doc })
        }
        Cmd::AcceptProposal { plan, proposal, po } => accept::accept(st, plan, proposal, po, at, out),
        Cmd::DiscardPlan { plan } => {
            State::check_code("plan", plan)?;
            let code = st.ops.planning.plans.code(plan).ok_or_else(|| Error::UnknownPlan { plan: plan.clone() })?;
            emit(st, out, Ev::PlanDiscarded { plan: code })
        }
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::PolicySet { item, location, policy } => {
            st.item_of(item)?;
            let mut all = st.ops.planning.policies.get(item).cloned().unwrap_or_default();
            all.locations.insert(location.clone(), (**policy).clone());
            st.put_doc(|o| &mut o.planning.policies, item.clone(), all);
        }
        Ev::PolicyRemoved { item, location } => {
            let mut all = st.ops.planning.policies.get(item).cloned().unwrap_or_default();
            all.locations.remove(location);
            if all.locations.is_empty() {
                st.remove_doc(|o| &mut o.planning.policies, item);
            } else {
                st.put_doc(|o| &mut o.planning.policies, item.clone(), all);
            }
        }
        Ev::PlanCreated { plan, doc } => st.put_doc(|o| &mut o.planning.plans, plan.clone(), doc.clone()),
        Ev::ProposalAccepted { plan, proposal, po } => {
            let mut doc = st
                .ops
                .planning
                .plans
                .get(plan)
                .cloned()
                .ok_or_else(|| Error::UnknownPlan { plan: plan.to_string() })?;
            for p in doc.proposals.iter_mut().filter(|p| &p.id == proposal) {
                p.accepted_po = Some(po.clone());
            }
            st.put_doc(|o| &mut o.planning.plans, plan.clone(), doc);
        }
        Ev::PlanDiscarded { plan } => st.remove_doc(|o| &mut o.planning.plans, plan),
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (item, pols) in st.ops.planning.policies.iter() {
        if st.cat.item_id(item).is_none() {
            errs.push(format!("policy of unknown item {item}"));
        }
        for (loc, p) in &pols.locations {
            if st.cat.loc_id(loc).is_none() {
                errs.push(format!("policy of {item} at unknown location {loc}"));
            }
            if let Err(e) = p.rule.check() {
                errs.push(format!("policy of {item} at {loc}: {e}"));
            }
        }
    }
    for (code, plan) in st.ops.planning.plans.iter() {
        for p in plan.proposals.iter().filter_map(|p| p.accepted_po.as_ref()) {
            if !st.ops.procurement.orders.contains(p) {
                errs.push(format!("plan {code} was accepted into unknown purchase order {p}"));
            }
        }
    }
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// An item's policy at a location (`null` when none).
    Policy {
        /// The item.
        item: String,
        /// The location.
        location: String,
    },
    /// The inventory position of an item in a location's subtree.
    InventoryPosition {
        /// The item.
        item: String,
        /// The location.
        location: String,
    },
    /// The buy plan, computed now and not kept.
    Plan {
        /// Days to project.
        horizon_days: u32,
        /// The plan's day; the engine's today (UTC) when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<Date>,
    },
    /// A saved plan.
    SavedPlan {
        /// Its code.
        plan: String,
    },
    /// Candidate policies simulated from the live stock.
    SimulatePolicies(WhatIf),
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = super::PLANNING_QUERY_KINDS;

/// An inventory position with decimals at the edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PositionView {
    /// On hand.
    pub on_hand: Decimal,
    /// On order.
    pub on_order: Decimal,
    /// Backorders.
    pub backorders: Decimal,
    /// Reserved.
    pub reserved: Decimal,
    /// on hand + on order − backorders − reserved.
    pub position: Decimal,
}

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::Policy { item, location } => a.answer(&policy(st, item, location)?),
        Qry::InventoryPosition { item, location } => a.answer(&position_view(st, item, location)?),
        Qry::Plan { horizon_days, on } => a.answer(&plan_on(st, *on, *horizon_days)?),
        Qry::SavedPlan { plan } => a.answer(&saved_plan(st, plan)?),
        Qry::SimulatePolicies(w) => a.answer(&what_if(st, w)?),
    }
}

fn policy(st: &State, item: &str, location: &str) -> Result<Option<PolicyView>, Error> {
    let (i, l) = target(st, item, location)?;
    let (item, location) = (st.cat.item(i).code.clone(), st.cat.loc(l).code.clone());
    Ok(st.policy_of(&item, &location).map(|p| PolicyView {
        rule: p.rule.to_input(|m| st.dec(i, m as i128)),
        supplier: p.supplier.clone(),
        demand_per_day: p.demand_per_day,
        derived: p.derived.clone(),
        item,
        location,
    }))
}

fn position_view(st: &State, item: &str, location: &str) -> Result<PositionView, Error> {
    let (i, l) = target(st, item, location)?;
    let p = st.position(i, l);
    let d = |m| st.dec(i, m);
    Ok(PositionView {
        on_hand: d(p.on_hand),
        on_order: d(p.on_order),
        backorders: d(p.backorders),
        reserved: d(p.reserved),
        position: d(p.value()),
    })
}

fn plan_on(st: &State, on: Option<Date>, horizon_days: u32) -> Result<Plan, Error> {
    if horizon_days > MAX_HORIZON_DAYS {
        return Err(Error::LimitExceeded { what: "plan horizon days", max: MAX_HORIZON_DAYS as u64 });
    }
    Ok(st.plan(on.unwrap_or_else(|| Date::at(st.now, 0)), horizon_days))
}

fn what_if(st: &State, w: &WhatIf) -> Result<Vec<WhatIfResult>, Error> {
    let (i, l) = target(st, &w.item, &w.location)?;
    st.what_if(w, i, l)
}

fn saved_plan<'a>(st: &'a State, plan: &str) -> Result<&'a Plan, Error> {
    State::check_code("plan", plan)?;
    st.ops.planning.plans.get(plan).ok_or_else(|| Error::UnknownPlan { plan: plan.into() })
}

impl State {
    fn policy_of(&self, item: &str, location: &str) -> Option<&Policy> {
        self.ops.planning.policies.get(item).and_then(|p| p.locations.get(location))
    }
}

impl Engine {
    /// An item's policy at a location, if one is set.
    pub fn policy(&self, item: &str, location: &str) -> Result<Option<PolicyView>, Error> {
        policy(&self.st, item, location)
    }

    /// The inventory position of an item in a location's subtree:
    /// on hand + on order − backorders − reserved.
    pub fn inventory_position(&self, item: &str, location: &str) -> Result<PositionView, Error> {
        position_view(&self.st, item, location)
    }

    /// The buy plan of every policy, from `on` (today, UTC, when absent)
    /// over `horizon_days`; nothing is kept (`create_plan` keeps one).
    pub fn plan(&self, on: Option<Date>, horizon_days: u32) -> Result<Plan, Error> {
        plan_on(&self.st, on, horizon_days)
    }

    /// Candidate policies (and the item's own, first, when it has one)
    /// simulated from the live stock against the same demand.
    pub fn simulate_policies(&self, w: &WhatIf) -> Result<Vec<WhatIfResult>, Error> {
        what_if(&self.st, w)
    }

    /// A saved plan.
    pub fn saved_plan(&self, plan: &str) -> Result<&Plan, Error> {
        saved_plan(&self.st, plan)
    }
}
