//! Replenishment policies per item and location: the rule that says when to
//! order and how much, and where it came from (set by hand, or derived from
//! demand history and a service level).
//!
//! Quantities are minor units of the item. Trigger conventions, compared
//! against the inventory position (see `position.rs`):
//!
//! * reorder point + order quantity (r, Q): position ≤ r → order the
//!   smallest multiple of Q that lifts the position above r;
//! * min/max: position **<** min → order up to max (the retail reading);
//! * (s, S): position **≤** s → order up to S (Snyder & Shen's, as the
//!   vectors use it);
//! * periodic (R, S): on each review day, order up to S.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::Code;
use crate::qty::Minor;
use crate::time::Date;

/// A review calendar: every `every_days` days from `first`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Days between reviews (≥ 1).
    pub every_days: u32,
    /// A review day; the calendar runs both ways from it.
    pub first: Date,
}

impl Review {
    /// Whether `d` is a review day.
    pub fn is_review_day(&self, d: Date) -> bool {
        (d.0 as i64 - self.first.0 as i64).rem_euclid(self.every_days.max(1) as i64) == 0
    }
}

/// When to order and how much (minor units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// (r, Q).
    ReorderPoint {
        /// Order when the position is at or below this.
        reorder_point: Minor,
        /// The fixed order quantity (a multiple of it is ordered).
        order_qty: Minor,
    },
    /// Min/max.
    MinMax {
        /// Order when the position is below this.
        min: Minor,
        /// Order up to this.
        max: Minor,
    },
    /// (s, S).
    #[serde(rename = "s_s")]
    SS {
        /// Order when the position is at or below this.
        s: Minor,
        /// Order up to this.
        #[serde(rename = "S")]
        big_s: Minor,
    },
    /// (R, S): periodic review, order up to.
    Periodic {
        /// The review calendar.
        review: Review,
        /// Order up to this on review days.
        order_up_to: Minor,
    },
}

impl Rule {
    /// The JSON name of the rule.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::ReorderPoint { .. } => "reorder_point",
            Rule::MinMax { .. } => "min_max",
            Rule::SS { .. } => "s_s",
            Rule::Periodic { .. } => "periodic",
        }
    }

    /// The rule's own consistency: positive order sizes, min ≤ max, s < S.
    pub fn check(&self) -> Result<(), &'static str> {
        match *self {
            Rule::ReorderPoint { order_qty, .. } if order_qty <= 0 => Err("order_qty must be positive"),
            Rule::MinMax { min, max } if max < min || max <= 0 => Err("max must be positive and at least min"),
            Rule::SS { s, big_s } if big_s <= s => Err("S must exceed s"),
            Rule::Periodic { review, order_up_to } if review.every_days == 0 || order_up_to < 0 => {
                Err("a review needs every_days ≥ 1 and a non-negative order_up_to")
            }
            _ => Ok(()),
        }
    }

    /// How much to order at `position` on day `d` (before order rounding),
    /// or 0 when the rule does not fire.
    pub fn order_at(&self, position: i128, d: Date) -> i128 {
        match *self {
            Rule::ReorderPoint { reorder_point, order_qty } => {
                let (r, q) = (reorder_point as i128, order_qty as i128);
                if position > r || q <= 0 {
                    0
                } else {
                    ((r - position) / q + 1) * q
                }
            }
            Rule::MinMax { min, max } if position < min as i128 => max as i128 - position,
            Rule::SS { s, big_s } if position <= s as i128 => big_s as i128 - position,
            Rule::Periodic { review, order_up_to } if review.is_review_day(d) => {
                (order_up_to as i128 - position).max(0)
            }
            _ => 0,
        }
    }

    /// The level whose crossing triggers an order (r, min, s), or the
    /// order-up-to level of a periodic rule.
    pub fn trigger_level(&self) -> Minor {
        match *self {
            Rule::ReorderPoint { reorder_point, .. } => reorder_point,
            Rule::MinMax { min, .. } => min,
            Rule::SS { s, .. } => s,
            Rule::Periodic { order_up_to, .. } => order_up_to,
        }
    }
}

/// How a derived policy was computed: the inputs and the statistics, kept
/// with the policy so every plan line can explain itself. Statistics are
/// decimals rounded to 6 places (events and snapshots hold no floats).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    /// Target: `cycle_service_level` (Type 1) or `fill_rate` (Type 2).
    pub target: Code,
    /// The target's value in (0, 1).
    pub level: Decimal,
    /// The day it was derived.
    pub on: Date,
    /// Days of history used.
    pub history_days: u32,
    /// The forecast method chosen (its JSON form).
    pub method: String,
    /// Forecast demand per day, base units.
    pub demand_per_day: Decimal,
    /// Standard deviation of daily demand, base units.
    pub demand_sd_per_day: Decimal,
    /// Mean and sd of the supplier's lead time, days.
    pub lead_time_days: Decimal,
    /// Standard deviation of the lead time, days.
    pub lead_time_sd_days: Decimal,
    /// Review period, days (0 = continuous review).
    pub review_days: u32,
    /// The safety factor z.
    pub z: Decimal,
    /// Safety stock, base units (before rounding to units).
    pub safety_stock: Decimal,
    /// Mean demand over the protection interval (lead time + review).
    pub protection_mean: Decimal,
}

