/* The conformance scenarios through the C door. Reads the steps file made
 * by `cargo run -p ims-conformance --bin door -- steps ...` (one step per
 * line, tab-separated; format in conformance/src/door.rs), runs each step
 * through the ABI on a fresh engine per scenario, and prints what the door
 * returned, one JSON line per step; `door check` then compares that with
 * the scenarios' expectations and digests. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define MAX_REPLICAS 16

static ims_engine *authority;
static struct {
    char name[64];
    ims_replica *r;
} replicas[MAX_REPLICAS];
static int n_replicas;

static void die(const char *what) {
    fprintf(stderr, "test_conformance: %s: %s\n", what, ims_last_error_message());
    exit(2);
}

static ims_replica *replica(const char *name) {
    for (int i = 0; i < n_replicas; i++)
        if (strcmp(replicas[i].name, name) == 0) return replicas[i].r;
    fprintf(stderr, "test_conformance: no replica %s\n", name);
    exit(2);
}

static void refusal(ims_status s) { printf("{\"status\":%d,\"error\":%s}\n", s, ims_last_error_json()); }

static void print_digest_field(const char *key, char *hex) {
    printf("\"%s\":\"%s\"", key, hex);
    ims_string_free(hex);
}

/* (Each call below is made in its own statement before its output is
 * read: C leaves the order of evaluating arguments open.) */

/* A command or batch's result: the outcome and the journal digest after. */
static void outcome(ims_status s, char *out) {
    if (s != IMS_OK) {
        refusal(s);
        return;
    }
    char *d = NULL;
    if (ims_engine_journal_digest(authority, &d) != IMS_OK) die("journal digest");
    printf("{\"status\":0,\"outcome\":%s,", out);
    print_digest_field("journal_digest", d);
    printf("}\n");
    ims_string_free(out);
}

static void answer(ims_status s, char *out) {
    if (s != IMS_OK) {
        refusal(s);
        return;
    }
    printf("{\"status\":0,\"answer\":%s}\n", out);
    ims_string_free(out);
}

static void start_replica(char *name, char *slice, char *max_len, char *max_age) {
    uint8_t *snap = NULL;
    size_t len = 0;
    if (ims_engine_snapshot(authority, &snap, &len) != IMS_OK) die("snapshot");
    ims_str sl = strcmp(slice, "-") == 0 ? IMS_NONE : IMS_S(slice);
    ims_replica *r = NULL;
    ims_status s = ims_replica_new(IMS_S(name), snap, len, sl, (uint32_t)strtoul(max_len, NULL, 10),
                                   strtoll(max_age, NULL, 10), &r);
    ims_bytes_free(snap);
    if (s != IMS_OK) {
        refusal(s);
        return;
    }
    if (n_replicas == MAX_REPLICAS) die("too many replicas");
    snprintf(replicas[n_replicas].name, sizeof replicas[0].name, "%s", name);
    replicas[n_replicas++].r = r;
    uint64_t seq = 0;
    char *d = NULL;
    if (ims_replica_status(r, &seq, NULL, NULL) != IMS_OK || ims_replica_slice_digest(r, &d) != IMS_OK) die("replica");
    printf("{\"status\":0,\"seq\":%llu,", (unsigned long long)seq);
    print_digest_field("slice_digest", d);
    printf("}\n");
}

