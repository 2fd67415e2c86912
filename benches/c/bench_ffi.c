/* Benchmarks of the C door (scripts/bench-ffi; figures in BENCHMARKS.md):
 *   - a stock lookup through the C ABI (ims_stock_lookup), ns per call;
 *   - 1M till sales through the typed batch entry (ims_sell_batch), in
 *     batches of 100000, independent and atomic, sales per second.
 * Wall-clock on CLOCK_MONOTONIC; each figure is the best of 5 runs. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims.h"

#define ITEMS 10000
/* Overridable from the command line (bench_ffi LOOKUPS SALES) for a quick run. */
static long LOOKUPS = 2000000;
static long SALES = 1000000;
#define BATCH 100000

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void must(ims_status s, const char *what) {
    if (s != IMS_OK) {
        fprintf(stderr, "%s: %s\n", what, ims_last_error_message());
        exit(1);
    }
}

static char codes[ITEMS][16];

static ims_engine *store(void) {
    ims_engine *e = NULL;
    must(ims_engine_new(&e), "new");
    must(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}"), NULL, NULL), "site");
    must(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1/TILL\",\"kind\":\"storage\",\"parent\":\"S1\"}"), NULL, NULL), "loc");
    must(ims_execute_json(e, IMS_S("{\"type\":\"define_location\",\"location\":\"S1/BACK\",\"kind\":\"storage\",\"parent\":\"S1\"}"), NULL, NULL), "loc");
    char cmd[256];
    for (int i = 0; i < ITEMS; i++) {
        snprintf(codes[i], sizeof codes[i], "SKU-%05d", i);
        snprintf(cmd, sizeof cmd, "{\"type\":\"define_item\",\"item\":\"%.15s\"}", codes[i]);
        must(ims_execute_json(e, IMS_S(cmd), NULL, NULL), "item");
        snprintf(cmd, sizeof cmd, "{\"type\":\"receive\",\"item\":\"%.15s\",\"location\":\"S1/TILL\",\"qty\":\"1000000\"}", codes[i]);
        must(ims_execute_json(e, IMS_S(cmd), NULL, NULL), "receive");
        snprintf(cmd, sizeof cmd, "{\"type\":\"receive\",\"item\":\"%.15s\",\"location\":\"S1/BACK\",\"qty\":\"50\"}", codes[i]);
        must(ims_execute_json(e, IMS_S(cmd), NULL, NULL), "receive");
    }
    return e;
}

/* `spread` distinct items, visited in a scattered order: 64 is a till's
 * popular lines (all in cache), ITEMS the whole catalogue (cache misses). */
static double lookups(ims_engine *e, const char *scope, long spread) {
    ims_str sc = IMS_S(scope);
    ims_stock st;
    int64_t sum = 0;
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        double t = now_s();
        for (long i = 0; i < LOOKUPS; i++) {
            const char *c = codes[(i * 7919) % spread];
            ims_str it = { (const uint8_t *)c, 9 };
            if (ims_stock_lookup(e, it, sc, &st) != IMS_OK) must(1, "lookup");
            sum += st.available.units;
        }
        double ns = (now_s() - t) * 1e9 / LOOKUPS;
        if (ns < best) best = ns;
    }
    if (sum == 42) printf("!");
    return best;
}

static double sales(uint32_t mode) {
    static ims_sale lines[BATCH];
    double best = 0;
    for (int run = 0; run < 5; run++) {
        ims_engine *e = store();
        double t = now_s();
        long n = SALES < BATCH ? SALES : BATCH;
        for (long b = 0; b < SALES / n; b++) {
            for (long i = 0; i < n; i++) {
                ims_sale *s = &lines[i];
                memset(s, 0, sizeof *s);
                s->item.ptr = (const uint8_t *)codes[(b * n + i) % ITEMS];
                s->item.len = 9;
                s->location = IMS_S("S1/TILL");
                s->qty.units = 1;
                s->occurred_at_ms = 1795852800000LL + b;
            }
            size_t ok = 0;
            must(ims_sell_batch(e, lines, (size_t)n, mode, NULL, &ok), "batch");
            if ((long)ok != n) { fprintf(stderr, "sales refused: %zu of %ld accepted\n", ok, n); exit(1); }
        }
        double rate = SALES / (now_s() - t);
        if (rate > best) best = rate;
        ims_engine_free(e);
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc > 1) LOOKUPS = atol(argv[1]);
    if (argc > 2) SALES = atol(argv[2]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    ims_engine *e = store();
    printf("store ready\n");
    printf("stock lookup, one location, 64 items:     %6.1f ns/call\n", lookups(e, "S1/TILL", 64));
    printf("stock lookup, one location, %d items:  %6.1f ns/call\n", ITEMS, lookups(e, "S1/TILL", ITEMS));
    printf("stock lookup, site (2 locs), 64 items:    %6.1f ns/call\n", lookups(e, "S1", 64));
    printf("stock lookup, site (2 locs), %d items: %6.1f ns/call\n", ITEMS, lookups(e, "S1", ITEMS));
    ims_engine_free(e);
    if (SALES <= 0) return 0;
    printf("%ld sales, typed batch, independent: %.2f M sales/s\n", SALES, sales(IMS_BATCH_INDEPENDENT) / 1e6);
    printf("%ld sales, typed batch, atomic:      %.2f M sales/s\n", SALES, sales(IMS_BATCH_ATOMIC) / 1e6);
    return 0;
}
