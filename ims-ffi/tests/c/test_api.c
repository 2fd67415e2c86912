/* Every function of the C door on its happy path, with the answers
 * checked against what the engine must give. Error paths: test_errors.c;
 * edge mode: test_edge.c; threads: test_threads.c. */
#include <stdint.h>

#include "check.h"

#define T0 1795852800000LL /* 2026-11-28T00:00:00Z */

static ims_engine *store(void) {
    ims_engine *e = NULL;
    MUST(ims_engine_new(&e));
    const char *setup[] = {
        "{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}",
        "{\"type\":\"define_location\",\"location\":\"S1/TILL\",\"kind\":\"storage\",\"parent\":\"S1\"}",
        "{\"type\":\"define_location\",\"location\":\"S1/BACK\",\"kind\":\"storage\",\"parent\":\"S1\"}",
        "{\"type\":\"define_item\",\"item\":\"SODA\",\"units\":[{\"unit\":\"case\",\"factor\":\"12\"}]}",
        "{\"type\":\"define_item\",\"item\":\"CHEESE\",\"tracking\":\"lot\"}",
        "{\"type\":\"define_item\",\"item\":\"FLOUR\",\"scale\":3}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"4006381333931\",\"item\":\"SODA\"}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"036000291452\",\"item\":\"SODA\",\"unit\":\"case\"}",
        "{\"type\":\"receive\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"10\"}",
        "{\"type\":\"receive\",\"item\":\"SODA\",\"location\":\"S1/BACK\",\"qty\":\"24\"}",
        "{\"type\":\"receive\",\"item\":\"CHEESE\",\"location\":\"S1/TILL\",\"qty\":\"2\",\"lot\":\"C-1\",\"expiry\":\"2026-12-20\"}",
        "{\"type\":\"receive\",\"item\":\"CHEESE\",\"location\":\"S1/TILL\",\"qty\":\"2\",\"lot\":\"C-2\",\"expiry\":\"2026-12-10\"}",
        "{\"type\":\"receive\",\"item\":\"FLOUR\",\"location\":\"S1/TILL\",\"qty\":\"5.250\"}",
    };
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) MUST(ims_execute_json(e, IMS_S(setup[i]), NULL, NULL));
    return e;
}

static ims_sale sale(const char *item, const char *loc, int64_t units, uint32_t scale) {
    ims_sale s;
    memset(&s, 0, sizeof s);
    s.item = IMS_S(item);
    s.location = IMS_S(loc);
    s.qty.units = units;
    s.qty.scale = scale;
    s.occurred_at_ms = T0 + 60000;
    return s;
}

static void test_status_and_version(void) {
    CHECK(strcmp(ims_version(), "0.1.0") == 0);
    CHECK(strcmp(ims_status_name(IMS_OK), "OK") == 0);
    CHECK(strcmp(ims_status_name(IMS_INSUFFICIENT_AVAILABLE), "INSUFFICIENT_AVAILABLE") == 0);
    CHECK(strcmp(ims_status_name(12345), "UNKNOWN_STATUS") == 0);
    CHECK(ims_status_retryable(IMS_STORAGE));
    CHECK(!ims_status_retryable(IMS_UNKNOWN_ITEM));
    CHECK(!ims_status_retryable(IMS_OK));
    CHECK(IMS_UNKNOWN_ITEM == 200 && IMS_INVALID_HANDLE == 705);
}

