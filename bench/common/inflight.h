/* bench/common/inflight.h: the harness protocol both in-flight programs follow, so the harness
 * measures them the same way:
 *   1. set up (client / multi handle), print {"ready":true} and wait for a line on stdin;
 *   2. submit PAYMENTS payments to the held wallet (invoices PREFIX-0 .. PREFIX-(N-1));
 *      the harness reads RSS and threads from /proc when the sandbox holds all N, then settles
 *      them one by one through the control API, noting when it sent each settle;
 *   3. note CLOCK_REALTIME when each completion reaches the program (callback / DONE message),
 *      write those times, one line per payment in invoice order (0: did not complete PAID),
 *      to TIMES_FILE and print one JSON line: payments, cpu_ns (from the go line to the last
 *      completion), errors. */
#ifndef BENCH_INFLIGHT_H
#define BENCH_INFLIGHT_H

#include "measure.h"

/** Total timeout of one held payment: longer than the whole settle phase of 10,000. */
#define BENCH_INFLIGHT_TIMEOUT_MS 300000L

/** Step 1: tells the harness setup is done and waits for its go line. Returns 0 on go. */
static inline int inflight_ready(void) {
    printf("{\"ready\":true}\n");
    fflush(stdout);
    char line[16];
    return fgets(line, sizeof line, stdin) ? 0 : -1;
}

/** Step 3: writes the completion times and prints the summary line. Returns 0 on success. */
static inline int inflight_report(const char *times_file, const int64_t *times, long n,
                                  int64_t cpu, long errors) {
    FILE *f = fopen(times_file, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", times_file);
        return -1;
    }
    for (long i = 0; i < n; i++)
        fprintf(f, "%lld\n", (long long)times[i]);
    if (fclose(f) != 0)
        return -1;
    printf("{\"payments\":%ld,\"cpu_ns\":%lld,\"errors\":%ld}\n", n, (long long)cpu, errors);
    return 0;
}

#endif
