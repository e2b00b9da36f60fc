/*
 * test_cancel: ovo_payment_cancel, ovo_push_payment_cancellable and the in-flight guard, against
 * the hold sandbox (OVO_SANDBOX_HOLD_URL: pushes to a manual wallet stay held until paid).
 *   - async: cancel a held push -> the callback within 100 ms (bounds widened under ASan and
 *     valgrind), exactly once, OUTCOME_UNKNOWN + cancelled; the invoice is then UNSETTLED; the
 *     customer pays late and ovo_check_status says PAID;
 *   - blocking: cancel from another thread (one handle stopping two pushes); a declined push
 *     then shows NOT_PAID; a handle cancelled before its push sends nothing;
 *   - handles freed before the callback (the payment then completes normally), freed after,
 *     cancelled after the callback (nothing happens);
 *   - a cancel during reconcile's wait (after a TIMEOUT answer);
 *   - in flight: a second push of an invoice (blocking, cancellable, async, and eight threads
 *     at once) is refused IN_FLIGHT with nothing sent;
 *   - the race: cancels at varying moments around the answer (spread over twice the time an
 *     answer takes, so both sides win some; 1,000 rounds in every mode), exactly one callback
 *     each, PAID or cancelled, all on one dispatcher thread; the leak checkers see no leak.
 */
#define _POSIX_C_SOURCE 200809L
#include <sched.h>

#include "check.h"
#include "common.h"
#include "pusher.h"
#include "sandbox.h"

static const char *sb_url;   /* hold 1 s, approve delay 50 ms */
static const char *hold_url; /* hold 60 s, approve delay 0 */
static ovo_client *client;   /* of hold_url */

/* A cancelled push: OUTCOME_UNKNOWN, UNKNOWN, cancelled, and a message saying what to do. */
#define CHECK_CANCELLED(p) check_cancelled_((p), __FILE__, __LINE__)
static void check_cancelled_(const ovo_payment *p, const char *file, int line)
{
    const char *msg = ovo_error_message(ovo_payment_error(p));
    check_record(ovo_payment_result(p) == OVO_RESULT_OUTCOME_UNKNOWN &&
                     ovo_payment_outcome(p) == OVO_OUTCOME_UNKNOWN && ovo_payment_cancelled(p),
                 file, line, "cancelled: %s/%s, cancelled %d (%s)",
                 ovo_result_name(ovo_payment_result(p)),
                 ovo_outcome_name(ovo_payment_outcome(p)), (int)ovo_payment_cancelled(p), msg);
    check_record(strstr(msg, "may still pay") != NULL && strstr(msg, "status") != NULL, file,
                 line, "the message says the customer may still pay, check the status: %s", msg);
    check_record(is_uuid_v4(ovo_payment_request_id(p)), file, line, "it was sent");
}

/* Asserts a latency bound: `plain_ms` plain, widened under ASan and valgrind. */
#define CHECK_PROMPT(what, ms, plain_ms)                                                    \
    CHECK_MSG((ms) < bound_ms(plain_ms), "%s within %.0f ms (%s): took %.1f ms", (what),     \
              bound_ms(plain_ms), test_mode(), (ms))

/* Status of `invoice` through `client`: expects `want`. */
static void expect_status(const char *invoice, ovo_outcome want, const char *transaction)
{
    ovo_payment *p = NULL;
    CHECK_INT_EQ(ovo_check_status(client, invoice, &p), OVO_RESULT_OK);
    CHECK_PAYMENT_INVARIANTS(p);
    CHECK_MSG(ovo_payment_outcome(p) == want, "status of %s: %s, want %s", invoice,
              ovo_outcome_name(ovo_payment_outcome(p)), ovo_outcome_name(want));
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), transaction);
    ovo_payment_free(p);
}

/* An async push of `invoice` that is refused with `want` through its callback. */
static void expect_async_refusal(const char *invoice, ovo_result want)
{
    struct inbox box;
    ovo_payment *p;
    inbox_init(&box);
    CHECK_INT_EQ(ovo_push_payment_async(client, invoice, 20000, WALLET_MANUAL, inbox_callback, &box,
                                        NULL, NULL),
                 OVO_RESULT_OK);
    if (CHECK(inbox_wait(&box, 60))) {
        p = inbox_take(&box);
        CHECK_MSG(ovo_payment_result(p) == want, "async refusal: %s, want %s",
                  ovo_result_name(ovo_payment_result(p)), ovo_result_name(want));
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        ovo_payment_free(p);
    }
    inbox_destroy(&box);
}