static void test_lookup_and_typed_sales(void) {
    ims_engine *e = store();
    ims_stock st;
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 10 && st.on_hand.scale == 0 && st.available.units == 10 && st.reserved.units == 0);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1"), &st));
    CHECK(st.on_hand.units == 34 && st.sellable.units == 34);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("*"), &st));
    CHECK(st.on_hand.units == 34);
    OK(ims_stock_lookup(e, IMS_S("FLOUR"), IMS_S("S1"), &st));
    CHECK(st.on_hand.units == 5250 && st.on_hand.scale == 3);

    /* A sale of 2, with a client key: the retry is not counted twice. */
    ims_sale s = sale("SODA", "S1/TILL", 2, 0);
    s.reference = IMS_S("RCPT-1");
    s.client_key = IMS_S("till-1/1");
    ims_sale_outcome o;
    OK(ims_sell(e, &s, &o));
    CHECK(!o.exists && o.moves == 1 && o.first_move > 0);
    uint64_t sold_move = o.first_move, seq = o.seq;
    ims_sale_outcome again;
    OK(ims_sell(e, &s, &again));
    CHECK(again.exists && again.seq == seq && again.moves == 0);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 8);

    /* A case (unit 12) from the back room, then a return of one can. */
    ims_sale c = sale("SODA", "S1/BACK", 1, 0);
    c.unit = IMS_S("case");
    OK(ims_sell(e, &c, NULL));
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/BACK"), &st));
    CHECK(st.on_hand.units == 12);
    ims_sale r = sale("SODA", "S1/TILL", 1, 0);
    r.reference = IMS_S("RCPT-1");
    OK(ims_return(e, &r, &o));
    CHECK(o.moves == 1);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 9);

    /* Void the first sale: its two cans come back; voiding twice is refused. */
    OK(ims_void(e, sold_move, IMS_NONE, T0 + 120000, &o));
    CHECK(o.moves == 1 && o.first_move > sold_move);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 11);
    EXPECT(IMS_MOVE_ALREADY_REVERSED, ims_void(e, sold_move, IMS_NONE, T0 + 120000, NULL));
    EXPECT(IMS_UNKNOWN_MOVE, ims_void(e, 999999, IMS_NONE, T0 + 120000, NULL));

    /* A lot-tracked item sold without a lot: first expiry first, split. */
    ims_sale ch = sale("CHEESE", "S1/TILL", 3, 0);
    OK(ims_sell(e, &ch, &o));
    CHECK(o.moves == 2);
    /* Flour by decimal text: 1.5 kg (scale 1 input, item scale 3). */
    ims_qty q;
    OK(ims_qty_parse(IMS_S("1.5"), &q));
    CHECK(q.units == 15 && q.scale == 1);
    ims_sale f = sale("FLOUR", "S1/TILL", q.units, q.scale);
    OK(ims_sell(e, &f, NULL));
    OK(ims_stock_lookup(e, IMS_S("FLOUR"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == 3750 && st.on_hand.scale == 3);
    char *text = NULL;
    size_t len = 0;
    OK(ims_qty_format(st.on_hand, &text, &len));
    CHECK(text && strcmp(text, "3.750") == 0 && len == 5);
    OK(ims_string_free(text));
    /* Finer than the item's scale. */
    ims_sale fine = sale("FLOUR", "S1/TILL", 1, 4);
    EXPECT(IMS_QUANTITY_SCALE_EXCEEDED, ims_sell(e, &fine, NULL));
    /* A sale past zero posts and is flagged. */
    ims_sale big = sale("SODA", "S1/TILL", 50, 0);
    OK(ims_sell(e, &big, NULL));
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &st));
    CHECK(st.on_hand.units == -39 && st.available.units == 0);
    char *flags = NULL;
    OK(ims_query_json(e, IMS_S("{\"kind\":\"count_flags\"}"), &flags, NULL));
    CHECK(contains(flags, "[\"SODA\",\"S1/TILL\"]"));
    OK(ims_string_free(flags));
    OK(ims_engine_free(e));
}

static void test_barcode(void) {
    ims_engine *e = store();
    char *item = NULL, *unit = NULL;
    OK(ims_resolve_barcode(e, IMS_S("4006381333931"), &item, &unit));
    CHECK(item && strcmp(item, "SODA") == 0 && unit == NULL);
    OK(ims_string_free(item));
    OK(ims_resolve_barcode(e, IMS_S("036000291452"), &item, &unit));
    CHECK(item && strcmp(item, "SODA") == 0 && unit && strcmp(unit, "case") == 0);
    OK(ims_string_free(item));
    OK(ims_string_free(unit));
    EXPECT(IMS_BARCODE_CHECK_DIGIT, ims_resolve_barcode(e, IMS_S("4006381333932"), &item, &unit));
    EXPECT(IMS_UNKNOWN_BARCODE, ims_resolve_barcode(e, IMS_S("96385074"), &item, &unit));
    OK(ims_engine_free(e));
}

