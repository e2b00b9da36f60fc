/* bench/libovo/pay.c: sequential payments through libovo's C ABI on one client (keep-alive).
 * Usage: pay BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]
 * Pays PREFIX-0 first (the first payment, on a new connection: cold start), then PAYMENTS more
 * to the instant wallet, and prints one JSON line: first_ns (that first payment's duration),
 * first_done_real_ns (CLOCK_REALTIME when it completed), payments, wall_ns and cpu_ns (over the
 * PAYMENTS after the first) and errors (payments that were not PAID). */
#include "../common/measure.h"
#include "ovo.h"

static int pay(const ovo_client *client, const char *prefix, long i) {
    char invoice[65];
    snprintf(invoice, sizeof invoice, "%s-%ld", prefix, i);
    ovo_payment *p = NULL;
    ovo_push_payment(client, invoice, BENCH_AMOUNT, BENCH_INSTANT_WALLET, &p);
    int paid = ovo_payment_result(p) == OVO_RESULT_OK && ovo_payment_outcome(p) == OVO_OUTCOME_PAID;
    if (!paid) {
        const ovo_error *e = ovo_payment_error(p);
        fprintf(stderr, "payment %s not paid: %s\n", invoice, e ? ovo_error_message(e) : "(no error)");
    }
    ovo_payment_free(p);
    return paid ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: pay BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]\n");
        return 2;
    }
    long payments = arg_count(argv[2], "PAYMENTS");
    ovo_config *cfg = ovo_config_new();
    ovo_config_set_base_url(cfg, argv[1]);
    ovo_config_set_proxy(cfg, OVO_PROXY_MODE_NONE, NULL);
    if (argc == 5)
        ovo_config_set_ca_file(cfg, argv[4]);
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    if (ovo_client_new(BENCH_CLIENT_ID, BENCH_SECRET_KEY, cfg, &client, &err) != OVO_RESULT_OK) {
        fprintf(stderr, "ovo_client_new: %s\n", ovo_error_message(err));
        return 1;
    }
    ovo_config_free(cfg);

    int64_t f0 = now_mono_ns();
    long errors = pay(client, argv[3], 0);
    int64_t first_ns = now_mono_ns() - f0;
    int64_t first_done = now_real_ns();

    int64_t c0 = cpu_ns(), w0 = now_mono_ns();
    for (long i = 1; i <= payments; i++)
        errors += pay(client, argv[3], i);
    int64_t wall = now_mono_ns() - w0, cpu = cpu_ns() - c0;
    ovo_client_free(client);
    printf("{\"first_ns\":%lld,\"first_done_real_ns\":%lld,\"payments\":%ld,\"wall_ns\":%lld,"
           "\"cpu_ns\":%lld,\"errors\":%ld}\n",
           (long long)first_ns, (long long)first_done, payments, (long long)wall, (long long)cpu,
           errors);
    return 0;
}
