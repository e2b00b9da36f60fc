/*
 * test_status: ovo_check_status (DOKU's Check Status API).
 *   Against the sandbox: a paid push (every status field), an invoice with characters that
 *   must be percent-encoded (the sandbox checks the signature over the encoded path), PENDING
 *   while held -> UNKNOWN, NOT_PAID after a decline, not found -> UNKNOWN + not_found, a wrong
 *   key -> REJECTED (outcome UNKNOWN), bad arguments (nothing sent), nobody listening.
 *   Against the stub of stub.h: the request itself (signed GET, encoded path, no body or
 *   Digest), every transaction status, amounts as number/decimal/string (and bad ones),
 *   not-found bodies, 4xx/5xx/3xx, unusable and mismatched answers; one request, never retried.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"
#include "pusher.h"
#include "sandbox.h"
#include "stub.h"

static const char *sb_url;   /* hold 1 s, approve delay 50 ms */
static const char *hold_url; /* hold 60 s, approve delay 0 */

/* A status check expected to give `want_result` and `want_outcome`; the payment (caller frees). */
static ovo_payment *check_(const ovo_client *c, const char *invoice, ovo_result want_result,
                           ovo_outcome want_outcome, const char *file, int line)
{
    ovo_payment *p = POISON_PTR;
    ovo_result r = ovo_check_status(c, invoice, &p);
    check_record(p != POISON_PTR && p != NULL, file, line, "*out always receives a payment");
    if (p == POISON_PTR || p == NULL)
        return NULL;
    check_record(r == want_result && ovo_payment_outcome(p) == want_outcome, file, line,
                 "status of %s: %s/%s, want %s/%s (%s)", invoice ? invoice : "(null)",
                 ovo_result_name(r), ovo_outcome_name(ovo_payment_outcome(p)),
                 ovo_result_name(want_result), ovo_outcome_name(want_outcome),
                 ovo_payment_error(p) ? ovo_error_message(ovo_payment_error(p)) : "no error");
    check_record(ovo_payment_result(p) == r, file, line, "payment result == returned result");
    check_record(ovo_payment_kind(p) == OVO_KIND_STATUS_CHECK, file, line, "kind STATUS_CHECK");
    CHECK_PAYMENT_INVARIANTS(p);
    return p;
}
#define CHECK_STATUS(c, inv, result, outcome)                                               \
    check_((c), (inv), (result), (outcome), __FILE__, __LINE__)

static int64_t number_or(const ovo_payment *p, uint32_t field, int64_t fallback)
{
    int64_t v = fallback;
    ovo_payment_number(p, field, &v);
    return v;
}

static void test_sandbox_paid(const ovo_client *client)
{
    char inv[80], base[80], special[OVO_INVOICE_MAX_LEN + 1];
    ovo_payment *push = NULL, *p;
    long before;
    SECTION("sandbox: a paid push, every status field");
    make_invoice(inv, sizeof inv, "spaid");
    CHECK_INT_EQ(ovo_push_payment(client, inv, 12000, WALLET_CASH, &push), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(push), OVO_OUTCOME_PAID);
    before = sb_stat(sb_url, "status_requests");
    p = CHECK_STATUS(client, inv, OVO_RESULT_OK, OVO_OUTCOME_PAID);
    CHECK_INT_EQ(sb_stat(sb_url, "status_requests"), before + 1);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_http_status(p), 200);
        CHECK(!ovo_payment_not_found(p));
        CHECK_NULL(ovo_payment_error(p));
        CHECK(is_uuid_v4(ovo_payment_request_id(p)));
        CHECK(strcmp(ovo_payment_request_id(p), ovo_payment_request_id(push)) != 0);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "SUCCESS");
        CHECK_MSG(ovo_payment_text(p, OVO_FIELD_TRANSACTION_DATE) &&
                      ovo_payment_text(p, OVO_FIELD_TRANSACTION_DATE)[0] != '\0',
                  "transaction date is set");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ORIGINAL_REQUEST_ID),
                     ovo_payment_request_id(push));
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_SERVICE_ID), "EMONEY");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ACQUIRER_ID), "OVO");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHANNEL_ID), "EMONEY_OVO");
        CHECK_INT_EQ(number_or(p, OVO_FIELD_CHECK_AMOUNT, -1), 12000); /* sent as "12000" */
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHECK_INVOICE_NUMBER), inv);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHECK_RESPONSE_CODE), "00");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER), inv);
        /* A status check alone does not know the push's amount or wallet. */
        CHECK_INT_EQ(number_or(p, OVO_FIELD_REQUEST_AMOUNT, -1), -1);
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_REQUEST_OVO_ID));
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_STATUS));
        CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), inv);
        ovo_payment_free(p);
    }
    ovo_payment_free(push);

    /* Percent-encoding: the sandbox verifies the signature over the encoded path. */
    snprintf(special, sizeof special, "A/B C?#%%&+\"\\%.40s",
             make_invoice(base, sizeof base, "enc"));
    push = NULL;
    CHECK_INT_EQ(ovo_push_payment(client, special, 1000, WALLET_CASH, &push), OVO_RESULT_OK);
    ovo_payment_free(push);
    p = CHECK_STATUS(client, special, OVO_RESULT_OK, OVO_OUTCOME_PAID);
    if (p != NULL) {
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHECK_INVOICE_NUMBER), special);
        ovo_payment_free(p);
    }
}

