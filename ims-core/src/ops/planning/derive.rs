//! Deriving a policy from demand history and a service target — one
//! documented convention (DESIGN §8):
//!
//! * demand = shipped + lost, per day, over the last `history_days` days
//!   before today, in the location's subtree (the `demand` flow's table);
//! * the days are summed into weeks counted back from today (a partial
//!   oldest week is dropped); the forecast method is the one given, else
//!   the automatic choice for the weekly series (Syntetos–Boylan);
//!   demand per day μ = the one-week-ahead forecast / 7; σ per day = the
//!   sample standard deviation of the weekly totals / √7;
//! * lead time mean and sd from the supplier (days); review period R = the
//!   policy's review interval for a periodic rule, 0 otherwise; protection
//!   interval = lead time + review period, in days;
//! * safety stock by [`crate::policy::safety_stock`] for the cycle service
//!   level (Type 1) or the fill rate (Type 2, with Q as the order size);
//! * order quantity Q = the one given, else μ·max(R, 14) days of demand;
//! * levels are rounded up to whole base units by the named rule
//!   ([`crate::policy::units_up`]): reorder point r = ⌈μ·(L+R) + SS⌉;
//!   min/max and (s, S) use s = r, S = r + Q; periodic orders up to r.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::supplier_for;
use super::rule::{Derivation, Policy, Review, Rule};
use super::{emit, target, Ev};
use crate::error::Error;
use crate::event::Event;
use crate::forecast::{auto, forecast_only, Method};
use crate::ops::demand::{demand_table, Bucket, ScopeFilter};
use crate::policy::safety_stock::{type1, type2, ProtectionParams};
use crate::policy::units_up;
use crate::state::State;
use crate::time::{Date, Millis};

/// `derive_policy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DerivePolicy {
    /// The item.
    pub item: String,
    /// The location.
    pub location: String,
    /// `reorder_point`, `min_max`, `s_s` or `periodic`.
    pub rule: String,
    /// Type 1 target in (0, 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_service_level: Option<Decimal>,
    /// Type 2 target in (0, 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_rate: Option<Decimal>,
    /// Days of history (default 364).
    #[serde(default = "default_history")]
    pub history_days: u32,
    /// Review interval of a periodic rule, days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every_days: Option<u32>,
    /// A review day of a periodic rule (today when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_from: Option<Date>,
    /// Order quantity, base units (derived when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_qty: Option<Decimal>,
    /// Forecast method (automatic when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Supplier (preferred, else cheapest, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
}

fn default_history() -> u32 {
    364
}

fn dec6(x: f64) -> Decimal {
    Decimal::from_f64(x).map(|d| d.round_dp(6).normalize()).unwrap_or_default()
}

fn f(d: Decimal) -> f64 {
    d.try_into().unwrap_or(f64::NAN)
}

