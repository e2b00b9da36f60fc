/*
 * test_client: ovo_client_new with the defaults and with every setting, every rejected
 * argument or setting (INVALID_ARGUMENT naming the field, *out NULL, *error set: timeouts,
 * status timeout, reconcile window, endpoint as base URL, https/SOCKS proxies), NULL
 * out-parameters, config lifetime, and concurrent creation.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "check.h"
#include "common.h"

/* Creates a client from `config` and expects success; frees it. */
#define EXPECT_CLIENT_OK(cid, sk, config)                                                   \
    expect_client_((cid), (sk), (config), OVO_RESULT_OK, NULL, __FILE__, __LINE__)
/* Expects INVALID_ARGUMENT naming `field`. */
#define EXPECT_CLIENT_INVALID(cid, sk, config, field)                                       \
    expect_client_((cid), (sk), (config), OVO_RESULT_INVALID_ARGUMENT, (field), __FILE__, __LINE__)

/* What is being tried, for failure messages (e.g. the base URL). */
static const char *ctx = "";

static void expect_client_(const char *cid, const char *sk, const ovo_config *config,
                           ovo_result want, const char *field, const char *file, int line)
{
    ovo_client *client = POISON_PTR;
    ovo_error *err = POISON_PTR;
    ovo_result r = ovo_client_new(cid, sk, config, &client, &err);
    if (!check_record(r == want, file, line, "ovo_client_new [%s]: got %u, want %u (%s)", ctx,
                      (unsigned)r, (unsigned)want,
                      (r != OVO_RESULT_OK && err != POISON_PTR && err != NULL)
                          ? ovo_error_message(err) : "")) {
        if (r == OVO_RESULT_OK && client != POISON_PTR)
            ovo_client_free(client);
        if (err != POISON_PTR)
            ovo_error_free(err);
        return; /* the remaining checks would only repeat this failure */
    }
    if (want == OVO_RESULT_OK) {
        check_record(client != NULL && client != POISON_PTR, file, line, "*out is a client");
        check_record(err == NULL, file, line, "*error is NULL on success");
        if (r == OVO_RESULT_OK)
            ovo_client_free(client);
        else if (err != POISON_PTR)
            ovo_error_free(err);
        return;
    }
    check_record(client == NULL, file, line, "*out is NULL on failure");
    if (r == OVO_RESULT_OK && client != POISON_PTR)
        ovo_client_free(client);
    if (err == POISON_PTR) {
        check_record(0, file, line, "*error was not written");
        return;
    }
    check_error_(err, want, field, file, line);
    ovo_error_free(err);
    /* Same call without an error out-parameter. */
    client = POISON_PTR;
    r = ovo_client_new(cid, sk, config, &client, NULL);
    check_record(r == want && client == NULL, file, line,
                 "ovo_client_new (error NULL): got %u, *out %s", (unsigned)r,
                 client == NULL ? "NULL" : "set");
    if (r == OVO_RESULT_OK && client != POISON_PTR)
        ovo_client_free(client);
}

static void test_defaults(void)
{
    ovo_config *c = ovo_config_new();
    SECTION("defaults");
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, NULL);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_environment(c, OVO_ENVIRONMENT_PRODUCTION);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_environment(c, OVO_ENVIRONMENT_SANDBOX);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_free(c);
}

static void test_credentials(void)
{
    char long_id[OVO_CLIENT_ID_MAX_LEN + 2];
    char long_key[OVO_SECRET_KEY_MAX_LEN + 2];
    SECTION("credentials");
    EXPECT_CLIENT_INVALID(NULL, TEST_SECRET, NULL, "client.id");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, NULL, NULL, "secret_key");
    EXPECT_CLIENT_INVALID("", TEST_SECRET, NULL, "client.id");
    EXPECT_CLIENT_INVALID("MCH 0001", TEST_SECRET, NULL, "client.id");
    EXPECT_CLIENT_INVALID("MCH-\xff", TEST_SECRET, NULL, "client.id");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, "", NULL, "secret_key");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET " ", NULL, "secret_key");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET "\xc3", NULL, "secret_key");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, "\t" TEST_WRONG_SECRET, NULL, "secret_key");
    memset(long_id, 'C', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    EXPECT_CLIENT_INVALID(long_id, TEST_SECRET, NULL, "client.id");
    long_id[OVO_CLIENT_ID_MAX_LEN] = '\0';
    EXPECT_CLIENT_OK(long_id, TEST_SECRET, NULL);
    memset(long_key, 'K', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, long_key, NULL, "secret_key");
    long_key[OVO_SECRET_KEY_MAX_LEN] = '\0';
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, long_key, NULL);
}

static void test_null_out(void)
{
    ovo_error *err = POISON_PTR;
    ovo_result r;
    SECTION("NULL out");
    r = ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, NULL, NULL, &err);
    CHECK_INT_EQ(r, OVO_RESULT_INVALID_ARGUMENT);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "out");
    ovo_error_free(err);
    r = ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, NULL, NULL, NULL);
    CHECK_INT_EQ(r, OVO_RESULT_INVALID_ARGUMENT);
}

