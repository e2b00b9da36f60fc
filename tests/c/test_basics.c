/*
 * test_basics: version, ABI enum values, result and outcome names, the _free functions and
 * every accessor with NULL, the config setters (NULL config and stored-but-unchecked values).
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>

#include "check.h"
#include "common.h"

static void test_version(void)
{
    char built[32];
    const char *v = ovo_version();
    SECTION("version");
    CHECK_NONNULL(v);
    CHECK_STR_EQ(v, OVO_VERSION_STRING);
    snprintf(built, sizeof built, "%d.%d.%d", OVO_VERSION_MAJOR, OVO_VERSION_MINOR,
             OVO_VERSION_PATCH);
    CHECK_STR_EQ(v, built);
    CHECK(ovo_version() == v); /* static */
}

static void test_abi_values(void)
{
    SECTION("ABI values");
    CHECK_INT_EQ(sizeof(ovo_result), 4);
    CHECK_INT_EQ(sizeof(ovo_outcome), 4);
    CHECK_INT_EQ(sizeof(ovo_field), 4);
    CHECK_INT_EQ(OVO_RESULT_OK, 0);
    CHECK_INT_EQ(OVO_RESULT_INVALID_ARGUMENT, 1);
    CHECK_INT_EQ(OVO_RESULT_BUFFER_TOO_SMALL, 2);
    CHECK_INT_EQ(OVO_RESULT_NOT_SENT, 3);
    CHECK_INT_EQ(OVO_RESULT_OUTCOME_UNKNOWN, 4);
    CHECK_INT_EQ(OVO_RESULT_REJECTED, 5);
    CHECK_INT_EQ(OVO_RESULT_INTERNAL, 6);
    CHECK_INT_EQ(OVO_RESULT_IN_FLIGHT, 7);
    CHECK_INT_EQ(OVO_RESULT_ALREADY_PAID, 8);
    CHECK_INT_EQ(OVO_RESULT_UNSETTLED, 9);
    CHECK_INT_EQ(OVO_RESULT_INVOICE_USED, 10);
    CHECK_INT_EQ(OVO_OUTCOME_UNKNOWN, 0);
    CHECK_INT_EQ(OVO_OUTCOME_PAID, 1);
    CHECK_INT_EQ(OVO_OUTCOME_NOT_PAID, 2);
    CHECK_INT_EQ(OVO_OUTCOME_REFUNDED, 3);
    CHECK_INT_EQ(sizeof(ovo_kind), 4);
    CHECK_INT_EQ(OVO_KIND_PUSH, 1);
    CHECK_INT_EQ(OVO_KIND_STATUS_CHECK, 2);
    CHECK_INT_EQ(sizeof(ovo_log_level), 4);
    CHECK_INT_EQ(OVO_LOG_LEVEL_DEBUG, 1);
    CHECK_INT_EQ(OVO_LOG_LEVEL_INFO, 2);
    CHECK_INT_EQ(OVO_LOG_LEVEL_WARN, 3);
    CHECK_INT_EQ(OVO_LOG_LEVEL_ERROR, 4);
    CHECK_INT_EQ(OVO_ENVIRONMENT_SANDBOX, 0);
    CHECK_INT_EQ(OVO_ENVIRONMENT_PRODUCTION, 1);
    CHECK_INT_EQ(OVO_PROXY_MODE_FROM_ENVIRONMENT, 0);
    CHECK_INT_EQ(OVO_PROXY_MODE_NONE, 1);
    CHECK_INT_EQ(OVO_PROXY_MODE_URL, 2);
    CHECK_INT_EQ(OVO_FIELD_CLIENT_ID, 1);
    CHECK_INT_EQ(OVO_FIELD_AMOUNT, 3);
    CHECK_INT_EQ(OVO_FIELD_DATE, 10);
    CHECK_INT_EQ(OVO_FIELD_RESPONSE_CODE, 15);
    CHECK_INT_EQ(OVO_FIELD_STATUS, 21);
    CHECK_INT_EQ(OVO_FIELD_CHECK_SUM, 22);
    CHECK_INT_EQ(OVO_FIELD_TRANSACTION_STATUS, 23);
    CHECK_INT_EQ(OVO_FIELD_TRANSACTION_DATE, 24);
    CHECK_INT_EQ(OVO_FIELD_ORIGINAL_REQUEST_ID, 25);
    CHECK_INT_EQ(OVO_FIELD_SERVICE_ID, 26);
    CHECK_INT_EQ(OVO_FIELD_ACQUIRER_ID, 27);
    CHECK_INT_EQ(OVO_FIELD_CHANNEL_ID, 28);
    CHECK_INT_EQ(OVO_FIELD_CHECK_AMOUNT, 29);
    CHECK_INT_EQ(OVO_FIELD_CHECK_INVOICE_NUMBER, 30);
    CHECK_INT_EQ(OVO_FIELD_CHECK_RESPONSE_CODE, 31);
    CHECK_INT_EQ(OVO_FIELD_REQUEST_INVOICE_NUMBER, 32);
    CHECK_INT_EQ(OVO_FIELD_REQUEST_AMOUNT, 33);
    CHECK_INT_EQ(OVO_FIELD_REQUEST_OVO_ID, 34);
    CHECK_INT_EQ(OVO_CHECKSUM_BUFFER_LEN, 65);
    CHECK_INT_EQ(OVO_MAX_BODY_BYTES, 1048576);
    CHECK_INT_EQ(OVO_AMOUNT_MIN, 1);
    CHECK(OVO_AMOUNT_MAX == 999999999999LL);
    CHECK_INT_EQ(OVO_INVOICE_MAX_LEN, 64);
    CHECK_INT_EQ(OVO_OVO_ID_MIN_LEN, 9);
    CHECK_INT_EQ(OVO_OVO_ID_MAX_LEN, 15);
    CHECK_INT_EQ(OVO_CLIENT_ID_MAX_LEN, 128);
    CHECK_INT_EQ(OVO_SECRET_KEY_MAX_LEN, 256);
    CHECK_INT_EQ(offsetof(ovo_code_info, code), 0);
    CHECK_INT_EQ(offsetof(ovo_code_info, name), sizeof(const char *));
    CHECK_INT_EQ(offsetof(ovo_code_info, description), 2 * sizeof(const char *));
    CHECK_INT_EQ(offsetof(ovo_code_info, known), 3 * sizeof(const char *));
}

