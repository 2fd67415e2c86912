//! Fences: how much each pool withholds now, computed from the buckets.

use crate::command::Scope;
use crate::error::Error;
use crate::ids::{Code, ItemId};
use crate::ledger::Bucket;
use crate::ops::channels::PoolSize;
use crate::reservation::{ResStatus, ScopeIds, SellableRule};
use crate::state::State;

/// One pool's fence now.
pub(crate) struct Fence {
    pub pool: Code,
    pub channel: Code,
    pub priority: i32,
    pub scope: ScopeIds,
    /// What the pool asks for now.
    pub wanted: i128,
    /// What it gets after the pools served before it.
    pub effective: i128,
}

impl State {
    /// A sum over the sellable buckets in the intersection of `scopes`
    /// (negative buckets net; the total is floored at zero).
    fn sum_in(&self, item: ItemId, scopes: &[&ScopeIds], rule: &SellableRule, f: fn(&Bucket) -> i128) -> i128 {
        let sum: i128 = self.stock[item.ix()]
            .buckets
            .iter()
            .filter(|b| self.cat.loc(b.loc).is_internal() && scopes.iter().all(|s| s.contains(&self.cat, b.loc)))
            .filter(|b| rule.bucket_sellable(&self.cat, b.loc, b.lot))
            .map(f)
            .sum();
        sum.max(0)
    }

    /// Free sellable stock in the intersection of `scopes`.
    fn free_in(&self, item: ItemId, scopes: &[&ScopeIds], rule: &SellableRule) -> i128 {
        self.sum_in(item, scopes, rule, |b| b.free() as i128)
    }

    /// What a channel's active reservations hold allocated in a scope.
    fn channel_reserved(&self, item: ItemId, scope: &ScopeIds, channel: &str) -> i128 {
        self.stock[item.ix()]
            .active
            .iter()
            .map(|rid| &self.res[rid.ix()])
            .filter(|r| r.status == ResStatus::Active && r.channel.as_deref() == Some(channel))
            .flat_map(|r| r.allocs.iter())
            .filter(|a| scope.contains(&self.cat, a.loc))
            .map(|a| a.qty as i128)
            .sum()
    }

    /// The item's pools with their fences, in service order (channel
    /// priority, then pool code). Empty when the item has no pool.
    pub(crate) fn fences(&self, item: ItemId, rule: &SellableRule) -> Vec<Fence> {
        let d = &self.ops.channels;
        if d.pools.is_empty() {
            return Vec::new();
        }
        let Some(list) = d.by_item.get(&self.cat.item(item).code) else { return Vec::new() };
        let mut v: Vec<Fence> = Vec::with_capacity(list.len());
        for code in list {
            let Some(pool) = d.pools.get(code) else { continue };
            // Pool scopes were checked when defined; locations are never removed.
            let Ok(scope) = self.scope_ids(&pool.scope) else { continue };
            let wanted = match pool.size {
                PoolSize::Quota(q) => (q as i128 - self.channel_reserved(item, &scope, &pool.channel)).max(0),
                // Everything sellable but N, less what the channel holds.
                PoolSize::AllBut(n) => {
                    let sellable = self.sum_in(item, &[&scope], rule, |b| b.on_hand as i128);
                    (sellable - n as i128 - self.channel_reserved(item, &scope, &pool.channel)).max(0)
                }
            };
            let priority = d.channels.get(&pool.channel).map_or(0, |c| c.priority);
            v.push(Fence { pool: code.clone(), channel: pool.channel.clone(), priority, scope, wanted, effective: 0 });
        }
        v.sort_by(|a, b| (a.priority, &a.pool).cmp(&(b.priority, &b.pool)));
        // Shortfalls fall on the pools served last.
        for i in 0..v.len() {
            let mut room = self.free_in(item, &[&v[i].scope], rule);
            for j in 0..i {
                room -= v[j].effective.min(self.free_in(item, &[&v[i].scope, &v[j].scope], rule));
            }
            v[i].effective = v[i].wanted.min(room.max(0));
        }
        v
    }

    /// What the pools of channels other than `channel` withhold from `scope`.
    pub(crate) fn withheld(&self, item: ItemId, scope: &ScopeIds, rule: &SellableRule, channel: Option<&str>) -> i128 {
        self.fences(item, rule)
            .iter()
            .filter(|f| Some(&*f.channel) != channel)
            .map(|f| f.effective.min(self.free_in(item, &[&f.scope, scope], rule)))
            .sum()
    }

    /// What a reservation of `channel` may take now in `scope`: the free
    /// sellable stock less other channels' fences, floored at zero.
    pub(crate) fn reservable(
        &self,
        item: ItemId,
        scope: &ScopeIds,
        rule: &SellableRule,
        channel: Option<&str>,
    ) -> i128 {
        let net = self.net_available(item, scope, rule).max(0);
        if self.ops.channels.pools.is_empty() {
            return net;
        }
        (net - self.withheld(item, scope, rule, channel)).max(0)
    }

    /// The remaining shelf life a channel requires (0 for none or unknown).
    pub(crate) fn channel_shelf_days(&self, channel: Option<&str>) -> u32 {
        channel.and_then(|c| self.ops.channels.channels.get(c)).map_or(0, |c| c.min_shelf_life_days)
    }

    /// Adds every location of `scope` that holds the item to the change feed.
    pub(crate) fn touch_scope(&mut self, item: ItemId, scope: &Scope) -> Result<(), Error> {
        let ids = self.scope_ids(scope)?;
        let mut locs: Vec<_> = self.stock[item.ix()]
            .buckets
            .iter()
            .filter(|b| self.cat.loc(b.loc).is_internal() && ids.contains(&self.cat, b.loc))
            .map(|b| b.loc)
            .collect();
        locs.dedup();
        self.touched.extend(locs.into_iter().map(|l| (item, l)));
        Ok(())
    }
}
