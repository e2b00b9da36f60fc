/* bench/peers/checksum.c: the checksum floor from C: OpenSSL SHA-256 (EVP, fetched once, one
 * reused context) + hex, no field rules. Usage: checksum CALLS. Same JSON line as
 * bench/libovo/checksum.c. */
#include "../common/measure.h"
#include "payment.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: checksum CALLS\n");
        return 2;
    }
    long calls = arg_count(argv[1], "CALLS");
    if (peer_init()) {
        fprintf(stderr, "OpenSSL SHA-256 unavailable\n");
        return 1;
    }
    char out[65] = "";
    unsigned sink = 0;
    int64_t c0 = cpu_ns();
    for (long i = 0; i < calls; i++) {
        if (peer_checksum(BENCH_AMOUNT, BENCH_CLIENT_ID, "INV-20210115-0001", BENCH_INSTANT_WALLET,
                          BENCH_SECRET_KEY, out)) {
            fprintf(stderr, "checksum failed\n");
            return 1;
        }
        sink += (unsigned char)out[i & 63];
    }
    int64_t spent = cpu_ns() - c0;
    printf("{\"calls\":%ld,\"cpu_ns\":%lld,\"ns_per_call\":%.1f,\"checksum\":\"%s\",\"sink\":%u}\n",
           calls, (long long)spent, calls ? (double)spent / calls : 0.0, out, sink);
    return 0;
}
