/*
 * test_settle: pushes whose outcome stays open, and how they are settled.
 *   - code 40 (invoice used before) from the sandbox: OUTCOME_UNKNOWN/UNKNOWN with DOKU's fields
 *     readable; the next push of the invoice (blocking and async) is refused UNSETTLED with
 *     nothing sent (the sandbox's payment_requests unchanged); ovo_check_status saying PAID
 *     settles it and the push is let through again;
 *   - a push the client gave up on (short timeout): UNSETTLED until a decided status; a
 *     PENDING status does not settle it; NOT_PAID after a decline does;
 *   - push answers from a stub: FAILED 40/68/00 and SUCCESS with another code are
 *     OUTCOME_UNKNOWN with the fields readable; HTTP 408/409 OUTCOME_UNKNOWN; other 4xx
 *     REJECTED / NOT_PAID;
 *   - reconcile: a push the client gave up on, paid late by the customer, ends PAID through
 *     its last status check (never pushed again); a TIMEOUT nobody pays stays UNKNOWN when
 *     the reconcile window ends;
 *   - the sandbox's fault wallets (HTTP 500, 503, reset, malformed JSON, silence): each pays,
 *     the push ends OUTCOME_UNKNOWN, a status check says PAID; with reconcile the push does.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"
#include "pusher.h"
#include "sandbox.h"
#include "stub.h"

static const char *sb_url;   /* hold 1 s, approve delay 50 ms */
static const char *hold_url; /* hold 60 s, approve delay 0 */

/* A push expected to give `want`; its payment (caller frees), checked against the invariants. */
static ovo_payment *push_(const ovo_client *c, const char *invoice, int64_t amount,
                          const char *wallet, ovo_result want, const char *file, int line)
{
    ovo_payment *p = NULL;
    ovo_result r = ovo_push_payment(c, invoice, amount, wallet, &p);
    check_record(r == want, file, line, "push %s: %s, want %s (%s)", invoice, ovo_result_name(r),
                 ovo_result_name(want),
                 ovo_payment_error(p) ? ovo_error_message(ovo_payment_error(p)) : "no error");
    CHECK_PAYMENT_INVARIANTS(p);
    return p;
}
#define PUSH(c, inv, amount, wallet, want)                                                  \
    push_((c), (inv), (amount), (wallet), (want), __FILE__, __LINE__)

/* A refused push of `invoice` (blocking, then async): `want`, outcome UNKNOWN, nothing sent. */
static void expect_refused_(const ovo_client *c, const char *base, const char *invoice,
                            const char *wallet, ovo_result want, const char *file, int line)
{
    long sent = sb_stat(base, "payment_requests");
    ovo_payment *p = push_(c, invoice, 9000, wallet, want, file, line);
    struct inbox box;
    if (p != NULL) {
        check_record(ovo_payment_outcome(p) == OVO_OUTCOME_UNKNOWN, file, line,
                     "refused push: outcome UNKNOWN");
        check_record(ovo_payment_request_id(p)[0] == '\0', file, line, "refused: no request id");
        check_error_(ovo_payment_error(p), want, NULL, file, line);
        check_record(strstr(ovo_error_message(ovo_payment_error(p)), "nothing was sent") != NULL,
                     file, line, "the message says nothing was sent: %s",
                     ovo_error_message(ovo_payment_error(p)));
        ovo_payment_free(p);
    }
    inbox_init(&box);
    check_record(ovo_push_payment_async(c, invoice, 9000, wallet, inbox_callback, &box, NULL,
                                        NULL) == OVO_RESULT_OK,
                 file, line, "async refusals are accepted and come through the callback");
    if (inbox_wait(&box, 60)) {
        p = inbox_take(&box);
        check_record(ovo_payment_result(p) == want, file, line, "async: %s, want %s",
                     ovo_result_name(ovo_payment_result(p)), ovo_result_name(want));
        ovo_payment_free(p);
    } else {
        check_record(0, file, line, "the async refusal called back");
    }
    check_record(inbox_calls(&box) == 1, file, line, "one callback");
    inbox_destroy(&box);
    check_record(sb_stat(base, "payment_requests") == sent, file, line,
                 "the sandbox received no push (%ld before, %ld after)", sent,
                 sb_stat(base, "payment_requests"));
}
#define EXPECT_REFUSED(c, base, inv, wallet, want)                                          \
    expect_refused_((c), (base), (inv), (wallet), (want), __FILE__, __LINE__)

