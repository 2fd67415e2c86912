//! The engine's queries, by code, with decimals at the edge.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::availability::{AtpAnswer, AtpOptions, AtpPoint, Availability, BucketsMinor, CartLine};
use crate::command::{QtyIn, Scope};
use crate::engine::Engine;
use crate::error::Error;
use crate::ids::{Code, ItemId};
use crate::qty::{to_decimal, wide_to_decimal};
use crate::reservation::{ResStatus, ScopeIds};
use crate::state::State;
use crate::time::Date;

/// An item's definition as an engine held it, kept by a holder of item ids
/// (a door's resolved cart). Ids are dense indexes of one engine, and the
/// by-id queries index without checking; [`Engine::is_item`] proves with
/// one pointer comparison that an id still names this very definition —
/// not another engine's item at the same index, not a redefinition (which
/// may change the scale) — so a hot path need not read the item's record,
/// a cache miss on a large catalogue.
#[derive(Clone, Debug)]
pub struct ItemKey(std::sync::Arc<crate::catalog::Item>);

impl ItemKey {
    /// The item's code.
    pub fn code(&self) -> &Code {
        &self.0.code
    }
    /// Decimal places of its base unit.
    pub fn scale(&self) -> u8 {
        self.0.scale()
    }
}

/// A reservation as hosts see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReservationView {
    /// Id.
    pub reservation: Code,
    /// Item.
    pub item: Code,
    /// Status: `active`, `committed`, `released`, `expired`.
    pub status: &'static str,
    /// Requested.
    pub qty: Decimal,
    /// Allocated now.
    pub allocated: Decimal,
    /// Committed so far.
    pub committed: Decimal,
    /// Waiting for supply.
    pub open_demand: Decimal,
    /// Lost to shortages.
    pub shorted: Decimal,
    /// Expiry instant.
    pub expires_at: Option<i64>,
    /// Allocations: (location, lot, qty).
    pub allocations: Vec<(Code, Option<Code>, Decimal)>,
}

/// One balance row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BalanceView {
    /// Location.
    pub location: Code,
    /// Lot.
    pub lot: Option<Code>,
    /// On hand.
    pub on_hand: Decimal,
    /// Reserved.
    pub reserved: Decimal,
}

impl Engine {
    fn item(&self, code: &str) -> Result<ItemId, Error> {
        self.st.find_item(code)
    }

    /// Resolves a scope (for repeated fast queries).
    pub fn resolve_scope(&self, scope: &Scope) -> Result<ScopeIds, Error> {
        self.st.find_scope(scope)
    }

    /// Resolves an item code (for repeated fast queries).
    pub fn resolve_item(&self, code: &str) -> Result<ItemId, Error> {
        self.item(code)
    }

    /// On hand, sellable, reserved and available now.
    pub fn availability(&self, item: &str, scope: &Scope) -> Result<Availability, Error> {
        let id = self.item(item)?;
        let s = self.st.find_scope(scope)?;
        let m = self.st.buckets_minor(id, &s, 0);
        let scale = self.st.cat.item(id).scale();
        Ok(Availability {
            on_hand: wide_to_decimal(m.on_hand, scale),
            sellable: wide_to_decimal(m.sellable, scale),
            reserved: wide_to_decimal(m.reserved, scale),
            available: wide_to_decimal(m.available, scale),
        })
    }

    /// On hand, sellable, reserved and available now in the item's smallest
    /// unit, with the item's scale: the doors' typed lookup (a till's stock
    /// check). `scope` is one location code (with its subtree) or `"*"` for
    /// every internal location; nothing is allocated.
    pub fn stock_minor(&self, item: &str, scope: &str) -> Result<(BucketsMinor, u8), Error> {
        let id = self.item(item)?;
        let s = match scope {
            "*" => ScopeIds::All,
            code => ScopeIds::Subtrees(smallvec::smallvec![self.st.find_loc(code)?]),
        };
        Ok((self.st.buckets_minor(id, &s, 0), self.st.cat.item(id).scale()))
    }