/* ovo_result_name / ovo_outcome_name: every value, and values this library does not know. */
static void test_names(void)
{
    static const char *const results[] = {
        "OK",         "INVALID_ARGUMENT", "BUFFER_TOO_SMALL", "NOT_SENT",
        "OUTCOME_UNKNOWN", "REJECTED",    "INTERNAL",         "IN_FLIGHT",
        "ALREADY_PAID", "UNSETTLED",      "INVOICE_USED",
    };
    static const char *const outcomes[] = {"UNKNOWN", "PAID", "NOT_PAID", "REFUNDED"};
    static const uint32_t unknown_results[] = {11, 12, 99, 0x7fffffffu, 0xffffffffu};
    static const uint32_t unknown_outcomes[] = {4, 5, 99, 0x7fffffffu, 0xffffffffu};
    uint32_t i;
    SECTION("result and outcome names");
    for (i = 0; i < sizeof results / sizeof results[0]; i++) {
        CHECK_STR_EQ(ovo_result_name(i), results[i]);
        CHECK(ovo_result_name(i) == ovo_result_name(i)); /* static */
    }
    for (i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++) {
        CHECK_STR_EQ(ovo_outcome_name(i), outcomes[i]);
        CHECK(ovo_outcome_name(i) == ovo_outcome_name(i));
    }
    for (i = 0; i < sizeof unknown_results / sizeof unknown_results[0]; i++)
        CHECK_STR_EQ(ovo_result_name(unknown_results[i]), "UNKNOWN_RESULT");
    for (i = 0; i < sizeof unknown_outcomes / sizeof unknown_outcomes[0]; i++)
        CHECK_STR_EQ(ovo_outcome_name(unknown_outcomes[i]), "UNKNOWN"); /* read as unknown */
}

