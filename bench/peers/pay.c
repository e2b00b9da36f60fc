/* bench/peers/pay.c: the libcurl peer of bench/libovo/pay.c: sequential payments on one easy
 * handle (keep-alive), each doing the same work as libovo (payment.c). Same usage and JSON line:
 * pay BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE] */
#include "../common/measure.h"
#include "payment.h"

static int pay(CURL *h, peer_body *sink, const char *prefix, long i) {
    char invoice[65];
    snprintf(invoice, sizeof invoice, "%s-%ld", prefix, i);
    peer_request r;
    if (peer_request_build(&r, invoice, BENCH_AMOUNT, BENCH_INSTANT_WALLET)) {
        fprintf(stderr, "payment %s: bad request\n", invoice);
        return 1;
    }
    long status = 0;
    CURLcode rc = peer_easy_request(h, &r, sink) ? CURLE_FAILED_INIT : curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    int paid = rc == CURLE_OK && peer_response_check(&r, status, sink) == PEER_SUCCESS;
    if (!paid)
        fprintf(stderr, "payment %s not paid: %s, HTTP %ld\n", invoice, curl_easy_strerror(rc),
                status);
    peer_request_free(&r);
    return paid ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: pay BASE_URL PAYMENTS INVOICE_PREFIX [CA_FILE]\n");
        return 2;
    }
    long payments = arg_count(argv[2], "PAYMENTS");
    char url[512];
    snprintf(url, sizeof url, "%s%s", argv[1], PEER_TARGET);
    peer_body sink = {0};
    CURL *h = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) || peer_init() || !(h = curl_easy_init()) ||
        peer_easy_setup(h, url, argc == 5 ? argv[4] : NULL, &sink, 90000L)) {
        fprintf(stderr, "libcurl setup failed\n");
        return 1;
    }

    int64_t f0 = now_mono_ns();
    long errors = pay(h, &sink, argv[3], 0);
    int64_t first_ns = now_mono_ns() - f0;
    int64_t first_done = now_real_ns();

    int64_t c0 = cpu_ns(), w0 = now_mono_ns();
    for (long i = 1; i <= payments; i++)
        errors += pay(h, &sink, argv[3], i);
    int64_t wall = now_mono_ns() - w0, cpu = cpu_ns() - c0;
    curl_easy_cleanup(h);
    free(sink.data);
    curl_global_cleanup();
    printf("{\"first_ns\":%lld,\"first_done_real_ns\":%lld,\"payments\":%ld,\"wall_ns\":%lld,"
           "\"cpu_ns\":%lld,\"errors\":%ld}\n",
           (long long)first_ns, (long long)first_done, payments, (long long)wall, (long long)cpu,
           errors);
    return 0;
}
