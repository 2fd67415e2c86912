//! Catalog commands: items, locations, lot status.

use crate::catalog::{LotStatus, NO_LOT};
use crate::command::{ItemSpec, LocationSpec};
use crate::error::Error;
use crate::event::Event;
use crate::qty::MAX_SCALE;
use crate::state::State;

/// The most alternative units an item may have.
const MAX_UNITS: usize = 32;

impl State {
    pub(crate) fn define_item(&mut self, spec: &ItemSpec, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("item", &spec.item)?;
        Self::check_code("base_unit", &spec.base_unit)?;
        if spec.scale > MAX_SCALE {
            return Err(Error::InvalidScale { scale: spec.scale });
        }
        if spec.units.len() > MAX_UNITS {
            return Err(Error::LimitExceeded { what: "units per item", max: MAX_UNITS as u64 });
        }
        let mut canon = spec.clone();
        canon.units.sort_by(|a, b| a.unit.cmp(&b.unit));
        for (i, u) in canon.units.iter().enumerate() {
            Self::check_code("unit", &u.unit)?;
            let dup = i > 0 && canon.units[i - 1].unit == u.unit;
            if dup || u.unit == spec.base_unit {
                return Err(Error::InvalidCode { field: "unit", code: u.unit.clone() });
            }
        }
        if let Some(id) = self.cat.item_id(&spec.item) {
            let old = &self.cat.item(id).spec;
            let holds = self.stock[id.ix()].buckets.iter().any(|b| b.on_hand != 0 || b.reserved != 0);
            if holds && old.scale != spec.scale {
                return Err(Error::ScaleChangeWithStock { item: spec.item.clone() });
            }
            if holds && old.tracking != spec.tracking {
                return Err(Error::TrackingChangeWithStock { item: spec.item.clone() });
            }
            if *old == canon {
                return Ok(());
            }
        }
        self.emit(out, Event::ItemDefined(canon))
    }

    pub(crate) fn define_location(&mut self, spec: &LocationSpec, out: &mut Vec<Event>) -> Result<(), Error> {
        Self::check_code("location", &spec.location)?;
        if spec.location.starts_with('@') {
            // '@' marks the built-in virtual locations.
            return Err(Error::InvalidCode { field: "location", code: spec.location.clone() });
        }
        if let Some(p) = &spec.parent {
            Self::check_code("parent", p)?;
        }
        if let Some(m) = spec.utc_offset_minutes {
            if !(-840..=840).contains(&m) {
                return Err(Error::InvalidUtcOffset { minutes: m });
            }
        }
        let parent = spec.parent.as_deref().map(|p| self.find_loc(p)).transpose()?;
        if let Some(id) = self.cat.loc_id(&spec.location) {
            let l = self.cat.loc(id);
            if l.parent != parent || l.kind != spec.kind {
                return Err(Error::LocationRedefined { location: spec.location.clone() });
            }
        }
        if parent.is_some_and(|p| self.cat.loc(p).is_internal() != spec.kind.is_internal()) {
            return Err(Error::WrongLocationKind {
                location: spec.parent.clone().unwrap_or_default(),
                kind: parent.map_or("", |p| self.cat.loc(p).kind.name()),
            });
        }
        // A location's sellable flag is policy, not a loss: allocations on
        // its stock stay (a picker may carry reserved stock anywhere).
        self.emit(out, Event::LocationDefined(spec.clone()))
    }

    pub(crate) fn lot_status(
        &mut self,
        item: &str,
        lot: &str,
        status: LotStatus,
        out: &mut Vec<Event>,
    ) -> Result<(), Error> {
        Self::check_code("lot", lot)?;
        let item_id = self.find_item(item)?;
        let lot_id = self
            .cat
            .lot_id(item_id, lot)
            .filter(|l| *l != NO_LOT)
            .ok_or_else(|| Error::UnknownLot { item: item.into(), lot: lot.into() })?;
        if self.cat.lot(lot_id).status == status {
            return Ok(());
        }
        let it = self.cat.item(item_id).code.clone();
        let lc = self.cat.lot(lot_id).code.clone();
        self.emit(out, Event::LotStatusChanged { item: it, lot: lc, status })?;
        let mut locs: Vec<_> =
            self.stock[item_id.ix()].buckets.iter().filter(|b| b.lot == lot_id).map(|b| b.loc).collect();
        locs.sort_by(|a, b| self.cat.loc(*a).code.cmp(&self.cat.loc(*b).code));
        for loc in locs {
            self.settle_bucket(item_id, loc, lot_id, out)?;
        }
        self.serve_demand(item_id, out)
    }
}
