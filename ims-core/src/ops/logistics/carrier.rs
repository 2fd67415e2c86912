//! Carriers, their services and rate tables, and carrier selection.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::Code;
use crate::state::State;
use crate::time::Date;

use super::Ev;

/// One rate: up to a weight, to a zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Destination zone.
    pub zone: Code,
    /// Heaviest shipment of this band, in kilograms.
    pub max_weight_kg: Decimal,
    /// Price of a shipment in this band.
    pub price: Decimal,
    /// Calendar days from ship date to delivery.
    pub transit_days: u32,
}

/// A service of a carrier, rates sorted by (zone, max weight).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Service code.
    pub service: Code,
    /// Rates in (zone, max weight) order.
    pub rates: Vec<Rate>,
}

/// A carrier: services in code order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carrier {
    /// Services in code order.
    pub services: Vec<Service>,
}

impl Carrier {
    /// A service by code.
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.binary_search_by(|s| (*s.service).cmp(code)).ok().map(|i| &self.services[i])
    }
}

/// A rate row of `define_carrier`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateIn {
    /// Destination zone.
    pub zone: String,
    /// Heaviest shipment of this band, in kilograms.
    pub max_weight_kg: Decimal,
    /// Price.
    pub price: Decimal,
    /// Calendar days in transit.
    pub transit_days: u32,
}

/// A service of `define_carrier`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceIn {
    /// Service code.
    pub service: String,
    /// Its rates.
    pub rates: Vec<RateIn>,
}

/// The service chosen by `select_carrier`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// Carrier.
    pub carrier: Code,
    /// Service.
    pub service: Code,
    /// Price of the band.
    pub price: Decimal,
    /// Days in transit.
    pub transit_days: u32,
    /// Ship date plus transit days.
    pub delivery_date: Date,
}

/// Why a service was not chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Why {
    /// The service has no rate to the zone.
    NoRateForZone,
    /// The zone's heaviest band is lighter than the shipment.
    OverWeight {
        /// The heaviest band to the zone.
        max_weight_kg: Decimal,
    },
    /// It would arrive after the promised date.
    TooSlow {
        /// Days in transit.
        transit_days: u32,
        /// When it would arrive.
        delivery_date: Date,
    },
    /// It meets the date, but another service is cheaper (or as cheap and
    /// faster, or first in code order).
    NotCheapest {
        /// Its price.
        price: Decimal,
        /// Days in transit.
        transit_days: u32,
    },
}

/// One rejected service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Carrier.
    pub carrier: Code,
    /// Service.
    pub service: Code,
    /// Why.
    #[serde(flatten)]
    pub why: Why,
}

/// The answer of `select_carrier`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CarrierChoice {
    /// The cheapest service that meets the date, if any does.
    pub chosen: Option<Quote>,
    /// Every other service, in (carrier, service) order.
    pub rejected: Vec<Rejected>,
}

fn bad(carrier: &str, reason: String) -> Error {
    Error::InvalidRateTable { carrier: carrier.into(), reason }
}

pub(super) fn define(carrier: &str, services: &[ServiceIn]) -> Result<Ev, Error> {
    State::check_code("carrier", carrier)?;
    if services.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "services" });
    }
    let mut out = Vec::with_capacity(services.len());
    for s in services {
        State::check_code("service", &s.service)?;
        if s.rates.is_empty() {
            return Err(bad(carrier, format!("service {} has no rates", s.service)));
        }
        let mut rates = Vec::with_capacity(s.rates.len());
        for r in &s.rates {
            State::check_code("zone", &r.zone)?;
            if r.max_weight_kg <= Decimal::ZERO {
                return Err(bad(
                    carrier,
                    format!("service {}: weight band {} is not positive", s.service, r.max_weight_kg),
                ));
            }
            if r.price.is_sign_negative() {
                return Err(bad(carrier, format!("service {}: price {} is negative", s.service, r.price)));
            }
            rates.push(Rate {
                zone: r.zone.as_str().into(),
                max_weight_kg: r.max_weight_kg.normalize(),
                price: r.price.normalize(),
                transit_days: r.transit_days,
            });
        }
        rates.sort_by(|a, b| (&a.zone, a.max_weight_kg).cmp(&(&b.zone, b.max_weight_kg)));
        if let Some(w) = rates.windows(2).find(|w| w[0].zone == w[1].zone && w[0].max_weight_kg == w[1].max_weight_kg) {
            return Err(bad(
                carrier,
                format!("service {}: zone {} has the band {} twice", s.service, w[0].zone, w[0].max_weight_kg),
            ));
        }
        out.push(Service { service: s.service.as_str().into(), rates });
    }
    out.sort_by(|a, b| a.service.cmp(&b.service));
    if let Some(w) = out.windows(2).find(|w| w[0].service == w[1].service) {
        return Err(bad(carrier, format!("service {} is listed twice", w[0].service)));
    }
    Ok(Ev::CarrierDefined { carrier: carrier.into(), doc: Carrier { services: out } })
}

/// What one service offers for a shipment.
fn rate_for<'a>(s: &'a Service, weight_kg: Decimal, zone: &str) -> Result<&'a Rate, Why> {
    // Rates are sorted by (zone, max weight): the zone is one run, and the
    // first band of the run that is heavy enough is the rate.
    let lo = s.rates.partition_point(|r| &*r.zone < zone);
    let hi = lo + s.rates[lo..].partition_point(|r| &*r.zone == zone);
    if lo == hi {
        return Err(Why::NoRateForZone);
    }
    let run = &s.rates[lo..hi];
    let i = run.partition_point(|r| r.max_weight_kg < weight_kg);
    run.get(i).ok_or(Why::OverWeight { max_weight_kg: run[run.len() - 1].max_weight_kg })
}

pub(super) fn select(
    st: &State,
    weight_kg: Decimal,
    zone: &str,
    ship_date: Date,
    promised_date: Date,
) -> Result<CarrierChoice, Error> {
    if weight_kg <= Decimal::ZERO {
        return Err(Error::InvalidWeight { field: "weight_kg", weight_kg });
    }
    State::check_code("zone", zone)?;
    let carriers = &st.ops.logistics.carriers;
    let n = carriers.iter().map(|(_, c)| c.services.len()).sum();
    let mut rejected = Vec::with_capacity(n);
    // The best so far: (index into `rejected`, price, transit days). Services
    // are visited in (carrier, service) order, so keeping the first of equal
    // (price, transit) breaks ties by code.
    let mut best: Option<(usize, Decimal, u32)> = None;
    for (code, c) in carriers.iter() {
        for s in &c.services {
            let why = match rate_for(s, weight_kg, zone) {
                Err(why) => why,
                Ok(r) => {
                    let delivery_date = ship_date.plus(r.transit_days.min(i32::MAX as u32) as i32);
                    if delivery_date > promised_date {
                        Why::TooSlow { transit_days: r.transit_days, delivery_date }
                    } else {
                        if best.is_none_or(|(_, p, t)| (r.price, r.transit_days) < (p, t)) {
                            best = Some((rejected.len(), r.price, r.transit_days));
                        }
                        Why::NotCheapest { price: r.price, transit_days: r.transit_days }
                    }
                }
            };
            rejected.push(Rejected { carrier: code.clone(), service: s.service.clone(), why });
        }
    }
    let chosen = best.map(|(i, price, transit_days)| {
        let r = rejected.remove(i);
        Quote {
            carrier: r.carrier,
            service: r.service,
            price,
            transit_days,
            delivery_date: ship_date.plus(transit_days.min(i32::MAX as u32) as i32),
        }
    });
    Ok(CarrierChoice { chosen, rejected })
}
