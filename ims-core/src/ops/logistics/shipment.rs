//! Shipments: packages handed to a carrier's service with a tracking
//! number, and their tracking status.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::Code;
use crate::state::State;
use crate::time::Millis;

use super::Ev;

/// Where a shipment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// Recorded, waiting for the carrier.
    Created,
    /// Collected by the carrier.
    PickedUp,
    /// On its way.
    InTransit,
    /// Delivered (final).
    Delivered,
    /// The carrier reported a problem.
    Exception,
}

impl ShipmentStatus {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            ShipmentStatus::Created => "created",
            ShipmentStatus::PickedUp => "picked_up",
            ShipmentStatus::InTransit => "in_transit",
            ShipmentStatus::Delivered => "delivered",
            ShipmentStatus::Exception => "exception",
        }
    }
}

/// One status change of a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    /// The new status.
    pub status: ShipmentStatus,
    /// When (the command's `occurred_at`).
    pub at: Millis,
    /// The exception's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    /// The order its packages belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Code>,
    /// Packages.
    pub packages: Vec<Code>,
    /// Carrier.
    pub carrier: Code,
    /// Service.
    pub service: Code,
    /// Tracking number.
    pub tracking: Code,
    /// Sum of the package weights (absent when one is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Current status.
    pub status: ShipmentStatus,
    /// Every status since creation, in order.
    pub history: Vec<Tracked>,
}

/// A `create_shipment` command, borrowed.
pub(super) struct NewShipment<'a> {
    pub shipment: &'a str,
    pub order: Option<&'a str>,
    pub packages: &'a [String],
    pub carrier: &'a str,
    pub service: &'a str,
    pub tracking: &'a str,
}

/// A tracking transition.
pub(crate) enum Step<'a> {
    PickUp,
    InTransit,
    Deliver,
    Exception(&'a str),
}

pub(super) fn create(st: &State, c: &NewShipment) -> Result<Ev, Error> {
    State::check_code("shipment", c.shipment)?;
    State::check_code("carrier", c.carrier)?;
    State::check_code("service", c.service)?;
    State::check_code("tracking", c.tracking)?;
    if c.packages.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "packages" });
    }
    for (i, p) in c.packages.iter().enumerate() {
        State::check_code("package", p)?;
        if c.packages[..i].contains(p) {
            return Err(Error::DuplicateEntry { field: "packages", code: p.clone() });
        }
    }
    if let Some(o) = c.order {
        State::check_code("order", o)?;
    }
    let lg = &st.ops.logistics;
    let carrier = lg.carriers.get(c.carrier).ok_or_else(|| Error::UnknownCarrier { carrier: c.carrier.into() })?;
    if carrier.service(c.service).is_none() {
        return Err(Error::UnknownCarrierService { carrier: c.carrier.into(), service: c.service.into() });
    }
    if let Some(o) = c.order {
        if !st.ops.fulfillment.orders.contains(o) {
            return Err(Error::UnknownSalesOrder { order: o.into() });
        }
    }
    let mut weight = Some(Decimal::ZERO);
    let mut pkgs = Vec::with_capacity(c.packages.len());
    for p in c.packages {
        let pkg = st.ops.fulfillment.packages.get(p).ok_or_else(|| Error::UnknownPackage { package: p.clone() })?;
        pkgs.push((p, pkg));
        weight = weight.and_then(|w| w.checked_add(pkg.weight_kg?));
    }
    if lg.shipments.contains(c.shipment) {
        return Err(Error::ShipmentIdConflict { shipment: c.shipment.into() });
    }
    for (p, pkg) in pkgs {
        if let Some(o) = c.order {
            if &*pkg.order != o {
                return Err(Error::PackageNotInOrder {
                    package: p.clone(),
                    order: o.into(),
                    belongs_to: pkg.order.to_string(),
                });
            }
        }
        if let Some(s) = lg.package_shipments.get(p) {
            return Err(Error::PackageInOtherShipment { package: p.clone(), shipment: s.to_string() });
        }
    }
    let doc = Shipment {
        order: c.order.map(Into::into),
        packages: c.packages.iter().map(|p| p.as_str().into()).collect(),
        carrier: c.carrier.into(),
        service: c.service.into(),
        tracking: c.tracking.into(),
        weight_kg: weight.map(|w| w.normalize()),
        status: ShipmentStatus::Created,
        history: vec![Tracked { status: ShipmentStatus::Created, at: st.now, reason: None }],
    };
    Ok(Ev::ShipmentCreated { shipment: c.shipment.into(), doc })
}

