//! Sales channels and their ring-fenced stock (DESIGN §3).
//!
//! A channel (web, marketplace, stores) has a priority and an optional
//! minimum remaining shelf life. A *pool* is a standing ring-fence of one
//! item in one scope for one channel:
//!
//! * `quota: Q` — keep up to Q units free for the channel: its fence is
//!   `Q − what the channel already holds reserved in the scope`;
//! * `all_but: N` — the channel may take everything sellable but N units,
//!   which are the others' share: its fence is `sellable − N − what the
//!   channel already holds reserved in the scope`.
//!
//! Fences are not allocations: they are computed from the buckets when a
//! reservation or a query needs them, so they follow every receipt, sale and
//! count without bookkeeping. When the free stock cannot cover every fence,
//! pools are served in (channel priority, pool code) order — lower priority
//! numbers first, as for demand — and the later ones are shorted. A
//! reservation of channel `c` sees the scope's available stock less what the
//! pools of *other* channels withhold there (a reservation without a channel
//! is "another channel" to every pool), so it draws on its own pool first and
//! then on the free pool.

mod fence;
mod views;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use views::{ChannelAvailability, PoolView};

use crate::command::{QtyIn, Scope};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::ops::{DocMap, OpsEvent};
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

/// A sales channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Lower is served first when fences cannot all be met.
    pub priority: i32,
    /// Remaining shelf life the channel's reservations require, in days.
    pub min_shelf_life_days: u32,
}

/// How much a pool ring-fences, in the item's minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolSize {
    /// Keep up to this much free for the channel.
    Quota(Minor),
    /// Leave this much free for the other channels; the rest is the channel's.
    AllBut(Minor),
}

/// A standing ring-fence of one item in one scope for one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    /// The channel it serves.
    pub channel: Code,
    /// The item.
    pub item: Code,
    /// Where the stock is fenced.
    pub scope: Scope,
    /// How much.
    pub size: PoolSize,
}

/// The flow's documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    /// Channels by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub channels: DocMap<Channel>,
    /// Pools by code.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub pools: DocMap<Pool>,
    /// Pool codes per item, sorted: the pools a reservation must respect.
    #[serde(default, skip_serializing_if = "DocMap::is_empty")]
    pub by_item: DocMap<Vec<Code>>,
}

impl Docs {
    /// No documents.
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.pools.is_empty()
    }
}

/// Define or change a channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefineChannel {
    /// Channel code.
    pub channel: String,
    /// Lower is served first when fences cannot all be met.
    #[serde(default)]
    pub priority: i32,
    /// Remaining shelf life its reservations require, in days.
    #[serde(default)]
    pub min_shelf_life_days: u32,
}

/// Define or resize a pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DefinePool {
    /// Pool code.
    pub pool: String,
    /// The channel (defined).
    pub channel: String,
    /// The item.
    pub item: String,
    /// Where the stock is fenced.
    pub scope: Scope,
    /// Keep this much for the channel (exclusive with `all_but`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Decimal>,
    /// Leave this much to the others (exclusive with `quota`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_but: Option<Decimal>,
    /// Unit of the quantity; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The flow's commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cmd {
    /// Define or change a channel.
    DefineChannel(DefineChannel),
    /// Define or resize a pool.
    DefineChannelPool(DefinePool),
    /// Remove a pool: its stock returns to the free pool.
    RemoveChannelPool {
        /// Pool code.
        pool: String,
    },
}

/// JSON `type` names of [`Cmd`].
pub const CMD_TYPES: &[&str] = &["define_channel", "define_channel_pool", "remove_channel_pool"];

/// The flow's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ev {
    /// A channel was defined or changed.
    ChannelDefined {
        /// Channel code.
        channel: Code,
        /// Its settings.
        #[serde(flatten)]
        spec: Channel,
    },
    /// A pool was defined or resized.
    ChannelPoolDefined {
        /// Pool code.
        pool: Code,
        /// The pool.
        #[serde(flatten)]
        spec: Pool,
    },
    /// A pool was removed.
    ChannelPoolRemoved {
        /// Pool code.
        pool: Code,
    },
}

