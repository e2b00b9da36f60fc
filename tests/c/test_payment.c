/*
 * test_payment: blocking push payments against the local DOKU sandbox (OVO_SANDBOX_URL), one
 * per outcome class: PAID (cash, points; every OVO_FIELD_* present and typed), NOT_PAID via
 * FAILED (17, 14, the other scripted codes), duplicate invoice 40 and TIMEOUT (unknown),
 * REJECTED (wrong secret: 401), NOT_SENT (closed loopback port), INVALID_ARGUMENT (nothing
 * sent), many threads through one client, one payment read from many threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"

static const char *base_url;
static ovo_client *client;

static const uint32_t text_fields[] = {
    OVO_FIELD_CLIENT_ID, OVO_FIELD_INVOICE_NUMBER, OVO_FIELD_OVO_ID,        OVO_FIELD_ACCOUNT_NAME,
    OVO_FIELD_MERCHANT_ID, OVO_FIELD_STORE_CODE,   OVO_FIELD_MID,           OVO_FIELD_TID,
    OVO_FIELD_DATE,      OVO_FIELD_APPROVAL_CODE,  OVO_FIELD_RESPONSE_CODE, OVO_FIELD_STATUS,
    OVO_FIELD_CHECK_SUM,
};
static const uint32_t number_fields[] = {
    OVO_FIELD_AMOUNT,         OVO_FIELD_BATCH_NUMBER, OVO_FIELD_TRACE_NUMBER,
    OVO_FIELD_REFERENCE_NUMBER, OVO_FIELD_CASH_USED,  OVO_FIELD_CASH_BALANCE,
    OVO_FIELD_POINTS_USED,    OVO_FIELD_POINTS_BALANCE, OVO_FIELD_POINTS_EARNED,
};
#define N_TEXT (sizeof text_fields / sizeof text_fields[0])
#define N_NUMBER (sizeof number_fields / sizeof number_fields[0])

static int64_t number(const ovo_payment *p, uint32_t field)
{
    int64_t v = -424242;
    CHECK_MSG(ovo_payment_number(p, field, &v), "number field %u is present", (unsigned)field);
    return v;
}

static int is_digits(const char *s, size_t n)
{
    size_t i;
    if (s == NULL || strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Every field of a SUCCESS answer: present, of its type, matching the request. */
static void check_paid_fields(const ovo_payment *p, const char *invoice, int64_t amount,
                              const char *ovo_id, const char *account_name)
{
    size_t i;
    int64_t v;
    const char *date;
    for (i = 0; i < N_TEXT; i++) {
        const char *t = ovo_payment_text(p, text_fields[i]);
        CHECK_MSG(t != NULL, "text field %u is present", (unsigned)text_fields[i]);
        v = 77;
        CHECK_MSG(!ovo_payment_number(p, text_fields[i], &v) && v == 77,
                  "text field %u is not a number", (unsigned)text_fields[i]);
        CHECK_MSG(ovo_payment_text(p, text_fields[i]) == t, "text field %u: stable pointer",
                  (unsigned)text_fields[i]);
    }
    for (i = 0; i < N_NUMBER; i++) {
        v = -1;
        CHECK_MSG(ovo_payment_number(p, number_fields[i], &v) && v >= 0,
                  "number field %u is present and >= 0 (%lld)", (unsigned)number_fields[i],
                  (long long)v);
        CHECK_MSG(ovo_payment_text(p, number_fields[i]) == NULL, "number field %u is not text",
                  (unsigned)number_fields[i]);
    }
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_CLIENT_ID), TEST_CLIENT_ID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), invoice);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_OVO_ID), ovo_id);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ACCOUNT_NAME), account_name);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "SUCCESS");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "00");
    CHECK_INT_EQ(number(p, OVO_FIELD_AMOUNT), amount);
    date = ovo_payment_text(p, OVO_FIELD_DATE);
    CHECK_MSG(is_digits(date, 14), "date is 14 digits: %s", date ? date : "(null)");
    if (is_digits(date, 14)) {
        CHECK(strncmp(date, "20", 2) == 0);
        CHECK(strncmp(date + 4, "01", 2) >= 0 && strncmp(date + 4, "12", 2) <= 0);
        CHECK(strncmp(date + 6, "01", 2) >= 0 && strncmp(date + 6, "31", 2) <= 0);
        CHECK(strncmp(date + 8, "23", 2) <= 0 && strncmp(date + 10, "59", 2) <= 0 &&
              strncmp(date + 12, "59", 2) <= 0);
    }
    CHECK_MSG(ovo_payment_text(p, OVO_FIELD_MERCHANT_ID) &&
                  ovo_payment_text(p, OVO_FIELD_MERCHANT_ID)[0] != '\0',
              "merchant id is not empty");
    CHECK_MSG(ovo_payment_text(p, OVO_FIELD_TID) && ovo_payment_text(p, OVO_FIELD_TID)[0] != '\0',
              "tid is not empty");
    CHECK_MSG(number(p, OVO_FIELD_TRACE_NUMBER) <= 999999, "trace number has at most 6 digits");
    CHECK_MSG(number(p, OVO_FIELD_REFERENCE_NUMBER) <= 999999, "reference number <= 999999");
    CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), invoice);
}

