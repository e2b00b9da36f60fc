/*
 * check.h: a tiny assertion helper for the libovo C tests.
 *
 * Every CHECK_* counts one pass or one failure; failures are printed with file:line.
 * Counting is thread-safe (callbacks run on library threads). check_summary() prints the
 * final "N passed, N failed" line and returns the process exit status.
 *
 * Include this first in exactly one translation unit per test program.
 */
#ifndef OVO_TEST_CHECK_H
#define OVO_TEST_CHECK_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define CHECK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CHECK_PRINTF(f, a)
#endif

static pthread_mutex_t check_lock_ = PTHREAD_MUTEX_INITIALIZER;
static unsigned long check_passed_ = 0;
static unsigned long check_failed_ = 0;

/* Records one check; prints "file:line: FAIL: ..." when it failed. Returns ok. */
static inline int check_record(int ok, const char *file, int line, const char *fmt, ...)
    CHECK_PRINTF(4, 5);
static inline int check_record(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&check_lock_);
    if (ok) {
        check_passed_++;
    } else {
        check_failed_++;
        fprintf(stderr, "%s:%d: FAIL: ", file, line);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        fflush(stderr);
    }
    pthread_mutex_unlock(&check_lock_);
    return ok;
}

static inline unsigned long check_failures(void)
{
    unsigned long n;
    pthread_mutex_lock(&check_lock_);
    n = check_failed_;
    pthread_mutex_unlock(&check_lock_);
    return n;
}

/* Adds another process's counts (a child's "N passed, N failed" line) to this program's. */
static inline void check_add(unsigned long passed, unsigned long failed)
{
    pthread_mutex_lock(&check_lock_);
    check_passed_ += passed;
    check_failed_ += failed;
    pthread_mutex_unlock(&check_lock_);
}

/* Prints the final line and gives the exit status (0 only when nothing failed). */
static inline int check_summary(void)
{
    unsigned long passed, failed;
    pthread_mutex_lock(&check_lock_);
    passed = check_passed_;
    failed = check_failed_;
    pthread_mutex_unlock(&check_lock_);
    fflush(stderr);
    printf("%lu passed, %lu failed\n", passed, failed);
    fflush(stdout);
    return failed == 0 && passed > 0 ? 0 : 1;
}

/* A section title, to make failures easier to place. */
#define SECTION(name) (printf("== %s\n", (name)), fflush(stdout))

#define CHECK(cond) check_record(!!(cond), __FILE__, __LINE__, "%s", #cond)

#define CHECK_MSG(cond, ...) check_record(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_INT_EQ(actual, expected)                                                      \
    do {                                                                                    \
        long long check_a_ = (long long)(actual);                                           \
        long long check_e_ = (long long)(expected);                                         \
        check_record(check_a_ == check_e_, __FILE__, __LINE__, "%s == %s: got %lld, want %lld", \
                     #actual, #expected, check_a_, check_e_);                               \
    } while (0)

#define CHECK_STR_EQ(actual, expected)                                                      \
    do {                                                                                    \
        const char *check_a_ = (actual);                                                    \
        const char *check_e_ = (expected);                                                  \
        check_record(check_a_ != NULL && check_e_ != NULL && strcmp(check_a_, check_e_) == 0, \
                     __FILE__, __LINE__, "%s == %s: got \"%s\", want \"%s\"", #actual,      \
                     #expected, check_a_ ? check_a_ : "(null)", check_e_ ? check_e_ : "(null)"); \
    } while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                                \
    do {                                                                                    \
        const char *check_h_ = (haystack);                                                  \
        const char *check_n_ = (needle);                                                    \
        check_record(check_h_ != NULL && strstr(check_h_, check_n_) != NULL, __FILE__,      \
                     __LINE__, "%s contains \"%s\": got \"%s\"", #haystack, check_n_,       \
                     check_h_ ? check_h_ : "(null)");                                       \
    } while (0)

#define CHECK_NULL(p) CHECK_MSG((p) == NULL, "%s is NULL", #p)
#define CHECK_NONNULL(p) CHECK_MSG((p) != NULL, "%s is not NULL", #p)

#endif /* OVO_TEST_CHECK_H */
