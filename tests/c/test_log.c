/*
 * test_log: ovo_set_log_callback (process-wide, so its own program).
 *   - the documented lines of a paid push, a push never sent, a cancelled push, an in-flight
 *     refusal, a status check and a reconcile check, with their levels; the captured lines are
 *     printed to stdout, so the run-all secret scan sees them too;
 *   - no line holds the secret key (verbatim, JSON-escaped or a 6+ character prefix), a
 *     checksum, a signature or a customer's phone number, also when a server echoes the key or
 *     answers for another wallet;
 *   - min_level filters; a bad level is refused and changes nothing; changing the callback from
 *     inside it is refused; NULL stops it; a replaced callback is never called again.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"
#include "pusher.h"
#include "sandbox.h"
#include "stub.h"

static const char *sb_url;   /* hold 1 s, approve delay 50 ms */
static const char *hold_url; /* hold 60 s, approve delay 0 */

/* Log lines as captured, with their levels. */
#define MAX_LINES 4096
struct capture {
    pthread_mutex_t lock;
    int n;
    int bad_level;
    ovo_log_level level[MAX_LINES];
    char *line[MAX_LINES];
};

static void capture_log(void *userdata, ovo_log_level level, const char *message)
{
    struct capture *c = userdata;
    pthread_mutex_lock(&c->lock);
    if (level < OVO_LOG_LEVEL_DEBUG || level > OVO_LOG_LEVEL_ERROR || message == NULL)
        c->bad_level++;
    else if (c->n < MAX_LINES) {
        c->level[c->n] = level;
        c->line[c->n++] = strdup(message);
    }
    pthread_mutex_unlock(&c->lock);
}

static int captured(struct capture *c)
{
    int n;
    pthread_mutex_lock(&c->lock);
    n = c->n;
    pthread_mutex_unlock(&c->lock);
    return n;
}

static void capture_free(struct capture *c)
{
    int i;
    for (i = 0; i < c->n; i++)
        free(c->line[i]);
    c->n = 0;
}

/* Whether a line of `level` (0: any) contains `a` (and `b`, when non-NULL). */
static int has_line(struct capture *c, ovo_log_level level, const char *a, const char *b)
{
    int i, found = 0;
    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->n && !found; i++)
        found = (level == 0 || c->level[i] == level) && strstr(c->line[i], a) != NULL &&
                (b == NULL || strstr(c->line[i], b) != NULL);
    pthread_mutex_unlock(&c->lock);
    return found;
}
#define CHECK_LINE(c, level, a, b)                                                          \
    CHECK_MSG(has_line((c), (level), (a), (b)), "a %s line with \"%s\"%s%s",                 \
              (level) ? level_name(level) : "log", (a), (b) ? " and " : "", (b) ? (b) : "")

static const char *level_name(ovo_log_level level)
{
    switch (level) {
    case OVO_LOG_LEVEL_DEBUG:
        return "DEBUG";
    case OVO_LOG_LEVEL_INFO:
        return "INFO";
    case OVO_LOG_LEVEL_WARN:
        return "WARN";
    case OVO_LOG_LEVEL_ERROR:
        return "ERROR";
    default:
        return "?";
    }
}

/* A push through `client` that must give `want`; its request id copied into rid[37]. */
static void push_expect(const ovo_client *client, const char *invoice, const char *wallet,
                        ovo_result want, char *rid)
{
    ovo_payment *p = NULL;
    CHECK_MSG(ovo_push_payment(client, invoice, 10000, wallet, &p) == want, "push %s: %s, want %s",
              invoice, ovo_result_name(ovo_payment_result(p)), ovo_result_name(want));
    CHECK_PAYMENT_INVARIANTS(p);
    if (rid != NULL)
        snprintf(rid, 37, "%s", ovo_payment_request_id(p));
    ovo_payment_free(p);
}

/* A push against a stub answering `status_line` `body` (`%s`: the invoice) to `wallet`. */
static void push_stub(const char *status_line, const char *body_fmt, const char *invoice,
                      ovo_result want)
{
    struct stub s;
    char url[64], body[1024];
    ovo_client *client;
    snprintf(body, sizeof body, body_fmt, invoice);
    if (!CHECK(stub_answer(&s, status_line, body)))
        return;
    base_url_of(&s, url, sizeof url, "");
    client = MAKE_CLIENT(url, TEST_SECRET, 10000);
    push_expect(client, invoice, WALLET_CASH, want, NULL);
    ovo_client_free(client);
    stub_finish(&s);
}