/*
 * Waits for the callback of a fresh async push through `client`. Callbacks of one client run in
 * order on one dispatcher thread, so a callback queued before it (a duplicate) has run by then.
 */
static void dispatcher_barrier(void)
{
    struct inbox box;
    char inv[80];
    inbox_init(&box);
    CHECK_INT_EQ(ovo_push_payment_async(client, make_invoice(inv, sizeof inv, "barrier"), 1000,
                                        WALLET_CASH, inbox_callback, &box, NULL, NULL),
                 OVO_RESULT_OK);
    CHECK(inbox_wait(&box, 60));
    inbox_destroy(&box);
}

static void test_async_cancel(void)
{
    struct inbox box;
    ovo_payment_handle *h = POISON_PTR;
    char inv[80];
    ovo_payment *p;
    double t0;
    long pushes;
    SECTION("async cancel: callback within 100 ms, exactly once, UNKNOWN; the late payment shows");
    inbox_init(&box);
    make_invoice(inv, sizeof inv, "acancel");
    pushes = sb_stat(hold_url, "payment_requests");
    CHECK_INT_EQ(ovo_push_payment_async(client, inv, 20000, WALLET_MANUAL, inbox_callback, &box,
                                        &h, NULL),
                 OVO_RESULT_OK);
    if (!CHECK(h != NULL && h != POISON_PTR)) {
        inbox_destroy(&box);
        return;
    }
    CHECK(sb_wait_held(hold_url, inv, 30));
    CHECK_INT_EQ(inbox_calls(&box), 0);
    t0 = now_ms();
    CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK);
    if (CHECK(inbox_wait(&box, 30))) {
        CHECK_PROMPT("the cancelled push's callback", box.at_ms - t0, 100);
        p = inbox_take(&box);
        CHECK_CANCELLED(p);
        CHECK_INT_EQ(ovo_payment_kind(p), OVO_KIND_PUSH);
        CHECK_NULL(ovo_payment_last_check(p));
        ovo_payment_free(p);
    }
    CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK); /* twice, and after the callback: fine */
    /* Open now: refused, nothing sent. The refusal's callback runs on the same dispatcher after
     * the first, so a second callback of the cancelled push would have come by then. */
    expect_async_refusal(inv, OVO_RESULT_UNSETTLED);
    CHECK_MSG(inbox_calls(&box) == 1, "exactly one callback (%d)", inbox_calls(&box));
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes + 1);
    /* The customer pays after the cashier gave up: the status check tells the truth. */
    CHECK_INT_EQ(sb_pay(hold_url, inv), 200);
    expect_status(inv, OVO_OUTCOME_PAID, "SUCCESS");
    ovo_payment_handle_free(h);
    inbox_destroy(&box);
}

static void test_blocking_cancel(void)
{
    struct pusher a, b;
    char inv_a[80], inv_b[80];
    ovo_payment_handle *h = ovo_payment_handle_new();
    ovo_payment *p;
    double t0;
    long pushes = sb_stat(hold_url, "payment_requests");
    SECTION("blocking cancel from another thread: one handle stops both pushes using it");
    if (!CHECK_NONNULL(h))
        return;
    make_invoice(inv_a, sizeof inv_a, "bcancel");
    make_invoice(inv_b, sizeof inv_b, "bcancel");
    pusher_start(&a, client, inv_a, 20000, WALLET_MANUAL, h);
    pusher_start(&b, client, inv_b, 21000, WALLET_MANUAL, h);
    CHECK(sb_wait_held(hold_url, inv_a, 30) && sb_wait_held(hold_url, inv_b, 30));
    t0 = now_ms();
    CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK);
    p = pusher_join(&a);
    CHECK_PROMPT("the blocking push's return", a.returned_ms - t0, 100);
    CHECK_CANCELLED(p);
    ovo_payment_free(p);
    p = pusher_join(&b);
    CHECK_PROMPT("the second push's return", b.returned_ms - t0, 100);
    CHECK_CANCELLED(p);
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes + 2);
    /* The customer declines in the app: NOT_PAID; the other one is still pending. */
    CHECK_INT_EQ(sb_decline(hold_url, inv_a), 200);
    expect_status(inv_a, OVO_OUTCOME_NOT_PAID, "FAILED");
    expect_status(inv_b, OVO_OUTCOME_UNKNOWN, "PENDING");
    CHECK_INT_EQ(sb_decline(hold_url, inv_b), 200);
    ovo_payment_handle_free(h);
}