static void test_sandbox_pending_and_declined(void)
{
    struct pusher b;
    char inv[80];
    ovo_client *client = MAKE_CLIENT(hold_url, TEST_SECRET, 0);
    ovo_payment *p;
    SECTION("sandbox: PENDING while held -> UNKNOWN; NOT_PAID after a decline");
    if (client == NULL || !pusher_start(&b, client, make_invoice(inv, sizeof inv, "spend"), 4000,
                                        WALLET_MANUAL, NULL)) {
        ovo_client_free(client);
        return;
    }
    CHECK(sb_wait_held(hold_url, inv, 30));
    p = CHECK_STATUS(client, inv, OVO_RESULT_OK, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "PENDING");
        CHECK(!ovo_payment_not_found(p));
        CHECK_INT_EQ(number_or(p, OVO_FIELD_CHECK_AMOUNT, -1), 4000);
        ovo_payment_free(p);
    }
    CHECK_INT_EQ(sb_decline(hold_url, inv), 200);
    p = pusher_join(&b);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    ovo_payment_free(p);
    p = CHECK_STATUS(client, inv, OVO_RESULT_OK, OVO_OUTCOME_NOT_PAID);
    if (p != NULL) {
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "FAILED");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHECK_RESPONSE_CODE), "17");
        ovo_payment_free(p);
    }
    ovo_client_free(client);
}

static void test_sandbox_refusals(const ovo_client *client)
{
    char inv[80], url[64];
    ovo_client *wrong = MAKE_CLIENT(sb_url, TEST_WRONG_SECRET, 0), *nobody;
    ovo_payment *p;
    long before;
    SECTION("sandbox: not found, wrong key, bad arguments, nobody listening");
    p = CHECK_STATUS(client, make_invoice(inv, sizeof inv, "snever"), OVO_RESULT_OK,
                     OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK(ovo_payment_not_found(p));
        CHECK_INT_EQ(ovo_payment_http_status(p), 404);
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS));
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_CHECK_INVOICE_NUMBER));
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER), inv);
        ovo_payment_free(p);
    }
    /* A refused status check tells nothing about the payment: UNKNOWN, never NOT_PAID. */
    p = CHECK_STATUS(wrong, inv, OVO_RESULT_REJECTED, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_http_status(p), 401);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_REJECTED, NULL);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "401");
        ovo_payment_free(p);
    }
    ovo_client_free(wrong);

    before = sb_stat(sb_url, "status_requests");
    p = CHECK_STATUS(client, "", OVO_RESULT_INVALID_ARGUMENT, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_INVALID_ARGUMENT, "order.invoice_number");
        ovo_payment_free(p);
    }
    p = CHECK_STATUS(client, NULL, OVO_RESULT_INVALID_ARGUMENT, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_INVALID_ARGUMENT, "order.invoice_number");
        ovo_payment_free(p);
    }
    p = CHECK_STATUS(client, "INV-\xff", OVO_RESULT_INVALID_ARGUMENT, OVO_OUTCOME_UNKNOWN);
    ovo_payment_free(p);
    p = CHECK_STATUS(NULL, inv, OVO_RESULT_INVALID_ARGUMENT, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_INVALID_ARGUMENT, "client");
        ovo_payment_free(p);
    }
    CHECK_INT_EQ(ovo_check_status(client, "", NULL), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(sb_stat(sb_url, "status_requests"), before); /* nothing sent */
    CHECK_INT_EQ(ovo_check_status(client, inv, NULL), OVO_RESULT_OK); /* out may be NULL */

    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    nobody = MAKE_CLIENT(url, TEST_SECRET, 5000);
    p = CHECK_STATUS(nobody, inv, OVO_RESULT_NOT_SENT, OVO_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_NOT_SENT, NULL);
        ovo_payment_free(p);
    }
    ovo_client_free(nobody);
}

