/* Every error path of the C door: NULL pointers, invalid UTF-8, lengths
 * that lie, enormous inputs, freed / stale / foreign handles, pointers
 * that are not ours, malformed JSON and snapshots, refused commands — each
 * a specific status, the engine unchanged afterwards. Plus durability:
 * what was acknowledged survives closing and reopening the journal. */
#define _XOPEN_SOURCE 700 /* mkdtemp, mkstemp */
#include <stdint.h>
#include <unistd.h>

#include "check.h"

static ims_engine *engine_with_soda(void) {
    ims_engine *e = NULL;
    MUST(ims_engine_new(&e));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1/TILL\",\"kind\":\"storage\",\"parent\":\"S1\"}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_item\",\"item\":\"SODA\"}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"receive\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"5\"}"), NULL, NULL));
    return e;
}

/* The state digest, as a static copy (freed at once). */
static const char *digest(ims_engine *e) {
    static char buf[2][65];
    static int which = 0;
    char *d = NULL;
    MUST(ims_engine_state_digest(e, &d));
    which ^= 1;
    memcpy(buf[which], d, 65);
    MUST(ims_string_free(d));
    return buf[which];
}

static void test_null_pointers(void) {
    ims_engine *e = engine_with_soda();
    const char *before = digest(e);
    ims_stock st;
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_new(NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1"), NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_stock_lookup(e, IMS_NONE, IMS_S("S1"), &st));
    CHECK(contains(ims_last_error_message(), "item is NULL"));
    CHECK(contains(ims_last_error_json(), "\"name\":\"NULL_ARGUMENT\"") && contains(ims_last_error_json(), "\"code\":114"));
    EXPECT(IMS_NULL_ARGUMENT, ims_sell(e, NULL, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_execute_json(e, IMS_NONE, NULL, NULL));
    ims_str lying = { NULL, 5 };
    EXPECT(IMS_NULL_ARGUMENT, ims_execute_json(e, lying, NULL, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_query_json(e, IMS_S("{\"kind\":\"count_flags\"}"), NULL, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_snapshot(e, NULL, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_seq(e, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_now(e, NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_restore(NULL, 10, &e));
    EXPECT(IMS_NULL_ARGUMENT, ims_qty_parse(IMS_S("1"), NULL));
    EXPECT(IMS_NULL_ARGUMENT, ims_resolve_barcode(e, IMS_S("4006381333931"), NULL, NULL));
    /* A refused output is checked before any work: the sale did not post. */
    uint64_t words[2];
    const char *sale = "[{\"type\":\"sell\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"1\"}]";
    EXPECT(IMS_NULL_ARGUMENT, ims_execute_batch_json(e, IMS_S(sale), IMS_BATCH_ATOMIC, NULL, (size_t *)((char *)words + 1)));
    CHECK(strcmp(before, digest(e)) == 0);
    /* Misaligned output. */
    EXPECT(IMS_NULL_ARGUMENT, ims_engine_seq(e, (uint64_t *)((char *)words + 1)));
    CHECK(contains(ims_last_error_message(), "misaligned"));
    OK(ims_engine_free(e));
}

static void test_text_and_lengths(void) {
    ims_engine *e = engine_with_soda();
    const char *before = digest(e);
    ims_stock st;
    const uint8_t bad[] = { 'S', 'O', 0xC3, 0x28 }; /* an invalid two-byte sequence */
    ims_str bad_item = { bad, sizeof bad };
    EXPECT(IMS_INVALID_UTF8, ims_stock_lookup(e, bad_item, IMS_S("S1"), &st));
    CHECK(contains(ims_last_error_json(), "\"at\":2"));
    ims_sale s;
    memset(&s, 0, sizeof s);
    s.item = IMS_S("SODA");
    s.location = IMS_S("S1/TILL");
    s.qty.units = 1;
    s.reference = bad_item;
    EXPECT(IMS_INVALID_UTF8, ims_sell(e, &s, NULL));
    s.reference = IMS_NONE;
    /* Lengths that lie: beyond IMS_MAX_INPUT, up to SIZE_MAX. */
    ims_str huge = { (const uint8_t *)"SODA", (size_t)IMS_MAX_INPUT + 1 };
    EXPECT(IMS_LIMIT_EXCEEDED, ims_stock_lookup(e, huge, IMS_S("S1"), &st));
    huge.len = SIZE_MAX;
    EXPECT(IMS_LIMIT_EXCEEDED, ims_execute_json(e, huge, NULL, NULL));
    EXPECT(IMS_LIMIT_EXCEEDED, ims_engine_restore((const uint8_t *)"x", SIZE_MAX, &e));
    EXPECT(IMS_LIMIT_EXCEEDED, ims_sell_batch(e, &s, 100001, IMS_BATCH_INDEPENDENT, NULL, NULL));
    EXPECT(IMS_LIMIT_EXCEEDED, ims_sell_batch(e, &s, SIZE_MAX, IMS_BATCH_INDEPENDENT, NULL, NULL));
    /* A length shorter than the text: the JSON is cut and refused. */
    const char *cmd = "{\"type\":\"sell\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"1\"}";
    ims_str cut = { (const uint8_t *)cmd, 20 };
    EXPECT(IMS_INVALID_COMMAND, ims_execute_json(e, cut, NULL, NULL));
    /* Codes the engine refuses. */
    EXPECT(IMS_INVALID_CODE, ims_stock_lookup(e, IMS_S(""), IMS_S("S1"), &st));
    EXPECT(IMS_UNKNOWN_ITEM, ims_stock_lookup(e, IMS_S("COLA"), IMS_S("S1"), &st));
    EXPECT(IMS_UNKNOWN_LOCATION, ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S9"), &st));
    /* Quantities. */
    s.qty.units = 0;
    EXPECT(IMS_INVALID_QUANTITY, ims_sell(e, &s, NULL));
    s.qty.units = -3;
    EXPECT(IMS_INVALID_QUANTITY, ims_sell(e, &s, NULL));
    s.qty.units = 1;
    s.qty.scale = 29;
    EXPECT(IMS_INVALID_COMMAND, ims_sell(e, &s, NULL));
    s.qty.scale = 0;
    s.unit = IMS_S("pallet");
    EXPECT(IMS_UNKNOWN_UNIT, ims_sell(e, &s, NULL));
    s.unit = IMS_NONE;
    s.kind = 9;
    EXPECT(IMS_INVALID_COMMAND, ims_sell_batch(e, &s, 1, IMS_BATCH_INDEPENDENT, NULL, NULL));
    ims_qty q;
    EXPECT(IMS_INVALID_COMMAND, ims_qty_parse(IMS_S("1e3"), &q));
    EXPECT(IMS_INVALID_COMMAND, ims_qty_parse(IMS_S(" 1"), &q));
    EXPECT(IMS_INVALID_COMMAND, ims_qty_parse(IMS_S(""), &q));
    EXPECT(IMS_INVALID_COMMAND, ims_qty_parse(IMS_S("NaN"), &q));
    EXPECT(IMS_QUANTITY_OVERFLOW, ims_qty_parse(IMS_S("99999999999999999999"), &q));
    OK(ims_qty_parse(IMS_S("-0.250"), &q));
    CHECK(q.units == -250 && q.scale == 3);
    ims_qty wide = { 1, 40 };
    char *t = NULL;
    EXPECT(IMS_INVALID_COMMAND, ims_qty_format(wide, &t, NULL));
    /* JSON that is not a command. */
    EXPECT(IMS_INVALID_COMMAND, ims_execute_json(e, IMS_S("{\"type\":\"sell\""), NULL, NULL));
    EXPECT(IMS_INVALID_COMMAND, ims_execute_json(e, IMS_S("[1,2]"), NULL, NULL));
    EXPECT(IMS_INVALID_COMMAND, ims_execute_json(e, IMS_S("{\"type\":\"sell\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":1.5}"), NULL, NULL));
    CHECK(strcmp(before, digest(e)) == 0);
    OK(ims_engine_free(e));
}

static void test_handles(void) {
    ims_engine *e = engine_with_soda();
    ims_stock st;
    uint64_t seq;
    EXPECT(IMS_INVALID_HANDLE, ims_engine_seq(NULL, &seq));
    CHECK(contains(ims_last_error_message(), "NULL"));
    /* A foreign pointer: an address on our stack. */
    int local = 0;
    EXPECT(IMS_INVALID_HANDLE, ims_engine_seq((ims_engine *)&local, &seq));
    EXPECT(IMS_INVALID_HANDLE, ims_engine_free((ims_engine *)&local));
    /* A replica handle is not an engine. */
    uint8_t *snap = NULL;
    size_t len = 0;
    OK(ims_engine_snapshot(e, &snap, &len));
    ims_replica *r = NULL;
    OK(ims_replica_new(IMS_S("till-1"), snap, len, IMS_NONE, 0, 0, &r));
    EXPECT(IMS_INVALID_HANDLE, ims_engine_seq((ims_engine *)r, &seq));
    EXPECT(IMS_INVALID_HANDLE, ims_replica_status((ims_replica *)e, NULL, NULL, NULL));
    OK(ims_replica_free(r));
    EXPECT(IMS_INVALID_HANDLE, ims_replica_free(r));
    /* Freed, then stale once the slot is reused. */
    OK(ims_engine_free(e));
    EXPECT(IMS_INVALID_HANDLE, ims_stock_lookup(e, IMS_S("SODA"), IMS_S("S1"), &st));
    EXPECT(IMS_INVALID_HANDLE, ims_engine_free(e));
    ims_engine *e2 = NULL;
    OK(ims_engine_restore(snap, len, &e2));
    CHECK(e2 != e);
    EXPECT(IMS_INVALID_HANDLE, ims_engine_seq(e, &seq));
    OK(ims_engine_seq(e2, &seq));
    CHECK(seq == 4);
    OK(ims_engine_free(e2));
    OK(ims_replica_free(NULL));
    /* Buffers: ours only, each kind by its own free function. */
    struct { uint64_t pad[2]; uint8_t body[8]; } fake;
    memset(&fake, 0, sizeof fake);
    EXPECT(IMS_INVALID_HANDLE, ims_bytes_free(fake.body));
    EXPECT(IMS_INVALID_HANDLE, ims_string_free((char *)snap));
    OK(ims_bytes_free(snap));
    OK(ims_bytes_free(NULL));
    OK(ims_string_free(NULL));
}

static void test_snapshots(void) {
    ims_engine *e = engine_with_soda(), *r = NULL;
    uint8_t *snap = NULL;
    size_t len = 0;
    OK(ims_engine_snapshot(e, &snap, &len));
    EXPECT(IMS_INVALID_SNAPSHOT, ims_engine_restore(snap, len / 2, &r));
    CHECK(r == NULL);
    uint8_t garbage[64];
    for (size_t i = 0; i < sizeof garbage; i++) garbage[i] = (uint8_t)(i * 37 + 11);
    EXPECT(IMS_INVALID_SNAPSHOT, ims_engine_restore(garbage, sizeof garbage, &r));
    EXPECT(IMS_INVALID_SNAPSHOT, ims_engine_restore(NULL, 0, &r));
    EXPECT(IMS_INVALID_SNAPSHOT, ims_replica_new(IMS_S("t"), garbage, sizeof garbage, IMS_NONE, 0, 0, (ims_replica **)&r));
    OK(ims_bytes_free(snap));
    OK(ims_engine_free(e));
}

static void test_durable(void) {
    char dir[] = "/tmp/ims-ffi-journal-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    ims_engine *e = NULL, *second = NULL;
    ims_recovery rec;
    EXPECT(IMS_INVALID_COMMAND, ims_engine_open(IMS_S(dir), 9, NULL, &e));
    OK(ims_engine_open(IMS_S(dir), IMS_DURABILITY_EVERY_COMMIT, &rec, &e));
    CHECK(rec.seq == 0 && rec.replayed == 0);
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1/TILL\",\"kind\":\"storage\",\"parent\":\"S1\"}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"define_item\",\"item\":\"SODA\"}"), NULL, NULL));
    MUST(ims_execute_json(e, IMS_S("{\"type\":\"receive\",\"item\":\"SODA\",\"location\":\"S1/TILL\",\"qty\":\"5\"}"), NULL, NULL));
    ims_sale s;
    memset(&s, 0, sizeof s);
    s.item = IMS_S("SODA");
    s.location = IMS_S("S1/TILL");
    s.qty.units = 2;
    s.client_key = IMS_S("till-1/7");
    OK(ims_sell(e, &s, NULL));
    /* The directory is held by one writer. */
    EXPECT(IMS_STORAGE, ims_engine_open(IMS_S(dir), IMS_DURABILITY_EVERY_COMMIT, NULL, &second));
    CHECK(second == NULL);
    char *before = NULL;
    OK(ims_engine_state_digest(e, &before));
    OK(ims_engine_free(e));
    /* Back after the "power loss": every acknowledged sale is there. */
    OK(ims_engine_open(IMS_S(dir), IMS_DURABILITY_NEVER, &rec, &e));
    CHECK(rec.seq == 5 && rec.replayed == 5 && rec.truncated_bytes == 0);
    char *after = NULL;
    OK(ims_engine_state_digest(e, &after));
    CHECK(strcmp(before, after) == 0);
    ims_sale_outcome o;
    OK(ims_sell(e, &s, &o));
    CHECK(o.exists && o.seq == 5);
    OK(ims_engine_checkpoint(e));
    OK(ims_engine_free(e));
    OK(ims_engine_open(IMS_S(dir), IMS_DURABILITY_EVERY_100, &rec, &e));
    CHECK(rec.snapshot_seq == 5 && rec.replayed == 0);
    OK(ims_engine_free(e));
    OK(ims_string_free(before));
    OK(ims_string_free(after));
    /* A file where a directory should be. */
    char file[] = "/tmp/ims-ffi-file-XXXXXX";
    int fd = mkstemp(file);
    CHECK(fd >= 0);
    close(fd);
    EXPECT(IMS_STORAGE, ims_engine_open(IMS_S(file), IMS_DURABILITY_NEVER, NULL, &e));
    CHECK(contains(ims_last_error_message(), file));
    unlink(file);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

int main(void) {
    test_null_pointers();
    test_text_and_lengths();
    test_handles();
    test_snapshots();
    test_durable();
    return check_report("test_errors");
}