/// JSON `type` names of [`Ev`].
pub const EVENT_TYPES: &[&str] = &["channel_defined", "channel_pool_defined", "channel_pool_removed"];

fn emit(st: &mut State, out: &mut Vec<Event>, ev: Ev) -> Result<(), Error> {
    st.emit(out, Event::Ops(OpsEvent::Channels(ev)))
}

pub(crate) fn run(st: &mut State, cmd: &Cmd, _at: Millis, out: &mut Vec<Event>) -> Result<(), Error> {
    match cmd {
        Cmd::DefineChannel(c) => {
            State::check_code("channel", &c.channel)?;
            let spec = Channel { priority: c.priority, min_shelf_life_days: c.min_shelf_life_days };
            emit(st, out, Ev::ChannelDefined { channel: c.channel.as_str().into(), spec })
        }
        Cmd::DefineChannelPool(c) => define_pool(st, c, out),
        Cmd::RemoveChannelPool { pool } => {
            State::check_code("pool", pool)?;
            let Some(pool) = st.ops.channels.pools.code(pool) else {
                return Err(Error::UnknownChannelPool { pool: pool.clone() });
            };
            emit(st, out, Ev::ChannelPoolRemoved { pool })
        }
    }
}

fn define_pool(st: &mut State, c: &DefinePool, out: &mut Vec<Event>) -> Result<(), Error> {
    State::check_code("pool", &c.pool)?;
    State::check_code("channel", &c.channel)?;
    let q = match (c.quota, c.all_but) {
        (Some(q), None) | (None, Some(q)) => QtyIn { qty: q, unit: c.unit.clone(), rounding: None },
        _ => return Err(Error::ChannelPoolSize { pool: c.pool.clone() }),
    };
    if q.qty.is_sign_negative() {
        return Err(Error::InvalidQuantity { field: "quota", qty: q.qty });
    }
    let item = st.find_item(&c.item)?;
    st.find_scope(&c.scope)?;
    let Some(channel) = st.ops.channels.channels.code(&c.channel) else {
        return Err(Error::UnknownChannel { channel: c.channel.clone() });
    };
    let qty = if q.qty.is_zero() { 0 } else { st.to_minor(item, &q)? };
    let item = st.cat.item(item).code.clone();
    if let Some(old) = st.ops.channels.pools.get(&c.pool) {
        if old.channel != channel || old.item != item {
            return Err(Error::ChannelPoolConflict { pool: c.pool.clone() });
        }
    }
    let size = if c.quota.is_some() { PoolSize::Quota(qty) } else { PoolSize::AllBut(qty) };
    let spec = Pool { channel, item, scope: c.scope.clone(), size };
    emit(st, out, Ev::ChannelPoolDefined { pool: c.pool.as_str().into(), spec })
}

pub(crate) fn apply(st: &mut State, ev: &Ev) -> Result<(), Error> {
    match ev {
        Ev::ChannelDefined { channel, spec } => {
            st.put_doc(|o| &mut o.channels.channels, channel.clone(), spec.clone());
        }
        Ev::ChannelPoolDefined { pool, spec } => {
            let item = st.item_of(&spec.item)?;
            if !st.ops.channels.channels.contains(&spec.channel) {
                return Err(Error::InvalidCommand { reason: format!("pool {pool} names unknown channel") });
            }
            let mut list = st.ops.channels.by_item.get(&spec.item).cloned().unwrap_or_default();
            if let Err(i) = list.binary_search(pool) {
                list.insert(i, pool.clone());
                st.put_doc(|o| &mut o.channels.by_item, spec.item.clone(), list);
            }
            st.put_doc(|o| &mut o.channels.pools, pool.clone(), spec.clone());
            st.touch_scope(item, &spec.scope)?;
        }
        Ev::ChannelPoolRemoved { pool } => {
            let spec =
                st.ops.channels.pools.get(pool).cloned().ok_or_else(|| Error::InvalidCommand {
                    reason: format!("event refers to unknown pool {pool:?}"),
                })?;
            let item = st.item_of(&spec.item)?;
            let mut list = st.ops.channels.by_item.get(&spec.item).cloned().unwrap_or_default();
            list.retain(|p| p != pool);
            if list.is_empty() {
                st.remove_doc(|o| &mut o.channels.by_item, &spec.item);
            } else {
                st.put_doc(|o| &mut o.channels.by_item, spec.item.clone(), list);
            }
            st.remove_doc(|o| &mut o.channels.pools, pool);
            st.touch_scope(item, &spec.scope)?;
        }
    }
    Ok(())
}