/* One blocking push; returns the payment (caller frees) after the generic invariants. */
static ovo_payment *push(const ovo_client *c, const char *invoice, int64_t amount,
                         const char *ovo_id, ovo_result want)
{
    ovo_payment *p = POISON_PTR;
    ovo_result r = ovo_push_payment(c, invoice, amount, ovo_id, &p);
    CHECK_MSG(r == want, "push %s to %s: result %u, want %u (%s)", invoice ? invoice : "(null)",
              ovo_id ? ovo_id : "(null)", (unsigned)r, (unsigned)want,
              (p != POISON_PTR && p != NULL) ? ovo_error_message(ovo_payment_error(p)) : "");
    if (!CHECK_MSG(p != NULL && p != POISON_PTR, "*out always receives a payment"))
        return NULL;
    CHECK_INT_EQ(ovo_payment_result(p), r);
    CHECK_PAYMENT_INVARIANTS(p);
    if (r != want) { /* the rest of the section would only repeat this failure */
        ovo_payment_free(p);
        return NULL;
    }
    return p;
}

static void test_paid_cash(void)
{
    char inv[80], inv2[80];
    ovo_payment *p, *p2;
    int64_t balance1 = 0, points1 = 0;
    SECTION("PAID with OVO Cash");
    p = push(client, make_invoice(inv, sizeof inv, "cash"), 10000, WALLET_CASH, OVO_RESULT_OK);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_NULL(ovo_payment_error(p));
    CHECK_INT_EQ(ovo_payment_http_status(p), 200);
    check_paid_fields(p, inv, 10000, WALLET_CASH, "Taufik Ismail");
    CHECK_INT_EQ(number(p, OVO_FIELD_CASH_USED), 10000);
    CHECK_INT_EQ(number(p, OVO_FIELD_POINTS_USED), 0);
    CHECK_INT_EQ(number(p, OVO_FIELD_POINTS_EARNED), 100); /* sandbox: 1 % of cash paid */
    balance1 = number(p, OVO_FIELD_CASH_BALANCE);
    points1 = number(p, OVO_FIELD_POINTS_BALANCE);

    /* A second payment from the same wallet: balances move by exactly what was paid. */
    p2 = push(client, make_invoice(inv2, sizeof inv2, "cash"), 2500, WALLET_CASH, OVO_RESULT_OK);
    if (p2 != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p2), OVO_OUTCOME_PAID);
        check_paid_fields(p2, inv2, 2500, WALLET_CASH, "Taufik Ismail");
        CHECK_INT_EQ(number(p2, OVO_FIELD_CASH_BALANCE), balance1 - 2500);
        CHECK_INT_EQ(number(p2, OVO_FIELD_POINTS_BALANCE), points1 + 25);
        CHECK(strcmp(ovo_payment_request_id(p), ovo_payment_request_id(p2)) != 0);
        ovo_payment_free(p2);
    }
    ovo_payment_free(p);
}

