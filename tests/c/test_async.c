/*
 * test_async: ovo_push_payment_async against the local sandbox (OVO_SANDBOX_URL):
 *   - rejected arguments (NULL callback/client, bad fields): the error is returned, *error
 *     is set, *handle is NULL, and the callback is never called;
 *   - N concurrent payments (50; 10 in quick mode) over mixed wallets, the client freed while
 *     they are in flight: each callback is called exactly once, on a library thread, with a
 *     payment for its own invoice and the right outcome; half the payments are freed in the
 *     callback, half later on the main thread;
 *   - a payment that is never sent (closed port) still arrives through the callback;
 *   - a callback that starts another async payment (re-entrancy);
 * Waiting is pthread_cond_timedwait on a counter (the deadline only guards against a hang).
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"

struct slot {
    char invoice[80];
    const char *wallet;
    int64_t amount;
    ovo_outcome want_outcome;
    ovo_result want_result;
    const char *want_code; /* NULL: no answer expected */
    int keep;              /* hand the payment to the main thread instead of freeing it */
    /* Written by the callback under `lock`. */
    int calls;
    int on_main_thread;
    int invoice_ok;
    ovo_result result;
    ovo_outcome outcome;
    char code[8];
    ovo_payment *payment;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int completed = 0;
static pthread_t main_thread;
static struct slot never; /* userdata of calls that must never call back */

static void on_payment(void *userdata, ovo_payment *p)
{
    struct slot *s = userdata;
    const char *inv = ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER);
    const char *code = ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE);
    int invoice_ok = inv != NULL && strcmp(inv, s->invoice) == 0;
    ovo_result result = ovo_payment_result(p);
    ovo_outcome outcome = ovo_payment_outcome(p);
    int on_main = pthread_equal(pthread_self(), main_thread);
    char code_copy[8] = "";
    CHECK_MSG(p != NULL, "callback payment is never NULL");
    if (code != NULL)
        snprintf(code_copy, sizeof code_copy, "%s", code);
    CHECK_PAYMENT_INVARIANTS(p);
    if (!s->keep && s != &never)
        ovo_payment_free(p); /* freed now, on the library thread */
    pthread_mutex_lock(&lock);
    s->calls++;
    s->on_main_thread = on_main;
    s->invoice_ok = invoice_ok;
    s->result = result;
    s->outcome = outcome;
    memcpy(s->code, code_copy, sizeof s->code);
    if (s->keep || s == &never)
        s->payment = p; /* freed later, on the main thread */
    completed++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

/* Waits until `completed` reaches `target`; false after the safety deadline. */
static int wait_completed(int target)
{
    int ok = 1;
    struct timespec deadline = deadline_in(180);
    pthread_mutex_lock(&lock);
    while (completed < target && ok)
        ok = pthread_cond_timedwait(&cond, &lock, &deadline) == 0 || completed >= target;
    ok = completed >= target;
    pthread_mutex_unlock(&lock);
    return ok;
}

static int completed_now(void)
{
    int n;
    pthread_mutex_lock(&lock);
    n = completed;
    pthread_mutex_unlock(&lock);
    return n;
}

/*
 * An async call that must fail at once with `want` (naming `field`), never calling back; with
 * `with_handle`, *handle (poisoned first) must come back NULL.
 */
static void expect_refused_(const ovo_client *c, const char *inv, int64_t amount,
                            const char *ovo_id, ovo_payment_callback cb, int with_handle,
                            ovo_result want, const char *field, const char *file, int line)
{
    ovo_error *err = POISON_PTR;
    ovo_payment_handle *handle = POISON_PTR;
    ovo_payment_handle **hp = with_handle ? &handle : NULL;
    ovo_result r = ovo_push_payment_async(c, inv, amount, ovo_id, cb, &never, hp, &err);
    check_record(r == want, file, line, "async refused: got %u, want %u", (unsigned)r,
                 (unsigned)want);
    if (with_handle)
        check_record(handle == NULL, file, line, "*handle is NULL when refused");
    if (err == POISON_PTR)
        check_record(0, file, line, "*error was written");
    else {
        check_error_(err, want, field, file, line);
        ovo_error_free(err);
    }
    r = ovo_push_payment_async(c, inv, amount, ovo_id, cb, &never, NULL, NULL);
    check_record(r == want, file, line, "async refused (error NULL): got %u", (unsigned)r);
}
#define EXPECT_REFUSED(c, inv, amount, ovo_id, cb, with_handle, field)                      \
    expect_refused_((c), (inv), (amount), (ovo_id), (cb), (with_handle),                    \
                    OVO_RESULT_INVALID_ARGUMENT, (field), __FILE__, __LINE__)

