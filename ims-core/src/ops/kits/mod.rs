//! Operations flow `kits`: a kit item made of components.
//!
//! `define_kit` names the components and their exact quantity per kit (a
//! kit is one level deep: no kit inside a kit). A kit's availability at a
//! scope is the minimum over its components of floor(available / quantity
//! per kit), now or on a date (time-phased ATP). `reserve_kit` reserves
//! every component through the core's reserve handler as reservation
//! `<res>/<component>`, all or nothing: one refusal refuses the command,
//! and the engine rolls every component reservation back. `commit_kit` and
//! `release_kit` act on all of them; `sell_kit` is a till fact that sells
//! the components at a location.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod view;

pub(crate) use view::query;
pub use view::{
    ComponentAvailability, ComponentView, KitAvailability, KitResLineView, KitReservationView, KitView, Qry,
    QUERY_KINDS,
};

use crate::command::{Commit, Fill, QtyIn, Remainder, Reserve, Scope, Sell, Strategy};
use crate::error::Error;
use crate::event::Event;
use crate::ids::{Code, ItemId};
use crate::ops::{DocMap, OpsEvent};
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

/// One component of a kit (quantity in the component's minor units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// The component item.
    pub item: Code,
    /// Quantity per kit, minor units of the component.
    pub qty: Minor,
}

/// A kit definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit {
    /// Components in the order given.
    pub components: Vec<Component>,
}

/// One component reservation of a kit reservation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitResLine {
    /// The component item.
    pub item: Code,
    /// The core reservation (`<res>/<item>`).
    pub reservation: Code,
    /// Quantity per kit, minor units.
    pub per_kit: Minor,
}

/// A kit reservation: which component reservations it made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitReservation {
    /// The kit item.
    pub kit: Code,
    /// Kits reserved.
    pub qty: i64,
    /// Kits committed so far.
    pub committed: i64,
    /// The component reservations.
    pub components: Vec<KitResLine>,
}

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Kits by kit item.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub kits: DocMap<Kit>,
    /// Kit reservations by id.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub reservations: DocMap<KitReservation>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.kits.is_empty() && self.reservations.is_empty()
    }
}

/// A component as a command gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentIn {
    /// The component item.
    pub item: String,
    /// Quantity per kit (exact in the item's scale).
    #[serde(flatten)]
    pub qty: QtyIn,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Define (or redefine) a kit's components.
    DefineKit {
        /// The kit item (a defined item).
        kit: String,
        /// Components and quantity per kit.
        components: Vec<ComponentIn>,
    },
    /// Reserve every component of `qty` kits, all or nothing.
    ReserveKit {
        /// Client-chosen id; component reservations are `<id>/<item>`.
        reservation: String,
        /// The kit item.
        kit: String,
        /// Whole kits.
        qty: Decimal,
        /// Where to take the components from.
        scope: Scope,
        /// Sales channel.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<String>,
        /// Time to live; never expires when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ttl_ms: Option<i64>,
        /// Removal strategy of each component.
        #[serde(default)]
        strategy: Strategy,
    },
    /// Commit `qty` kits (all that is reserved when absent) of every component.
    CommitKit {
        /// The kit reservation.
        reservation: String,
        /// Whole kits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qty: Option<Decimal>,
        /// Where the stock goes; the customer when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destination: Option<String>,
        /// Release or keep the rest.
        #[serde(default)]
        remainder: Remainder,
        /// Reference on the moves; the component reservation id when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// Release every component reservation.
    ReleaseKit {
        /// The kit reservation.
        reservation: String,
    },
    /// Fact: a till sold kits at a location (sells the components).
    SellKit {
        /// The kit item.
        kit: String,
        /// The selling location.
        location: String,
        /// Whole kits.
        qty: Decimal,
        /// Free reference (receipt number).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["define_kit", "reserve_kit", "commit_kit", "release_kit", "sell_kit"];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A kit was defined or redefined.
    KitDefined {
        /// The kit item.
        kit: Code,
        /// Its components.
        components: Vec<Component>,
    },
    /// A kit reservation was made (the component reservations follow).
    KitReserved {
        /// The kit reservation.
        reservation: Code,
        /// The kit and its component reservations.
        #[serde(flatten)]
        doc: KitReservation,
    },
    /// Kits of a kit reservation were committed (the component commits follow).
    KitCommitted {
        /// The kit reservation.
        reservation: Code,
        /// Whole kits.
        qty: i64,
    },
    /// A kit reservation was released (the component releases follow).
    KitReleased {
        /// The kit reservation.
        reservation: Code,
    },
    /// Kits were sold at a till (the component sales follow).
    KitSold {
        /// The kit item.
        kit: Code,
        /// The location.
        location: Code,
        /// Whole kits.
        qty: i64,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &["kit_defined", "kit_reserved", "kit_committed", "kit_released", "kit_sold"];

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Kits(ev)))
}