pub(super) fn derive(st: &mut State, c: &DerivePolicy, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    let bad =
        |param, value: String, reason| Error::InvalidParameter { function: "derive_policy", param, value, reason };
    let (target_name, level) = match (c.cycle_service_level, c.fill_rate) {
        (Some(v), None) => ("cycle_service_level", v),
        (None, Some(v)) => ("fill_rate", v),
        _ => {
            return Err(bad(
                "cycle_service_level",
                String::new(),
                "name exactly one of cycle_service_level and fill_rate",
            ))
        }
    };
    if level <= Decimal::ZERO || level >= Decimal::ONE {
        return Err(bad(
            if target_name == "fill_rate" { "fill_rate" } else { "cycle_service_level" },
            level.to_string(),
            "must lie in (0, 1)",
        ));
    }
    if !(14..=3640).contains(&c.history_days) {
        return Err(bad("history_days", c.history_days.to_string(), "must lie in 14..=3640"));
    }
    let review_days = match (c.rule.as_str(), c.review_every_days) {
        ("periodic", Some(r)) if r >= 1 => r,
        ("periodic", r) => {
            return Err(bad("review_every_days", format!("{r:?}"), "a periodic rule needs a review interval ≥ 1"))
        }
        ("reorder_point" | "min_max" | "s_s", _) => 0,
        (r, _) => return Err(bad("rule", r.to_string(), "one of reorder_point, min_max, s_s, periodic")),
    };
    if let Some(m) = &c.method {
        m.validate()?;
    }
    if let Some(s) = &c.supplier {
        State::check_code("supplier", s)?;
    }
    let (item, loc) = target(st, &c.item, &c.location)?;
    let today = Date::at(at, 0);
    let weeks = c.history_days / 7;
    let from = today.plus(-(weeks as i32 * 7));
    let scope = ScopeFilter::Subtree(st.cat.loc(loc).code.to_string());
    let table = demand_table(st, &scope, Bucket::Day, from, weeks * 7)?;
    let pow = (0..st.cat.item(item).scale()).fold(1.0f64, |p, _| p * 10.0);
    let day = |i: usize| -> f64 {
        let s = table.shipped(item).map_or(0, |v| v[i]);
        let l = table.lost(item).map_or(0, |v| v[i]);
        (s + l) as f64 / pow
    };
    let weekly: Vec<f64> = (0..weeks as usize).map(|w| (0..7).map(|d| day(w * 7 + d)).sum()).collect();
    if weekly.iter().all(|&w| w == 0.0) {
        return Err(Error::NoDemandHistory { item: c.item.clone(), location: c.location.clone(), days: weeks * 7 });
    }
    let method = match c.method {
        Some(m) => m,
        None => auto(&weekly)?,
    };
    let mu = forecast_only(&method, &weekly, 1)?.first().copied().unwrap_or(0.0) / 7.0;
    let n = weekly.len() as f64;
    let mean_w = weekly.iter().sum::<f64>() / n;
    let var_w = weekly.iter().map(|w| (w - mean_w) * (w - mean_w)).sum::<f64>() / (n - 1.0).max(1.0);
    let sd = libm::sqrt(var_w) / libm::sqrt(7.0);
    let probe = Policy {
        rule: Rule::MinMax { min: 0, max: 1 },
        supplier: c.supplier.as_deref().map(Into::into),
        demand_per_day: None,
        derived: None,
    };
    let sup = supplier_for(st, &st.cat.item(item).code, &probe).ok().map(|(s, _)| s);
    let (lt, lt_sd) = sup.map_or((0.0, 0.0), |s| (f(s.spec.lead_time_mean_days), f(s.spec.lead_time_sd_days)));
    let params = ProtectionParams {
        demand_mean: mu,
        demand_sd: sd,
        lead_time_mean: lt,
        lead_time_sd: lt_sd,
        review_period: review_days as f64,
    };
    let q_units = match c.order_qty {
        Some(q) if q > Decimal::ZERO => f(q),
        Some(q) => return Err(Error::InvalidQuantity { field: "order_qty", qty: q }),
        None => (mu * review_days.max(14) as f64).max(1.0),
    };
    let ss = match target_name {
        "fill_rate" => type2(&params, f(level), q_units)?,
        _ => type1(&params, f(level))?,
    };
    let minor = |units: f64| units_up(units).saturating_mul(pow as i64);
    let r = minor(ss.reorder_level);
    let q = minor(q_units).max(1);
    let rule = match c.rule.as_str() {
        "reorder_point" => Rule::ReorderPoint { reorder_point: r, order_qty: q },
        "min_max" => Rule::MinMax { min: r, max: r.saturating_add(q) },
        "s_s" => Rule::SS { s: r, big_s: r.saturating_add(q) },
        _ => Rule::Periodic {
            review: Review { every_days: review_days, first: c.review_from.unwrap_or(today) },
            order_up_to: r,
        },
    };
    let policy = Policy {
        rule,
        supplier: c.supplier.as_deref().map(Into::into),
        demand_per_day: Some(dec6(mu)),
        derived: Some(Derivation {
            target: target_name.into(),
            level: level.normalize(),
            on: today,
            history_days: weeks * 7,
            method: serde_json::to_string(&method).unwrap_or_default(),
            demand_per_day: dec6(mu),
            demand_sd_per_day: dec6(sd),
            lead_time_days: dec6(lt),
            lead_time_sd_days: dec6(lt_sd),
            review_days,
            z: dec6(ss.z),
            safety_stock: dec6(ss.safety_stock),
            protection_mean: dec6(ss.protection_mean),
        }),
    };
    let (item, location) = (st.cat.item(item).code.clone(), st.cat.loc(loc).code.clone());
    emit(st, out, Ev::PolicySet { item, location, policy: Box::new(policy) })
}
