//! Kit queries: definition, availability (now or on a date) and kit
//! reservations with their component reservations.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{component_id, find_kit, find_res};
use crate::availability::AtpOptions;
use crate::command::Scope;
use crate::error::Error;
use crate::ids::Code;
use crate::reservation::ResStatus;
use crate::state::State;
use crate::time::Date;

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// A kit's definition.
    Kit {
        /// The kit item.
        kit: String,
    },
    /// How many kits the components make at a scope, now or on a date.
    KitAvailability {
        /// The kit item.
        kit: String,
        /// Where.
        scope: Scope,
        /// ATP date; available now when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<Date>,
    },
    /// A kit reservation and its component reservations.
    KitReservation {
        /// The kit reservation.
        reservation: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["kit", "kit_availability", "kit_reservation"];

/// A component as the views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComponentView {
    /// The component item.
    pub item: Code,
    /// Quantity per kit (base unit).
    pub qty: Decimal,
}

/// A kit's definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KitView {
    /// The kit item.
    pub kit: Code,
    /// Its components.
    pub components: Vec<ComponentView>,
}

/// One component's share of a kit availability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComponentAvailability {
    /// The component item.
    pub item: Code,
    /// Quantity per kit.
    pub per_kit: Decimal,
    /// Available (now, or ATP on the date).
    pub available: Decimal,
    /// Whole kits this component allows.
    pub kits: i64,
}

/// How many kits can be made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KitAvailability {
    /// The kit item.
    pub kit: Code,
    /// The date of an ATP answer; absent for now.
    pub date: Option<Date>,
    /// Whole kits: the minimum over the components.
    pub available: i64,
    /// The components that set the minimum.
    pub limiting: Vec<Code>,
    /// Each component's share.
    pub components: Vec<ComponentAvailability>,
}

/// A component reservation of a kit reservation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KitResLineView {
    /// The component item.
    pub item: Code,
    /// The core reservation.
    pub reservation: Code,
    /// Its status (`active`, `committed`, `released`, `expired`).
    pub status: &'static str,
    /// Quantity per kit.
    pub per_kit: Decimal,
    /// Reserved in total.
    pub qty: Decimal,
    /// Committed so far.
    pub committed: Decimal,
}

/// A kit reservation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KitReservationView {
    /// The kit reservation.
    pub reservation: Code,
    /// The kit item.
    pub kit: Code,
    /// `active` while every component is; else the first finished
    /// component's status.
    pub status: &'static str,
    /// Kits reserved.
    pub qty: i64,
    /// Kits committed.
    pub committed: i64,
    /// The component reservations.
    pub components: Vec<KitResLineView>,
}

fn status_name(s: ResStatus) -> &'static str {
    match s {
        ResStatus::Active => "active",
        ResStatus::Committed => "committed",
        ResStatus::Released => "released",
        ResStatus::Expired => "expired",
    }
}

fn kit_view(st: &State, kit: &str) -> Result<KitView, Error> {
    let (kid, k) = find_kit(st, kit)?;
    let components = k
        .components
        .iter()
        .map(|c| ComponentView {
            item: c.item.clone(),
            qty: st.cat.item_id(&c.item).map_or(Decimal::ZERO, |id| st.dec(id, c.qty as i128)),
        })
        .collect();
    Ok(KitView { kit: st.cat.item(kid).code.clone(), components })
}

fn availability(st: &State, kit: &str, scope: &Scope, date: Option<Date>) -> Result<KitAvailability, Error> {
    let (kid, k) = find_kit(st, kit)?;
    let s = st.find_scope(scope)?;
    let mut components = Vec::with_capacity(k.components.len());
    for c in &k.components {
        let id = component_id(st, &c.item)?;
        let avail = match date {
            None => st.buckets_minor(id, &s, 0).available,
            Some(d) => st.atp_on(id, &s, d.max(st.today_at(s.anchor())), &AtpOptions::default(), false).0,
        };
        // Rounding rule: whole kits, floor (a part kit cannot be sold).
        let n = (avail.max(0) / c.qty.max(1) as i128).min(i64::MAX as i128) as i64;
        components.push(ComponentAvailability {
            item: c.item.clone(),
            per_kit: st.dec(id, c.qty as i128),
            available: st.dec(id, avail),
            kits: n,
        });
    }
    let available = components.iter().map(|c| c.kits).min().unwrap_or(0);
    let limiting = components.iter().filter(|c| c.kits == available).map(|c| c.item.clone()).collect();
    Ok(KitAvailability { kit: st.cat.item(kid).code.clone(), date, available, limiting, components })
}

fn reservation_view(st: &State, reservation: &str) -> Result<KitReservationView, Error> {
    let r = find_res(st, reservation)?;
    let mut status = "active";
    let mut components = Vec::with_capacity(r.components.len());
    for l in &r.components {
        let id = component_id(st, &l.item)?;
        let rid = st
            .res_id(&l.reservation)
            .ok_or_else(|| Error::UnknownReservation { reservation: l.reservation.to_string() })?;
        let res = &st.res[rid.ix()];
        let s = status_name(res.status);
        if status == "active" {
            status = s;
        }
        components.push(KitResLineView {
            item: l.item.clone(),
            reservation: l.reservation.clone(),
            status: s,
            per_kit: st.dec(id, l.per_kit as i128),
            qty: st.dec(id, res.qty as i128),
            committed: st.dec(id, res.committed as i128),
        });
    }
    Ok(KitReservationView {
        reservation: reservation.into(),
        kit: r.kit.clone(),
        status,
        qty: r.qty,
        committed: r.committed,
        components,
    })
}

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::Kit { kit } => a.answer(&kit_view(st, kit)?),
        Qry::KitAvailability { kit, scope, date } => a.answer(&availability(st, kit, scope, *date)?),
        Qry::KitReservation { reservation } => a.answer(&reservation_view(st, reservation)?),
    }
}

impl crate::engine::Engine {
    /// A kit's definition.
    pub fn kit(&self, kit: &str) -> Result<KitView, Error> {
        kit_view(&self.st, kit)
    }
    /// Whole kits available at a scope now (`date` absent) or on a date.
    pub fn kit_availability(&self, kit: &str, scope: &Scope, date: Option<Date>) -> Result<KitAvailability, Error> {
        availability(&self.st, kit, scope, date)
    }
    /// A kit reservation with its component reservations.
    pub fn kit_reservation(&self, reservation: &str) -> Result<KitReservationView, Error> {
        reservation_view(&self.st, reservation)
    }
}