/* A reconciling client of the 1 s-hold sandbox: one check right after the push ends. */
static ovo_client *reconciling_client(void)
{
    ovo_client *c = NULL;
    ovo_config *config = ovo_config_new();
    ovo_config_set_base_url(config, sb_url);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_reconcile(config, 0, 1);
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &c, NULL), OVO_RESULT_OK);
    ovo_config_free(config);
    return c;
}

/* Something no log line may hold, and what it is (for the failure message). */
struct forbidden {
    const char *value;
    const char *what;
};

/* Every captured line: printed (for the suite's secret scan) and checked for secrets. */
static void scan_lines(struct capture *c, const struct forbidden *f, size_t n)
{
    int i;
    size_t k;
    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->n; i++) {
        printf("   log %-5s %s\n", level_name(c->level[i]), c->line[i]);
        for (k = 0; k < n; k++)
            CHECK_MSG(strstr(c->line[i], f[k].value) == NULL, "log line %d holds %s", i, f[k].what);
    }
    pthread_mutex_unlock(&c->lock);
    fflush(stdout);
}

static void test_lines(void)
{
    static struct capture cap = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {0}};
    char paid[80], ns[80], held[80], infl[80], rec[80], echo[80], other[80], url[64];
    char rid[37], sum_paid[OVO_CHECKSUM_BUFFER_LEN], sum_held[OVO_CHECKSUM_BUFFER_LEN];
    char needle[256];
    ovo_client *client = MAKE_CLIENT(sb_url, TEST_SECRET, 0);
    ovo_client *hold = MAKE_CLIENT(hold_url, TEST_SECRET, 0), *nobody, *rc;
    ovo_payment_handle *h = ovo_payment_handle_new();
    struct pusher b;
    struct inbox box;
    SECTION("the documented lines, without secrets");
    if (client == NULL || hold == NULL)
        return;
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, capture_log, &cap), OVO_RESULT_OK);

    /* Paid. */
    push_expect(client, make_invoice(paid, sizeof paid, "lpaid"), WALLET_CASH, OVO_RESULT_OK, rid);
    /* Never sent. */
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    nobody = MAKE_CLIENT(url, TEST_SECRET, 5000);
    push_expect(nobody, make_invoice(ns, sizeof ns, "lns"), WALLET_CASH, OVO_RESULT_NOT_SENT, NULL);
    ovo_client_free(nobody);
    /* Cancelled while held. */
    if (pusher_start(&b, hold, make_invoice(held, sizeof held, "lcancel"), 10000, WALLET_MANUAL,
                     h)) {
        CHECK(sb_wait_held(hold_url, held, 30));
        ovo_payment_cancel(h);
        ovo_payment_free(pusher_join(&b));
        CHECK_INT_EQ(sb_decline(hold_url, held), 200);
    }
    /* Refused in flight. */
    inbox_init(&box);
    make_invoice(infl, sizeof infl, "linfl");
    CHECK_INT_EQ(ovo_push_payment_async(hold, infl, 10000, WALLET_MANUAL, inbox_callback, &box,
                                        NULL, NULL),
                 OVO_RESULT_OK);
    CHECK(sb_wait_held(hold_url, infl, 30));
    push_expect(hold, infl, WALLET_MANUAL, OVO_RESULT_IN_FLIGHT, NULL);
    CHECK_INT_EQ(sb_pay(hold_url, infl), 200);
    CHECK(inbox_wait(&box, 30));
    inbox_destroy(&box);
    /* A status check, and a reconcile check after a TIMEOUT (the 1 s hold passes). */
    CHECK_INT_EQ(ovo_check_status(client, paid, NULL), OVO_RESULT_OK);
    rc = reconciling_client();
    push_expect(rc, make_invoice(rec, sizeof rec, "lrec"), WALLET_MANUAL, OVO_RESULT_OK, NULL);
    ovo_client_free(rc);
    /* A server echoing the key, and one answering for another wallet. */
    push_stub("400 Bad Request",
              "{\"error\":{\"message\":\"bad checksum for " TEST_SECRET
              " (SK\\u002d9sCrJ1kdYUJAYlsJKlqz) invoice %s\"}}",
              make_invoice(echo, sizeof echo, "lecho"), OVO_RESULT_REJECTED);
    push_stub("200 OK",
              "{\"client\":{\"id\":\"" TEST_CLIENT_ID "\"},\"order\":{\"invoice_number\":\"%s\","
              "\"amount\":10000},\"ovo_info\":{\"ovo_id\":\"089911112222\"},"
              "\"ovo_payment\":{\"status\":\"SUCCESS\",\"response_code\":\"00\"}}",
              make_invoice(other, sizeof other, "lother"), OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, NULL, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(cap.bad_level, 0);

    snprintf(needle, sizeof needle, "push: sending invoice=%s amount=10000 request_id=%s", paid,
             rid);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_INFO, needle, NULL);
    snprintf(needle, sizeof needle, "push: invoice=%s request_id=%s result=OK outcome=PAID "
             "http=200 status=SUCCESS code=00 elapsed_ms=", paid, rid);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_INFO, needle, NULL);
    snprintf(needle, sizeof needle, "push: invoice=%s ", ns);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_ERROR, needle, "result=NOT_SENT");
    snprintf(needle, sizeof needle, "invoice=%s ", held);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_WARN, needle, "cancelled");
    snprintf(needle, sizeof needle, "push refused: invoice=%s result=IN_FLIGHT: ", infl);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_WARN, needle, NULL);
    snprintf(needle, sizeof needle, "status check: sending invoice=%s request_id=", paid);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_INFO, needle, NULL);
    snprintf(needle, sizeof needle, "status check: invoice=%s request_id=", paid);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_INFO, needle, "outcome=PAID");
    snprintf(needle, sizeof needle, "push: invoice=%s ", rec);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_WARN, needle, "status=TIMEOUT code=68");
    snprintf(needle, sizeof needle, "reconcile check: invoice=%s ", rec);
    CHECK_LINE(&cap, 0, needle, NULL);
    snprintf(needle, sizeof needle, "push: invoice=%s ", echo);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_ERROR, needle, "***");
    snprintf(needle, sizeof needle, "push: invoice=%s ", other);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_WARN, needle, "result=OUTCOME_UNKNOWN");

    ovo_checksum(10000, TEST_CLIENT_ID, paid, WALLET_CASH, TEST_SECRET, sum_paid, sizeof sum_paid,
                 NULL);
    ovo_checksum(10000, TEST_CLIENT_ID, held, WALLET_MANUAL, TEST_SECRET, sum_held,
                 sizeof sum_held, NULL);
    {
        const struct forbidden never[] = {
            {TEST_SECRET, "the secret key"},
            {"SK\\u002d9sCrJ1kdYUJAYlsJKlqz", "the JSON-escaped secret key"},
            {"SK-9sC", "a 6-character prefix of the secret key"},
            {sum_paid, "the paid push's checksum"},
            {sum_held, "the cancelled push's checksum"},
            {"HMACSHA256=", "a signature"},
            {WALLET_CASH, "the customer's phone number " WALLET_CASH},
            {WALLET_MANUAL, "the customer's phone number " WALLET_MANUAL},
            {"089911112222", "the phone number 089911112222 a server answered with"},
        };
        scan_lines(&cap, never, sizeof never / sizeof never[0]);
    }
    capture_free(&cap);
    ovo_payment_handle_free(h);
    ovo_client_free(client);
    ovo_client_free(hold);
}

