/* bench/common/measure.h: clocks, CPU time, limits and the one-line JSON report shared by every
 * C benchmark program (the libovo side and the peers alike, so both are measured the same way).
 * Header-only. Programs are compiled with -D_GNU_SOURCE (see bench/run). */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* The sandbox's default merchant (DOKU's documented sample credentials, see sandbox/README.md). */
#define BENCH_CLIENT_ID "MCH-0001-10791114622547"
#define BENCH_SECRET_KEY "SK-9sCrJ1kdYUJAYlsJKlqz"
/* The scripted wallet that the sandbox (--approve-delay 0) answers SUCCESS at once. */
#define BENCH_INSTANT_WALLET "081211111111"
/* A wallet the sandbox holds until the harness settles it through /simulator/pay. */
#define BENCH_HELD_WALLET "081234567890"
/* Every payment is for 1 rupiah so the sandbox wallets never run dry during a run. */
#define BENCH_AMOUNT 1

/** Monotonic time in nanoseconds (for durations inside one process). */
static inline int64_t now_mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/** CLOCK_REALTIME in nanoseconds (compared across processes on this machine). */
static inline int64_t now_real_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/** User + system CPU time of this process (all threads) in nanoseconds, from getrusage. */
static inline int64_t cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
           ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/** Raises the soft RLIMIT_NOFILE to the hard limit (10,000 sockets need it). */
static inline void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/** Parses a non-negative count argument or exits with a message naming it. */
static inline long arg_count(const char *text, const char *name) {
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (end == text || *end != '\0' || n < 0) {
        fprintf(stderr, "%s: not a count: %s\n", name, text);
        exit(2);
    }
    return n;
}

#endif