static void test_environment(void)
{
    ovo_config *c = ovo_config_new();
    SECTION("environment");
    ovo_config_set_environment(c, 2);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "environment");
    ovo_config_set_environment(c, 0xffffffffu);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "environment");
    ovo_config_free(c);
}

static void test_base_url(void)
{
    const char *bad[] = {
        "",
        "127.0.0.1:8080",
        "ftp://127.0.0.1/",
        "http://",
        "https://",
        "http:///ovo",
        "http://127.0.0.1:8080?x=1",
        "http://127.0.0.1:8080#frag",
        "http://user:pass@127.0.0.1:8080",
        "http://127.0.0.1 :8080",
        "http://127.0.0.1:8080/a b",
        "http://127.0.0.1:8080\n",
        "http://127.0.0.1:\xff",
        "http://[::1",
        "http://127.0.0.1:80:80",
        /* The endpoint itself, not the base URL. */
        "http://127.0.0.1:8080/ovo-emoney/v1/payment",
        "https://api-sandbox.doku.com/ovo-emoney/v1/payment",
        "http://127.0.0.1:8080/prefix/ovo-emoney/v1/payment",
        "http://127.0.0.1:8080/orders/v1/status",
    };
    /* Authorities whose port or host cannot be used. Accepting them is worse than it looks:
     * an unparsable port is dropped and the request goes to the scheme's default port (80 or
     * 443) of that host, i.e. possibly to another server. */
    const char *bad_authority[] = {
        "http://127.0.0.1:99999",
        "http://127.0.0.1:65536",
        "http://127.0.0.1:abc",
        "http://127.0.0.1:-1",
        "http://:8080",
    };
    const char *good[] = {
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/prefix",
        "https://api-sandbox.doku.com",
        "http://localhost",
        "http://[::1]:8080",
    };
    size_t i;
    ovo_config *c = ovo_config_new();
    SECTION("base URL");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctx = bad[i];
        ovo_config_set_base_url(c, bad[i]);
        EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "base_url");
    }
    for (i = 0; i < sizeof bad_authority / sizeof bad_authority[0]; i++) {
        ctx = bad_authority[i];
        ovo_config_set_base_url(c, bad_authority[i]);
        EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "base_url");
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        ctx = good[i];
        ovo_config_set_base_url(c, good[i]);
        EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    }
    ctx = "";
    /* NULL clears the override. */
    ovo_config_set_base_url(c, "nope");
    ovo_config_set_base_url(c, NULL);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_free(c);
}

static void test_timeouts(void)
{
    ovo_config *c = ovo_config_new();
    SECTION("timeouts");
    ovo_config_set_timeout_ms(c, 0);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "timeout");
    ovo_config_set_timeout_ms(c, 600001);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "timeout");
    ovo_config_set_timeout_ms(c, 0xffffffffu);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "timeout");
    ovo_config_set_timeout_ms(c, 600000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    /* Total below the default connect timeout (10 s): the connect timeout is cut to it. */
    ovo_config_set_timeout_ms(c, 5000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_connect_timeout_ms(c, 5001);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_connect_timeout_ms(c, 600000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_connect_timeout_ms(c, 600001);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "connect_timeout");
    ovo_config_set_connect_timeout_ms(c, 0);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "connect_timeout");
    ovo_config_set_connect_timeout_ms(c, 1);
    ovo_config_set_timeout_ms(c, 1);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    /* The status-check timeout has the same range. */
    ovo_config_set_status_timeout_ms(c, 0);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "status_timeout");
    ovo_config_set_status_timeout_ms(c, 600001);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "status_timeout");
    ovo_config_set_status_timeout_ms(c, 600000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_status_timeout_ms(c, 1);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    CHECK_INT_EQ(ovo_config_set_status_timeout_ms(NULL, 1000), OVO_RESULT_INVALID_ARGUMENT);
    ovo_config_free(c);
}

static void test_reconcile(void)
{
    ovo_config *c = ovo_config_new();
    SECTION("reconcile window");
    CHECK_INT_EQ(ovo_config_set_reconcile(NULL, 0, 20000), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_reconcile(c, 0, 0), OVO_RESULT_OK); /* off */
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_reconcile(c, 0, 20000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_reconcile(c, 20000, 20000);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_reconcile(c, 86400000u, 86400000u);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_reconcile(c, 20001, 20000); /* first delay after the window */
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "reconcile");
    ovo_config_set_reconcile(c, 0, 86400001u);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "reconcile");
    ovo_config_set_reconcile(c, 0xffffffffu, 0xffffffffu);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "reconcile");
    ovo_config_set_reconcile(c, 5, 0); /* max_wait 0 turns it off, whatever the delay */
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_free(c);
}