static void test_precancelled(void)
{
    char inv[80];
    ovo_payment_handle *h = ovo_payment_handle_new();
    ovo_payment *p = NULL;
    long pushes = sb_stat(hold_url, "payment_requests");
    SECTION("a handle cancelled before its push: NOT_SENT, nothing sent");
    CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_push_payment_cancellable(client, make_invoice(inv, sizeof inv, "pre"), 1000,
                                              WALLET_CASH, h, &p),
                 OVO_RESULT_NOT_SENT);
    CHECK_PAYMENT_INVARIANTS(p);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    CHECK(ovo_payment_cancelled(p));
    CHECK_INT_EQ(ovo_payment_http_status(p), 0);
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes);
    /* Nothing left, so nothing is open: the invoice can be pushed (a NULL handle: no cancel). */
    p = NULL;
    CHECK_INT_EQ(ovo_push_payment_cancellable(client, inv, 1000, WALLET_CASH, NULL, &p),
                 OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK(!ovo_payment_cancelled(p));
    ovo_payment_free(p);
    ovo_payment_handle_free(h);
}

static void test_handle_lifetimes(void)
{
    struct inbox box;
    ovo_payment_handle *h = NULL;
    char inv[80];
    ovo_payment *p;
    SECTION("handles: freed before the callback, freed at once, cancelled after the callback");
    /* Freed while its push is held: the push can no longer be cancelled and completes. */
    inbox_init(&box);
    make_invoice(inv, sizeof inv, "hfree");
    CHECK_INT_EQ(ovo_push_payment_async(client, inv, 3000, WALLET_MANUAL, inbox_callback, &box, &h,
                                        NULL),
                 OVO_RESULT_OK);
    CHECK(sb_wait_held(hold_url, inv, 30));
    ovo_payment_handle_free(h);
    CHECK_INT_EQ(sb_pay(hold_url, inv), 200);
    if (CHECK(inbox_wait(&box, 30))) {
        p = inbox_take(&box);
        CHECK_INT_EQ(ovo_payment_result(p), OVO_RESULT_OK);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        CHECK(!ovo_payment_cancelled(p));
        ovo_payment_free(p);
    }
    inbox_destroy(&box);

    /* Freed right after the call returned. */
    inbox_init(&box);
    h = NULL;
    CHECK_INT_EQ(ovo_push_payment_async(client, make_invoice(inv, sizeof inv, "hnow"), 3000,
                                        WALLET_CASH, inbox_callback, &box, &h, NULL),
                 OVO_RESULT_OK);
    ovo_payment_handle_free(h);
    if (CHECK(inbox_wait(&box, 30))) {
        p = inbox_take(&box);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        ovo_payment_free(p);
    }
    inbox_destroy(&box);

    /* Cancelled after its callback: nothing happens, no second callback. */
    inbox_init(&box);
    h = NULL;
    CHECK_INT_EQ(ovo_push_payment_async(client, make_invoice(inv, sizeof inv, "hlate"), 3000,
                                        WALLET_CASH, inbox_callback, &box, &h, NULL),
                 OVO_RESULT_OK);
    if (CHECK(inbox_wait(&box, 30))) {
        CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK);
        p = inbox_take(&box);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        CHECK(!ovo_payment_cancelled(p));
        ovo_payment_free(p);
        dispatcher_barrier();
    }
    CHECK_MSG(inbox_calls(&box) == 1, "one callback (%d)", inbox_calls(&box));
    ovo_payment_handle_free(h);
    inbox_destroy(&box);
}

/* Watches the log for the push answer of one invoice (so a test knows reconcile now waits). */
struct log_watch {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char needle[96];
    int seen;
};

static void watch_log(void *userdata, ovo_log_level level, const char *message)
{
    struct log_watch *w = userdata;
    (void)level;
    if (strstr(message, w->needle) != NULL && strstr(message, "status=TIMEOUT") != NULL) {
        pthread_mutex_lock(&w->lock);
        w->seen = 1;
        pthread_cond_broadcast(&w->cond);
        pthread_mutex_unlock(&w->lock);
    }
}

