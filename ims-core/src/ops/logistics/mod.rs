//! Operations flow `logistics`: carriers with services and rate tables
//! (weight band × destination zone → price, transit days), carrier
//! selection for a promised delivery date, and shipments with their
//! tracking status: `created` → `picked_up` → `in_transit` → `delivered`,
//! or `exception` (from which a shipment goes back in transit or is
//! delivered).

mod carrier;
mod shipment;

pub use carrier::*;
use shipment::Step;
pub use shipment::*;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::state::State;
use crate::time::{Date, Millis};

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Carriers by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub carriers: DocMap<Carrier>,
    /// Shipments by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub shipments: DocMap<Shipment>,
    /// The shipment of each package that travels in one.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub package_shipments: DocMap<Code>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.carriers.is_empty() && self.shipments.is_empty() && self.package_shipments.is_empty()
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Define (or replace) a carrier with its services and rates.
    DefineCarrier {
        /// Carrier code.
        carrier: String,
        /// Its services.
        services: Vec<ServiceIn>,
    },
    /// Record a shipment of packages with a carrier's service.
    CreateShipment {
        /// Client-chosen code.
        shipment: String,
        /// The order the packages belong to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<String>,
        /// The packages.
        packages: Vec<String>,
        /// Carrier.
        carrier: String,
        /// Service of the carrier.
        service: String,
        /// The carrier's tracking number.
        tracking: String,
    },
    /// The carrier collected the shipment.
    PickUpShipment {
        /// The shipment.
        shipment: String,
    },
    /// The shipment is on its way (again, after an exception).
    MarkShipmentInTransit {
        /// The shipment.
        shipment: String,
    },
    /// The shipment reached the customer.
    DeliverShipment {
        /// The shipment.
        shipment: String,
    },
    /// The carrier reported a problem (damage, address, customs).
    ReportShipmentException {
        /// The shipment.
        shipment: String,
        /// What happened.
        reason: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &[
    "define_carrier",
    "create_shipment",
    "pick_up_shipment",
    "mark_shipment_in_transit",
    "deliver_shipment",
    "report_shipment_exception",
];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A carrier was defined or replaced.
    CarrierDefined {
        /// The code.
        carrier: Code,
        /// The carrier's services and rates.
        doc: Carrier,
    },
    /// A shipment was recorded.
    ShipmentCreated {
        /// The code.
        shipment: Code,
        /// The document.
        doc: Shipment,
    },
    /// Collected by the carrier.
    ShipmentPickedUp {
        /// The shipment.
        shipment: Code,
        /// When.
        at: Millis,
    },
    /// On its way.
    ShipmentInTransit {
        /// The shipment.
        shipment: Code,
        /// When.
        at: Millis,
    },
    /// Delivered.
    ShipmentDelivered {
        /// The shipment.
        shipment: Code,
        /// When.
        at: Millis,
    },
    /// A problem was reported.
    ShipmentException {
        /// The shipment.
        shipment: Code,
        /// What happened.
        reason: String,
        /// When.
        at: Millis,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &[
    "carrier_defined",
    "shipment_created",
    "shipment_picked_up",
    "shipment_in_transit",
    "shipment_delivered",
    "shipment_exception",
];

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Logistics(ev)))
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    let ev = match cmd {
        Cmd::DefineCarrier { carrier, services } => carrier::define(carrier, services)?,
        Cmd::CreateShipment { shipment, order, packages, carrier, service, tracking } => {
            let c = shipment::NewShipment { shipment, order: order.as_deref(), packages, carrier, service, tracking };
            shipment::create(st, &c)?
        }
        Cmd::PickUpShipment { shipment } => shipment::step(st, shipment, Step::PickUp, at)?,
        Cmd::MarkShipmentInTransit { shipment } => shipment::step(st, shipment, Step::InTransit, at)?,
        Cmd::DeliverShipment { shipment } => shipment::step(st, shipment, Step::Deliver, at)?,
        Cmd::ReportShipmentException { shipment, reason } => shipment::step(st, shipment, Step::Exception(reason), at)?,
    };
    emit(st, out, ev)
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    shipment::apply(st, ev)
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    shipment::verify(st, errs)
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// The cheapest service that delivers by the promised date, and every
    /// rejected alternative with why.
    SelectCarrier {
        /// Shipment weight.
        weight_kg: Decimal,
        /// Destination zone.
        zone: String,
        /// The day it leaves.
        ship_date: Date,
        /// The day it must arrive by.
        promised_date: Date,
    },
    /// A carrier's services and rates (`null` when unknown).
    Carrier {
        /// The carrier.
        carrier: String,
    },
    /// A shipment (`null` when unknown).
    Shipment {
        /// The shipment.
        shipment: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["select_carrier", "carrier", "shipment"];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::SelectCarrier { weight_kg, zone, ship_date, promised_date } => {
            a.answer(&carrier::select(st, *weight_kg, zone, *ship_date, *promised_date)?)
        }
        Qry::Carrier { carrier } => a.answer(&st.ops.logistics.carriers.get(carrier)),
        Qry::Shipment { shipment } => a.answer(&st.ops.logistics.shipments.get(shipment)),
    }
}

impl crate::engine::Engine {
    /// The cheapest service that delivers `weight_kg` to `zone` by
    /// `promised_date` when it leaves on `ship_date`; ties go to the shorter
    /// transit, then the carrier code, then the service code. Every other
    /// service is listed as rejected, with why.
    pub fn select_carrier(
        &self,
        weight_kg: Decimal,
        zone: &str,
        ship_date: Date,
        promised_date: Date,
    ) -> Result<CarrierChoice, Error> {
        carrier::select(&self.st, weight_kg, zone, ship_date, promised_date)
    }
    /// A carrier's services and rates.
    pub fn carrier(&self, carrier: &str) -> Option<&Carrier> {
        self.st.ops.logistics.carriers.get(carrier)
    }
    /// A shipment.
    pub fn shipment(&self, shipment: &str) -> Option<&Shipment> {
        self.st.ops.logistics.shipments.get(shipment)
    }
}