static void test_paid_points(void)
{
    char inv[80];
    ovo_payment *p;
    SECTION("PAID with OVO Points");
    p = push(client, make_invoice(inv, sizeof inv, "points"), 1234, WALLET_POINTS, OVO_RESULT_OK);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    check_paid_fields(p, inv, 1234, WALLET_POINTS, "Dewi Lestari");
    CHECK_INT_EQ(number(p, OVO_FIELD_POINTS_USED), 1234);
    CHECK_INT_EQ(number(p, OVO_FIELD_CASH_USED), 0);
    CHECK_INT_EQ(number(p, OVO_FIELD_POINTS_EARNED), 0);
    ovo_payment_free(p);
}

/* A FAILED answer with `code`: result OK, outcome NOT_PAID. */
static void expect_failed(const char *ovo_id, const char *code)
{
    char inv[80];
    ovo_payment *p = push(client, make_invoice(inv, sizeof inv, "fail"), 5000, ovo_id,
                          OVO_RESULT_OK);
    if (p == NULL)
        return;
    CHECK_MSG(ovo_payment_outcome(p) == OVO_OUTCOME_NOT_PAID, "%s: outcome NOT_PAID", ovo_id);
    CHECK_NULL(ovo_payment_error(p));
    CHECK_INT_EQ(ovo_payment_http_status(p), 200);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "FAILED");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), code);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_OVO_ID), ovo_id);
    CHECK_INT_EQ(number(p, OVO_FIELD_AMOUNT), 5000);
    CHECK_MSG(ovo_code_describe(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE))->known,
              "code %s is in the spec's table", code);
    ovo_payment_free(p);
}

static void test_failed(void)
{
    SECTION("NOT_PAID: FAILED answers");
    expect_failed(WALLET_DECLINE, "17");
    expect_failed(WALLET_UNREGISTERED, "14");
    expect_failed("089900000026", "26");
    expect_failed("089900000056", "56");
    expect_failed("089900000064", "64");
    expect_failed("089900000061", "61");
    expect_failed("089900000065", "65");
    expect_failed("089900000067", "67");
}

static void test_special_invoice(void)
{
    /* Printable ASCII the JSON body must escape: quote, backslash, slash, braces, space. */
    char base[80], inv[OVO_INVOICE_MAX_LEN + 1];
    ovo_payment *p;
    SECTION("invoice with JSON special characters");
    snprintf(inv, sizeof inv, "Q\"\\/{} <&>%.40s", make_invoice(base, sizeof base, "esc"));
    p = push(client, inv, 1500, WALLET_CASH, OVO_RESULT_OK);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
    ovo_payment_free(p);
}

static void test_duplicate(void)
{
    char inv[80];
    ovo_payment *p;
    SECTION("duplicate invoice: FAILED 40 is OUTCOME_UNKNOWN, DOKU's fields readable");
    make_invoice(inv, sizeof inv, "dup");
    p = push(client, inv, 7000, WALLET_CASH, OVO_RESULT_OK);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        ovo_payment_free(p);
    }
    /* The earlier push of this invoice may be paid: never NOT_PAID. */
    p = push(client, inv, 7000, WALLET_CASH, OVO_RESULT_OUTCOME_UNKNOWN);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        CHECK_INT_EQ(ovo_payment_http_status(p), 200);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "FAILED");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "40");
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
        CHECK_INT_EQ(number(p, OVO_FIELD_AMOUNT), 7000);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "code 40");
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "status");
        ovo_payment_free(p);
    }
}

static void test_timeout(void)
{
    char inv[80];
    ovo_payment *p;
    SECTION("TIMEOUT: outcome unknown");
    p = push(client, make_invoice(inv, sizeof inv, "hold"), 3000, WALLET_NEVER_ANSWERS,
             OVO_RESULT_OK);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_NULL(ovo_payment_error(p));
    CHECK_INT_EQ(ovo_payment_http_status(p), 200);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "TIMEOUT");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "68");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
    ovo_payment_free(p);
}