static void test_ca_file(void)
{
    char path[256];
    FILE *f;
    ovo_config *c = ovo_config_new();
    SECTION("CA file");
    ovo_config_set_ca_file(c, "/nonexistent/libovo-test/ca.pem");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");
    ovo_config_set_ca_file(c, "/");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");
    ovo_config_set_ca_file(c, "/tmp/\xff\xfe.pem");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");

    snprintf(path, sizeof path, "/tmp/libovo-test-ca-%ld.pem", (long)getpid());
    f = fopen(path, "w");
    if (CHECK_NONNULL(f)) {
        fputs("this is not a certificate\n", f);
        fclose(f);
        ovo_config_set_ca_file(c, path);
        EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");
    }
    f = fopen(path, "w");
    if (CHECK_NONNULL(f)) {
        fclose(f); /* empty */
        ovo_config_set_ca_file(c, path);
        EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");
    }
    f = fopen(path, "w");
    if (CHECK_NONNULL(f)) {
        fputs("-----BEGIN CERTIFICATE-----\n!!!!notbase64!!!!\n-----END CERTIFICATE-----\n", f);
        fclose(f);
        ovo_config_set_ca_file(c, path);
        EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "ca_file");
    }
    remove(path);
    if (access("/etc/ssl/certs/ca-certificates.crt", R_OK) == 0) {
        ovo_config_set_ca_file(c, "/etc/ssl/certs/ca-certificates.crt");
        EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    }
    ovo_config_set_ca_file(c, NULL); /* back to the built-in roots */
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_free(c);
}

static void test_proxy(void)
{
    ovo_config *c = ovo_config_new();
    SECTION("proxy");
    ovo_config_set_proxy(c, 3, NULL);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, 0xffffffffu, "http://127.0.0.1:3128");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, NULL);
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "http://127.0.0.1:\xff");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "not a url");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "ftp://127.0.0.1:21");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    /* https:// and SOCKS proxies are not supported. */
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "https://127.0.0.1:3128");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "socks5://127.0.0.1:1080");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "SOCKS4://127.0.0.1:1080");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    /* An unusable port, as for the base URL. */
    ctx = "proxy http://127.0.0.1:99999";
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "http://127.0.0.1:99999");
    EXPECT_CLIENT_INVALID(TEST_CLIENT_ID, TEST_SECRET, c, "proxy");
    ctx = "";
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "http://127.0.0.1:3128");
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_proxy(c, OVO_PROXY_MODE_URL, "http://user:pass@127.0.0.1:3128");
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_proxy(c, OVO_PROXY_MODE_NONE, "ignored \xff");
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_set_proxy(c, OVO_PROXY_MODE_FROM_ENVIRONMENT, NULL);
    EXPECT_CLIENT_OK(TEST_CLIENT_ID, TEST_SECRET, c);
    ovo_config_free(c);
}

static void test_config_lifetime(void)
{
    ovo_config *c = ovo_config_new();
    ovo_client *a = NULL, *b = NULL;
    SECTION("config lifetime");
    ovo_config_set_base_url(c, "http://127.0.0.1:8080");
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, c, &a, NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_WRONG_SECRET, c, &b, NULL), OVO_RESULT_OK);
    CHECK(a != NULL && b != NULL && a != b);
    ovo_config_free(c); /* clients are not affected */
    ovo_client_free(b);
    ovo_client_free(a);
}

#define MK_THREADS 4
static void *maker(void *arg)
{
    int *bad = arg;
    int i;
    for (i = 0; i < 25; i++) {
        ovo_client *cl = NULL;
        ovo_error *err = NULL;
        ovo_config *c = ovo_config_new();
        ovo_config_set_base_url(c, "http://127.0.0.1:8080");
        ovo_config_set_proxy(c, OVO_PROXY_MODE_NONE, NULL);
        if (ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, c, &cl, &err) != OVO_RESULT_OK)
            (*bad)++;
        ovo_config_free(c);
        ovo_client_free(cl);
        if (ovo_client_new(TEST_CLIENT_ID, "", NULL, &cl, &err) != OVO_RESULT_INVALID_ARGUMENT ||
            cl != NULL || err == NULL || strcmp(ovo_error_field(err), "secret_key") != 0)
            (*bad)++;
        ovo_error_free(err);
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[MK_THREADS];
    int bad[MK_THREADS];
    int i, n = 0;
    SECTION("concurrent creation");
    for (i = 0; i < MK_THREADS; i++) {
        bad[i] = 0;
        if (pthread_create(&t[i], NULL, maker, &bad[i]) != 0)
            break;
        n++;
    }
    CHECK_INT_EQ(n, MK_THREADS);
    for (i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        CHECK_MSG(bad[i] == 0, "thread %d: %d failures", i, bad[i]);
    }
}

int main(void)
{
    test_defaults();
    test_credentials();
    test_null_out();
    test_environment();
    test_base_url();
    test_timeouts();
    test_reconcile();
    test_ca_file();
    test_proxy();
    test_config_lifetime();
    test_threads();
    return check_summary();
}
