/*
 * test_checksum: ovo_checksum's known answer, buffer handling, NULL and non-UTF-8 arguments,
 * every field rule (with the field named), error out-parameter handling, thread safety.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"

/* sha256("10000" "MCH-0001-10791114622547" "INV-20210115-0001" "081211111111"
 * "SK-9sCrJ1kdYUJAYlsJKlqz"), computed independently with Python's hashlib. */
#define KAT_AMOUNT 10000
#define KAT_INVOICE "INV-20210115-0001"
#define KAT_OVO_ID "081211111111"
#define KAT_HEX "5f1f8428d5bb8c624b4893d0d16064d9a7a80de9ab1fa93c6a716d7bb775de78"

static void test_known_answer(void)
{
    char out[OVO_CHECKSUM_BUFFER_LEN];
    char big[200];
    ovo_error *err = POISON_PTR;
    ovo_result r;
    SECTION("known answer");
    memset(out, 'x', sizeof out);
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out,
                     sizeof out, &err);
    CHECK_INT_EQ(r, OVO_RESULT_OK);
    CHECK_NULL(err);
    CHECK_STR_EQ(out, KAT_HEX);

    /* A larger buffer: hex and NUL written, the rest untouched. */
    memset(big, 'x', sizeof big);
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, big,
                     sizeof big, NULL);
    CHECK_INT_EQ(r, OVO_RESULT_OK);
    CHECK_STR_EQ(big, KAT_HEX);
    CHECK(big[65] == 'x' && big[sizeof big - 1] == 'x');

    /* Different inputs give different sums; the same inputs the same sum. */
    r = ovo_checksum(KAT_AMOUNT + 1, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out,
                     sizeof out, NULL);
    CHECK_INT_EQ(r, OVO_RESULT_OK);
    CHECK(strcmp(out, KAT_HEX) != 0);
    CHECK_INT_EQ(strlen(out), 64);
    CHECK(strspn(out, "0123456789abcdef") == 64); /* lower-case hex */
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_WRONG_SECRET, out,
                     sizeof out, NULL);
    CHECK_INT_EQ(r, OVO_RESULT_OK);
    CHECK(strcmp(out, KAT_HEX) != 0);
}

static void test_buffers(void)
{
    char out[OVO_CHECKSUM_BUFFER_LEN];
    size_t sizes[] = {1, 2, 32, 63, 64};
    size_t i;
    ovo_error *err;
    ovo_result r;
    SECTION("buffers");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(out, 'x', sizeof out);
        err = POISON_PTR;
        r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out,
                         sizes[i], &err);
        CHECK_MSG(r == OVO_RESULT_BUFFER_TOO_SMALL, "out_len %zu: result %u", sizes[i],
                  (unsigned)r);
        CHECK_MSG(out[0] == '\0', "out_len %zu: out[0] is NUL", sizes[i]);
        CHECK_MSG(out[sizes[i]] == 'x' && out[64] == 'x',
                  "out_len %zu: nothing written past out_len", sizes[i]);
        CHECK_ERROR(err, OVO_RESULT_BUFFER_TOO_SMALL, NULL);
        ovo_error_free(err);
    }
    /* out_len 0: nothing at all is written. */
    memset(out, 'x', sizeof out);
    err = POISON_PTR;
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out, 0,
                     &err);
    CHECK_INT_EQ(r, OVO_RESULT_BUFFER_TOO_SMALL);
    CHECK(out[0] == 'x');
    CHECK_ERROR(err, OVO_RESULT_BUFFER_TOO_SMALL, NULL);
    ovo_error_free(err);
    /* NULL out, any length. */
    err = POISON_PTR;
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, NULL, 65,
                     &err);
    CHECK_INT_EQ(r, OVO_RESULT_BUFFER_TOO_SMALL);
    CHECK_ERROR(err, OVO_RESULT_BUFFER_TOO_SMALL, NULL);
    ovo_error_free(err);
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, NULL, 0,
                     NULL);
    CHECK_INT_EQ(r, OVO_RESULT_BUFFER_TOO_SMALL);
    /* Exactly 65 works. */
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out, 65,
                     NULL);
    CHECK_INT_EQ(r, OVO_RESULT_OK);
    CHECK_STR_EQ(out, KAT_HEX);
}

/* One call expected to fail with INVALID_ARGUMENT naming `field`; out[0] must be NUL. */
#define EXPECT_INVALID(amount, cid, inv, oid, sk, field)                                    \
    expect_invalid_((amount), (cid), (inv), (oid), (sk), (field), __FILE__, __LINE__)
