//! Conflict reports: what the authority did with a replica's command when it
//! is not what the replica showed its user. Computed from the command and its
//! outcome alone (the envelope's events, or the refusal), so a retried sync
//! gets the same report as the first one.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::command::{CommandBody, QtyIn};
use crate::error::Error;
use crate::event::{Event, MoveReason};
use crate::qty;
use crate::state::State;

/// What kind of disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// A fact (a till's sale) was recorded but the book stock did not cover
    /// it, or it took stock other reservations held.
    Oversold,
    /// A request was granted in part (a partial fill): the rest waits as
    /// dated demand.
    PartiallyGranted,
    /// A request was refused: nothing of it happened at the authority.
    Refused,
}

/// What a till or storefront should do about a conflict. A conflict lists
/// its actions in this order; `Refund` and `Backorder` are alternatives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Compensation {
    /// Give the customer their money back for `qty`.
    Refund {
        /// Base units not granted.
        qty: Decimal,
    },
    /// Keep the customer's order open for `qty` until supply arrives.
    Backorder {
        /// Base units not granted.
        qty: Decimal,
    },
    /// Count the bucket: the books said there was less than was sold.
    Count {
        /// Item.
        item: String,
        /// Location.
        location: String,
    },
    /// Another customer's reservation lost `qty` to this sale: tell them
    /// (their reservation is short).
    NotifyShorted {
        /// The reservation.
        reservation: String,
        /// Base units it lost.
        qty: Decimal,
    },
}

/// One conflict, reported back to the replica that queued the command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The command's client key.
    pub key: String,
    /// The command's `type`.
    pub command: String,
    /// What kind.
    pub kind: ConflictKind,
    /// The item, when the command names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Base units asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<Decimal>,
    /// Base units granted (covered by stock, for a sale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<Decimal>,
    /// `asked − granted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Decimal>,
    /// The refusal's catalogue name, for a refused command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What to do, in a fixed order.
    pub actions: Vec<Compensation>,
}

/// The item and quantity a command asks for, converted to base units with
/// the state's catalog (None when the command names neither, or they do not
/// resolve).
fn asked(st: &State, body: &CommandBody) -> (Option<String>, Option<Decimal>) {
    let of = |item: &str, q: &QtyIn| {
        let qty = st.cat.item_id(item).and_then(|id| st.to_minor(id, q).ok().map(|m| st.dec(id, i128::from(m))));
        (Some(item.to_string()), qty)
    };
    match body {
        CommandBody::Sell(c) => of(&c.item, &c.qty),
        CommandBody::Reserve(c) => of(&c.item, &c.qty),
        CommandBody::Promise(c) => of(&c.item, &c.qty),
        CommandBody::Move(c) => of(&c.item, &c.qty),
        CommandBody::Commit(c) => {
            let r = st.res_id(&c.reservation).map(|r| &st.res[r.ix()]);
            let item = r.map(|r| st.cat.item(r.item).code.to_string());
            let qty = match (r, c.qty) {
                (Some(r), Some(q)) => {
                    let it = st.cat.item(r.item);
                    State::unit_factor(it, c.unit.as_deref())
                        .ok()
                        .and_then(|f| qty::to_minor(q, f, it.scale(), Default::default()).ok())
                        .map(|m| st.dec(r.item, i128::from(m)))
                }
                (Some(r), None) => Some(st.dec(r.item, i128::from(r.allocated()))),
                _ => None,
            };
            (item, qty)
        }
        _ => (None, None),
    }
}

/// The conflict of a refused command. `st` is the authority's state after
/// the refusal (unchanged by it).
pub(crate) fn refused(st: &State, key: &str, body: &CommandBody, err: &Error) -> Conflict {
    let (item, asked) = asked(st, body);
    let actions = match asked {
        Some(q) if matches!(body, CommandBody::Reserve(_) | CommandBody::Promise(_) | CommandBody::Commit(_)) => {
            vec![Compensation::Refund { qty: q }, Compensation::Backorder { qty: q }]
        }
        _ => Vec::new(),
    };
    Conflict {
        key: key.to_string(),
        command: body.type_name().to_string(),
        kind: ConflictKind::Refused,
        item,
        granted: asked.map(|_| Decimal::ZERO),
        shortfall: asked,
        asked,
        error: Some(err.name().to_string()),
        actions,
    }
}

/// The conflict (if any) of an accepted command, from its envelope's events.
pub(crate) fn accepted(st: &State, key: &str, body: &CommandBody, events: &[Event]) -> Option<Conflict> {
    match body {
        CommandBody::Sell(c) => oversold(st, key, &c.item, &c.location, events),
        CommandBody::Reserve(c) => {
            let (item, asked) = asked(st, body);
            let open = events.iter().rev().find_map(|e| match e {
                Event::ReservationCreated { reservation, open_demand, .. } if **reservation == *c.reservation => {
                    Some(*open_demand)
                }
                _ => None,
            })?;
            if open == 0 {
                return None;
            }
            let id = st.cat.item_id(&c.item)?;
            let short = st.dec(id, i128::from(open));
            let asked = asked?;
            Some(Conflict {
                key: key.to_string(),
                command: body.type_name().to_string(),
                kind: ConflictKind::PartiallyGranted,
                item,
                asked: Some(asked),
                granted: Some(asked - short),
                shortfall: Some(short),
                error: None,
                actions: vec![Compensation::Refund { qty: short }, Compensation::Backorder { qty: short }],
            })
        }
        _ => None,
    }
}

/// A sale is a fact: it always posts. It conflicts when some of it was not
/// covered by book stock (the bucket went below zero) or when it took stock
/// that reservations held (they were shorted).
fn oversold(st: &State, key: &str, item: &str, location: &str, events: &[Event]) -> Option<Conflict> {
    let id = st.cat.item_id(item)?;
    // Sums of the envelope's quantities, which come from the wire: wide
    // enough that no sequence of events overflows them.
    let mut asked: i128 = 0;
    let mut uncovered: i128 = 0;
    let mut last_sale: i64 = 0;
    let mut shorted: Vec<(String, i64)> = Vec::new();
    for e in events {
        match e {
            Event::MovePosted { item: i, qty, reason: MoveReason::Sale, from, .. }
                if **i == *item && **from == *location =>
            {
                asked += i128::from(*qty);
                last_sale = *qty;
            }
            // A sale's posting is followed by its bucket's NegativeStock
            // when it went below zero: the part below zero was not covered.
            Event::NegativeStock { item: i, location: l, on_hand, .. } if **i == *item && **l == *location => {
                // A bucket reported negative with a non-negative on-hand
                // left nothing uncovered.
                uncovered += i128::from(last_sale.min(on_hand.saturating_neg()).max(0));
            }
            Event::ReservationShorted { reservation, shortfall } => {
                shorted.push((reservation.to_string(), *shortfall));
            }
            _ => {}
        }
    }
    if uncovered == 0 && shorted.is_empty() {
        return None;
    }
    let d = |q: i128| st.dec(id, q);
    let mut actions = Vec::new();
    if uncovered > 0 {
        actions.push(Compensation::Count { item: item.to_string(), location: location.to_string() });
    }
    shorted.sort();
    for (r, q) in shorted {
        actions.push(Compensation::NotifyShorted { reservation: r, qty: d(i128::from(q)) });
    }
    Some(Conflict {
        key: key.to_string(),
        command: "sell".into(),
        kind: ConflictKind::Oversold,
        item: Some(item.to_string()),
        asked: Some(d(asked)),
        granted: Some(d(asked - uncovered)),
        shortfall: Some(d(uncovered)),
        error: None,
        actions,
    })
}
