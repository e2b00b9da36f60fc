/*
 * common.h: shared helpers for the libovo C tests (credentials, unique invoices, error checks,
 * clients, run modes, loopback ports, clocks). Header-only; include after check.h. The payment
 * invariants live in invariants.h (included at the end).
 */
#ifndef OVO_TEST_COMMON_H
#define OVO_TEST_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ovo.h"

/* The sandbox's default merchant (and the spec's example). */
#define TEST_CLIENT_ID "MCH-0001-10791114622547"
#define TEST_SECRET "SK-9sCrJ1kdYUJAYlsJKlqz"
/* A well-formed key the sandbox does not know: it answers 401. */
#define TEST_WRONG_SECRET "SK-wrong-Zq81Xv0pLm4Cc"
/* Scripted sandbox wallets. */
#define WALLET_CASH "081211111111"
#define WALLET_POINTS "081522222222"
#define WALLET_DECLINE "081733333333"
#define WALLET_UNREGISTERED "089900000014"
#define WALLET_NEVER_ANSWERS "080012341234"
/* Not in the sandbox's table: waits for /simulator/pay or /simulator/decline. */
#define WALLET_MANUAL "081234567890"

/* Secret keys every produced message is checked against. */
static const char *const test_secrets_[] = {
    TEST_SECRET,
    TEST_WRONG_SECRET,
};

/* Checks one library message: never NULL, not empty, never contains any secret key used. */
#define CHECK_MESSAGE(msg) check_message_((msg), __FILE__, __LINE__)
static inline void check_message_(const char *msg, const char *file, int line)
{
    size_t i;
    check_record(msg != NULL, file, line, "message is not NULL");
    if (msg == NULL)
        return;
    check_record(msg[0] != '\0', file, line, "message is not empty");
    for (i = 0; i < sizeof test_secrets_ / sizeof test_secrets_[0]; i++)
        check_record(strstr(msg, test_secrets_[i]) == NULL, file, line,
                     "message does not contain the secret key: \"%s\"", msg);
}

/*
 * Checks an error: its result, its field (want_field NULL: the field must be NULL) and its
 * message (present, no secret).
 */
#define CHECK_ERROR(err, want_result, want_field)                                           \
    check_error_((err), (want_result), (want_field), __FILE__, __LINE__)
static inline void check_error_(const ovo_error *err, ovo_result want_result,
                                const char *want_field, const char *file, int line)
{
    const char *field;
    if (!check_record(err != NULL, file, line, "error is not NULL (want result %u, field %s)",
                      (unsigned)want_result, want_field ? want_field : "(none)"))
        return;
    check_record(ovo_error_result(err) == want_result, file, line,
                 "ovo_error_result: got %u, want %u (message: %s)",
                 (unsigned)ovo_error_result(err), (unsigned)want_result, ovo_error_message(err));
    field = ovo_error_field(err);
    if (want_field == NULL)
        check_record(field == NULL, file, line, "ovo_error_field: got \"%s\", want NULL",
                     field ? field : "");
    else
        check_record(field != NULL && strcmp(field, want_field) == 0, file, line,
                     "ovo_error_field: got \"%s\", want \"%s\" (message: %s)",
                     field ? field : "(null)", want_field, ovo_error_message(err));
    check_message_(ovo_error_message(err), file, line);
    if (want_field != NULL)
        check_record(strstr(ovo_error_message(err), want_field) != NULL, file, line,
                     "message names the field %s: \"%s\"", want_field, ovo_error_message(err));
}

/* A sentinel for "the library must overwrite this out-parameter". */
#define POISON_PTR ((void *)(uintptr_t)0x1)

/* Writes a fresh invoice number (unique across runs and programs) into buf[65]. */
static pthread_mutex_t invoice_lock_ = PTHREAD_MUTEX_INITIALIZER;
static unsigned invoice_counter_ = 0;
static inline const char *make_invoice(char *buf, size_t len, const char *tag)
{
    unsigned n;
    struct timespec ts;
    pthread_mutex_lock(&invoice_lock_);
    n = ++invoice_counter_;
    pthread_mutex_unlock(&invoice_lock_);
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(buf, len, "INV-%s-%ld-%lld%03ld-%u", tag, (long)getpid(), (long long)ts.tv_sec,
             ts.tv_nsec / 1000000L, n);
    return buf;
}