static void expect_invalid_(int64_t amount, const char *cid, const char *inv, const char *oid,
                            const char *sk, const char *field, const char *file, int line)
{
    char out[OVO_CHECKSUM_BUFFER_LEN];
    ovo_error *err = POISON_PTR;
    ovo_result r;
    memset(out, 'x', sizeof out);
    r = ovo_checksum(amount, cid, inv, oid, sk, out, sizeof out, &err);
    check_record(r == OVO_RESULT_INVALID_ARGUMENT, file, line,
                 "want INVALID_ARGUMENT for %s, got %u", field, (unsigned)r);
    check_record(out[0] == '\0', file, line, "out[0] is NUL after an error (%s)", field);
    check_error_(err, OVO_RESULT_INVALID_ARGUMENT, field, file, line);
    ovo_error_free(err);
    /* The same without an error out-parameter. */
    r = ovo_checksum(amount, cid, inv, oid, sk, out, sizeof out, NULL);
    check_record(r == OVO_RESULT_INVALID_ARGUMENT, file, line,
                 "want INVALID_ARGUMENT (error NULL) for %s, got %u", field, (unsigned)r);
}

/* A field that passes: one call expected to succeed. */
#define EXPECT_OK(amount, cid, inv, oid, sk)                                                \
    do {                                                                                    \
        char ok_out_[OVO_CHECKSUM_BUFFER_LEN];                                              \
        ovo_error *ok_err_ = POISON_PTR;                                                    \
        ovo_result ok_r_ = ovo_checksum((amount), (cid), (inv), (oid), (sk), ok_out_,       \
                                        sizeof ok_out_, &ok_err_);                          \
        CHECK_MSG(ok_r_ == OVO_RESULT_OK && ok_err_ == NULL && strlen(ok_out_) == 64,       \
                  "want OK, got %u (%s)", (unsigned)ok_r_,                                  \
                  ok_r_ != OVO_RESULT_OK ? ovo_error_message(ok_err_) : "");                \
        if (ok_r_ != OVO_RESULT_OK)                                                         \
            ovo_error_free(ok_err_);                                                        \
    } while (0)

static void fill(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
}

static void test_null_and_utf8(void)
{
    SECTION("NULL and non-UTF-8 arguments");
    EXPECT_INVALID(KAT_AMOUNT, NULL, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "client.id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, NULL, KAT_OVO_ID, TEST_SECRET,
                   "order.invoice_number");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, NULL, TEST_SECRET, "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, NULL, "secret_key");

    EXPECT_INVALID(KAT_AMOUNT, "MCH-\xff\xfe", KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "client.id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, "INV-\xc3\x28", KAT_OVO_ID, TEST_SECRET,
                   "order.invoice_number");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "0812\xe2\x82", TEST_SECRET,
                   "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, "SK-9sCr\xed\xa0\x80",
                   "secret_key");
    /* Valid UTF-8 but not ASCII is a rule violation, still named. */
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, "INV-caf\xc3\xa9", KAT_OVO_ID, TEST_SECRET,
                   "order.invoice_number");
}