/* One status check against a stub answering `status_line` with `body`; the payment. */
static ovo_payment *check_stub(struct stub *s, const char *status_line, const char *body,
                               const char *invoice, ovo_result want_result,
                               ovo_outcome want_outcome)
{
    char url[64];
    ovo_client *client;
    ovo_payment *p;
    if (!CHECK(stub_answer(s, status_line, body)))
        return NULL;
    base_url_of(s, url, sizeof url, "");
    client = MAKE_CLIENT(url, TEST_SECRET, 10000);
    p = CHECK_STATUS(client, invoice, want_result, want_outcome);
    ovo_client_free(client);
    CHECK_INT_EQ(stub_finish(s), 0); /* never retried */
    CHECK_INT_EQ(s->accepted, 1);
    return p;
}

/* DOKU's status answer for `invoice` with a raw JSON `status` and `amount`. */
static const char *answer(char *buf, size_t len, const char *invoice, const char *status,
                          const char *amount)
{
    snprintf(buf, len,
             "{\"order\":{\"invoice_number\":\"%s\",\"amount\":%s},"
             "\"transaction\":{\"status\":%s,\"date\":\"2021-01-15T03:04:05Z\","
             "\"original_request_id\":null},"
             "\"service\":{\"id\":\"EMONEY\"},\"acquirer\":null,"
             "\"channel\":{\"id\":\"EMONEY_OVO\"}}",
             invoice, amount, status);
    return buf;
}

static void test_request(void)
{
    struct stub s;
    char hdr[256], want[256];
    ovo_payment *p;
    SECTION("stub: a signed GET of the percent-encoded invoice");
    p = check_stub(&s, "404 Not Found", "{}", "INV 1/A?", OVO_RESULT_OK, OVO_OUTCOME_UNKNOWN);
    if (p == NULL)
        return;
    CHECK_MSG(strncmp(s.request, "GET /orders/v1/status/INV%201%2FA%3F HTTP/1.1\r\n", 47) == 0,
              "request line: %.70s", s.request);
    CHECK_STR_EQ(header(&s, "Request-Target", hdr, sizeof hdr), "/orders/v1/status/INV%201%2FA%3F");
    CHECK_STR_EQ(header(&s, "Client-Id", hdr, sizeof hdr), TEST_CLIENT_ID);
    CHECK_STR_EQ(header(&s, "Request-Id", hdr, sizeof hdr), ovo_payment_request_id(p));
    CHECK_MSG(header(&s, "Request-Timestamp", hdr, sizeof hdr)[0] != '\0', "Request-Timestamp");
    CHECK_MSG(strncmp(header(&s, "Signature", hdr, sizeof hdr), "HMACSHA256=", 11) == 0,
              "Signature: %s", hdr);
    CHECK_STR_EQ(header(&s, "Digest", hdr, sizeof hdr), "");
    CHECK_MSG(header(&s, "Content-Length", hdr, sizeof hdr)[0] == '\0' || strcmp(hdr, "0") == 0,
              "no body: Content-Length \"%s\"", hdr);
    CHECK_STR_EQ(s.body, "");
    CHECK_MSG(strstr(s.request, TEST_SECRET) == NULL, "the key is never sent");
    CHECK(ovo_payment_not_found(p));
    ovo_payment_free(p);
    /* With a base URL prefix. */
    if (CHECK(stub_answer(&s, "404 Not Found", "{}"))) {
        ovo_client *c;
        base_url_of(&s, want, sizeof want, "/doku");
        c = MAKE_CLIENT(want, TEST_SECRET, 10000);
        CHECK_INT_EQ(ovo_check_status(c, "INV-1", NULL), OVO_RESULT_OK);
        ovo_client_free(c);
        stub_finish(&s);
        CHECK_MSG(strncmp(s.request, "GET /doku/orders/v1/status/INV-1 HTTP/1.1", 41) == 0,
                  "prefixed request line: %.60s", s.request);
    }
}

