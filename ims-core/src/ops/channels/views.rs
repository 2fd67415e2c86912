//! What hosts see of channels and pools: decimals at the edge.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::availability::AtpOptions;
use crate::command::Scope;
use crate::error::Error;
use crate::ids::Code;
use crate::ops::channels::PoolSize;
use crate::reservation::SellableRule;
use crate::state::State;
use crate::time::Date;

/// What a channel may reserve now in a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChannelAvailability {
    /// Available in the scope to anyone (sellable − reserved).
    pub scope_available: Decimal,
    /// Withheld by other channels' pools.
    pub withheld: Decimal,
    /// What the channel may reserve.
    pub available: Decimal,
}

/// A pool and its fence now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolView {
    /// Pool code.
    pub pool: Code,
    /// Channel.
    pub channel: Code,
    /// The channel's priority.
    pub priority: i32,
    /// `quota` or `all_but`.
    pub kind: &'static str,
    /// The pool's size.
    pub size: Decimal,
    /// What it asks for now.
    pub wanted: Decimal,
    /// What it gets after the pools served before it.
    pub fenced: Decimal,
}

impl State {
    pub(crate) fn channel_availability(
        &self,
        item: &str,
        scope: &Scope,
        channel: Option<&str>,
    ) -> Result<ChannelAvailability, Error> {
        let id = self.find_item(item)?;
        let s = self.find_scope(scope)?;
        let min_days = self.cat.item(id).spec.min_remaining_shelf_life_days.max(self.channel_shelf_days(channel));
        let rule = SellableRule { now: self.now, min_days };
        let net = self.net_available(id, &s, &rule).max(0);
        let free = self.reservable(id, &s, &rule, channel);
        Ok(ChannelAvailability {
            scope_available: self.dec(id, net),
            withheld: self.dec(id, net - free),
            available: self.dec(id, free),
        })
    }

    pub(crate) fn channel_atp(
        &self,
        item: &str,
        scope: &Scope,
        channel: Option<&str>,
        date: Option<Date>,
        opts: &AtpOptions,
    ) -> Result<(Date, Decimal), Error> {
        let id = self.find_item(item)?;
        let s = self.find_scope(scope)?;
        let extra = self.channel_shelf_days(channel);
        let opts = AtpOptions { min_shelf_life_days: opts.min_shelf_life_days.max(extra), ..*opts };
        let today = self.today_at(s.anchor());
        let date = date.unwrap_or(today).max(today);
        let (q, _) = self.atp_on(id, &s, date, &opts, false);
        let min_days = self.cat.item(id).spec.min_remaining_shelf_life_days.max(opts.min_shelf_life_days);
        let withheld = self.withheld(id, &s, &SellableRule { now: self.now, min_days }, channel);
        Ok((date, self.dec(id, (q - withheld).max(0))))
    }

    pub(crate) fn channel_pools(&self, item: &str) -> Result<Vec<PoolView>, Error> {
        let id = self.find_item(item)?;
        let rule = SellableRule { now: self.now, min_days: self.cat.item(id).spec.min_remaining_shelf_life_days };
        Ok(self
            .fences(id, &rule)
            .into_iter()
            .filter_map(|f| {
                let pool = self.ops.channels.pools.get(&f.pool)?;
                let (kind, size) = match pool.size {
                    PoolSize::Quota(q) => ("quota", q),
                    PoolSize::AllBut(n) => ("all_but", n),
                };
                Some(PoolView {
                    pool: f.pool,
                    channel: f.channel,
                    priority: f.priority,
                    kind,
                    size: self.dec(id, size as i128),
                    wanted: self.dec(id, f.wanted),
                    fenced: self.dec(id, f.effective),
                })
            })
            .collect())
    }
}