static void test_batches(void) {
    ims_engine *e = store();
    ims_sale lines[4];
    lines[0] = sale("SODA", "S1/TILL", 1, 0);
    lines[1] = sale("SODA", "S1/TILL", 2, 0);
    lines[2] = sale("NOPE", "S1/TILL", 1, 0);
    lines[3] = sale("SODA", "S1/TILL", 1, 0);
    lines[3].kind = IMS_LINE_RETURN;
    ims_status st[4];
    size_t accepted = 0;
    uint64_t seq0 = 0, seq1 = 0;
    OK(ims_engine_seq(e, &seq0));
    /* Atomic: the unknown item refuses all four; nothing changes. */
    EXPECT(IMS_BATCH_REFUSED, ims_sell_batch(e, lines, 4, IMS_BATCH_ATOMIC, st, &accepted));
    CHECK(st[0] == IMS_BATCH_REFUSED && st[2] == IMS_UNKNOWN_ITEM && accepted == 0);
    CHECK(contains(ims_last_error_json(), "\"index\":2"));
    OK(ims_engine_seq(e, &seq1));
    CHECK(seq1 == seq0);
    /* Independent: three recorded, one refused. */
    OK(ims_sell_batch(e, lines, 4, IMS_BATCH_INDEPENDENT, st, &accepted));
    CHECK(st[0] == IMS_OK && st[1] == IMS_OK && st[2] == IMS_UNKNOWN_ITEM && st[3] == IMS_OK && accepted == 3);
    ims_stock s;
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &s));
    CHECK(s.on_hand.units == 10 - 1 - 2 + 1);
    /* Atomic and valid: one envelope, every line recorded. */
    st[0] = st[1] = IMS_INTERNAL;
    OK(ims_sell_batch(e, lines, 2, IMS_BATCH_ATOMIC, st, &accepted));
    CHECK(st[0] == IMS_OK && st[1] == IMS_OK && accepted == 2);
    OK(ims_engine_seq(e, &seq1));
    CHECK(seq1 == seq0 + 3 + 1);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1/TILL"), &s));
    CHECK(s.on_hand.units == 10 - 1 - 2 + 1 - 1 - 2);
    EXPECT(IMS_INVALID_COMMAND, ims_sell_batch(e, lines, 2, 7, NULL, NULL));
    OK(ims_sell_batch(e, NULL, 0, IMS_BATCH_INDEPENDENT, NULL, &accepted));
    CHECK(accepted == 0);

    /* JSON batches. */
    char *out = NULL;
    const char *two = "[{\"type\":\"sell\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"1\"},"
                      "{\"type\":\"sell\",\"item\":\"GONE\",\"location\":\"S1/TILL\",\"qty\":\"1\"}]";
    OK(ims_execute_batch_json(e, IMS_S(two), IMS_BATCH_INDEPENDENT, &out, NULL));
    CHECK(contains(out, "\"ok\":true") && contains(out, "\"name\":\"UNKNOWN_ITEM\""));
    OK(ims_string_free(out));
    EXPECT(IMS_BATCH_REFUSED, ims_execute_batch_json(e, IMS_S(two), IMS_BATCH_ATOMIC, &out, NULL));
    EXPECT(IMS_INVALID_COMMAND, ims_execute_batch_json(e, IMS_S("[{\"type\":\"nope\"}]"), IMS_BATCH_ATOMIC, &out, NULL));
    OK(ims_execute_batch_json(e, IMS_S(two), IMS_BATCH_INDEPENDENT, NULL, NULL));
    OK(ims_engine_free(e));
}

