//! Locations: a tree of sites, warehouses, zones and bins, plus the virtual
//! locations that form the other side of every move.

use serde::{Deserialize, Serialize};

use crate::ids::{Code, LocId};

/// What a location is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// A site (a store or a warehouse campus); owns the UTC offset.
    Site,
    /// A warehouse building.
    Warehouse,
    /// A zone.
    Zone,
    /// A storage bin or shelf.
    Storage,
    /// Receiving dock.
    Receiving,
    /// Inspection area.
    Inspection,
    /// Quarantine.
    Quarantine,
    /// Staging for shipment.
    Staging,
    /// Stock on the way between sites.
    Transit,
    /// Virtual: suppliers.
    Supplier,
    /// Virtual: customers.
    Customer,
    /// Virtual: inventory corrections.
    Adjustment,
    /// Virtual: destroyed stock.
    Scrap,
    /// Virtual: production.
    Production,
}

impl LocationKind {
    /// Whether stock here is real (internal) rather than the other side of a move.
    #[inline]
    pub fn is_internal(self) -> bool {
        !matches!(
            self,
            LocationKind::Supplier
                | LocationKind::Customer
                | LocationKind::Adjustment
                | LocationKind::Scrap
                | LocationKind::Production
        )
    }
    /// The default of the `sellable` flag.
    pub fn default_sellable(self) -> bool {
        matches!(self, LocationKind::Site | LocationKind::Warehouse | LocationKind::Zone | LocationKind::Storage)
    }
    /// Whether stock here counts as incoming (after inbound processing)
    /// rather than on the shelf.
    pub fn is_inbound(self) -> bool {
        matches!(self, LocationKind::Receiving | LocationKind::Inspection | LocationKind::Transit)
    }
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            LocationKind::Site => "site",
            LocationKind::Warehouse => "warehouse",
            LocationKind::Zone => "zone",
            LocationKind::Storage => "storage",
            LocationKind::Receiving => "receiving",
            LocationKind::Inspection => "inspection",
            LocationKind::Quarantine => "quarantine",
            LocationKind::Staging => "staging",
            LocationKind::Transit => "transit",
            LocationKind::Supplier => "supplier",
            LocationKind::Customer => "customer",
            LocationKind::Adjustment => "adjustment",
            LocationKind::Scrap => "scrap",
            LocationKind::Production => "production",
        }
    }
}

/// The virtual locations every engine has: the default other side of
/// receipts, sales, corrections and scrap.
pub const BUILTIN_LOCATIONS: &[(&str, LocationKind)] = &[
    ("@adjustment", LocationKind::Adjustment),
    ("@customer", LocationKind::Customer),
    ("@production", LocationKind::Production),
    ("@scrap", LocationKind::Scrap),
    ("@supplier", LocationKind::Supplier),
];

/// A location as the engine holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Code.
    pub code: Code,
    /// Parent.
    pub parent: Option<LocId>,
    /// Kind.
    pub kind: LocationKind,
    /// Whether stock here can be sold.
    pub sellable: bool,
    /// Picking order.
    pub walk_seq: u32,
    /// Own UTC offset (sites), if given.
    pub utc_offset_min: Option<i32>,
    /// Own inbound processing days.
    pub inbound_days: u32,
    /// The sellable flag as given (None = from the kind), for snapshots.
    pub sellable_spec: Option<bool>,
    /// Derived: pre-order rank.
    pub(crate) pre: u32,
    /// Derived: end (exclusive) of the subtree's rank range.
    pub(crate) end: u32,
    /// Derived: the UTC offset of the enclosing site.
    pub(crate) site_offset_min: i32,
    /// Derived: inbound processing days at the enclosing site.
    pub(crate) site_inbound_days: u32,
}

impl Location {
    pub(crate) fn new(
        code: Code,
        parent: Option<LocId>,
        kind: LocationKind,
        sellable: Option<bool>,
        walk_seq: u32,
        utc_offset_min: Option<i32>,
        inbound_days: u32,
    ) -> Location {
        Location {
            code,
            parent,
            kind,
            sellable: kind.is_internal() && sellable.unwrap_or_else(|| kind.default_sellable()),
            walk_seq,
            utc_offset_min,
            inbound_days,
            sellable_spec: sellable,
            pre: 0,
            end: 0,
            site_offset_min: 0,
            site_inbound_days: 0,
        }
    }
    /// Whether stock here is real.
    #[inline]
    pub fn is_internal(&self) -> bool {
        self.kind.is_internal()
    }
    /// The UTC offset of this location's site, in minutes.
    #[inline]
    pub fn utc_offset_min(&self) -> i32 {
        self.site_offset_min
    }
    /// Days from arrival here to sellable (the enclosing site's figure).
    #[inline]
    pub fn site_inbound_days(&self) -> u32 {
        self.site_inbound_days
    }
    /// Whether this is one of the built-in virtual locations.
    pub fn is_builtin(&self) -> bool {
        self.code.starts_with('@')
    }
}
