/* bench/libovo/checksum.c: ns per ovo_checksum call from C (field rules, SHA-256, hex).
 * Usage: checksum CALLS. Prints one JSON line: calls, cpu_ns, ns_per_call and the checksum of
 * the fixed inputs (the harness checks that it equals the peer's). */
#include "../common/measure.h"
#include "ovo.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: checksum CALLS\n");
        return 2;
    }
    long calls = arg_count(argv[1], "CALLS");
    char out[OVO_CHECKSUM_BUFFER_LEN];
    unsigned sink = 0;
    int64_t c0 = cpu_ns();
    for (long i = 0; i < calls; i++) {
        if (ovo_checksum(BENCH_AMOUNT, BENCH_CLIENT_ID, "INV-20210115-0001", BENCH_INSTANT_WALLET,
                         BENCH_SECRET_KEY, out, sizeof out, NULL) != OVO_RESULT_OK) {
            fprintf(stderr, "ovo_checksum failed\n");
            return 1;
        }
        sink += (unsigned char)out[i & 63];
    }
    int64_t spent = cpu_ns() - c0;
    printf("{\"calls\":%ld,\"cpu_ns\":%lld,\"ns_per_call\":%.1f,\"checksum\":\"%s\",\"sink\":%u}\n",
           calls, (long long)spent, calls ? (double)spent / calls : 0.0, out, sink);
    return 0;
}