static void test_rejected(void)
{
    char inv[80];
    ovo_payment *p;
    ovo_client *wrong = MAKE_CLIENT(base_url, TEST_WRONG_SECRET, 0);
    SECTION("REJECTED: wrong secret");
    if (wrong == NULL)
        return;
    p = push(wrong, make_invoice(inv, sizeof inv, "rej"), 10000, WALLET_CASH,
             OVO_RESULT_REJECTED);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
        CHECK_INT_EQ(ovo_payment_http_status(p), 401);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_REJECTED, NULL);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "401");
        CHECK(is_uuid_v4(ovo_payment_request_id(p)));
        CHECK_NULL(ovo_payment_text(p, OVO_FIELD_STATUS));
        ovo_payment_free(p);
    }
    /* The same invoice through the right client still works: nothing was recorded. */
    p = push(client, inv, 10000, WALLET_CASH, OVO_RESULT_OK);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        ovo_payment_free(p);
    }
    ovo_client_free(wrong);
}

static void test_not_sent(void)
{
    char url[64], inv[80];
    ovo_client *c;
    ovo_payment *p;
    unsigned short port = closed_loopback_port();
    SECTION("NOT_SENT: nobody listening");
    CHECK(port != 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    c = MAKE_CLIENT(url, TEST_SECRET, 5000);
    if (c == NULL)
        return;
    p = push(c, make_invoice(inv, sizeof inv, "ns"), 10000, WALLET_CASH, OVO_RESULT_NOT_SENT);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
        CHECK_INT_EQ(ovo_payment_http_status(p), 0);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_NOT_SENT, NULL);
        CHECK_MSG(is_uuid_v4(ovo_payment_request_id(p)), "a built request has a request id");
        ovo_payment_free(p);
    }
    /* Without an out-parameter: only the result. */
    CHECK_INT_EQ(ovo_push_payment(c, make_invoice(inv, sizeof inv, "ns"), 10000, WALLET_CASH, NULL),
                 OVO_RESULT_NOT_SENT);
    ovo_client_free(c);
}

/* An invalid push: INVALID_ARGUMENT naming `field`, nothing sent. */
static void expect_invalid(const ovo_client *c, const char *inv, int64_t amount,
                           const char *ovo_id, const char *field)
{
    ovo_payment *p = push(c, inv, amount, ovo_id, OVO_RESULT_INVALID_ARGUMENT);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_INVALID_ARGUMENT, field);
    CHECK_STR_EQ(ovo_payment_request_id(p), "");
    ovo_payment_free(p);
    CHECK_INT_EQ(ovo_push_payment(c, inv, amount, ovo_id, NULL), OVO_RESULT_INVALID_ARGUMENT);
}

static void test_invalid_arguments(void)
{
    char inv[80], longinv[80];
    SECTION("INVALID_ARGUMENT: nothing sent");
    make_invoice(inv, sizeof inv, "bad");
    memset(longinv, 'L', OVO_INVOICE_MAX_LEN + 1);
    longinv[OVO_INVOICE_MAX_LEN + 1] = '\0';
    expect_invalid(NULL, inv, 10000, WALLET_CASH, "client");
    expect_invalid(client, NULL, 10000, WALLET_CASH, "order.invoice_number");
    expect_invalid(client, "", 10000, WALLET_CASH, "order.invoice_number");
    expect_invalid(client, longinv, 10000, WALLET_CASH, "order.invoice_number");
    expect_invalid(client, "INV-\xff", 10000, WALLET_CASH, "order.invoice_number");
    expect_invalid(client, inv, 0, WALLET_CASH, "order.amount");
    expect_invalid(client, inv, -5, WALLET_CASH, "order.amount");
    expect_invalid(client, inv, OVO_AMOUNT_MAX + 1, WALLET_CASH, "order.amount");
    expect_invalid(client, inv, 10000, NULL, "ovo_info.ovo_id");
    expect_invalid(client, inv, 10000, "0812", "ovo_info.ovo_id");
    expect_invalid(client, inv, 10000, "08121111111x", "ovo_info.ovo_id");
    expect_invalid(client, inv, 10000, "0812\xc3\x28", "ovo_info.ovo_id");
    /* None of these were sent: the invoice is still unused. */
    {
        ovo_payment *p = push(client, inv, 10000, WALLET_CASH, OVO_RESULT_OK);
        if (p != NULL) {
            CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
            ovo_payment_free(p);
        }
    }
}

/* Many threads pushing through one client at once. */
#define PUSH_THREADS 8
#define PUSH_ROUNDS 3
struct pusher {
    pthread_t thread;
    int index;
    int bad;
};