static void test_every_status(void)
{
    static const struct {
        const char *json;
        const char *text; /* as read back; NULL for null */
        ovo_outcome outcome;
    } cases[] = {
        {"\"SUCCESS\"", "SUCCESS", OVO_OUTCOME_PAID},
        {"\"FAILED\"", "FAILED", OVO_OUTCOME_NOT_PAID},
        {"\"EXPIRED\"", "EXPIRED", OVO_OUTCOME_NOT_PAID},
        {"\"REFUNDED\"", "REFUNDED", OVO_OUTCOME_REFUNDED},
        {"\"TIMEOUT\"", "TIMEOUT", OVO_OUTCOME_UNKNOWN},
        {"\"PENDING\"", "PENDING", OVO_OUTCOME_UNKNOWN},
        {"\"REDIRECT\"", "REDIRECT", OVO_OUTCOME_UNKNOWN},
        {"\"success\"", "success", OVO_OUTCOME_UNKNOWN},
        {"\"\"", "", OVO_OUTCOME_UNKNOWN},
        {"null", NULL, OVO_OUTCOME_UNKNOWN},
    };
    size_t i;
    SECTION("stub: every transaction status maps to its outcome");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stub s;
        char inv[80], body[1024];
        ovo_payment *p;
        make_invoice(inv, sizeof inv, "map");
        answer(body, sizeof body, inv, cases[i].json, "\"10000.00\"");
        printf("   transaction.status %s\n", cases[i].json);
        p = check_stub(&s, "200 OK", body, inv, OVO_RESULT_OK, cases[i].outcome);
        if (p == NULL)
            continue;
        if (cases[i].text != NULL)
            CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), cases[i].text);
        else
            CHECK_NULL(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS));
        CHECK_INT_EQ(number_or(p, OVO_FIELD_CHECK_AMOUNT, -1), 10000);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_DATE), "2021-01-15T03:04:05Z");
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_ORIGINAL_REQUEST_ID));
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_SERVICE_ID), "EMONEY");
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_ACQUIRER_ID));
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHANNEL_ID), "EMONEY_OVO");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CHECK_INVOICE_NUMBER), inv);
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_CHECK_RESPONSE_CODE));
        CHECK(!ovo_payment_not_found(p));
        CHECK_INT_EQ(ovo_payment_http_status(p), 200);
        ovo_payment_free(p);
    }
}

static void test_amounts(void)
{
    static const char *const good[] = {"10000", "10000.0", "\"10000\"", "\"10000.00\""};
    static const char *const bad[] = {"\"12.5\"", "-3", "true", "\"ten\"", "{}"};
    size_t i;
    SECTION("stub: amounts as number, decimal or string; others make the answer unusable");
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct stub s;
        char inv[80], body[1024];
        ovo_payment *p;
        make_invoice(inv, sizeof inv, "amt");
        printf("   order.amount %s\n", good[i]);
        p = check_stub(&s, "200 OK", answer(body, sizeof body, inv, "\"SUCCESS\"", good[i]), inv,
                       OVO_RESULT_OK, OVO_OUTCOME_PAID);
        CHECK_MSG(number_or(p, OVO_FIELD_CHECK_AMOUNT, -1) == 10000, "amount %s read as 10000",
                  good[i]);
        ovo_payment_free(p);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct stub s;
        char inv[80], body[1024];
        ovo_payment *p;
        make_invoice(inv, sizeof inv, "badamt");
        printf("   order.amount %s\n", bad[i]);
        p = check_stub(&s, "200 OK", answer(body, sizeof body, inv, "\"SUCCESS\"", bad[i]), inv,
                       OVO_RESULT_OUTCOME_UNKNOWN, OVO_OUTCOME_UNKNOWN);
        ovo_payment_free(p);
    }
}