static void test_field_rules(void)
{
    char s[300];
    SECTION("field rules");
    /* order.amount: 1..=999999999999 */
    EXPECT_INVALID(0, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "order.amount");
    EXPECT_INVALID(-1, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "order.amount");
    EXPECT_INVALID(INT64_MIN, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET,
                   "order.amount");
    EXPECT_INVALID(OVO_AMOUNT_MAX + 1, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET,
                   "order.amount");
    EXPECT_INVALID(INT64_MAX, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET,
                   "order.amount");
    EXPECT_OK(OVO_AMOUNT_MIN, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET);
    EXPECT_OK(OVO_AMOUNT_MAX, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET);

    /* order.invoice_number: 1..=64 printable ASCII */
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, "", KAT_OVO_ID, TEST_SECRET, "order.invoice_number");
    fill(s, 'I', OVO_INVOICE_MAX_LEN + 1);
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, s, KAT_OVO_ID, TEST_SECRET, "order.invoice_number");
    fill(s, 'I', OVO_INVOICE_MAX_LEN);
    EXPECT_OK(KAT_AMOUNT, TEST_CLIENT_ID, s, KAT_OVO_ID, TEST_SECRET);
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, "INV\n1", KAT_OVO_ID, TEST_SECRET,
                   "order.invoice_number");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, "INV\t1", KAT_OVO_ID, TEST_SECRET,
                   "order.invoice_number");
    EXPECT_OK(KAT_AMOUNT, TEST_CLIENT_ID, "INV 1/#!?*~", KAT_OVO_ID, TEST_SECRET);

    /* ovo_info.ovo_id: 9..=15 digits */
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "", TEST_SECRET, "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "08121111", TEST_SECRET,
                   "ovo_info.ovo_id");
    EXPECT_OK(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "081211111", TEST_SECRET);
    EXPECT_OK(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "081211111111111", TEST_SECRET);
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "0812111111111111", TEST_SECRET,
                   "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "+6281211111111", TEST_SECRET,
                   "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "0812-1111-111", TEST_SECRET,
                   "ovo_info.ovo_id");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, "08121111111a", TEST_SECRET,
                   "ovo_info.ovo_id");

    /* client.id: 1..=128 visible ASCII */
    EXPECT_INVALID(KAT_AMOUNT, "", KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "client.id");
    EXPECT_INVALID(KAT_AMOUNT, "MCH 0001", KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "client.id");
    fill(s, 'C', OVO_CLIENT_ID_MAX_LEN + 1);
    EXPECT_INVALID(KAT_AMOUNT, s, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, "client.id");
    fill(s, 'C', OVO_CLIENT_ID_MAX_LEN);
    EXPECT_OK(KAT_AMOUNT, s, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET);

    /* secret_key: 1..=256 visible ASCII; the message never shows it. */
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, "", "secret_key");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, "SK-9sCrJ1kdYUJAYlsJKlqz ",
                   "secret_key");
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID,
                   TEST_WRONG_SECRET "\x7f", "secret_key");
    fill(s, 'K', OVO_SECRET_KEY_MAX_LEN + 1);
    EXPECT_INVALID(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, s, "secret_key");
    fill(s, 'K', OVO_SECRET_KEY_MAX_LEN);
    EXPECT_OK(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, s);
}

static void test_secret_never_shown(void)
{
    /* A bad secret embedding the real one, and every other field wrong while the secret is
     * valid: no message may contain the key. */
    const char *bad_secret = "SK-9sCrJ1kdYUJAYlsJKlqz\x01";
    char out[OVO_CHECKSUM_BUFFER_LEN];
    ovo_error *err = NULL;
    ovo_result r;
    SECTION("secret never shown");
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, bad_secret, out,
                     sizeof out, &err);
    CHECK_INT_EQ(r, OVO_RESULT_INVALID_ARGUMENT);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "secret_key");
    ovo_error_free(err);
    /* The secret in another field's place: the field is still named, the message is checked. */
    r = ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, TEST_SECRET "\n", KAT_OVO_ID, TEST_SECRET, out,
                     sizeof out, &err);
    CHECK_INT_EQ(r, OVO_RESULT_INVALID_ARGUMENT);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "order.invoice_number");
    ovo_error_free(err);
}

/* Several threads hashing at once get the same answer. */
#define CK_THREADS 8
#define CK_ROUNDS 200
static void *checksum_worker(void *arg)
{
    int *bad = arg;
    int i;
    char out[OVO_CHECKSUM_BUFFER_LEN];
    for (i = 0; i < CK_ROUNDS; i++) {
        ovo_error *err = NULL;
        if (ovo_checksum(KAT_AMOUNT, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out,
                         sizeof out, &err) != OVO_RESULT_OK ||
            strcmp(out, KAT_HEX) != 0 || err != NULL)
            (*bad)++;
        if (ovo_checksum(0, TEST_CLIENT_ID, KAT_INVOICE, KAT_OVO_ID, TEST_SECRET, out,
                         sizeof out, &err) != OVO_RESULT_INVALID_ARGUMENT ||
            err == NULL || strcmp(ovo_error_field(err), "order.amount") != 0)
            (*bad)++;
        ovo_error_free(err);
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[CK_THREADS];
    int bad[CK_THREADS];
    int i, started = 0;
    SECTION("threads");
    for (i = 0; i < CK_THREADS; i++) {
        bad[i] = 0;
        if (pthread_create(&t[i], NULL, checksum_worker, &bad[i]) == 0)
            started++;
        else
            break;
    }
    CHECK_INT_EQ(started, CK_THREADS);
    for (i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        CHECK_MSG(bad[i] == 0, "thread %d: %d wrong answers", i, bad[i]);
    }
}

int main(void)
{
    test_known_answer();
    test_buffers();
    test_null_and_utf8();
    test_field_rules();
    test_secret_never_shown();
    test_threads();
    return check_summary();
}
