//! Sales channels: ring-fenced pools (quota and "all but N"), a channel's
//! reservations drawing on its pool first, shortfalls by channel priority,
//! channel shelf life, and per-channel ATP.

#![allow(clippy::unwrap_used)] // a test that unwraps wrongly fails, which is the point

mod common;

use common::*;
use ims_core::Scope;
use serde_json::json;

/// The test store with 10 SKU in bin A and channels web (priority 0) and
/// store (priority 1).
fn with_channels() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"receive","item":"SKU","location":"A","qty":"10"}));
    h.ok(json!({"type":"define_channel","channel":"web","priority":0}));
    h.ok(json!({"type":"define_channel","channel":"store","priority":1}));
    h
}

/// What `channel` may reserve in WH1 now.
fn chan(h: &H, channel: Option<&str>) -> String {
    h.e.channel_availability("SKU", &sub("WH1"), channel).unwrap().available.to_string()
}

fn reserve(id: &str, qty: &str, channel: Option<&str>) -> serde_json::Value {
    let mut v = json!({"type":"reserve","reservation":id,"item":"SKU","qty":qty,"scope":"WH1"});
    if let Some(c) = channel {
        v["channel"] = json!(c);
    }
    v
}

#[test]
fn a_quota_is_kept_from_the_others_and_drawn_by_its_channel_first() {
    let mut h = with_channels();
    let o = h.ok(
        json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"4"}),
    );
    assert_eq!(changes(&o), vec![pair("SKU", "A")], "a new fence changes what others may take at A");
    assert_eq!(chan(&h, None), "6");
    assert_eq!(chan(&h, Some("store")), "6");
    assert_eq!(chan(&h, Some("web")), "10");
    // The plain availability is not channel-aware: all 10 are free stock.
    assert_eq!(h.free("SKU", "WH1"), "10");
    let err = h.err(reserve("R-other", "7", None), "INSUFFICIENT_AVAILABLE");
    assert_eq!(
        err.to_string(),
        ims_core::Error::InsufficientAvailable { item: "SKU".into(), requested: d("7"), available: d("6") }.to_string()
    );
    h.ok(reserve("R-other", "6", None));
    assert_eq!(chan(&h, Some("web")), "4");
    assert_eq!(chan(&h, Some("store")), "0");
    // Web takes its pool; the fence is used up and nothing is withheld.
    h.ok(reserve("R-web", "4", Some("web")));
    let pools = h.e.channel_pools("SKU").unwrap();
    assert_eq!((pools[0].wanted.to_string(), pools[0].fenced.to_string()), ("0".into(), "0".into()));
    // Committing web's reservation renews the standing quota from what is left (nothing).
    h.ok(json!({"type":"commit","reservation":"R-web"}));
    assert_eq!(h.e.channel_pools("SKU").unwrap()[0].fenced.to_string(), "0");
    // New stock: the quota is fenced again first.
    h.ok(json!({"type":"receive","item":"SKU","location":"B","qty":"5"}));
    assert_eq!(h.e.channel_pools("SKU").unwrap()[0].fenced.to_string(), "4");
    assert_eq!(chan(&h, None), "1");
}

#[test]
fn a_channel_beyond_its_pool_draws_on_the_free_pool() {
    let mut h = with_channels();
    h.ok(json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"4"}));
    h.ok(reserve("R-web", "7", Some("web")));
    // Web holds more than its quota: nothing is fenced any more.
    assert_eq!(chan(&h, None), "3");
    h.err(reserve("R-x", "4", Some("store")), "INSUFFICIENT_AVAILABLE");
    h.ok(reserve("R-x", "3", Some("store")));
}

#[test]
fn all_but_leaves_n_to_the_others() {
    let mut h = with_channels();
    h.ok(json!({"type":"define_channel","channel":"market","priority":2}));
    h.ok(
        json!({"type":"define_channel_pool","pool":"P-m","channel":"market","item":"SKU","scope":"WH1","all_but":"2"}),
    );
    assert_eq!(chan(&h, Some("market")), "10");
    assert_eq!(chan(&h, Some("web")), "2");
    h.ok(reserve("R-w", "2", Some("web")));
    assert_eq!(chan(&h, Some("web")), "0");
    h.err(reserve("R-w2", "1", Some("web")), "INSUFFICIENT_AVAILABLE");
    h.ok(reserve("R-m", "8", Some("market")));
    assert_eq!(chan(&h, Some("market")), "0");
}