static void test_refused(ovo_client *client)
{
    char inv[80];
    SECTION("refused arguments never call back, and give no handle");
    make_invoice(inv, sizeof inv, "arefused");
    EXPECT_REFUSED(client, inv, 1000, WALLET_CASH, NULL, 0, "callback");
    EXPECT_REFUSED(client, inv, 1000, WALLET_CASH, NULL, 1, "callback");
    EXPECT_REFUSED(NULL, inv, 1000, WALLET_CASH, on_payment, 1, "client");
    EXPECT_REFUSED(client, NULL, 1000, WALLET_CASH, on_payment, 0, "order.invoice_number");
    EXPECT_REFUSED(client, "INV\x01", 1000, WALLET_CASH, on_payment, 1, "order.invoice_number");
    EXPECT_REFUSED(client, inv, 0, WALLET_CASH, on_payment, 1, "order.amount");
    EXPECT_REFUSED(client, inv, OVO_AMOUNT_MAX + 1, WALLET_CASH, on_payment, 0, "order.amount");
    EXPECT_REFUSED(client, inv, 1000, NULL, on_payment, 0, "ovo_info.ovo_id");
    EXPECT_REFUSED(client, inv, 1000, "0812\xff" "1111111", on_payment, 1, "ovo_info.ovo_id");
    EXPECT_REFUSED(client, inv, 1000, "12345678", on_payment, 1, "ovo_info.ovo_id");
}

/* An async call expected to be accepted. */
#define CHECK_ACCEPTED(expr) check_accepted_((expr), #expr, __FILE__, __LINE__)
static int check_accepted_(ovo_result r, const char *what, const char *file, int line)
{
    return check_record(r == OVO_RESULT_OK, file, line, "%s accepted: got %u", what, (unsigned)r);
}

static void setup_slot(struct slot *s, int i)
{
    static const char *const wallets[] = {WALLET_CASH, WALLET_CASH, WALLET_POINTS, WALLET_DECLINE,
                                          WALLET_UNREGISTERED};
    int k = i % 5;
    memset(s, 0, sizeof *s);
    make_invoice(s->invoice, sizeof s->invoice, "async");
    s->wallet = wallets[k];
    s->amount = 1000 + i;
    s->want_result = OVO_RESULT_OK;
    s->want_outcome = k <= 2 ? OVO_OUTCOME_PAID : OVO_OUTCOME_NOT_PAID;
    s->want_code = k == 3 ? "17" : k == 4 ? "14" : "00";
    s->keep = i % 2;
}

static void check_slot(const struct slot *s, int i)
{
    CHECK_MSG(s->calls == 1, "payment %d: callback called exactly once (%d)", i, s->calls);
    CHECK_MSG(!s->on_main_thread, "payment %d: callback on a library thread", i);
    CHECK_MSG(s->result == s->want_result, "payment %d: result %u, want %u", i,
              (unsigned)s->result, (unsigned)s->want_result);
    CHECK_MSG(s->outcome == s->want_outcome, "payment %d (%s): outcome %u, want %u", i, s->wallet,
              (unsigned)s->outcome, (unsigned)s->want_outcome);
    if (s->want_code != NULL) {
        CHECK_MSG(s->invoice_ok, "payment %d: its own invoice %s", i, s->invoice);
        CHECK_MSG(strcmp(s->code, s->want_code) == 0, "payment %d: code %s, want %s", i, s->code,
                  s->want_code);
    }
}

static void test_concurrent(const char *base_url, int n)
{
    struct slot *slots = calloc((size_t)n, sizeof *slots);
    ovo_client *client = MAKE_CLIENT(base_url, TEST_SECRET, 0);
    int i, submitted = 0, base;
    SECTION("concurrent payments, client freed in flight");
    if (!CHECK_NONNULL(slots) || client == NULL) {
        free(slots);
        ovo_client_free(client);
        return;
    }
    base = completed_now();
    for (i = 0; i < n; i++) {
        ovo_error *err = POISON_PTR;
        ovo_result r;
        setup_slot(&slots[i], i);
        r = ovo_push_payment_async(client, slots[i].invoice, slots[i].amount, slots[i].wallet,
                                   on_payment, &slots[i], NULL, &err);
        CHECK_MSG(r == OVO_RESULT_OK, "async %d accepted (%u)", i, (unsigned)r);
        CHECK_MSG(err == NULL, "async %d: *error NULL on success", i);
        if (r == OVO_RESULT_OK)
            submitted++;
        else if (err != POISON_PTR)
            ovo_error_free(err);
    }
    ovo_client_free(client); /* payments in flight keep what they need */
    CHECK_MSG(wait_completed(base + submitted), "all %d callbacks arrived (%d)", submitted,
              completed_now() - base);
    pthread_mutex_lock(&lock);
    for (i = 0; i < n; i++) {
        check_slot(&slots[i], i);
        if (slots[i].keep && slots[i].payment != NULL) {
            const ovo_payment *p = slots[i].payment;
            /* Still fully readable on another thread, long after the callback. */
            CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), slots[i].invoice);
            CHECK_INT_EQ(ovo_payment_outcome(p), slots[i].want_outcome);
            ovo_payment_free(slots[i].payment);
            slots[i].payment = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
    free(slots);
}