static void test_not_found_and_failures(void)
{
    static const struct {
        const char *status_line;
        const char *body; /* "%s": the invoice asked for */
        ovo_result result;
        int not_found;
    } cases[] = {
        {"404 Not Found",
         "{\"error\":{\"code\":\"not_found\",\"message\":\"Transaction not found\"}}",
         OVO_RESULT_OK, 1},
        {"404 Not Found", "<html>nope</html>", OVO_RESULT_OK, 1},
        {"200 OK", "{\"error\":{\"message\":\"Transaction Not Found\"}}", OVO_RESULT_OK, 1},
        {"401 Unauthorized", "{\"error\":{\"message\":\"Invalid Header Signature\"}}",
         OVO_RESULT_REJECTED, 0},
        {"400 Bad Request", "{}", OVO_RESULT_REJECTED, 0},
        {"429 Too Many Requests", "", OVO_RESULT_REJECTED, 0},
        {"503 Service Unavailable", "", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"500 Internal Server Error", "<html>oops</html>", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"302 Found", "", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"200 OK", "not json", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"200 OK", "[]", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"200 OK", "{\"message\":\"hello\"}", OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"200 OK",
         "{\"order\":{\"invoice_number\":\"%s-OTHER\",\"amount\":1},"
         "\"transaction\":{\"status\":\"SUCCESS\"}}",
         OVO_RESULT_OUTCOME_UNKNOWN, 0},
        {"200 OK", "{\"order\":{\"amount\":1},\"transaction\":{\"status\":\"SUCCESS\"}}",
         OVO_RESULT_OUTCOME_UNKNOWN, 0},
    };
    size_t i;
    SECTION("stub: not found is UNKNOWN; 4xx REJECTED, 5xx/3xx/unusable OUTCOME_UNKNOWN");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stub s;
        char inv[80], body[1024];
        ovo_payment *p;
        make_invoice(inv, sizeof inv, "nf");
        snprintf(body, sizeof body, cases[i].body, inv);
        printf("   %s %.50s\n", cases[i].status_line, body);
        p = check_stub(&s, cases[i].status_line, body, inv, cases[i].result, OVO_OUTCOME_UNKNOWN);
        if (p == NULL)
            continue;
        CHECK_MSG(ovo_payment_not_found(p) == cases[i].not_found, "case %zu: not_found %d", i,
                  cases[i].not_found);
        CHECK_INT_EQ(ovo_payment_http_status(p), atoi(cases[i].status_line));
        if (cases[i].result != OVO_RESULT_OK)
            CHECK_ERROR(ovo_payment_error(p), cases[i].result, NULL);
        ovo_payment_free(p);
    }
    {
        struct stub s;
        char url[64], inv[80];
        ovo_client *c;
        ovo_payment *p;
        SECTION("stub: no answer (connection closed) -> OUTCOME_UNKNOWN, never retried");
        if (CHECK(stub_start(&s, STUB_CLOSE, NULL, 0))) {
            base_url_of(&s, url, sizeof url, "");
            c = MAKE_CLIENT(url, TEST_SECRET, 10000);
            p = CHECK_STATUS(c, make_invoice(inv, sizeof inv, "close"), OVO_RESULT_OUTCOME_UNKNOWN,
                             OVO_OUTCOME_UNKNOWN);
            ovo_payment_free(p);
            ovo_client_free(c);
            CHECK_INT_EQ(stub_finish(&s), 0);
            CHECK_INT_EQ(s.accepted, 1);
        }
    }
}

int main(void)
{
    ovo_client *client;
    sb_url = sandbox_url();
    hold_url = hold_sandbox_url();
    if (sb_url == NULL || hold_url == NULL)
        return check_summary();
    client = MAKE_CLIENT(sb_url, TEST_SECRET, 0);
    if (client != NULL) {
        test_sandbox_paid(client);
        test_sandbox_pending_and_declined();
        test_sandbox_refusals(client);
        ovo_client_free(client);
    }
    test_request();
    test_every_status();
    test_amounts();
    test_not_found_and_failures();
    return check_summary();
}