    /// Reads the stock records of `items` (ids of this engine; others are
    /// skipped) so that the questions about them that follow find them in
    /// cache. Asked one after another, each question waits on its own cache
    /// miss for its item's record (≈ 100 ns on a large catalogue); read
    /// here, the loads do not depend on each other and their misses
    /// overlap. For a batch of questions by id (a cart's lines), a few
    /// dozen ids at a time.
    pub fn prefetch(&self, items: impl IntoIterator<Item = ItemId>) {
        let mut touched = 0i64;
        for id in items {
            if let Some(s) = self.st.stock.get(id.ix()) {
                // Both ends of the record: the totals and the first bucket.
                touched ^= i64::from(s.totals.dated) ^ s.buckets.first().map_or(0, |b| b.on_hand);
            }
        }
        std::hint::black_box(touched);
    }

    /// Available now in minor units, by pre-resolved ids: the hot path.
    /// Panics on ids this engine did not resolve (see [`Engine::item_of`]).
    #[inline]
    pub fn available_minor(&self, item: ItemId, scope: &ScopeIds) -> i128 {
        self.st.buckets_minor(item, scope, 0).available
    }

    /// ATP on a date (today when `None`, and never before the scope's
    /// today, as in [`Engine::atp`]) in minor units, by pre-resolved ids,
    /// without an explanation: the dated hot path (a cart's lines). Refuses
    /// options beyond the limits.
    pub fn atp_minor(
        &self,
        item: ItemId,
        scope: &ScopeIds,
        date: Option<Date>,
        opts: &AtpOptions,
    ) -> Result<i128, Error> {
        opts.check()?;
        let today = self.st.today_at(scope.anchor());
        Ok(self.st.atp_on(item, scope, date.unwrap_or(today).max(today), opts, false).0)
    }

    /// The code and scale of a resolved item id, or `None` when this engine
    /// has no such id. Ids are dense indexes of one engine: a holder of ids
    /// (a door's resolved cart) checks them here before asking by id, since
    /// the by-id queries index without checking. The code is the engine's
    /// own shared string: a holder that kept it can check with a pointer
    /// comparison (`Arc::ptr_eq`) before comparing text.
    pub fn item_of(&self, id: ItemId) -> Option<(&Code, u8)> {
        (id.ix() < self.st.cat.item_count()).then(|| {
            let it = self.st.cat.item(id);
            (&it.code, it.scale())
        })
    }

    /// The definition an item id names now, to keep beside the id (see
    /// [`ItemKey`]); `None` when this engine has no such id.
    pub fn item_key(&self, id: ItemId) -> Option<ItemKey> {
        self.st.cat.items.get(id.ix()).map(|it| ItemKey(it.clone()))
    }

    /// Whether `id` still names exactly the definition `key` was taken
    /// from: one pointer comparison, without reading the item's record.
    #[inline]
    pub fn is_item(&self, id: ItemId, key: &ItemKey) -> bool {
        self.st.cat.items.get(id.ix()).is_some_and(|it| std::sync::Arc::ptr_eq(it, &key.0))
    }

    /// The version of this engine's item definitions (see
    /// [`crate::catalog::ItemsVersion`]).
    pub fn items_version(&self) -> crate::catalog::ItemsVersion {
        self.st.cat.items_version.clone()
    }

    /// Whether this engine's item definitions are still version `v`: then
    /// every item id taken under `v` names the same definition as then.
    #[inline]
    pub fn items_unchanged(&self, v: &crate::catalog::ItemsVersion) -> bool {
        self.st.cat.items_version.same(v)
    }

    /// ATP on a date (today when `None`), optionally explained.
    pub fn atp(
        &self,
        item: &str,
        scope: &Scope,
        date: Option<Date>,
        opts: &AtpOptions,
        explain: bool,
    ) -> Result<AtpAnswer, Error> {
        opts.check()?;
        let id = self.item(item)?;
        let s = self.st.find_scope(scope)?;
        let today = self.st.today_at(s.anchor());
        let date = date.unwrap_or(today).max(today);
        let (q, contributions) = self.st.atp_on(id, &s, date, opts, explain);
        Ok(AtpAnswer { date, qty: self.st.dec(id, q), contributions })
    }

