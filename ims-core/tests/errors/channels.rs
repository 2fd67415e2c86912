//! Error scenarios of the channels flow (see tests/errors.rs).

use super::*;

fn channel_store() -> H {
    let mut h = H::store();
    h.ok(json!({"type":"define_channel","channel":"web"}));
    h.ok(json!({"type":"define_channel","channel":"store"}));
    h.ok(json!({"type":"define_channel_pool","pool":"P","channel":"web","item":"SKU","scope":"WH1","quota":"4"}));
    h
}

scenarios! {
    channel_pool_size {
        let mut h = channel_store();
        for v in [
            json!({"type":"define_channel_pool","pool":"Q","channel":"web","item":"SKU","scope":"WH1"}),
            json!({"type":"define_channel_pool","pool":"Q","channel":"web","item":"SKU","scope":"WH1","quota":"1","all_but":"1"}),
        ] {
            let e = h.err(v, "CHANNEL_POOL_SIZE");
            assert_eq!(e, Error::ChannelPoolSize { pool: "Q".into() });
        }
    }
    unknown_channel {
        let mut h = channel_store();
        let e = h.err(json!({"type":"define_channel_pool","pool":"Q","channel":"tv","item":"SKU","scope":"WH1","quota":"1"}),
            "UNKNOWN_CHANNEL");
        assert_eq!(e, Error::UnknownChannel { channel: "tv".into() });
    }
    unknown_channel_pool {
        let mut h = channel_store();
        let e = h.err(json!({"type":"remove_channel_pool","pool":"NOPE"}), "UNKNOWN_CHANNEL_POOL");
        assert_eq!(e, Error::UnknownChannelPool { pool: "NOPE".into() });
    }
    channel_pool_conflict {
        let mut h = channel_store();
        h.ok(json!({"type":"define_channel_pool","pool":"P","channel":"web","item":"SKU","scope":"WH1","quota":"6"}));
        for v in [
            json!({"type":"define_channel_pool","pool":"P","channel":"store","item":"SKU","scope":"WH1","quota":"1"}),
            json!({"type":"define_channel_pool","pool":"P","channel":"web","item":"CAN","scope":"WH1","quota":"1"}),
        ] {
            let e = h.err(v, "CHANNEL_POOL_CONFLICT");
            assert_eq!(e, Error::ChannelPoolConflict { pool: "P".into() });
        }
    }
}