/// A replenishment policy of one item at one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The rule.
    #[serde(flatten)]
    pub rule: Rule,
    /// The supplier to buy from; the item's preferred supplier when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Code>,
    /// Expected demand per day (base units) the plan projects the position
    /// with; no projection (today's position only) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_per_day: Option<Decimal>,
    /// How it was derived; absent when set by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derivation>,
}

/// The policies of one item, by location code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPolicies {
    /// Policy per location.
    pub locations: std::collections::BTreeMap<Code, Policy>,
}

/// `set_policy`'s rule with quantities as the host gives them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleIn {
    /// (r, Q).
    ReorderPoint {
        /// Reorder point.
        reorder_point: Decimal,
        /// Order quantity.
        order_qty: Decimal,
    },
    /// Min/max.
    MinMax {
        /// Min.
        min: Decimal,
        /// Max.
        max: Decimal,
    },
    /// (s, S).
    #[serde(rename = "s_s")]
    SS {
        /// s.
        s: Decimal,
        /// S.
        #[serde(rename = "S")]
        big_s: Decimal,
    },
    /// (R, S).
    Periodic {
        /// Days between reviews.
        review_every_days: u32,
        /// A review day.
        review_from: Date,
        /// Order-up-to level.
        order_up_to: Decimal,
    },
}

impl Rule {
    /// The rule with its levels as decimals of the base unit (`dec`
    /// converts minor units of the item).
    pub fn to_input(&self, dec: impl Fn(Minor) -> Decimal) -> RuleIn {
        match *self {
            Rule::ReorderPoint { reorder_point, order_qty } => {
                RuleIn::ReorderPoint { reorder_point: dec(reorder_point), order_qty: dec(order_qty) }
            }
            Rule::MinMax { min, max } => RuleIn::MinMax { min: dec(min), max: dec(max) },
            Rule::SS { s, big_s } => RuleIn::SS { s: dec(s), big_s: dec(big_s) },
            Rule::Periodic { review, order_up_to } => RuleIn::Periodic {
                review_every_days: review.every_days,
                review_from: review.first,
                order_up_to: dec(order_up_to),
            },
        }
    }
}

/// A policy as hosts see it: levels as decimals of the base unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyView {
    /// The item.
    pub item: Code,
    /// The location.
    pub location: Code,
    /// The rule and its levels.
    #[serde(flatten)]
    pub rule: RuleIn,
    /// The supplier named by the policy, if any.
    pub supplier: Option<Code>,
    /// Expected demand per day for the plan's projection.
    pub demand_per_day: Option<Decimal>,
    /// How it was derived; absent when set by hand.
    pub derived: Option<Derivation>,
}

impl RuleIn {
    /// Converts to minor units with `minor` (the item's scale), then checks
    /// the rule.
    pub(crate) fn resolve(
        &self,
        mut minor: impl FnMut(&'static str, Decimal) -> Result<Minor, Error>,
        invalid: impl Fn(&'static str) -> Error,
    ) -> Result<Rule, Error> {
        let rule = match *self {
            RuleIn::ReorderPoint { reorder_point, order_qty } => Rule::ReorderPoint {
                reorder_point: minor("reorder_point", reorder_point)?,
                order_qty: minor("order_qty", order_qty)?,
            },
            RuleIn::MinMax { min, max } => Rule::MinMax { min: minor("min", min)?, max: minor("max", max)? },
            RuleIn::SS { s, big_s } => Rule::SS { s: minor("s", s)?, big_s: minor("S", big_s)? },
            RuleIn::Periodic { review_every_days, review_from, order_up_to } => Rule::Periodic {
                review: Review { every_days: review_every_days, first: review_from },
                order_up_to: minor("order_up_to", order_up_to)?,
            },
        };
        rule.check().map_err(invalid)?;
        Ok(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_follow_each_rules_convention() {
        let d = Date(100);
        let rq = Rule::ReorderPoint { reorder_point: 10, order_qty: 5 };
        assert_eq!(rq.order_at(11, d), 0);
        assert_eq!(rq.order_at(10, d), 5, "at r the rule fires");
        assert_eq!(rq.order_at(-3, d), 15, "three Qs lift -3 above 10");
        let mm = Rule::MinMax { min: 10, max: 30 };
        assert_eq!(mm.order_at(10, d), 0, "min/max fires below min only");
        assert_eq!(mm.order_at(9, d), 21);
        let ss = Rule::SS { s: 10, big_s: 30 };
        assert_eq!(ss.order_at(10, d), 20, "(s,S) fires at s");
        let p = Rule::Periodic { review: Review { every_days: 7, first: Date(93) }, order_up_to: 40 };
        assert_eq!(p.order_at(12, d), 28, "day 100 is a review day (93 + 7)");
        assert_eq!(p.order_at(12, Date(101)), 0);
        assert_eq!(p.order_at(50, d), 0, "never a negative order");
        assert!(Rule::SS { s: 5, big_s: 5 }.check().is_err());
        assert!(Rule::MinMax { min: 6, max: 5 }.check().is_err());
    }
}