static void test_timeout_and_not_sent(const char *base_url)
{
    struct slot t, ns;
    char url[64];
    ovo_client *c1 = MAKE_CLIENT(base_url, TEST_SECRET, 0), *c2;
    int base = completed_now(), submitted = 0;
    SECTION("async TIMEOUT and NOT_SENT through the callback");
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    c2 = MAKE_CLIENT(url, TEST_SECRET, 5000);
    memset(&t, 0, sizeof t);
    memset(&ns, 0, sizeof ns);
    make_invoice(t.invoice, sizeof t.invoice, "atime");
    t.wallet = WALLET_NEVER_ANSWERS;
    t.want_result = OVO_RESULT_OK;
    t.want_outcome = OVO_OUTCOME_UNKNOWN;
    t.want_code = "68";
    make_invoice(ns.invoice, sizeof ns.invoice, "anotsent");
    ns.wallet = WALLET_CASH;
    ns.want_result = OVO_RESULT_NOT_SENT;
    ns.want_outcome = OVO_OUTCOME_NOT_PAID;
    ns.keep = 1;
    if (c1 != NULL && CHECK_ACCEPTED(ovo_push_payment_async(c1, t.invoice, 2000, t.wallet,
                                                              on_payment, &t, NULL, NULL)))
        submitted++;
    if (c2 != NULL && CHECK_ACCEPTED(ovo_push_payment_async(c2, ns.invoice, 2000, ns.wallet,
                                                              on_payment, &ns, NULL, NULL)))
        submitted++;
    ovo_client_free(c1);
    ovo_client_free(c2);
    CHECK(wait_completed(base + submitted));
    pthread_mutex_lock(&lock);
    check_slot(&t, 0);
    check_slot(&ns, 1);
    if (ns.payment != NULL) {
        CHECK_INT_EQ(ovo_payment_http_status(ns.payment), 0);
        CHECK_ERROR(ovo_payment_error(ns.payment), OVO_RESULT_NOT_SENT, NULL);
        ovo_payment_free(ns.payment);
    }
    pthread_mutex_unlock(&lock);
}

/* Re-entrancy: the first callback starts the second payment from the library thread. */
static ovo_client *chain_client;
static struct slot chain_second;
static int chain_start_result = -1;

static void on_first_of_chain(void *userdata, ovo_payment *p)
{
    int r = ovo_push_payment_async(chain_client, chain_second.invoice, 3000, chain_second.wallet,
                                   on_payment, &chain_second, NULL, NULL);
    pthread_mutex_lock(&lock);
    chain_start_result = r;
    pthread_mutex_unlock(&lock);
    on_payment(userdata, p);
}

static void test_chain(const char *base_url)
{
    struct slot first;
    int base = completed_now();
    SECTION("a callback starting another payment");
    chain_client = MAKE_CLIENT(base_url, TEST_SECRET, 0);
    if (chain_client == NULL)
        return;
    memset(&first, 0, sizeof first);
    memset(&chain_second, 0, sizeof chain_second);
    make_invoice(first.invoice, sizeof first.invoice, "chain1");
    make_invoice(chain_second.invoice, sizeof chain_second.invoice, "chain2");
    first.wallet = WALLET_CASH;
    first.want_outcome = OVO_OUTCOME_PAID;
    first.want_code = "00";
    chain_second.wallet = WALLET_DECLINE;
    chain_second.want_outcome = OVO_OUTCOME_NOT_PAID;
    chain_second.want_code = "17";
    if (!CHECK_ACCEPTED(ovo_push_payment_async(chain_client, first.invoice, 3000, first.wallet,
                                                 on_first_of_chain, &first, NULL, NULL))) {
        ovo_client_free(chain_client);
        return;
    }
    CHECK(wait_completed(base + 1));
    pthread_mutex_lock(&lock);
    CHECK_INT_EQ(chain_start_result, OVO_RESULT_OK);
    pthread_mutex_unlock(&lock);
    CHECK(wait_completed(base + 2));
    ovo_client_free(chain_client);
    pthread_mutex_lock(&lock);
    check_slot(&first, 0);
    check_slot(&chain_second, 1);
    pthread_mutex_unlock(&lock);
}

int main(void)
{
    const char *url;
    ovo_client *client;
    main_thread = pthread_self();
    url = sandbox_url();
    if (url == NULL)
        return check_summary();
    client = MAKE_CLIENT(url, TEST_SECRET, 0);
    if (client != NULL) {
        test_refused(client);
        ovo_client_free(client);
    }
    test_concurrent(url, quick_mode() ? 10 : 50);
    test_timeout_and_not_sent(url);
    test_chain(url);
    /* Every accepted payment has called back by now; refused ones never did. */
    pthread_mutex_lock(&lock);
    CHECK_MSG(never.calls == 0, "refused calls never called back (%d calls)", never.calls);
    ovo_payment_free(never.payment);
    pthread_mutex_unlock(&lock);
    return check_summary();
}
