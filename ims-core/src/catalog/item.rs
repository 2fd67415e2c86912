//! Items (SKUs).

use serde::{Deserialize, Serialize};

use crate::command::ItemSpec;
use crate::ids::Code;
use crate::qty::UnitFactor;

/// How an item's stock is identified.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tracking {
    /// Untracked: one bucket per location.
    #[default]
    None,
    /// By lot (batch), with optional expiry.
    Lot,
    /// By serial number: lots of quantity one.
    Serial,
}

/// An item as the engine holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// SKU.
    pub code: Code,
    /// The definition as last given (canonical, for snapshots and events).
    pub spec: ItemSpec,
    /// Alternative units, resolved.
    pub units: Vec<(Code, UnitFactor)>,
}

impl Item {
    pub(crate) fn from_spec(spec: ItemSpec) -> Item {
        Item {
            code: spec.item.as_str().into(),
            units: spec.units.iter().map(|u| (u.unit.as_str().into(), u.factor)).collect(),
            spec,
        }
    }
    /// Decimal places of the base unit.
    #[inline]
    pub fn scale(&self) -> u8 {
        self.spec.scale
    }
    /// Tracking.
    #[inline]
    pub fn tracking(&self) -> Tracking {
        self.spec.tracking
    }
    /// Whether the item is lot- or serial-tracked.
    #[inline]
    pub fn tracked(&self) -> bool {
        self.spec.tracking != Tracking::None
    }
    /// The factor of a unit (the base unit is factor one).
    pub fn factor(&self, unit: Option<&str>) -> Option<UnitFactor> {
        match unit {
            None => Some(UnitFactor::ONE),
            Some(u) if u == self.spec.base_unit => Some(UnitFactor::ONE),
            Some(u) => self.units.iter().find(|(c, _)| &**c == u).map(|(_, f)| *f),
        }
    }
}
