/* bench/libovo/inflight.c: PAYMENTS payments in flight at once through ovo_push_payment_async,
 * all held by the sandbox until the harness settles them (protocol: common/inflight.h).
 * Usage: inflight BASE_URL PAYMENTS INVOICE_PREFIX TIMES_FILE */
#include <pthread.h>
#include <stdint.h>

#include "../common/inflight.h"
#include "ovo.h"

static int64_t *times;
static long total, done, errors;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;

static void finish(long failed) {
    pthread_mutex_lock(&lock);
    errors += failed;
    if (++done == total)
        pthread_cond_signal(&all_done);
    pthread_mutex_unlock(&lock);
}

static void on_payment(void *userdata, ovo_payment *p) {
    long i = (long)(intptr_t)userdata;
    int64_t now = now_real_ns();
    int paid = ovo_payment_result(p) == OVO_RESULT_OK && ovo_payment_outcome(p) == OVO_OUTCOME_PAID;
    times[i] = paid ? now : 0;
    ovo_payment_free(p);
    finish(!paid);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: inflight BASE_URL PAYMENTS INVOICE_PREFIX TIMES_FILE\n");
        return 2;
    }
    total = arg_count(argv[2], "PAYMENTS");
    raise_nofile();
    ovo_config *cfg = ovo_config_new();
    ovo_config_set_base_url(cfg, argv[1]);
    ovo_config_set_proxy(cfg, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_timeout_ms(cfg, BENCH_INFLIGHT_TIMEOUT_MS);
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    if (ovo_client_new(BENCH_CLIENT_ID, BENCH_SECRET_KEY, cfg, &client, &err) != OVO_RESULT_OK) {
        fprintf(stderr, "ovo_client_new: %s\n", ovo_error_message(err));
        return 1;
    }
    ovo_config_free(cfg);
    if (inflight_ready())
        return 1;

    int64_t c0 = cpu_ns();
    times = calloc((size_t)total + 1, sizeof *times);
    for (long i = 0; i < total; i++) {
        char invoice[65];
        snprintf(invoice, sizeof invoice, "%s-%ld", argv[3], i);
        if (ovo_push_payment_async(client, invoice, BENCH_AMOUNT, BENCH_HELD_WALLET, on_payment,
                                   (void *)(intptr_t)i, NULL, &err) != OVO_RESULT_OK) {
            fprintf(stderr, "payment %s not started: %s\n", invoice, ovo_error_message(err));
            ovo_error_free(err);
            finish(1);
        }
    }
    pthread_mutex_lock(&lock);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += BENCH_INFLIGHT_TIMEOUT_MS / 1000 + 60;
    while (done < total)
        if (pthread_cond_timedwait(&all_done, &lock, &deadline) != 0)
            break;
    long finished = done, failed = errors + (total - done);
    pthread_mutex_unlock(&lock);
    int64_t cpu = cpu_ns() - c0;
    if (finished < total) {
        fprintf(stderr, "%ld payments never called back\n", total - finished);
        return 1; /* callbacks may still run: leave times and the client alone */
    }
    ovo_client_free(client);
    return inflight_report(argv[4], times, total, cpu, failed) ? 1 : 0;
}