    /// The projected and promisable quantity on each date where it changes.
    pub fn atp_timeline(&self, item: &str, scope: &Scope, opts: &AtpOptions) -> Result<Vec<AtpPoint>, Error> {
        opts.check()?;
        let id = self.item(item)?;
        let s = self.st.find_scope(scope)?;
        let (today, entries, flow) = self.st.timeline(id, &s, opts);
        Ok(State::atp_points(today, &entries, &flow)
            .into_iter()
            .map(|(date, p, a)| AtpPoint { date, projected: self.st.dec(id, p), atp: self.st.dec(id, a) })
            .collect())
    }

    /// The first date on which `qty` (base unit) can be promised.
    pub fn earliest_date(
        &self,
        item: &str,
        scope: &Scope,
        qty: Decimal,
        opts: &AtpOptions,
    ) -> Result<Option<Date>, Error> {
        opts.check()?;
        State::check_sign("qty", qty, crate::exec::Sign::Positive)?;
        let id = self.item(item)?;
        let s = self.st.find_scope(scope)?;
        let q = self.st.to_minor(id, &QtyIn::base(qty))?;
        Ok(self.st.earliest_minor(id, &s, q as i128, opts))
    }

    /// The date by which every line of a cart can ship (lines of the same
    /// item and scope are summed); `None` if some line never can within the
    /// horizon.
    pub fn ship_complete_date(&self, lines: &[CartLine], opts: &AtpOptions) -> Result<Option<Date>, Error> {
        opts.check()?;
        let mut need: Vec<(ItemId, Scope, i128)> = Vec::new();
        for l in lines {
            State::check_sign("qty", l.qty, crate::exec::Sign::Positive)?;
            let id = self.item(&l.item)?;
            self.st.find_scope(&l.scope)?;
            let q = self.st.to_minor(id, &QtyIn::base(l.qty))? as i128;
            match need.iter_mut().find(|(i, s, _)| *i == id && *s == l.scope) {
                Some(n) => n.2 += q,
                None => need.push((id, l.scope.clone(), q)),
            }
        }
        let mut latest = None;
        for (id, scope, q) in need {
            let s = self.st.find_scope(&scope)?;
            match self.st.earliest_minor(id, &s, q, opts) {
                None => return Ok(None),
                Some(d) => latest = latest.max(Some(d)),
            }
        }
        Ok(latest)
    }

    /// A reservation by id.
    pub fn reservation(&self, code: &str) -> Option<ReservationView> {
        let r = &self.st.res[self.st.res_id(code)?.ix()];
        let scale = self.st.cat.item(r.item).scale();
        let d = |q: i64| to_decimal(q, scale);
        Some(ReservationView {
            reservation: r.code.clone(),
            item: self.st.cat.item(r.item).code.clone(),
            status: match r.status {
                ResStatus::Active => "active",
                ResStatus::Committed => "committed",
                ResStatus::Released => "released",
                ResStatus::Expired => "expired",
            },
            qty: d(r.qty),
            allocated: wide_to_decimal(r.allocs.iter().map(|a| a.qty as i128).sum(), scale),
            committed: d(r.committed),
            open_demand: d(r.open_demand),
            shorted: d(r.shorted),
            expires_at: r.expires_at,
            allocations: r
                .allocs
                .iter()
                .map(|a| (self.st.cat.loc(a.loc).code.clone(), self.st.cat.lot_code(a.lot), d(a.qty)))
                .collect(),
        })
    }

    /// Every non-empty bucket of an item in internal locations, by location then lot code.
    pub fn balances(&self, item: &str) -> Result<Vec<BalanceView>, Error> {
        let id = self.item(item)?;
        let scale = self.st.cat.item(id).scale();
        let mut v: Vec<BalanceView> = self.st.stock[id.ix()]
            .buckets
            .iter()
            .filter(|b| self.st.cat.loc(b.loc).is_internal())
            .map(|b| BalanceView {
                location: self.st.cat.loc(b.loc).code.clone(),
                lot: self.st.cat.lot_code(b.lot),
                on_hand: to_decimal(b.on_hand, scale),
                reserved: to_decimal(b.reserved, scale),
            })
            .collect();
        v.sort_by(|a, b| (&a.location, &a.lot).cmp(&(&b.location, &b.lot)));
        Ok(v)
    }

    /// (item, location) pairs a fact drove negative, for counting.
    pub fn count_flags(&self) -> Vec<(Code, Code)> {
        self.st.count_flags.iter().cloned().collect()
    }
}
