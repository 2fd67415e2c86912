/* Threads racing for the last units through one shared handle: never an
 * oversell, nothing lost, and the end state equals a serial replay of the
 * accepted commands in their seq order. Then a handle freed while other
 * threads still call it: they get IMS_INVALID_HANDLE, never a crash. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"

#define THREADS 8
#define STOCK 200
#define MAX_PER_THREAD 400

typedef struct {
    uint64_t seq;
    char json[192];
} accepted_cmd;

typedef struct {
    ims_engine *e;
    int id;
    int n;
    int refused;
    accepted_cmd got[MAX_PER_THREAD];
} worker;

static const char *SETUP[] = {
    "{\"type\":\"define_location\",\"location\":\"S1\",\"kind\":\"site\",\"occurred_at\":1795852800000}",
    "{\"type\":\"define_location\",\"location\":\"S1/A\",\"kind\":\"storage\",\"parent\":\"S1\"}",
    "{\"type\":\"define_location\",\"location\":\"S1/B\",\"kind\":\"storage\",\"parent\":\"S1\"}",
    "{\"type\":\"define_item\",\"item\":\"LAST\"}",
    "{\"type\":\"receive\",\"item\":\"LAST\",\"location\":\"S1/A\",\"qty\":\"120\"}",
    "{\"type\":\"receive\",\"item\":\"LAST\",\"location\":\"S1/B\",\"qty\":\"80\"}",
};

static ims_engine *fresh(void) {
    ims_engine *e = NULL;
    MUST(ims_engine_new(&e));
    for (size_t i = 0; i < sizeof SETUP / sizeof *SETUP; i++) MUST(ims_execute_json(e, IMS_S(SETUP[i]), NULL, NULL));
    return e;
}

/* Reserve one unit at a time (some threads two), looking the stock up
 * between tries, until the engine says there is nothing left. */
static void *race(void *arg) {
    worker *w = arg;
    ims_stock st;
    for (int i = 0; i < MAX_PER_THREAD; i++) {
        accepted_cmd *c = &w->got[w->n];
        int qty = 1 + (w->id % 2) * (i % 2);
        snprintf(c->json, sizeof c->json,
                 "{\"type\":\"reserve\",\"reservation\":\"R%d-%d\",\"item\":\"LAST\",\"qty\":\"%d\",\"scope\":\"S1\","
                 "\"occurred_at\":1795852800000}",
                 w->id, i, qty);
        char *out = NULL;
        ims_status s = ims_execute_json(w->e, IMS_S(c->json), &out, NULL);
        if (s == IMS_OK) {
            /* The outcome starts {"seq":N,... */
            c->seq = strtoull(strstr(out, "\"seq\":") + 6, NULL, 10);
            w->n++;
            ims_string_free(out);
        } else if (s == IMS_INSUFFICIENT_AVAILABLE) {
            w->refused++;
            if (qty == 1) break;
        } else {
            fprintf(stderr, "thread %d: %s: %s\n", w->id, ims_status_name(s), ims_last_error_message());
            w->refused = -1000000;
            break;
        }
        if (ims_stock_lookup(w->e, IMS_S("LAST"), IMS_S("S1"), &st) != IMS_OK || st.reserved.units > STOCK) {
            w->refused = -1000000;
            break;
        }
    }
    return NULL;
}

static int by_seq(const void *a, const void *b) {
    const accepted_cmd *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void test_race_for_the_last_units(void) {
    ims_engine *e = fresh();
    static worker w[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i].e = e;
        w[i].id = i;
        CHECK(pthread_create(&t[i], NULL, race, &w[i]) == 0);
    }
    int total_units = 0, total_cmds = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].refused >= 1);
        for (int k = 0; k < w[i].n; k++) total_units += strstr(w[i].got[k].json, "\"qty\":\"2\"") ? 2 : 1;
        total_cmds += w[i].n;
    }
    /* Every unit went to exactly one winner: no oversell, none left over. */
    CHECK(total_units == STOCK);
    ims_stock st;
    OK(ims_stock_lookup(e, IMS_S("LAST"), IMS_S("S1"), &st));
    CHECK(st.reserved.units == STOCK && st.available.units == 0);
    char *v = NULL;
    OK(ims_engine_verify(e, &v));
    CHECK(strcmp(v, "[]") == 0);
    ims_string_free(v);

    /* A serial replay of the accepted commands in seq order. */
    static accepted_cmd all[THREADS * MAX_PER_THREAD];
    int n = 0;
    for (int i = 0; i < THREADS; i++)
        for (int k = 0; k < w[i].n; k++) all[n++] = w[i].got[k];
    qsort(all, (size_t)n, sizeof *all, by_seq);
    ims_engine *serial = fresh();
    for (int i = 0; i < n; i++) {
        uint64_t seq = 0;
        OK(ims_execute_json(serial, IMS_S(all[i].json), NULL, NULL));
        OK(ims_engine_seq(serial, &seq));
        CHECK(seq == all[i].seq);
    }
    char *d1 = NULL, *d2 = NULL;
    OK(ims_engine_state_digest(e, &d1));
    OK(ims_engine_state_digest(serial, &d2));
    CHECK(strcmp(d1, d2) == 0);
    ims_string_free(d1);
    ims_string_free(d2);
    OK(ims_engine_journal_digest(e, &d1));
    OK(ims_engine_journal_digest(serial, &d2));
    CHECK(strcmp(d1, d2) == 0);
    ims_string_free(d1);
    ims_string_free(d2);
    printf("race: %d threads, %d reservations accepted for %d units, same digests as the serial replay\n", THREADS,
           total_cmds, total_units);
    OK(ims_engine_free(serial));
    OK(ims_engine_free(e));
}

typedef struct {
    ims_engine *e;
    long calls;
    int bad;
} looker;

static void *look_until_gone(void *arg) {
    looker *l = arg;
    ims_stock st;
    for (;;) {
        ims_status s = ims_stock_lookup(l->e, IMS_S("LAST"), IMS_S("S1/A"), &st);
        l->calls++;
        if (s == IMS_INVALID_HANDLE) return NULL;
        if (s != IMS_OK || st.on_hand.units != 120) {
            l->bad++;
            return NULL;
        }
    }
}

static void test_free_while_in_use(void) {
    ims_engine *e = fresh();
    looker l[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        l[i].e = e;
        l[i].calls = 0;
        l[i].bad = 0;
        CHECK(pthread_create(&t[i], NULL, look_until_gone, &l[i]) == 0);
    }
    /* Let them run a little, then pull the handle from under them. */
    ims_stock st;
    for (int i = 0; i < 2000; i++) OK(ims_stock_lookup(e, IMS_S("LAST"), IMS_S("S1/B"), &st));
    OK(ims_engine_free(e));
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(l[i].bad == 0 && l[i].calls > 0);
    }
}

int main(void) {
    test_race_for_the_last_units();
    test_free_while_in_use();
    return check_report("test_threads");
}