/// Whole kits: a positive integer.
fn kits(qty: Decimal) -> Result<i64, Error> {
    State::check_sign("qty", qty, crate::exec::Sign::Positive)?;
    if !qty.fract().is_zero() {
        return Err(Error::InvalidQuantity { field: "qty", qty });
    }
    let q = qty.normalize();
    i64::try_from(q.mantissa() / 10i128.pow(q.scale())).map_err(|_| Error::QuantityOverflow)
}

fn find_kit<'a>(st: &'a State, kit: &str) -> Result<(ItemId, &'a Kit), Error> {
    let id = st.find_item(kit)?;
    let k = st.ops.kits.kits.get(kit).ok_or_else(|| Error::UnknownKit { kit: kit.into() })?;
    Ok((id, k))
}

/// A component's quantity for `n` kits, as a decimal of its base unit.
fn component_qty(st: &State, item: ItemId, per_kit: Minor, n: i64) -> Result<(Minor, Decimal), Error> {
    let q = per_kit.checked_mul(n).ok_or(Error::QuantityOverflow)?;
    Ok((q, st.dec(item, q as i128)))
}

fn component_id(st: &State, item: &str) -> Result<ItemId, Error> {
    st.cat.item_id(item).ok_or_else(|| Error::UnknownItem { item: item.into() })
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::DefineKit { kit, components } => define(st, kit, components, out),
        Cmd::ReserveKit { reservation, kit, qty, scope, channel, ttl_ms, strategy } => {
            State::check_code("reservation", reservation)?;
            let n = kits(*qty)?;
            if let Some(t) = ttl_ms.filter(|t| *t <= 0) {
                return Err(Error::InvalidDuration { field: "ttl_ms", value: t });
            }
            if let Some(ch) = channel {
                State::check_code("channel", ch)?;
            }
            let (kid, k) = find_kit(st, kit)?;
            st.find_scope(scope)?;
            let k = k.clone();
            let kit_code = st.cat.item(kid).code.clone();
            if st.ops.kits.reservations.contains(reservation) || st.res_id(reservation).is_some() {
                return Err(Error::ReservationIdConflict { reservation: reservation.clone() });
            }
            let mut lines = Vec::with_capacity(k.components.len());
            let mut reserves = Vec::with_capacity(k.components.len());
            for c in &k.components {
                let id = component_id(st, &c.item)?;
                let (_, dec) = component_qty(st, id, c.qty, n)?;
                let code = format!("{reservation}/{}", c.item);
                lines.push(KitResLine { item: c.item.clone(), reservation: code.as_str().into(), per_kit: c.qty });
                reserves.push(Reserve {
                    reservation: code,
                    item: c.item.to_string(),
                    qty: QtyIn::base(dec),
                    scope: scope.clone(),
                    channel: channel.clone(),
                    ttl_ms: *ttl_ms,
                    strategy: *strategy,
                    min_shelf_life_days: 0,
                    fill: Fill::All,
                    need_date: None,
                    priority: 0,
                });
            }
            // Each reserve validates before it emits; the first refusal
            // returns its error and the engine rolls back the components
            // already reserved: all or nothing.
            for r in &reserves {
                st.reserve(r, out)?;
            }
            let doc = KitReservation { kit: kit_code, qty: n, committed: 0, components: lines };
            emit(st, out, Ev::KitReserved { reservation: reservation.as_str().into(), doc })
        }
        Cmd::CommitKit { reservation, qty, destination, remainder, reference } => {
            let n = match qty {
                Some(q) => Some(kits(*q)?),
                None => None,
            };
            State::check_reference(reference.as_deref())?;
            let kr = find_res(st, reservation)?.clone();
            // Every component must still be active, and hold n kits' worth.
            for l in &kr.components {
                st.active_reservation(&l.reservation)?;
            }
            let mut commits = Vec::with_capacity(kr.components.len());
            for l in &kr.components {
                let id = component_id(st, &l.item)?;
                let dec = match n {
                    Some(n) => Some(component_qty(st, id, l.per_kit, n)?.1),
                    None => None,
                };
                commits.push(Commit {
                    reservation: l.reservation.to_string(),
                    qty: dec,
                    unit: None,
                    buckets: None,
                    destination: destination.clone(),
                    remainder: *remainder,
                    reference: reference.clone(),
                });
            }
            // Without a quantity each component commits what it holds: the
            // kits recorded are what is left of the kit reservation.
            let n = n.unwrap_or(kr.qty - kr.committed);
            emit(st, out, Ev::KitCommitted { reservation: reservation.as_str().into(), qty: n })?;
            for c in &commits {
                st.commit(c, at, out)?;
            }
            Ok(())
        }
        Cmd::ReleaseKit { reservation } => {
            let kr = find_res(st, reservation)?.clone();
            for l in &kr.components {
                st.active_reservation(&l.reservation)?;
            }
            emit(st, out, Ev::KitReleased { reservation: reservation.as_str().into() })?;
            for l in &kr.components {
                st.release(&l.reservation, out)?;
            }
            Ok(())
        }
        Cmd::SellKit { kit, location, qty, reference } => {
            let n = kits(*qty)?;
            State::check_reference(reference.as_deref())?;
            let (_, k) = find_kit(st, kit)?;
            let k = k.clone();
            let loc = st.find_internal(location)?;
            let mut sales = Vec::with_capacity(k.components.len());
            for c in &k.components {
                let id = component_id(st, &c.item)?;
                let (_, dec) = component_qty(st, id, c.qty, n)?;
                sales.push(Sell {
                    item: c.item.to_string(),
                    location: location.clone(),
                    qty: QtyIn::base(dec),
                    lot: None,
                    reference: reference.clone(),
                });
            }
            let ev = Ev::KitSold { kit: kit.as_str().into(), location: st.cat.loc(loc).code.clone(), qty: n };
            emit(st, out, ev)?;
            for s in &sales {
                st.sell(s, at, out)?;
            }
            Ok(())
        }
    }
}

