/* Edge mode through the C door: a till replica sells offline, syncs with
 * the authority through bytes, and prints the conflict report; a lost
 * answer and a retried sync never sell twice; a replica that fell too far
 * behind starts again from a snapshot. */
#include <stdint.h>

#include "check.h"

#define T0 1795852800000LL

static ims_engine *authority(void) {
    ims_engine *e = NULL;
    MUST(ims_engine_new(&e));
    const char *setup[] = {
        "{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}",
        "{\"type\":\"define_location\",\"location\":\"S1/TILL\",\"kind\":\"storage\",\"parent\":\"S1\"}",
        "{\"type\":\"define_location\",\"location\":\"S2\",\"kind\":\"site\"}",
        "{\"type\":\"define_item\",\"item\":\"SODA\"}",
        "{\"type\":\"define_item\",\"item\":\"GUM\"}",
        "{\"type\":\"receive\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"5\"}",
        "{\"type\":\"receive\",\"item\":\"GUM\",\"location\":\"S1/TILL\",\"qty\":\"9\"}",
    };
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) MUST(ims_execute_json(e, IMS_S(setup[i]), NULL, NULL));
    return e;
}

static ims_sale line(const char *key, int64_t units, int64_t at) {
    ims_sale s;
    memset(&s, 0, sizeof s);
    s.item = IMS_S("SODA");
    s.location = IMS_S("S1/TILL");
    s.qty.units = units;
    s.client_key = IMS_S(key);
    s.occurred_at_ms = at;
    return s;
}

/* One sync round trip; the report JSON (to free), or NULL if `lose`. */
static char *sync_once(ims_engine *a, ims_replica *r, int lose) {
    uint8_t *req = NULL, *resp = NULL;
    size_t req_len = 0, resp_len = 0;
    MUST(ims_replica_sync_request(r, &req, &req_len));
    MUST(ims_engine_sync(a, req, req_len, 0, &resp, &resp_len));
    char *report = NULL;
    if (!lose) MUST(ims_replica_receive(r, resp, resp_len, &report, NULL));
    MUST(ims_bytes_free(req));
    MUST(ims_bytes_free(resp));
    return report;
}

static int64_t on_hand(ims_replica *r, ims_engine *a) {
    ims_stock st;
    if (r) MUST(ims_replica_stock_lookup(r, IMS_S("SODA"), IMS_S("S1"), &st));
    else MUST(ims_stock_lookup(a, IMS_S("SODA"), IMS_S("S1"), &st));
    return st.on_hand.units;
}

static void test_offline_sales_and_conflicts(void) {
    ims_engine *a = authority();
    uint8_t *snap = NULL;
    size_t len = 0;
    OK(ims_engine_snapshot(a, &snap, &len));
    ims_replica *r = NULL;
    OK(ims_replica_new(IMS_S("till-1"), snap, len, IMS_NONE, 0, 0, &r));
    OK(ims_bytes_free(snap));

    /* Offline: three sales, shown at once on the till. */
    ims_sale s1 = line("t1/1", 2, T0 + 60000), s2 = line("t1/2", 2, T0 + 120000);
    ims_sale_outcome o;
    OK(ims_replica_sell(r, &s1, &o));
    CHECK(!o.exists && o.moves == 1);
    OK(ims_replica_sell(r, &s2, NULL));
    ims_sale ret = line("t1/3", 1, T0 + 130000);
    OK(ims_replica_return(r, &ret, NULL));
    CHECK(on_hand(r, NULL) == 5 - 2 - 2 + 1 && on_hand(NULL, a) == 5);
    ims_sale nokey = line("x", 1, T0);
    nokey.client_key = IMS_NONE;
    EXPECT(IMS_CLIENT_KEY_REQUIRED, ims_replica_sell(r, &nokey, NULL));
    char *out = NULL;
    OK(ims_replica_execute_json(r, IMS_S("{\"type\":\"sell\",\"item\":\"GUM\",\"location\":\"S1/TILL\",\"qty\":\"1\",\"client_key\":\"t1/4\",\"occurred_at\":1795853000000}"), &out, NULL));
    CHECK(contains(out, "\"pending\":4"));
    OK(ims_string_free(out));
    EXPECT(IMS_NOT_ALLOWED_ON_REPLICA, ims_replica_execute_json(r, IMS_S("{\"type\":\"define_item\",\"item\":\"NEW\",\"client_key\":\"t1/5\"}"), NULL, NULL));
    uint64_t seq = 0;
    size_t pending = 0;
    bool needs = true;
    OK(ims_replica_status(r, &seq, &pending, &needs));
    CHECK(seq == 7 && pending == 4 && !needs);
    OK(ims_replica_query_json(r, IMS_S("{\"kind\":\"availability\",\"item\":\"GUM\",\"scope\":\"S1\"}"), &out, NULL));
    CHECK(contains(out, "\"on_hand\":\"8\""));
    OK(ims_string_free(out));

    /* Meanwhile the store's other till sells 3 at the authority. */
    OK(ims_execute_json(a, IMS_S("{\"type\":\"sell\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"3\",\"occurred_at\":1795852890000}"), NULL, NULL));

    /* The answer is lost; the till retries; nothing is counted twice. */
    CHECK(sync_once(a, r, 1) == NULL);
    CHECK(on_hand(NULL, a) == 5 - 3 - 2 - 2 + 1);
    char *report = sync_once(a, r, 0);
    CHECK(contains(report, "\"conflicts\":[{") && contains(report, "\"kind\":\"oversold\""));
    printf("conflict report: %s\n", report);
    OK(ims_string_free(report));
    CHECK(on_hand(NULL, a) == -1 && on_hand(r, NULL) == -1);
    OK(ims_replica_status(r, &seq, &pending, NULL));
    uint64_t head = 0;
    OK(ims_engine_seq(a, &head));
    CHECK(pending == 0 && seq == head);
    char *d1 = NULL, *d2 = NULL;
    OK(ims_replica_slice_digest(r, &d1));
    OK(ims_engine_slice_digest(a, IMS_NONE, &d2));
    CHECK(strcmp(d1, d2) == 0);
    OK(ims_string_free(d1));
    OK(ims_string_free(d2));
    OK(ims_replica_advance_to(r, T0 + 3600000));
    OK(ims_replica_free(r));
    OK(ims_engine_free(a));
}