pub(super) fn step(st: &State, shipment: &str, step: Step, at: Millis) -> Result<Ev, Error> {
    State::check_code("shipment", shipment)?;
    if let Step::Exception(r) = step {
        if r.is_empty() || r.len() > 256 || r.chars().any(char::is_control) {
            return Err(Error::InvalidCode { field: "reason", code: r.chars().take(200).collect() });
        }
    }
    let s =
        st.ops.logistics.shipments.get(shipment).ok_or_else(|| Error::UnknownShipment { shipment: shipment.into() })?;
    use ShipmentStatus::*;
    let (code, status) = (shipment.to_string(), s.status.name());
    let shipment: Code = shipment.into();
    match step {
        Step::PickUp if s.status == Created => Ok(Ev::ShipmentPickedUp { shipment, at }),
        Step::PickUp => Err(Error::ShipmentNotAwaitingPickup { shipment: code, status }),
        Step::InTransit if matches!(s.status, PickedUp | Exception) => Ok(Ev::ShipmentInTransit { shipment, at }),
        Step::InTransit => Err(Error::ShipmentCannotGoInTransit { shipment: code, status }),
        Step::Deliver if matches!(s.status, InTransit | Exception) => Ok(Ev::ShipmentDelivered { shipment, at }),
        Step::Deliver => Err(Error::ShipmentNotDeliverable { shipment: code, status }),
        Step::Exception(r) if matches!(s.status, PickedUp | InTransit) => {
            Ok(Ev::ShipmentException { shipment, reason: r.into(), at })
        }
        Step::Exception(_) => Err(Error::ShipmentExceptionNotAllowed { shipment: code, status }),
    }
}

fn track(
    st: &mut State,
    shipment: &Code,
    status: ShipmentStatus,
    at: Millis,
    reason: Option<&str>,
) -> Result<(), Error> {
    st.edit_doc(
        |o| &mut o.logistics.shipments,
        shipment,
        |d| {
            d.status = status;
            d.history.push(Tracked { status, at, reason: reason.map(Into::into) });
        },
    )
    .ok_or_else(|| Error::InvalidCommand { reason: format!("event names unknown shipment {shipment}") })
}

pub(super) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::CarrierDefined { carrier, doc } => st.put_doc(|o| &mut o.logistics.carriers, carrier.clone(), doc.clone()),
        Ev::ShipmentCreated { shipment, doc } => {
            for p in &doc.packages {
                st.put_doc(|o| &mut o.logistics.package_shipments, p.clone(), shipment.clone());
            }
            st.put_doc(|o| &mut o.logistics.shipments, shipment.clone(), doc.clone());
        }
        Ev::ShipmentPickedUp { shipment, at } => track(st, shipment, ShipmentStatus::PickedUp, *at, None)?,
        Ev::ShipmentInTransit { shipment, at } => track(st, shipment, ShipmentStatus::InTransit, *at, None)?,
        Ev::ShipmentDelivered { shipment, at } => track(st, shipment, ShipmentStatus::Delivered, *at, None)?,
        Ev::ShipmentException { shipment, reason, at } => {
            track(st, shipment, ShipmentStatus::Exception, *at, Some(reason))?
        }
    }
    Ok(())
}

/// Each package maps to the shipment that lists it, and back; a shipment's
/// status is its last tracked one. (A carrier may be redefined without a
/// service a past shipment used: that is not checked.)
pub(super) fn verify(st: &State, errs: &mut Vec<String>) {
    let lg = &st.ops.logistics;
    let mut listed = 0;
    for (code, s) in lg.shipments.iter() {
        for p in &s.packages {
            listed += 1;
            if lg.package_shipments.get(p) != Some(code) {
                errs.push(format!("shipment {code}: package {p} is not mapped to it"));
            }
        }
        if s.history.last().map(|t| t.status) != Some(s.status) {
            errs.push(format!("shipment {code}: status is not its last tracked one"));
        }
    }
    if listed != lg.package_shipments.len() {
        errs.push(format!("{} packages mapped to shipments, {listed} listed", lg.package_shipments.len()));
    }
}