fn define(st: &mut State, kit: &str, components: &[ComponentIn], out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("kit", kit)?;
    if components.is_empty() {
        return Err(Error::InvalidLines { document: "kit", reason: "a kit needs at least one component".into() });
    }
    if components.len() > 256 {
        return Err(Error::LimitExceeded { what: "kit components", max: 256 });
    }
    for (i, c) in components.iter().enumerate() {
        State::check_code("item", &c.item)?;
        State::check_sign("qty", c.qty.qty, crate::exec::Sign::Positive)?;
        if c.item == kit {
            return Err(Error::KitContainsItself { kit: kit.into() });
        }
        if components[..i].iter().any(|o| o.item == c.item) {
            return Err(Error::InvalidLines {
                document: "kit",
                reason: format!("component {} is listed twice", c.item),
            });
        }
    }
    let kid = st.find_item(kit)?;
    let mut out_components = Vec::with_capacity(components.len());
    for c in components {
        let id = st.find_item(&c.item)?;
        let qty = st.to_minor(id, &c.qty)?;
        out_components.push(Component { item: st.cat.item(id).code.clone(), qty });
    }
    for c in components {
        if st.ops.kits.kits.contains(&c.item) {
            return Err(Error::NestedKit { kit: kit.into(), item: c.item.clone() });
        }
    }
    if let Some((user, _)) = st.ops.kits.kits.iter().find(|(_, k)| k.components.iter().any(|c| &*c.item == kit)) {
        return Err(Error::NestedKit { kit: kit.into(), item: user.to_string() });
    }
    st.check_active_item(kid)?;
    let ev = Ev::KitDefined { kit: st.cat.item(kid).code.clone(), components: out_components };
    emit(st, out, ev)
}

fn find_res<'a>(st: &'a State, reservation: &str) -> Result<&'a KitReservation, Error> {
    State::check_code("reservation", reservation)?;
    st.ops
        .kits
        .reservations
        .get(reservation)
        .ok_or_else(|| Error::UnknownKitReservation { reservation: reservation.into() })
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    let missing = |r: &str| Error::InvalidCommand { reason: format!("unknown kit reservation {r}") };
    match ev {
        Ev::KitDefined { kit, components } => {
            st.put_doc(|o| &mut o.kits.kits, kit.clone(), Kit { components: components.clone() });
        }
        Ev::KitReserved { reservation, doc } => {
            st.put_doc(|o| &mut o.kits.reservations, reservation.clone(), doc.clone())
        }
        Ev::KitCommitted { reservation, qty } => {
            st.edit_doc(|o| &mut o.kits.reservations, reservation, |d| d.committed += qty)
                .ok_or_else(|| missing(reservation))?;
        }
        Ev::KitReleased { reservation } => {
            if !st.ops.kits.reservations.contains(reservation) {
                return Err(missing(reservation));
            }
        }
        Ev::KitSold { .. } => {}
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (code, k) in st.ops.kits.kits.iter() {
        if st.cat.item_id(code).is_none() {
            errs.push(format!("kit {code} is not an item"));
        }
        for c in &k.components {
            if st.cat.item_id(&c.item).is_none() || c.qty <= 0 || st.ops.kits.kits.contains(&c.item) {
                errs.push(format!("kit {code}: bad component {} ({})", c.item, c.qty));
            }
        }
    }
    for (code, r) in st.ops.kits.reservations.iter() {
        for l in &r.components {
            let ok = st.res_id(&l.reservation).is_some_and(|id| {
                let res = &st.res[id.ix()];
                Some(res.item) == st.cat.item_id(&l.item) && l.per_kit.checked_mul(r.qty) == Some(res.qty)
            });
            if !ok {
                errs.push(format!("kit reservation {code}: component reservation {} does not match", l.reservation));
            }
        }
    }
}
