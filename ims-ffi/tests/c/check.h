/* Tiny test helpers for the C tests of ims (C99, no framework). */
#ifndef IMS_TEST_CHECK_H
#define IMS_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static int check_failures = 0;
static int check_count = 0;

/* A condition that must hold. */
#define CHECK(cond)                                                                     \
    do {                                                                                \
        check_count++;                                                                  \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);    \
            check_failures++;                                                           \
        }                                                                               \
    } while (0)

/* A call that must return `want`; on a mismatch, prints the last error. */
#define EXPECT(want, call)                                                              \
    do {                                                                                \
        ims_status got_ = (call);                                                       \
        check_count++;                                                                  \
        if (got_ != (want)) {                                                           \
            fprintf(stderr, "%s:%d: %s\n  returned %s (%d), want %s (%d): %s\n",        \
                    __FILE__, __LINE__, #call, ims_status_name(got_), got_,             \
                    ims_status_name(want), (want), ims_last_error_message());           \
            check_failures++;                                                           \
        }                                                                               \
    } while (0)

#define OK(call) EXPECT(IMS_OK, call)

/* A call that must succeed for the test to go on at all. */
#define MUST(call)                                                                      \
    do {                                                                                \
        ims_status got_ = (call);                                                       \
        if (got_ != IMS_OK) {                                                           \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #call,    \
                    ims_status_name(got_), ims_last_error_message());                   \
            exit(2);                                                                    \
        }                                                                               \
    } while (0)

/* Whether `haystack` contains `needle`. */
static inline int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

static inline int check_report(const char *name) {
    if (check_failures) {
        fprintf(stderr, "%s: %d of %d checks failed\n", name, check_failures, check_count);
        return 1;
    }
    printf("%s: %d checks passed\n", name, check_count);
    return 0;
}

#endif