static void test_code_40(void)
{
    char inv[80];
    ovo_client *client = MAKE_CLIENT(sb_url, TEST_SECRET, 0);
    ovo_payment *p;
    long sent;
    int64_t amount = 0;
    SECTION("code 40 -> UNKNOWN with the fields; UNSETTLED until a status check settles it");
    if (client == NULL)
        return;
    make_invoice(inv, sizeof inv, "c40");
    p = PUSH(client, inv, 9000, WALLET_CASH, OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    ovo_payment_free(p);
    /* That push ended PAID, so libovo lets another through: DOKU answers 40. */
    p = PUSH(client, inv, 9000, WALLET_CASH, OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "FAILED");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "40");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_OVO_ID), WALLET_CASH);
    CHECK(ovo_payment_number(p, OVO_FIELD_AMOUNT, &amount) && amount == 9000);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER), inv);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_REQUEST_OVO_ID), WALLET_CASH);
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "code 40");
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "check its status");
    CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), "\"40\"");
    ovo_payment_free(p);

    EXPECT_REFUSED(client, sb_url, inv, WALLET_CASH, OVO_RESULT_UNSETTLED);

    /* The status says PAID: settled, and a push of it is let through (DOKU answers 40). */
    p = NULL;
    CHECK_INT_EQ(ovo_check_status(client, inv, &p), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    ovo_payment_free(p);
    sent = sb_stat(sb_url, "payment_requests");
    p = PUSH(client, inv, 9000, WALLET_CASH, OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "40");
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(sb_url, "payment_requests"), sent + 1);
    ovo_client_free(client);
}

static void test_given_up(void)
{
    char inv[80];
    ovo_client *client = MAKE_CLIENT(hold_url, TEST_SECRET, scaled(300, 2000));
    ovo_payment *p;
    SECTION("a push the client gave up on: UNSETTLED until a decided status (PENDING is not)");
    if (client == NULL)
        return;
    make_invoice(inv, sizeof inv, "gaveup");
    p = PUSH(client, inv, 9000, WALLET_MANUAL, OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_http_status(p), 0);
    ovo_payment_free(p);
    CHECK(sb_wait_held(hold_url, inv, 30)); /* still payable: the window is the sandbox's */
    EXPECT_REFUSED(client, hold_url, inv, WALLET_MANUAL, OVO_RESULT_UNSETTLED);
    p = NULL;
    CHECK_INT_EQ(ovo_check_status(client, inv, &p), OVO_RESULT_OK);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "PENDING");
    ovo_payment_free(p);
    EXPECT_REFUSED(client, hold_url, inv, WALLET_MANUAL, OVO_RESULT_UNSETTLED);
    CHECK_INT_EQ(sb_decline(hold_url, inv), 200);
    p = NULL;
    CHECK_INT_EQ(ovo_check_status(client, inv, &p), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    ovo_payment_free(p);
    /* Settled NOT_PAID: let through; DOKU itself refuses a used invoice. */
    p = PUSH(client, inv, 9000, WALLET_MANUAL, OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "40");
    ovo_payment_free(p);
    ovo_client_free(client);
}

/* DOKU's push answer echoing the request (cash wallet), with `status` and `code`. */
static const char *push_answer(char *buf, size_t len, const char *invoice, int64_t amount,
                               const char *status, const char *code)
{
    snprintf(buf, len,
             "{\"client\":{\"id\":\"" TEST_CLIENT_ID "\"},\"order\":{\"invoice_number\":\"%s\","
             "\"amount\":%lld},\"ovo_info\":{\"ovo_id\":\"" WALLET_CASH "\","
             "\"ovo_account_name\":\"Taufik Ismail\"},\"ovo_payment\":{\"status\":\"%s\","
             "\"response_code\":\"%s\",\"cash_used\":0}}",
             invoice, (long long)amount, status, code);
    return buf;
}

/* One push against a stub answering `status_line` with `body`; the payment (caller frees). */
static ovo_payment *push_stub(const char *status_line, const char *body, const char *invoice,
                              ovo_result want)
{
    struct stub s;
    char url[64];
    ovo_client *client;
    ovo_payment *p;
    if (!CHECK(stub_answer(&s, status_line, body)))
        return NULL;
    base_url_of(&s, url, sizeof url, "");
    client = MAKE_CLIENT(url, TEST_SECRET, 10000);
    p = PUSH(client, invoice, 10000, WALLET_CASH, want);
    ovo_client_free(client);
    CHECK_INT_EQ(stub_finish(&s), 0); /* never retried */
    CHECK_INT_EQ(s.accepted, 1);
    return p;
}