static void test_slices_responses_and_reset(void) {
    ims_engine *a = authority();
    uint8_t *snap = NULL;
    size_t len = 0;
    const char *slice = "{\"items\":[\"SODA\"],\"locations\":[\"S1\"]}";
    OK(ims_engine_slice_snapshot(a, IMS_S(slice), &snap, &len));
    ims_replica *r = NULL;
    OK(ims_replica_new(IMS_S("kiosk"), snap, len, IMS_S(slice), 2, 0, &r));
    EXPECT(IMS_INVALID_COMMAND, ims_replica_new(IMS_S("k2"), snap, len, IMS_S("{\"items\":7}"), 0, 0, NULL));
    ims_stock st;
    EXPECT(IMS_NOT_IN_SLICE, ims_replica_execute_json(r, IMS_S("{\"type\":\"sell\",\"item\":\"GUM\",\"location\":\"S1/TILL\",\"qty\":\"1\",\"client_key\":\"k/1\"}"), NULL, NULL));
    OK(ims_replica_stock_lookup(r, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 5);
    /* The queue is bounded (max_len 2). */
    ims_sale a1 = line("k/1", 1, T0), a2 = line("k/2", 1, T0), a3 = line("k/3", 1, T0);
    OK(ims_replica_sell(r, &a1, NULL));
    OK(ims_replica_sell(r, &a2, NULL));
    EXPECT(IMS_QUEUE_FULL, ims_replica_sell(r, &a3, NULL));
    /* Inspect a response. */
    uint8_t *req = NULL, *resp = NULL;
    size_t req_len = 0, resp_len = 0;
    OK(ims_replica_sync_request(r, &req, &req_len));
    /* At most one envelope of tail: too few to catch up, so a snapshot. */
    OK(ims_engine_sync(a, req, req_len, 1, &resp, &resp_len));
    char *js = NULL;
    OK(ims_sync_response_json(resp, resp_len, &js, NULL));
    CHECK(contains(js, "\"status\":\"accepted\"") && contains(js, "\"tail\":0") && contains(js, "\"snapshot_required\":true"));
    OK(ims_string_free(js));
    OK(ims_bytes_free(resp));
    /* The same request again (a retry): the same verdicts, now with the tail. */
    OK(ims_engine_sync(a, req, req_len, 0, &resp, &resp_len));
    OK(ims_sync_response_json(resp, resp_len, &js, NULL));
    CHECK(contains(js, "\"exists\":true") && contains(js, "\"tail\":2") && contains(js, "\"snapshot_required\":false"));
    OK(ims_string_free(js));
    EXPECT(IMS_INVALID_COMMAND, ims_sync_response_json(req, req_len, &js, NULL));
    EXPECT(IMS_INVALID_COMMAND, ims_engine_sync(a, resp, resp_len, 0, &resp, &resp_len));
    EXPECT(IMS_INVALID_COMMAND, ims_replica_receive(r, req, req_len, NULL, NULL));
    OK(ims_replica_receive(r, resp, resp_len, NULL, NULL));
    OK(ims_bytes_free(req));
    OK(ims_bytes_free(resp));
    /* Start again from a fresh snapshot. */
    OK(ims_bytes_free(snap));
    OK(ims_engine_slice_snapshot(a, IMS_S(slice), &snap, &len));
    OK(ims_replica_reset(r, snap, len));
    EXPECT(IMS_INVALID_SNAPSHOT, ims_replica_reset(r, snap, len - 1));
    OK(ims_replica_stock_lookup(r, IMS_S("SODA"), IMS_S("S1"), &st));
    CHECK(st.on_hand.units == 3);
    OK(ims_bytes_free(snap));
    OK(ims_replica_free(r));
    OK(ims_engine_free(a));
}

int main(void) {
    test_offline_sales_and_conflicts();
    test_slices_responses_and_reset();
    return check_report("test_edge");
}