static void test_cancel_during_reconcile(void)
{
    static struct log_watch w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, "", 0};
    struct timespec deadline = deadline_in(60);
    struct inbox box;
    ovo_payment_handle *h = NULL;
    ovo_client *rc = NULL;
    ovo_config *config = ovo_config_new();
    char inv[80];
    ovo_payment *p;
    long checks;
    double t0;
    SECTION("cancel during reconcile's wait after a TIMEOUT answer");
    ovo_config_set_base_url(config, sb_url); /* hold 1 s: TIMEOUT 68 after 1 s */
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_reconcile(config, 20000, 30000); /* the first check would come after 20 s */
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &rc, NULL), OVO_RESULT_OK);
    ovo_config_free(config);
    if (rc == NULL)
        return;
    make_invoice(inv, sizeof inv, "rcancel");
    snprintf(w.needle, sizeof w.needle, "push: invoice=%s ", inv);
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_INFO, watch_log, &w), OVO_RESULT_OK);
    checks = sb_stat(sb_url, "status_requests");
    inbox_init(&box);
    CHECK_INT_EQ(ovo_push_payment_async(rc, inv, 2000, WALLET_MANUAL, inbox_callback, &box, &h,
                                        NULL),
                 OVO_RESULT_OK);
    pthread_mutex_lock(&w.lock);
    while (!w.seen && pthread_cond_timedwait(&w.cond, &w.lock, &deadline) == 0) {
    }
    CHECK_MSG(w.seen, "the TIMEOUT answer was logged");
    pthread_mutex_unlock(&w.lock);
    t0 = now_ms();
    CHECK_INT_EQ(ovo_payment_cancel(h), OVO_RESULT_OK);
    if (CHECK(inbox_wait(&box, 60))) {
        CHECK_PROMPT("the callback of a push cancelled while reconciling", box.at_ms - t0, 100);
        p = inbox_take(&box);
        CHECK(ovo_payment_cancelled(p));
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        /* ovo_payment_cancelled: "then the result is OUTCOME_UNKNOWN (or NOT_SENT)". */
        CHECK_MSG(ovo_payment_result(p) == OVO_RESULT_OUTCOME_UNKNOWN,
                  "a push cancelled while reconciling: result %s, want OUTCOME_UNKNOWN",
                  ovo_result_name(ovo_payment_result(p)));
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "TIMEOUT");
        ovo_payment_free(p);
    }
    CHECK_INT_EQ(ovo_set_log_callback(OVO_LOG_LEVEL_INFO, NULL, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(sb_stat(sb_url, "status_requests"), checks); /* no check was made */
    ovo_payment_handle_free(h);
    inbox_destroy(&box);
    ovo_client_free(rc);
}

/* Eight threads pushing one invoice at once: one is sent, the others are refused. */
#define SAME_THREADS 8
static pthread_mutex_t same_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t same_cond = PTHREAD_COND_INITIALIZER;
static int same_refused = 0;
static char same_invoice[80];

static void *same_invoice_worker(void *arg)
{
    ovo_payment **out = arg;
    ovo_result r = ovo_push_payment(client, same_invoice, 7000, WALLET_MANUAL, out);
    pthread_mutex_lock(&same_lock);
    same_refused += r == OVO_RESULT_IN_FLIGHT;
    pthread_cond_broadcast(&same_cond);
    pthread_mutex_unlock(&same_lock);
    return NULL;
}

static void test_in_flight(void)
{
    struct inbox box;
    ovo_payment_handle *h = NULL, *h2 = ovo_payment_handle_new();
    char inv[80];
    ovo_payment *p = NULL, *got[SAME_THREADS];
    pthread_t t[SAME_THREADS];
    struct timespec deadline;
    long pushes = sb_stat(hold_url, "payment_requests");
    int i, n = 0, paid = 0, refused = 0;
    SECTION("in flight: a second push of the invoice is refused, nothing sent");
    inbox_init(&box);
    make_invoice(inv, sizeof inv, "twice");
    CHECK_INT_EQ(ovo_push_payment_async(client, inv, 5000, WALLET_MANUAL, inbox_callback, &box, &h,
                                        NULL),
                 OVO_RESULT_OK);
    CHECK(sb_wait_held(hold_url, inv, 30));
    CHECK_INT_EQ(ovo_push_payment(client, inv, 5000, WALLET_MANUAL, &p), OVO_RESULT_IN_FLIGHT);
    CHECK_PAYMENT_INVARIANTS(p);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_STR_EQ(ovo_payment_request_id(p), "");
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_IN_FLIGHT, NULL);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "in flight");
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "nothing was sent");
    ovo_payment_free(p);
    CHECK_INT_EQ(ovo_push_payment_cancellable(client, inv, 5000, WALLET_MANUAL, h2, NULL),
                 OVO_RESULT_IN_FLIGHT);
    CHECK_INT_EQ(ovo_push_payment(client, inv, 5001, WALLET_CASH, NULL), OVO_RESULT_IN_FLIGHT);
    expect_async_refusal(inv, OVO_RESULT_IN_FLIGHT);
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes + 1);
    CHECK_INT_EQ(sb_pay(hold_url, inv), 200);
    if (CHECK(inbox_wait(&box, 30))) {
        p = inbox_take(&box);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID); /* the first push decides */
        ovo_payment_free(p);
    }
    ovo_payment_handle_free(h);
    ovo_payment_handle_free(h2);
    inbox_destroy(&box);

    /* Many threads at once. */
    make_invoice(same_invoice, sizeof same_invoice, "same");
    pushes = sb_stat(hold_url, "payment_requests");
    for (i = 0; i < SAME_THREADS; i++) {
        got[i] = NULL;
        if (pthread_create(&t[i], NULL, same_invoice_worker, &got[i]) != 0)
            break;
        n++;
    }
    CHECK_INT_EQ(n, SAME_THREADS);
    deadline = deadline_in(60);
    pthread_mutex_lock(&same_lock);
    while (same_refused < n - 1 && pthread_cond_timedwait(&same_cond, &same_lock, &deadline) == 0) {
    }
    CHECK_MSG(same_refused == n - 1, "all but one refused IN_FLIGHT (%d of %d)", same_refused, n);
    pthread_mutex_unlock(&same_lock);
    CHECK(sb_wait_held(hold_url, same_invoice, 30));
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes + 1);
    CHECK_INT_EQ(sb_pay(hold_url, same_invoice), 200);
    for (i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        CHECK_PAYMENT_INVARIANTS(got[i]);
        paid += ovo_payment_outcome(got[i]) == OVO_OUTCOME_PAID;
        refused += ovo_payment_result(got[i]) == OVO_RESULT_IN_FLIGHT;
        ovo_payment_free(got[i]);
    }
    CHECK_MSG(paid == 1 && refused == n - 1, "one paid (%d), %d refused", paid, refused);
}