static void test_open_answers(void)
{
    static const struct {
        const char *status, *code, *says;
    } open[] = {
        {"FAILED", "40", "code 40"},
        {"FAILED", "68", "code 68"},
        {"FAILED", "00", "contradicts"},
        {"SUCCESS", "17", "contradicts"},
        {"SUCCESS", "", "contradicts"},
    };
    static const struct {
        const char *status_line;
        ovo_result result;
        ovo_outcome outcome;
    } http[] = {
        {"408 Request Timeout", OVO_RESULT_OUTCOME_UNKNOWN, OVO_OUTCOME_UNKNOWN},
        {"409 Conflict", OVO_RESULT_OUTCOME_UNKNOWN, OVO_OUTCOME_UNKNOWN},
        {"400 Bad Request", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
        {"401 Unauthorized", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
        {"403 Forbidden", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
        {"404 Not Found", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
        {"422 Unprocessable Entity", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
        {"429 Too Many Requests", OVO_RESULT_REJECTED, OVO_OUTCOME_NOT_PAID},
    };
    size_t i;
    SECTION("stub: answers that leave a push open; 408/409 unknown, other 4xx rejected");
    for (i = 0; i < sizeof open / sizeof open[0]; i++) {
        char inv[80], body[1024];
        ovo_payment *p;
        make_invoice(inv, sizeof inv, "open");
        printf("   %s %s\n", open[i].status, open[i].code);
        p = push_stub("200 OK", push_answer(body, sizeof body, inv, 10000, open[i].status,
                                            open[i].code),
                      inv, OVO_RESULT_OUTCOME_UNKNOWN);
        if (p == NULL)
            continue;
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), open[i].status);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), open[i].code);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ACCOUNT_NAME), "Taufik Ismail");
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), open[i].says);
        ovo_payment_free(p);
    }
    for (i = 0; i < sizeof http / sizeof http[0]; i++) {
        char inv[80];
        ovo_payment *p;
        printf("   %s\n", http[i].status_line);
        p = push_stub(http[i].status_line, "{}", make_invoice(inv, sizeof inv, "4xx"),
                      http[i].result);
        if (p == NULL)
            continue;
        CHECK_MSG(ovo_payment_outcome(p) == http[i].outcome, "%s: outcome %s",
                  http[i].status_line, ovo_outcome_name(ovo_payment_outcome(p)));
        CHECK_INT_EQ(ovo_payment_http_status(p), atoi(http[i].status_line));
        ovo_payment_free(p);
    }
}

/* A client of the hold sandbox with reconcile (first delay 0) and a short push timeout. */
static ovo_client *reconciling(const char *base, unsigned timeout_ms, unsigned max_wait_ms)
{
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    ovo_config_set_base_url(config, base);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_timeout_ms(config, timeout_ms);
    ovo_config_set_reconcile(config, 0, max_wait_ms);
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &client, &err), OVO_RESULT_OK);
    if (err != NULL)
        CHECK_MSG(0, "reconciling client: %s", ovo_error_message(err));
    ovo_error_free(err);
    ovo_config_free(config);
    return client;
}

static void test_reconcile_late_payment(void)
{
    struct pusher b;
    char inv[80];
    ovo_client *client = reconciling(hold_url, (unsigned)scaled(300, 2000), 20000);
    ovo_payment *p;
    const ovo_payment *last;
    long pushes, checks;
    int64_t amount = 0;
    SECTION("reconcile: the client gave up, the customer paid late -> PAID, pushed once");
    if (client == NULL)
        return;
    pushes = sb_stat(hold_url, "payment_requests");
    checks = sb_stat(hold_url, "status_requests");
    if (!pusher_start(&b, client, make_invoice(inv, sizeof inv, "late"), 15000, WALLET_MANUAL,
                      NULL)) {
        ovo_client_free(client);
        return;
    }
    /* The push timed out and the first check (PENDING) came: now the customer pays. */
    CHECK(sb_wait_stat(hold_url, "status_requests", checks + 1, 60));
    CHECK_INT_EQ(sb_pay(hold_url, inv), 200);
    p = pusher_join(&b);
    CHECK_INT_EQ(b.result, OVO_RESULT_OUTCOME_UNKNOWN); /* the push itself got no answer */
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_INT_EQ(ovo_payment_kind(p), OVO_KIND_PUSH);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "SUCCESS"); /* falls through */
    last = ovo_payment_last_check(p);
    if (CHECK_NONNULL(last)) {
        CHECK_INT_EQ(ovo_payment_kind(last), OVO_KIND_STATUS_CHECK);
        CHECK_INT_EQ(ovo_payment_result(last), OVO_RESULT_OK);
        CHECK_INT_EQ(ovo_payment_outcome(last), OVO_OUTCOME_PAID);
        CHECK_STR_EQ(ovo_payment_text(last, OVO_FIELD_TRANSACTION_STATUS), "SUCCESS");
        CHECK_STR_EQ(ovo_payment_text(last, OVO_FIELD_ORIGINAL_REQUEST_ID),
                     ovo_payment_request_id(p));
        CHECK(ovo_payment_number(last, OVO_FIELD_REQUEST_AMOUNT, &amount) && amount == 15000);
        CHECK(strcmp(ovo_payment_request_id(last), ovo_payment_request_id(p)) != 0);
    }
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), pushes + 1); /* never pushed again */
    CHECK(sb_stat(hold_url, "status_requests") >= checks + 1);
    /* Settled: a push of it is no longer refused; DOKU answers 40. */
    p = PUSH(client, inv, 15000, WALLET_MANUAL, OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "40");
    ovo_payment_free(p);
    ovo_client_free(client);
}