/* A callback that tries to change the logger from inside. */
static struct capture spare = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {0}};
static ovo_result inner_null = OVO_RESULT_OK, inner_other = OVO_RESULT_OK;
static int inner_calls = 0;
static pthread_mutex_t inner_lock = PTHREAD_MUTEX_INITIALIZER;
static void reentrant_log(void *userdata, ovo_log_level level, const char *message)
{
    (void)userdata;
    (void)level;
    (void)message;
    pthread_mutex_lock(&inner_lock);
    if (inner_calls++ == 0) {
        inner_null = ovo_set_log_callback(OVO_LOG_LEVEL_INFO, NULL, NULL);
        inner_other = ovo_set_log_callback(OVO_LOG_LEVEL_INFO, capture_log, &spare);
    }
    pthread_mutex_unlock(&inner_lock);
}

static void test_rules(void)
{
    static struct capture cap = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {0}};
    char inv[80], url[64];
    ovo_client *client = MAKE_CLIENT(sb_url, TEST_SECRET, 0), *nobody;
    int i, n;
    SECTION("min_level filters; bad levels and changes from inside are refused; NULL stops");
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    nobody = MAKE_CLIENT(url, TEST_SECRET, 5000);
    if (client == NULL || nobody == NULL)
        return;
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_WARN, capture_log, &cap), OVO_RESULT_OK);
    push_expect(client, make_invoice(inv, sizeof inv, "lwarn"), WALLET_CASH, OVO_RESULT_OK, NULL);
    CHECK_INT_EQ(captured(&cap), 0); /* INFO lines only */
    push_expect(nobody, make_invoice(inv, sizeof inv, "lerr"), WALLET_CASH, OVO_RESULT_NOT_SENT,
                NULL);
    CHECK_LINE(&cap, OVO_LOG_LEVEL_ERROR, inv, "result=NOT_SENT");
    pthread_mutex_lock(&cap.lock);
    for (i = 0; i < cap.n; i++)
        CHECK_MSG(cap.level[i] >= OVO_LOG_LEVEL_WARN, "only WARN and above: %s", cap.line[i]);
    pthread_mutex_unlock(&cap.lock);

    /* Bad levels are refused and change nothing. */
    CHECK_INT_EQ(ovo_set_log_callback(0, capture_log, &cap), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_set_log_callback(5, NULL, NULL), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_set_log_callback(0xffffffffu, capture_log, &cap), OVO_RESULT_INVALID_ARGUMENT);
    n = captured(&cap);
    push_expect(nobody, make_invoice(inv, sizeof inv, "lstill"), WALLET_CASH, OVO_RESULT_NOT_SENT,
                NULL);
    CHECK_MSG(captured(&cap) > n, "the callback is still installed");

    /* From inside a callback: refused, nothing changes. */
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_INFO, reentrant_log, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_check_status(client, inv, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_check_status(client, inv, NULL), OVO_RESULT_OK);
    pthread_mutex_lock(&inner_lock);
    CHECK_INT_EQ(inner_null, OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(inner_other, OVO_RESULT_INVALID_ARGUMENT);
    CHECK_MSG(inner_calls >= 4, "the callback stayed installed (%d calls)", inner_calls);
    pthread_mutex_unlock(&inner_lock);

    /* NULL stops it. */
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, capture_log, &cap), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, NULL, NULL), OVO_RESULT_OK);
    n = captured(&cap);
    push_expect(nobody, make_invoice(inv, sizeof inv, "loff"), WALLET_CASH, OVO_RESULT_NOT_SENT,
                NULL);
    CHECK_INT_EQ(ovo_check_status(client, inv, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(captured(&cap), n);
    capture_free(&cap);
    ovo_client_free(client);
    ovo_client_free(nobody);
}

/* Replacing the callback while lines flow: a replaced one is never called again. */
struct sink {
    int dead; /* set once its callback was replaced */
    int late; /* calls after that */
};
static void sink_log(void *userdata, ovo_log_level level, const char *message)
{
    struct sink *s = userdata;
    (void)level;
    (void)message;
    if (__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
        __atomic_fetch_add(&s->late, 1, __ATOMIC_SEQ_CST);
}

static void test_replace_under_load(void)
{
    enum { SWAPS = 40 };
    struct sink sinks[SWAPS];
    struct inbox boxes[SWAPS];
    ovo_client *client = MAKE_CLIENT(hold_url, TEST_SECRET, 0);
    int i, late = 0;
    SECTION("a replaced callback is not running and never called again");
    if (client == NULL)
        return;
    memset(sinks, 0, sizeof sinks);
    /* Each round starts a push (its lines come from libovo's threads), then swaps. */
    for (i = 0; i < SWAPS; i++) {
        char inv[80];
        inbox_init(&boxes[i]);
        CHECK_INT_EQ(ovo_push_payment_async(client, make_invoice(inv, sizeof inv, "lswap"), 1000,
                                            WALLET_CASH, inbox_callback, &boxes[i], NULL, NULL),
                     OVO_RESULT_OK);
        CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, sink_log, &sinks[i]), OVO_RESULT_OK);
        if (i > 0)
            __atomic_store_n(&sinks[i - 1].dead, 1, __ATOMIC_SEQ_CST);
    }
    for (i = 0; i < SWAPS; i++) {
        CHECK(inbox_wait(&boxes[i], 60));
        inbox_destroy(&boxes[i]);
    }
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_DEBUG, NULL, NULL), OVO_RESULT_OK);
    for (i = 0; i < SWAPS; i++)
        late += __atomic_load_n(&sinks[i].late, __ATOMIC_SEQ_CST);
    CHECK_MSG(late == 0, "no call after a callback was replaced (%d)", late);
    ovo_client_free(client);
}

int main(void)
{
    sb_url = sandbox_url();
    hold_url = hold_sandbox_url();
    if (sb_url == NULL || hold_url == NULL)
        return check_summary();
    test_lines();
    test_rules();
    test_replace_under_load();
    return check_summary();
}