pub(crate) fn verify(st: &State, errs: &mut Vec<String>) {
    let d = &st.ops.channels;
    let mut listed = 0;
    for (item, pools) in d.by_item.iter() {
        for p in pools {
            listed += 1;
            if d.pools.get(p).is_none_or(|x| &x.item != item) {
                errs.push(format!("pool index lists {p} under {item} wrongly"));
            }
        }
    }
    if listed != d.pools.len() {
        errs.push(format!("pool index lists {listed} pools, {} exist", d.pools.len()));
    }
    for (code, p) in d.pools.iter() {
        if !d.channels.contains(&p.channel) || st.cat.item_id(&p.item).is_none() {
            errs.push(format!("pool {code} names an unknown channel or item"));
        }
    }
}

/// The flow's read-only questions (JSON `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qry {
    /// What a channel may reserve now in a scope.
    ChannelAvailability {
        /// Item.
        item: String,
        /// Scope.
        scope: Scope,
        /// Channel (none: a reservation without a channel).
        #[serde(default)]
        channel: Option<String>,
    },
    /// ATP for a channel on a date (today when absent).
    ChannelAtp {
        /// Item.
        item: String,
        /// Scope.
        scope: Scope,
        /// Channel.
        #[serde(default)]
        channel: Option<String>,
        /// Date.
        #[serde(default)]
        date: Option<crate::time::Date>,
        /// ATP options.
        #[serde(default)]
        options: Option<crate::availability::AtpOptions>,
    },
    /// The item's pools with their fences now.
    ChannelPools {
        /// Item.
        item: String,
    },
}

/// JSON `kind` names of [`Qry`].
pub const QUERY_KINDS: &[&str] = &["channel_availability", "channel_atp", "channel_pools"];

pub(crate) fn query<A: crate::Answer>(st: &State, q: &Qry, a: A) -> Result<A::Out, Error> {
    match q {
        Qry::ChannelAvailability { item, scope, channel } => {
            a.answer(&st.channel_availability(item, scope, channel.as_deref())?)
        }
        Qry::ChannelAtp { item, scope, channel, date, options } => {
            let (date, qty) = st.channel_atp(item, scope, channel.as_deref(), *date, &options.unwrap_or_default())?;
            a.answer(&serde_json::json!({ "date": date, "qty": qty }))
        }
        Qry::ChannelPools { item } => a.answer(&st.channel_pools(item)?),
    }
}

impl crate::engine::Engine {
    /// What `channel` may reserve now in `scope`.
    pub fn channel_availability(
        &self,
        item: &str,
        scope: &Scope,
        channel: Option<&str>,
    ) -> Result<ChannelAvailability, Error> {
        self.st.channel_availability(item, scope, channel)
    }

    /// ATP for `channel`: the scope's ATP less what other channels' pools
    /// withhold now. Returns (date, quantity).
    pub fn channel_atp(
        &self,
        item: &str,
        scope: &Scope,
        channel: Option<&str>,
        date: Option<crate::time::Date>,
        opts: &crate::availability::AtpOptions,
    ) -> Result<(crate::time::Date, Decimal), Error> {
        self.st.channel_atp(item, scope, channel, date, opts)
    }

    /// The item's pools, with each fence now.
    pub fn channel_pools(&self, item: &str) -> Result<Vec<PoolView>, Error> {
        self.st.channel_pools(item)
    }
}