static void sync_replica(char *name, char *max_tail, char *lost) {
    ims_replica *r = replica(name);
    uint8_t *req = NULL, *resp = NULL;
    size_t req_len = 0, resp_len = 0;
    if (ims_replica_sync_request(r, &req, &req_len) != IMS_OK) die("sync request");
    ims_status s = ims_engine_sync(authority, req, req_len, strtoull(max_tail, NULL, 10), &resp, &resp_len);
    ims_bytes_free(req);
    if (s != IMS_OK) {
        refusal(s);
        return;
    }
    char *decoded = NULL, *report = NULL;
    if (ims_sync_response_json(resp, resp_len, &decoded, NULL) != IMS_OK) die("response json");
    if (strcmp(lost, "1") != 0) {
        s = ims_replica_receive(r, resp, resp_len, &report, NULL);
        if (s != IMS_OK) {
            ims_bytes_free(resp);
            ims_string_free(decoded);
            refusal(s);
            return;
        }
        if (strstr(report, "\"snapshot_required\":true")) {
            uint8_t *snap = NULL;
            size_t len = 0;
            if (ims_engine_snapshot(authority, &snap, &len) != IMS_OK || ims_replica_reset(r, snap, len) != IMS_OK)
                die("reset");
            ims_bytes_free(snap);
        }
    }
    ims_bytes_free(resp);
    uint64_t seq = 0, head = 0;
    size_t pending = 0;
    char *d = NULL;
    if (ims_replica_status(r, &seq, &pending, NULL) != IMS_OK || ims_engine_seq(authority, &head) != IMS_OK ||
        ims_replica_slice_digest(r, &d) != IMS_OK)
        die("replica status");
    printf("{\"status\":0,\"response\":%s,\"report\":%s,\"seq\":%llu,\"pending\":%llu,\"authority_seq\":%llu,", decoded,
           report ? report : "null", (unsigned long long)seq, (unsigned long long)pending, (unsigned long long)head);
    print_digest_field("slice_digest", d);
    printf("}\n");
    ims_string_free(decoded);
    ims_string_free(report);
}

static void end_scenario(void) {
    char *j = NULL, *s = NULL;
    if (ims_engine_journal_digest(authority, &j) != IMS_OK || ims_engine_state_digest(authority, &s) != IMS_OK)
        die("digests");
    printf("final\t{");
    print_digest_field("journal_digest", j);
    printf(",");
    print_digest_field("state_digest", s);
    printf("}\n");
    for (int i = 0; i < n_replicas; i++) ims_replica_free(replicas[i].r);
    n_replicas = 0;
    ims_engine_free(authority);
    authority = NULL;
}

int main(int argc, char **argv) {
    FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int scenarios = 0;
    while ((n = getline(&buf, &cap, in)) > 0) {
        if (buf[n - 1] == '\n') buf[n - 1] = 0;
        char *f[6] = { 0 };
        int k = 0;
        for (char *p = buf; k < 6;) {
            f[k++] = p;
            p = strchr(p, '\t');
            if (!p) break;
            *p++ = 0;
        }
        char *out = NULL;
        if (strcmp(f[0], "scenario") == 0) {
            printf("scenario\t%s\n", f[1]);
            if (ims_engine_new(&authority) != IMS_OK) die("new");
            scenarios++;
        } else if (strcmp(f[0], "end") == 0) {
            end_scenario();
        } else if (strcmp(f[0], "command") == 0) {
            ims_status s = ims_execute_json(authority, IMS_S(f[1]), &out, NULL);
            outcome(s, out);
        } else if (strcmp(f[0], "batch") == 0) {
            uint32_t mode = strcmp(f[1], "atomic") == 0 ? IMS_BATCH_ATOMIC : IMS_BATCH_INDEPENDENT;
            ims_status s = ims_execute_batch_json(authority, IMS_S(f[2]), mode, &out, NULL);
            outcome(s, out);
        } else if (strcmp(f[0], "query") == 0) {
            ims_status s = ims_query_json(authority, IMS_S(f[1]), &out, NULL);
            answer(s, out);
        } else if (strcmp(f[0], "replica_command") == 0) {
            ims_status s = ims_replica_execute_json(replica(f[1]), IMS_S(f[2]), &out, NULL);
            if (s == IMS_OK) printf("{\"status\":0,\"outcome\":%s}\n", out);
            else refusal(s);
            ims_string_free(out);
        } else if (strcmp(f[0], "replica_query") == 0) {
            ims_status s = ims_replica_query_json(replica(f[1]), IMS_S(f[2]), &out, NULL);
            answer(s, out);
        } else if (strcmp(f[0], "start_replica") == 0) {
            start_replica(f[1], f[2], f[3], f[4]);
        } else if (strcmp(f[0], "sync") == 0) {
            sync_replica(f[1], f[2], f[3]);
        } else {
            fprintf(stderr, "test_conformance: unknown step %s\n", f[0]);
            return 2;
        }
    }
    free(buf);
    if (in != stdin) fclose(in);
    fprintf(stderr, "test_conformance: %d scenarios run through the C door\n", scenarios);
    return scenarios > 0 ? 0 : 1;
}