static void test_reconcile_gives_up(void)
{
    char inv[80];
    ovo_client *client = reconciling(sb_url, 10000, 1500);
    ovo_payment *p;
    const ovo_payment *last;
    long pushes;
    SECTION("reconcile: a TIMEOUT nobody pays stays UNKNOWN when the window ends");
    if (client == NULL)
        return;
    pushes = sb_stat(sb_url, "payment_requests");
    /* The 1 s hold passes: DOKU answers TIMEOUT 68; every check says TIMEOUT (still open). */
    p = PUSH(client, make_invoice(inv, sizeof inv, "tmo"), 2000, WALLET_MANUAL, OVO_RESULT_OK);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "TIMEOUT");
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    last = ovo_payment_last_check(p);
    if (CHECK_NONNULL(last)) {
        CHECK_INT_EQ(ovo_payment_outcome(last), OVO_OUTCOME_UNKNOWN);
        CHECK_STR_EQ(ovo_payment_text(last, OVO_FIELD_TRANSACTION_STATUS), "TIMEOUT");
    }
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(sb_url, "payment_requests"), pushes + 1);
    EXPECT_REFUSED(client, sb_url, inv, WALLET_MANUAL, OVO_RESULT_UNSETTLED);
    ovo_client_free(client);
}

/*
 * The sandbox's fault wallets: each really pays, but the push gets no usable answer. A plain
 * client ends OUTCOME_UNKNOWN and a status check says PAID; a reconciling one ends PAID itself.
 */
static void test_fault_wallets(void)
{
    static const struct {
        const char *wallet;
        uint32_t http; /* of the push's answer; 0: none */
    } faults[] = {
        {"089800000500", 500}, /* HTTP 500 with an HTML page */
        {"089800000503", 503}, /* HTTP 503, empty */
        {"089800000104", 0},   /* connection reset */
        {"089800000200", 200}, /* malformed JSON */
        {"089800000408", 0},   /* silent until the 1 s hold ends */
    };
    ovo_client *plain = MAKE_CLIENT(sb_url, TEST_SECRET, 0);
    ovo_client *rc = reconciling(sb_url, 90000, 10000);
    size_t i;
    SECTION("fault wallets: OUTCOME_UNKNOWN, then PAID by status (by reconcile on its own)");
    if (plain == NULL || rc == NULL) {
        ovo_client_free(plain);
        ovo_client_free(rc);
        return;
    }
    for (i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        char inv[80];
        ovo_payment *p, *s = NULL;
        printf("   %s\n", faults[i].wallet);
        p = PUSH(plain, make_invoice(inv, sizeof inv, "fault"), 3000, faults[i].wallet,
                 OVO_RESULT_OUTCOME_UNKNOWN);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        CHECK_INT_EQ(ovo_payment_http_status(p), faults[i].http);
        ovo_payment_free(p);
        CHECK_INT_EQ(ovo_check_status(plain, inv, &s), OVO_RESULT_OK);
        CHECK_MSG(ovo_payment_outcome(s) == OVO_OUTCOME_PAID, "%s: the status says PAID (%s)",
                  faults[i].wallet, ovo_outcome_name(ovo_payment_outcome(s)));
        ovo_payment_free(s);

        p = PUSH(rc, make_invoice(inv, sizeof inv, "rfault"), 3000, faults[i].wallet,
                 OVO_RESULT_OUTCOME_UNKNOWN);
        CHECK_MSG(ovo_payment_outcome(p) == OVO_OUTCOME_PAID, "%s reconciled: PAID (%s)",
                  faults[i].wallet, ovo_outcome_name(ovo_payment_outcome(p)));
        CHECK(ovo_payment_last_check(p) != NULL);
        ovo_payment_free(p);
    }
    ovo_client_free(plain);
    ovo_client_free(rc);
}

int main(void)
{
    sb_url = sandbox_url();
    hold_url = hold_sandbox_url();
    if (sb_url == NULL || hold_url == NULL)
        return check_summary();
    test_code_40();
    test_given_up();
    test_open_answers();
    test_reconcile_late_payment();
    test_reconcile_gives_up();
    test_fault_wallets();
    return check_summary();
}