static void test_json_queries_and_clock(void) {
    ims_engine *e = store();
    char *out = NULL;
    size_t len = 0;
    OK(ims_execute_json(e,
                        IMS_S("{\"type\":\"reserve\",\"reservation\":\"WEB-1\",\"item\":\"SODA\",\"qty\":\"4\","
                              "\"scope\":\"S1\",\"ttl_ms\":60000,\"occurred_at\":1795852800000}"),
                        &out, &len));
    CHECK(len == strlen(out) && contains(out, "\"type\":\"reservation_created\"") && contains(out, "\"seq\":14"));
    OK(ims_string_free(out));
    OK(ims_query_json(e, IMS_S("{\"kind\":\"availability\",\"item\":\"SODA\",\"scope\":\"S1\"}"), &out, NULL));
    CHECK(contains(out, "\"available\":\"30\"") && contains(out, "\"reserved\":\"4\""));
    OK(ims_string_free(out));
    ims_stock st;
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1"), &st));
    CHECK(st.reserved.units == 4 && st.available.units == 30);
    /* The clock: the hold expires after its TTL. */
    int64_t now = 0;
    OK(ims_engine_now(e, &now));
    CHECK(now == T0);
    OK(ims_engine_advance_to(e, T0 + 120000, &out, &len));
    CHECK(contains(out, "\"expired\""));
    OK(ims_string_free(out));
    OK(ims_engine_advance_to(e, T0 + 180000, NULL, NULL));
    OK(ims_engine_now(e, &now));
    CHECK(now == T0 + 180000);
    OK(ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1"), &st));
    CHECK(st.reserved.units == 0);
    /* An operations query through the same entry. */
    OK(ims_query_json(e, IMS_S("{\"kind\":\"resolve_barcode\",\"barcode\":\"036000291452\"}"), &out, NULL));
    CHECK(contains(out, "\"unit\":\"case\""));
    OK(ims_string_free(out));
    EXPECT(IMS_INVALID_COMMAND, ims_query_json(e, IMS_S("{\"kind\":\"no_such_query\"}"), &out, NULL));
    EXPECT(IMS_UNKNOWN_ITEM, ims_query_json(e, IMS_S("{\"kind\":\"balances\",\"item\":\"X\"}"), &out, NULL));
    OK(ims_engine_verify(e, &out));
    CHECK(strcmp(out, "[]") == 0);
    OK(ims_string_free(out));
    OK(ims_engine_free(e));
}

static void test_snapshot_fork_digests(void) {
    ims_engine *e = store();
    uint8_t *snap = NULL;
    size_t snap_len = 0;
    OK(ims_engine_snapshot(e, &snap, &snap_len));
    CHECK(snap != NULL && snap_len > 100);
    ims_engine *r = NULL;
    OK(ims_engine_restore(snap, snap_len, &r));
    OK(ims_bytes_free(snap));
    char *d1 = NULL, *d2 = NULL, *j1 = NULL;
    OK(ims_engine_state_digest(e, &d1));
    OK(ims_engine_state_digest(r, &d2));
    CHECK(strlen(d1) == 64 && strcmp(d1, d2) == 0);
    OK(ims_engine_journal_digest(e, &j1));
    CHECK(strlen(j1) == 64 && strcmp(j1, d1) != 0);
    OK(ims_string_free(d2));
    /* A fork is independent: selling on it leaves the original alone. */
    ims_engine *f = NULL;
    OK(ims_engine_fork(e, &f));
    ims_sale s = sale("SODA", "S1/TILL", 3, 0);
    OK(ims_sell(f, &s, NULL));
    OK(ims_engine_state_digest(e, &d2));
    CHECK(strcmp(d1, d2) == 0);
    OK(ims_string_free(d2));
    OK(ims_engine_state_digest(f, &d2));
    CHECK(strcmp(d1, d2) != 0);
    OK(ims_string_free(d2));
    uint64_t seq = 0;
    OK(ims_engine_seq(e, &seq));
    CHECK(seq == 13);
    OK(ims_engine_checkpoint(e));
    OK(ims_string_free(d1));
    OK(ims_string_free(j1));
    OK(ims_engine_free(f));
    OK(ims_engine_free(r));
    OK(ims_engine_free(e));
    OK(ims_engine_free(NULL));
}

int main(void) {
    test_status_and_version();
    test_lookup_and_typed_sales();
    test_barcode();
    test_batches();
    test_json_queries_and_clock();
    test_snapshot_fork_digests();
    return check_report("test_api");
}