#[test]
fn shortfalls_fall_on_the_lower_priority_channel() {
    let mut h = with_channels();
    h.ok(json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"6"}));
    h.ok(
        json!({"type":"define_channel_pool","pool":"P-store","channel":"store","item":"SKU","scope":"WH1","quota":"6"}),
    );
    let pools = h.e.channel_pools("SKU").unwrap();
    let fenced: Vec<_> = pools.iter().map(|p| (p.pool.to_string(), p.fenced.to_string())).collect();
    assert_eq!(fenced, vec![("P-web".to_string(), "6".to_string()), ("P-store".to_string(), "4".to_string())]);
    assert_eq!(chan(&h, None), "0");
    assert_eq!(chan(&h, Some("web")), "6");
    assert_eq!(chan(&h, Some("store")), "4");
    // A loss (scrap of 4) is borne by the store's fence, not the web's.
    h.ok(json!({"type":"scrap","item":"SKU","location":"A","qty":"4"}));
    assert_eq!(chan(&h, Some("web")), "6");
    assert_eq!(chan(&h, Some("store")), "0");
    // Priorities can change: the store now comes first.
    h.ok(json!({"type":"define_channel","channel":"store","priority":-1}));
    assert_eq!(chan(&h, Some("web")), "0");
    assert_eq!(chan(&h, Some("store")), "6");
}

#[test]
fn fences_bind_amend_and_reallocation_too() {
    let mut h = with_channels();
    h.ok(reserve("R-o", "4", None));
    h.ok(json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"6"}));
    h.err(json!({"type":"amend","reservation":"R-o","qty":"5"}), "INSUFFICIENT_AVAILABLE");
    // A partial-fill request only gets the free pool; the rest waits as demand.
    let o = h.ok(json!({"type":"reserve","reservation":"R-p","item":"SKU","qty":"3","scope":"WH1","fill":"partial"}));
    assert_eq!(of_type(&o, "reservation_created")[0]["open_demand"], json!(3));
    // Removing the pool gives the stock back to everyone.
    h.ok(json!({"type":"remove_channel_pool","pool":"P-web"}));
    assert_eq!(chan(&h, None), "6");
    h.ok(json!({"type":"amend","reservation":"R-o","qty":"5"}));
}

#[test]
fn a_channel_shelf_life_rule_excludes_short_dated_lots() {
    let mut h = H::store();
    h.ok(json!({"type":"define_channel","channel":"web","min_shelf_life_days":5}));
    h.ok(json!({"type":"receive","item":"MILK","location":"A","lot":"L-short","expiry":ds(3),"qty":"5"}));
    h.ok(json!({"type":"receive","item":"MILK","location":"B","lot":"L-long","expiry":ds(9),"qty":"2"}));
    let web = h.e.channel_availability("MILK", &sub("WH1"), Some("web")).unwrap();
    assert_eq!(web.available.to_string(), "2");
    let o = h.ok(json!({"type":"reserve","reservation":"R","item":"MILK","qty":"2","scope":"WH1","channel":"web"}));
    assert_eq!(of_type(&o, "reservation_created")[0]["min_shelf_life_days"], json!(5));
    assert_eq!(h.allocs("R"), vec![al("B", Some("L-long"), "2")]);
    h.err(
        json!({"type":"reserve","reservation":"R2","item":"MILK","qty":"1","scope":"WH1","channel":"web"}),
        "INSUFFICIENT_AVAILABLE",
    );
}

#[test]
fn channel_atp_is_the_scope_atp_less_other_fences() {
    let mut h = with_channels();
    h.ok(json!({"type":"expect_receipt","receipt":"PO-1","item":"SKU","location":"A","qty":"5","expected":ds(5)}));
    h.ok(json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"4"}));
    let scope = Scope::Subtree("WH1".into());
    let o = opts();
    let plain = h.e.atp("SKU", &scope, Some(day(10)), &o, false).unwrap().qty;
    let (_, web) = h.e.channel_atp("SKU", &scope, Some("web"), Some(day(10)), &o).unwrap();
    let (_, other) = h.e.channel_atp("SKU", &scope, None, Some(day(10)), &o).unwrap();
    assert_eq!(plain.to_string(), "15");
    assert_eq!(web.to_string(), "15");
    assert_eq!(other.to_string(), "11");
    let q =
        h.e.ops_query_json(&json!({"kind":"channel_atp","item":"SKU","scope":"WH1","date":ds(10)}).to_string())
            .unwrap();
    assert_eq!(q["qty"], json!("11"));
}

#[test]
fn pools_survive_snapshot_and_replay_and_roll_back_with_a_batch() {
    let mut h = with_channels();
    h.ok(json!({"type":"define_channel_pool","pool":"P-web","channel":"web","item":"SKU","scope":"WH1","quota":"4"}));
    let back = ims_core::Engine::restore(&h.e.snapshot()).unwrap();
    assert_eq!(back.channel_pools("SKU").unwrap(), h.e.channel_pools("SKU").unwrap());
    assert_eq!(back.state_digest(), h.e.state_digest());
    let cmds = vec![
        h.c(json!({"type":"remove_channel_pool","pool":"P-web"})),
        h.c(json!({"type":"reserve","reservation":"R","item":"SKU","qty":"11","scope":"WH1"})),
    ];
    expect_batch_err(&mut h.e, &cmds, 1, "INSUFFICIENT_AVAILABLE");
    assert_eq!(h.e.channel_pools("SKU").unwrap().len(), 1, "the removal was rolled back");
}
