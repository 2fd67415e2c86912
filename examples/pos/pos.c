/* A small till on ims, in C99.
 *
 *   pos STORE.snap
 *
 * The store's back office (the authority engine) starts from the snapshot
 * STORE.snap — made here on the first run, from a demo catalogue — and the
 * till runs as an edge replica of it: it sells by barcode, takes a return,
 * loses the network and keeps selling, then syncs and prints the conflict
 * report (the web shop sold the same last units meanwhile). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define T0 1795852800000LL /* 2026-11-28 09:00 store time is T0 + 9h */
#define MINUTE 60000LL

static void check(ims_status s, const char *what) {
    if (s != IMS_OK) {
        fprintf(stderr, "pos: %s: %s (%s)\n", what, ims_last_error_message(), ims_status_name(s));
        exit(1);
    }
}

/* The demo store: a site with a shelf, three items with barcodes. */
static ims_engine *demo_store(void) {
    const char *cmds[] = {
        "{\"type\":\"define_location\",\"location\":\"STORE\",\"kind\":\"site\",\"occurred_at\":1795852800000}",
        "{\"type\":\"define_location\",\"location\":\"STORE/SHELF\",\"kind\":\"storage\",\"parent\":\"STORE\"}",
        "{\"type\":\"define_item\",\"item\":\"COLA-33CL\",\"units\":[{\"unit\":\"six-pack\",\"factor\":\"6\"}]}",
        "{\"type\":\"define_item\",\"item\":\"CHOC-100G\"}",
        "{\"type\":\"define_item\",\"item\":\"COFFEE-1KG\"}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"4006381333931\",\"item\":\"COLA-33CL\"}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"14006381333938\",\"item\":\"COLA-33CL\",\"unit\":\"six-pack\"}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"036000291452\",\"item\":\"CHOC-100G\"}",
        "{\"type\":\"assign_barcode\",\"barcode\":\"96385074\",\"item\":\"COFFEE-1KG\"}",
        "{\"type\":\"receive\",\"item\":\"COLA-33CL\",\"location\":\"STORE/SHELF\",\"qty\":\"24\"}",
        "{\"type\":\"receive\",\"item\":\"CHOC-100G\",\"location\":\"STORE/SHELF\",\"qty\":\"10\"}",
        "{\"type\":\"receive\",\"item\":\"COFFEE-1KG\",\"location\":\"STORE/SHELF\",\"qty\":\"3\"}",
    };
    ims_engine *e = NULL;
    check(ims_engine_new(&e), "new engine");
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) check(ims_execute_json(e, IMS_S(cmds[i]), NULL, NULL), cmds[i]);
    return e;
}