static void test_free_null(void)
{
    SECTION("free(NULL) does nothing");
    ovo_client_free(NULL);
    ovo_config_free(NULL);
    ovo_error_free(NULL);
    ovo_payment_free(NULL);
    ovo_payment_handle_free(NULL);
    CHECK(1); /* reaching here is the test */
}

static void test_null_accessors(void)
{
    size_t len = 99;
    int64_t v = 7;
    const char *s;
    uint32_t f;
    SECTION("accessors with NULL");
    CHECK_INT_EQ(ovo_error_result(NULL), OVO_RESULT_INVALID_ARGUMENT);
    s = ovo_error_message(NULL);
    CHECK_NONNULL(s);
    CHECK(s != NULL && s[0] != '\0');
    CHECK_NULL(ovo_error_field(NULL));
    CHECK_INT_EQ(ovo_payment_result(NULL), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_payment_outcome(NULL), OVO_OUTCOME_UNKNOWN);
    CHECK_NULL(ovo_payment_error(NULL));
    CHECK_INT_EQ(ovo_payment_http_status(NULL), 0);
    CHECK_STR_EQ(ovo_payment_request_id(NULL), "");
    CHECK_STR_EQ(ovo_payment_raw_body(NULL, &len), "");
    CHECK_INT_EQ(len, 0);
    CHECK_STR_EQ(ovo_payment_raw_body(NULL, NULL), "");
    CHECK_INT_EQ(ovo_payment_kind(NULL), OVO_KIND_PUSH);
    CHECK(!ovo_payment_cancelled(NULL));
    CHECK(!ovo_payment_not_found(NULL));
    CHECK_NULL(ovo_payment_last_check(NULL));
    CHECK_INT_EQ(ovo_payment_cancel(NULL), OVO_RESULT_INVALID_ARGUMENT);
    for (f = 0; f <= 40; f++) {
        CHECK_MSG(ovo_payment_text(NULL, f) == NULL, "ovo_payment_text(NULL, %u) is NULL",
                  (unsigned)f);
        CHECK_MSG(!ovo_payment_number(NULL, f, &v) && v == 7,
                  "ovo_payment_number(NULL, %u) is false and leaves *out", (unsigned)f);
    }
    CHECK(!ovo_payment_number(NULL, OVO_FIELD_AMOUNT, NULL));
}

static void test_config_setters(void)
{
    ovo_config *c;
    SECTION("config setters");
    CHECK_INT_EQ(ovo_config_set_environment(NULL, OVO_ENVIRONMENT_SANDBOX),
                 OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_base_url(NULL, "http://127.0.0.1:1"), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_connect_timeout_ms(NULL, 1000), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_timeout_ms(NULL, 1000), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_ca_file(NULL, "/nonexistent"), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_proxy(NULL, OVO_PROXY_MODE_NONE, NULL),
                 OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_status_timeout_ms(NULL, 1000), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_reconcile(NULL, 0, 1000), OVO_RESULT_INVALID_ARGUMENT);

    c = ovo_config_new();
    CHECK_NONNULL(c);
    /* Setters only store: bad values are judged later by ovo_client_new. */
    CHECK_INT_EQ(ovo_config_set_environment(c, 77), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_environment(c, OVO_ENVIRONMENT_PRODUCTION), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_base_url(c, "not a url"), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_base_url(c, "\xff\xfe"), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_base_url(c, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_connect_timeout_ms(c, 0), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_timeout_ms(c, 0), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_status_timeout_ms(c, 0), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_reconcile(c, 9, 1), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_ca_file(c, "/nonexistent/ca.pem"), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_ca_file(c, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_proxy(c, 99, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "http://127.0.0.1:3128"),
                 OVO_RESULT_OK);
    ovo_config_free(c);

    /* Several configs at once, freed in another order. */
    {
        ovo_config *a = ovo_config_new(), *b = ovo_config_new();
        CHECK(a != NULL && b != NULL && a != b);
        ovo_config_free(a);
        ovo_config_free(b);
    }
}

int main(void)
{
    test_version();
    test_abi_values();
    test_names();
    test_free_null();
    test_null_accessors();
    test_config_setters();
    return check_summary();
}