/* The race: one slot per round, written by its callback. */
struct race_slot {
    int calls;
    ovo_result result;
    ovo_outcome outcome;
    int cancelled;
    pthread_t thread;
    ovo_payment_handle *handle; /* freed after the callback, for even rounds */
};
static pthread_mutex_t race_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t race_cond = PTHREAD_COND_INITIALIZER;
static int race_done = 0;

static void race_callback(void *userdata, ovo_payment *p)
{
    struct race_slot *s = userdata;
    ovo_result r = ovo_payment_result(p);
    ovo_outcome o = ovo_payment_outcome(p);
    int cancelled = ovo_payment_cancelled(p);
    CHECK_PAYMENT_INVARIANTS(p);
    ovo_payment_free(p);
    pthread_mutex_lock(&race_lock);
    s->calls++;
    s->result = r;
    s->outcome = o;
    s->cancelled = cancelled;
    s->thread = pthread_self();
    race_done++;
    pthread_cond_broadcast(&race_cond);
    pthread_mutex_unlock(&race_lock);
}

/*
 * Waits `us` microseconds, yielding the CPU (valgrind runs one thread at a time): spreads the
 * cancels around the answer's arrival; it synchronises nothing.
 */
static void spin_us(double us)
{
    double end = now_ms() + us / 1000.0;
    while (now_ms() < end)
        sched_yield();
}