static void *push_worker(void *arg)
{
    struct pusher *me = arg;
    int i;
    for (i = 0; i < PUSH_ROUNDS; i++) {
        char inv[80];
        ovo_payment *p = NULL;
        int kind = (me->index + i) % 3;
        const char *wallet = kind == 0 ? WALLET_CASH : kind == 1 ? WALLET_DECLINE : WALLET_UNREGISTERED;
        ovo_outcome want = kind == 0 ? OVO_OUTCOME_PAID : OVO_OUTCOME_NOT_PAID;
        const char *code = kind == 0 ? "00" : kind == 1 ? "17" : "14";
        ovo_result r = ovo_push_payment(client, make_invoice(inv, sizeof inv, "thr"),
                                        100 + me->index, wallet, &p);
        const char *got_inv = ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER);
        const char *got_code = ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE);
        if (r != OVO_RESULT_OK || ovo_payment_outcome(p) != want || got_inv == NULL ||
            strcmp(got_inv, inv) != 0 || got_code == NULL || strcmp(got_code, code) != 0) {
            me->bad++;
            fprintf(stderr, "thread %d round %d: result %u outcome %u (%s)\n", me->index, i,
                    (unsigned)r, (unsigned)ovo_payment_outcome(p),
                    ovo_error_message(ovo_payment_error(p)));
        }
        CHECK_PAYMENT_INVARIANTS(p);
        ovo_payment_free(p);
    }
    return NULL;
}

static void test_threads(void)
{
    struct pusher t[PUSH_THREADS];
    int i, n = 0;
    SECTION("threads sharing one client");
    for (i = 0; i < PUSH_THREADS; i++) {
        t[i].index = i;
        t[i].bad = 0;
        if (pthread_create(&t[i].thread, NULL, push_worker, &t[i]) != 0)
            break;
        n++;
    }
    CHECK_INT_EQ(n, PUSH_THREADS);
    for (i = 0; i < n; i++) {
        pthread_join(t[i].thread, NULL);
        CHECK_MSG(t[i].bad == 0, "thread %d: %d wrong payments", i, t[i].bad);
    }
}

/* One payment read from several threads at once. */
static void *reader(void *arg)
{
    const ovo_payment *p = arg;
    int i;
    long bad = 0;
    for (i = 0; i < 2000; i++) {
        int64_t v = 0;
        if (ovo_payment_result(p) != OVO_RESULT_OK || ovo_payment_outcome(p) != OVO_OUTCOME_PAID ||
            strcmp(ovo_payment_text(p, OVO_FIELD_STATUS), "SUCCESS") != 0 ||
            !ovo_payment_number(p, OVO_FIELD_AMOUNT, &v) || v != 4321 ||
            ovo_payment_raw_body(p, NULL)[0] == '\0')
            bad++;
    }
    return (void *)bad;
}

static void test_shared_payment(void)
{
    char inv[80];
    pthread_t t[4];
    int i, n = 0;
    ovo_payment *p;
    SECTION("one payment read from several threads");
    p = push(client, make_invoice(inv, sizeof inv, "read"), 4321, WALLET_CASH, OVO_RESULT_OK);
    if (p == NULL || ovo_payment_result(p) != OVO_RESULT_OK) {
        ovo_payment_free(p);
        return;
    }
    for (i = 0; i < 4; i++) {
        if (pthread_create(&t[i], NULL, reader, p) != 0)
            break;
        n++;
    }
    CHECK_INT_EQ(n, 4);
    for (i = 0; i < n; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        CHECK_MSG(bad == NULL, "reader %d saw %ld wrong values", i, (long)bad);
    }
    ovo_payment_free(p);
}

int main(void)
{
    base_url = sandbox_url();
    if (base_url == NULL)
        return check_summary();
    client = MAKE_CLIENT(base_url, TEST_SECRET, 0);
    if (client == NULL)
        return check_summary();
    test_paid_cash();
    test_paid_points();
    test_failed();
    test_special_invoice();
    test_duplicate();
    test_timeout();
    test_rejected();
    test_not_sent();
    test_invalid_arguments();
    if (!quick_mode()) {
        test_threads();
        test_shared_payment();
    }
    ovo_client_free(client);
    return check_summary();
}