/* The sandbox base URL from the environment, or NULL (counted as a failure). */
static inline const char *sandbox_url(void)
{
    const char *url = getenv("OVO_SANDBOX_URL");
    CHECK_MSG(url != NULL && url[0] != '\0', "OVO_SANDBOX_URL is set (run tests/c.sh)");
    return url && url[0] ? url : NULL;
}

/* Whether to run the lighter variant of the older programs (OVO_TEST_QUICK=1). */
static inline int quick_mode(void)
{
    const char *q = getenv("OVO_TEST_QUICK");
    return q != NULL && q[0] != '\0' && strcmp(q, "0") != 0;
}

/* How this program runs: "plain", "asan" (built with -fsanitize=address) or "valgrind"
 * (OVO_TEST_MODE, which tests/c.sh sets for every run). */
static inline const char *test_mode(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return "asan";
#else
    const char *m = getenv("OVO_TEST_MODE");
    return m != NULL && m[0] != '\0' ? m : "plain";
#endif
}

static inline int under_valgrind(void)
{
    return strcmp(test_mode(), "valgrind") == 0;
}

/* A number for the mode (a count, a timeout): `full` plain and under ASan, `light` under
 * valgrind. */
static inline int scaled(int full, int light)
{
    return under_valgrind() ? light : full;
}

/* A latency bound: `plain_ms` as promised when plain; generous under ASan and valgrind, where
 * everything runs several (ASan) to some 30 (valgrind) times slower. */
static inline double bound_ms(double plain_ms)
{
    const char *m = test_mode();
    if (strcmp(m, "asan") == 0)
        return plain_ms * 5;
    return strcmp(m, "valgrind") == 0 ? plain_ms * 30 : plain_ms;
}

/* Milliseconds on the monotonic clock (for measuring latencies, never for waiting). */
static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The second sandbox (long hold, no approve delay: --hold 60 --approve-delay 0), or NULL. */
static inline const char *hold_sandbox_url(void)
{
    const char *url = getenv("OVO_SANDBOX_HOLD_URL");
    CHECK_MSG(url != NULL && url[0] != '\0', "OVO_SANDBOX_HOLD_URL is set (run tests/c.sh)");
    return url && url[0] ? url : NULL;
}

/* Makes a client for base_url (direct, no proxy); NULL on failure (counted). */
static inline ovo_client *make_client_(const char *base_url, const char *secret,
                                       unsigned timeout_ms, const char *file, int line)
{
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    ovo_result r;
    ovo_config_set_base_url(config, base_url);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    if (timeout_ms) {
        ovo_config_set_timeout_ms(config, timeout_ms);
        ovo_config_set_connect_timeout_ms(config, timeout_ms < 5000 ? timeout_ms : 5000);
    }
    r = ovo_client_new(TEST_CLIENT_ID, secret, config, &client, &err);
    ovo_config_free(config); /* may be freed right after */
    check_record(r == OVO_RESULT_OK && client != NULL && err == NULL, file, line,
                 "ovo_client_new(%s): result %u, error %s", base_url ? base_url : "(default)",
                 (unsigned)r, err ? ovo_error_message(err) : "none");
    ovo_error_free(err);
    return r == OVO_RESULT_OK ? client : NULL;
}
#define MAKE_CLIENT(url, secret, timeout_ms) make_client_((url), (secret), (timeout_ms), __FILE__, __LINE__)

/* Whether s is a lower-case UUID v4 (8-4-4-4-12 hex, version 4, variant 8/9/a/b). */
static inline int is_uuid_v4(const char *s)
{
    size_t i;
    if (s == NULL || strlen(s) != 36)
        return 0;
    for (i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return s[14] == '4' && strchr("89abAB", s[19]) != NULL;
}

/* A loopback port nobody listens on: bind 127.0.0.1:0, read the port, close. */
static inline unsigned short closed_loopback_port(void)
{
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    unsigned short port = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &alen) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

/* An absolute CLOCK_REALTIME deadline `secs` from now, for pthread_cond_timedwait. */
static inline struct timespec deadline_in(int secs)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += secs;
    return ts;
}

#include "invariants.h"

#endif /* OVO_TEST_COMMON_H */