/* The back office from the snapshot file, or a new demo store saved there. */
static ims_engine *back_office(const char *path) {
    ims_engine *e = NULL;
    FILE *f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
        size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
        fclose(f);
        check(ims_engine_restore(buf, got, &e), "restore the snapshot");
        free(buf);
        printf("back office: loaded %s (%ld bytes)\n", path, n);
        return e;
    }
    e = demo_store();
    uint8_t *snap = NULL;
    size_t len = 0;
    check(ims_engine_snapshot(e, &snap, &len), "snapshot");
    f = fopen(path, "wb");
    if (!f || fwrite(snap, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
    check(ims_bytes_free(snap), "free");
    printf("back office: new demo store, saved to %s (%zu bytes)\n", path, len);
    return e;
}

static int receipt_line = 0;

/* Scans a barcode and sells `qty` of what it stands for. */
static void scan(ims_replica *till, const char *barcode, int64_t qty, const char *receipt, int64_t at) {
    char *item = NULL, *unit = NULL;
    check(ims_replica_resolve_barcode(till, IMS_S(barcode), &item, &unit), barcode);
    char key[64];
    snprintf(key, sizeof key, "till-1/%s/%d", receipt, ++receipt_line);
    ims_sale s;
    memset(&s, 0, sizeof s);
    s.item = IMS_S(item);
    s.location = IMS_S("STORE/SHELF");
    s.qty.units = qty;
    s.unit = unit ? IMS_S(unit) : IMS_NONE;
    s.reference = IMS_S(receipt);
    s.client_key = IMS_S(key);
    s.occurred_at_ms = at;
    ims_sale_outcome o;
    check(ims_replica_sell(till, &s, &o), "sell");
    ims_stock st;
    check(ims_replica_stock_lookup(till, IMS_S(item), IMS_S("STORE"), &st), "lookup");
    printf("  %-14s %3lld %-9s  left on the till's view: %lld\n", item, (long long)qty, unit ? unit : "each",
           (long long)st.on_hand.units);
    ims_string_free(item);
    ims_string_free(unit);
}

/* One sync round trip; prints the report's conflicts. */
static void sync_now(ims_engine *office, ims_replica *till) {
    uint8_t *req = NULL, *resp = NULL;
    size_t req_len = 0, resp_len = 0;
    char *report = NULL;
    check(ims_replica_sync_request(till, &req, &req_len), "sync request");
    check(ims_engine_sync(office, req, req_len, 0, &resp, &resp_len), "sync at the back office");
    check(ims_replica_receive(till, resp, resp_len, &report, NULL), "sync answer");
    printf("  sync: %zu bytes up, %zu bytes down\n  report: %s\n", req_len, resp_len, report);
    if (strstr(report, "\"conflicts\":[]") == NULL)
        printf("  CONFLICTS: the till sold stock the back office no longer had; the shelf is flagged for a count\n");
    ims_bytes_free(req);
    ims_bytes_free(resp);
    ims_string_free(report);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: pos STORE.snap\n");
        return 2;
    }
    printf("ims %s\n", ims_version());
    ims_engine *office = back_office(argv[1]);
    uint8_t *snap = NULL;
    size_t len = 0;
    ims_replica *till = NULL;
    check(ims_engine_snapshot(office, &snap, &len), "snapshot for the till");
    check(ims_replica_new(IMS_S("till-1"), snap, len, IMS_NONE, 0, 0, &till), "start the till");
    ims_bytes_free(snap);

    printf("\nreceipt R-1 (online)\n");
    scan(till, "4006381333931", 2, "R-1", T0 + 9 * 60 * MINUTE);
    scan(till, "14006381333938", 1, "R-1", T0 + 9 * 60 * MINUTE + 10000);
    scan(till, "96385074", 1, "R-1", T0 + 9 * 60 * MINUTE + 20000);
    sync_now(office, till);

    printf("\nreturn against R-1: one cola\n");
    ims_sale ret;
    memset(&ret, 0, sizeof ret);
    ret.item = IMS_S("COLA-33CL");
    ret.location = IMS_S("STORE/SHELF");
    ret.qty.units = 1;
    ret.reference = IMS_S("R-1");
    ret.client_key = IMS_S("till-1/R-1/return-1");
    ret.occurred_at_ms = T0 + 10 * 60 * MINUTE;
    check(ims_replica_return(till, &ret, NULL), "return");
    sync_now(office, till);

    printf("\nthe network is down; the till keeps selling\n");
    scan(till, "96385074", 2, "R-2", T0 + 11 * 60 * MINUTE);
    scan(till, "036000291452", 3, "R-2", T0 + 11 * 60 * MINUTE + 5000);
    size_t pending = 0;
    check(ims_replica_status(till, NULL, &pending, NULL), "status");
    printf("  queued for the back office: %zu lines\n", pending);

    printf("\nmeanwhile the web shop sells the last coffee at the back office\n");
    check(ims_execute_json(office,
                           IMS_S("{\"type\":\"sell\",\"item\":\"COFFEE-1KG\",\"location\":\"STORE/SHELF\",\"qty\":\"1\","
                                 "\"reference\":\"WEB-77\",\"occurred_at\":1795895000000}"),
                           NULL, NULL),
          "web sale");

    printf("\nthe network is back\n");
    sync_now(office, till);
    ims_stock st;
    check(ims_stock_lookup(office, IMS_S("COFFEE-1KG"), IMS_S("STORE"), &st), "lookup");
    printf("  back office coffee on hand: %lld (oversold by %lld)\n", (long long)st.on_hand.units,
           (long long)(st.on_hand.units < 0 ? -st.on_hand.units : 0));
    char *d1 = NULL, *d2 = NULL;
    check(ims_replica_slice_digest(till, &d1), "digest");
    check(ims_engine_slice_digest(office, IMS_NONE, &d2), "digest");
    printf("  till and back office level: %s\n", strcmp(d1, d2) == 0 ? "yes" : "NO");
    int level = strcmp(d1, d2) == 0;
    ims_string_free(d1);
    ims_string_free(d2);
    check(ims_replica_free(till), "free the till");
    check(ims_engine_free(office), "free the back office");
    return level ? 0 : 1;
}