/* How long an async push takes here to call back (the median of five), in ms. */
static double push_latency_ms(const ovo_client *c)
{
    double t[5], tmp;
    int i, j;
    for (i = 0; i < 5; i++) {
        struct inbox box;
        char inv[80];
        double t0 = now_ms();
        inbox_init(&box);
        ovo_push_payment_async(c, make_invoice(inv, sizeof inv, "calib"), 1000, WALLET_CASH,
                               inbox_callback, &box, NULL, NULL);
        CHECK(inbox_wait(&box, 60));
        t[i] = box.at_ms - t0;
        inbox_destroy(&box);
    }
    for (i = 0; i < 5; i++)
        for (j = i + 1; j < 5; j++)
            if (t[j] < t[i]) {
                tmp = t[i];
                t[i] = t[j];
                t[j] = tmp;
            }
    return t[2];
}

static void test_race(int rounds)
{
    struct race_slot *slots = calloc((size_t)rounds, sizeof *slots);
    ovo_client *rc = MAKE_CLIENT(hold_url, TEST_SECRET, 0);
    struct timespec deadline;
    int i, submitted = 0, paid = 0, cancelled = 0, bad = 0, one_thread = 1;
    double t0, spread_us;
    char title[96];
    snprintf(title, sizeof title, "cancel racing the answer: %d rounds (%s)", rounds, test_mode());
    SECTION(title);
    if (!CHECK_NONNULL(slots) || rc == NULL) {
        free(slots);
        ovo_client_free(rc);
        return;
    }
    /* Cancel from at once up to twice the time an answer takes, so both sides win some. */
    spread_us = 2000.0 * push_latency_ms(rc);
    t0 = now_ms();
    for (i = 0; i < rounds; i++) {
        char inv[80];
        ovo_payment_handle *h = NULL;
        if (ovo_push_payment_async(rc, make_invoice(inv, sizeof inv, "race"), 1000, WALLET_CASH,
                                   race_callback, &slots[i], &h, NULL) != OVO_RESULT_OK) {
            CHECK_MSG(0, "round %d accepted", i);
            continue;
        }
        submitted++;
        spin_us(spread_us * (i % 80) / 80.0);
        ovo_payment_cancel(h);
        if (i % 2)
            ovo_payment_handle_free(h); /* at once, maybe before the callback */
        else
            slots[i].handle = h;        /* after every callback */
    }
    ovo_client_free(rc); /* payments in flight keep what they need */
    deadline = deadline_in(300);
    pthread_mutex_lock(&race_lock);
    while (race_done < submitted &&
           pthread_cond_timedwait(&race_cond, &race_lock, &deadline) == 0) {
    }
    CHECK_MSG(race_done == submitted, "every round called back (%d of %d)", race_done, submitted);
    for (i = 0; i < rounds; i++) {
        struct race_slot *s = &slots[i];
        if (s->calls != 1)
            CHECK_MSG(0, "round %d: %d callbacks", i, s->calls);
        else if (s->result == OVO_RESULT_OK && s->outcome == OVO_OUTCOME_PAID && !s->cancelled)
            paid++;
        else if (s->cancelled &&
                 (s->result == OVO_RESULT_OUTCOME_UNKNOWN || s->result == OVO_RESULT_NOT_SENT))
            cancelled++;
        else if (bad++ < 10)
            CHECK_MSG(0, "round %d: %s/%s cancelled %d", i, ovo_result_name(s->result),
                      ovo_outcome_name(s->outcome), s->cancelled);
        if (s->calls > 0 && !pthread_equal(s->thread, slots[0].thread))
            one_thread = 0;
        ovo_payment_handle_free(s->handle);
    }
    pthread_mutex_unlock(&race_lock);
    CHECK_MSG(paid + cancelled == rounds, "every round PAID or cancelled (%d + %d of %d)", paid,
              cancelled, rounds);
    CHECK_MSG(one_thread, "callbacks of one client run on one dispatcher thread");
    printf("   %d answered first, %d cancelled first (cancels spread over %.2f ms; %.1f s)\n",
           paid, cancelled, spread_us / 1000.0, (now_ms() - t0) / 1000.0);
    free(slots);
}

int main(void)
{
    sb_url = sandbox_url();
    hold_url = hold_sandbox_url();
    if (sb_url == NULL || hold_url == NULL)
        return check_summary();
    client = MAKE_CLIENT(hold_url, TEST_SECRET, 0);
    if (client == NULL)
        return check_summary();
    test_async_cancel();
    test_blocking_cancel();
    test_precancelled();
    test_handle_lifetimes();
    test_cancel_during_reconcile();
    test_in_flight();
    test_race(1000); /* also under valgrind: about 4 s there */
    ovo_client_free(client);
    return check_summary();
}
