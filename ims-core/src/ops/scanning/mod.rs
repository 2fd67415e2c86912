//! Operations flow `scanning`: barcodes on items and packs, and RFID tags.
//!
//! A barcode (GTIN-8, -12, -13 or -14, check digit validated) is assigned to
//! an item and optionally one of its units (a case barcode resolves to the
//! item and its pack unit). Every form of a code is normalised to GTIN-14,
//! the key of the barcode index: a lookup is one ordered-map search, as fast
//! as a lookup by item code. An RFID tag's SGTIN-96 EPC decodes to a GTIN-14
//! and a serial ([`decode_epc`]) and resolves through the same index.

mod gs1;

use serde::{Deserialize, Serialize};

pub use gs1::{check_digit, decode_epc, normalize_gtin, Sgtin};

use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::state::State;
use crate::time::Millis;

/// What a barcode is assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Barcode {
    /// The code as it was assigned (8, 12, 13 or 14 digits).
    pub barcode: String,
    /// The item.
    pub item: Code,
    /// One of the item's units; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Barcodes by GTIN-14.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub barcodes: DocMap<Barcode>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.barcodes.is_empty()
    }
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Assign a barcode to an item (and a pack unit). Assigning it again to
    /// the same target changes nothing.
    AssignBarcode {
        /// GTIN-8, -12, -13 or -14.
        barcode: String,
        /// The item.
        item: String,
        /// One of the item's units (a case); the base unit when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// Remove a barcode from the index.
    UnassignBarcode {
        /// The barcode, in any of its GTIN forms.
        barcode: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["assign_barcode", "unassign_barcode"];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A barcode was assigned.
    BarcodeAssigned {
        /// GTIN-14.
        gtin: Code,
        /// The assignment.
        #[serde(flatten)]
        target: Barcode,
    },
    /// A barcode was removed.
    BarcodeUnassigned {
        /// GTIN-14.
        gtin: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &["barcode_assigned", "barcode_unassigned"];

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Scanning(ev)))
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, _at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::AssignBarcode { barcode, item, unit } => {
            let gtin = normalize_gtin(barcode)?;
            let id = st.find_item(item)?;
            let it = st.cat.item(id);
            State::unit_factor(it, unit.as_deref())?;
            // The base unit named explicitly is the base unit.
            let unit = unit.clone().filter(|u| *u != it.spec.base_unit);
            let target = Barcode { barcode: barcode.clone(), item: it.code.clone(), unit };
            if let Some(old) = st.ops.scanning.barcodes.get(&gtin) {
                if old.item == target.item && old.unit == target.unit {
                    return Ok(());
                }
                return Err(Error::BarcodeConflict {
                    barcode: gtin,
                    item: old.item.to_string(),
                    unit: old.unit.clone(),
                });
            }
            emit(st, out, Ev::BarcodeAssigned { gtin: gtin.into(), target })
        }
        Cmd::UnassignBarcode { barcode } => {
            let gtin = normalize_gtin(barcode)?;
            if !st.ops.scanning.barcodes.contains(&gtin) {
                return Err(Error::UnknownBarcode { barcode: gtin });
            }
            emit(st, out, Ev::BarcodeUnassigned { gtin: gtin.into() })
        }
    }
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::BarcodeAssigned { gtin, target } => st.put_doc(|o| &mut o.scanning.barcodes, gtin.clone(), target.clone()),
        Ev::BarcodeUnassigned { gtin } => {
            if !st.ops.scanning.barcodes.contains(gtin) {
                return Err(Error::InvalidCommand { reason: format!("unknown barcode {gtin}") });
            }
            st.remove_doc(|o| &mut o.scanning.barcodes, gtin)
        }
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    for (gtin, b) in st.ops.scanning.barcodes.iter() {
        if normalize_gtin(&b.barcode).as_deref() != Ok(&**gtin) {
            errs.push(format!("barcode {} is filed under {gtin}", b.barcode));
        }
        if st.cat.item_id(&b.item).is_none() {
            errs.push(format!("barcode {gtin} names unknown item {}", b.item));
        }
    }
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// The item, unit and base quantity a barcode stands for.
    ResolveBarcode {
        /// The barcode, in any GTIN form.
        barcode: String,
    },
    /// An RFID tag decoded and resolved through the barcode index.
    ResolveEpc {
        /// SGTIN-96 EPC, 24 hex characters.
        epc: String,
    },
    /// An RFID tag decoded (pure: no lookup).
    DecodeEpc {
        /// SGTIN-96 EPC, 24 hex characters.
        epc: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["resolve_barcode", "resolve_epc", "decode_epc"];

/// What a barcode resolves to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BarcodeView {
    /// GTIN-14.
    pub gtin: String,
    /// The code as it was assigned.
    pub barcode: String,
    /// The item.
    pub item: Code,
    /// The unit (absent: the base unit).
    pub unit: Option<String>,
    /// Base units per scan, as an exact factor (`"12"`, `"1/1000"`).
    pub factor: crate::qty::UnitFactor,
}

/// An RFID tag resolved to its item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EpcView {
    /// The decoded tag.
    pub tag: Sgtin,
    /// What its GTIN resolves to.
    pub resolved: BarcodeView,
}

fn resolve(st: &State, barcode: &str) -> Result<BarcodeView, Error> {
    let gtin = normalize_gtin(barcode)?;
    let b = st.ops.scanning.barcodes.get(&gtin).ok_or_else(|| Error::UnknownBarcode { barcode: gtin.clone() })?;
    let id = st.find_item(&b.item)?;
    // An item redefined without the unit leaves the barcode dangling: say so.
    let factor = State::unit_factor(st.cat.item(id), b.unit.as_deref())?;
    Ok(BarcodeView { gtin, barcode: b.barcode.clone(), item: b.item.clone(), unit: b.unit.clone(), factor })
}

fn resolve_epc(st: &State, epc: &str) -> Result<EpcView, Error> {
    let tag = decode_epc(epc)?;
    let resolved = resolve(st, &tag.gtin)?;
    Ok(EpcView { tag, resolved })
}

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::ResolveBarcode { barcode } => a.answer(&resolve(st, barcode)?),
        Qry::ResolveEpc { epc } => a.answer(&resolve_epc(st, epc)?),
        Qry::DecodeEpc { epc } => a.answer(&decode_epc(epc)?),
    }
}

impl crate::engine::Engine {
    /// What a barcode (any GTIN form) stands for.
    pub fn resolve_barcode(&self, barcode: &str) -> Result<BarcodeView, Error> {
        resolve(&self.st, barcode)
    }
    /// An RFID tag (SGTIN-96 EPC) decoded and resolved to its item.
    pub fn resolve_epc(&self, epc: &str) -> Result<EpcView, Error> {
        resolve_epc(&self.st, epc)
    }
}
