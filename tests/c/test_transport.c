/*
 * test_transport: what goes on the wire and what libovo makes of answers DOKU should never
 * give, using the one-connection HTTP stub of stub.h:
 *   - the request itself (method, path, headers, Request-Id, JSON body, check_sum);
 *   - connection closed after the request, HTTP 500 with HTML, malformed/mismatched/unknown
 *     JSON, a redirect, a body over 1 MiB, no answer within the timeout -> OUTCOME_UNKNOWN;
 *   - 4xx -> REJECTED; a secret key echoed by the server (verbatim, JSON-escaped, cut off) is
 *     *** in the raw body and never reaches a message;
 *   - a key echoed in a usable answer's fields is *** there too; a gzip answer is decoded
 *     (and no Accept-Encoding is sent);
 *   - NUL bytes in a body; a minimal valid answer (absent fields are NULL / false);
 *   - base URL with a path prefix; proxies: explicit URL, from the environment for a remote
 *     target (loopback goes direct; a dead proxy is named with its variable; https:// and
 *     SOCKS refused);
 *   - exactly one connection and one request per payment (never retried).
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"
#include "stub.h"

/*
 * Runs one payment against a stub in `mode`: returns the payment (caller frees) after checking
 * the result, the invariants and that exactly one connection with one full request came.
 */
static ovo_payment *pay_stub(struct stub *s, enum stub_mode mode, const char *response,
                             size_t response_len, const char *prefix, unsigned timeout_ms,
                             const char *invoice, int64_t amount, ovo_result want)
{
    char url[128];
    ovo_client *client;
    ovo_payment *p = NULL;
    ovo_result r;
    if (!CHECK(stub_start(s, mode, response, response_len)))
        return NULL;
    base_url_of(s, url, sizeof url, prefix);
    client = MAKE_CLIENT(url, TEST_SECRET, timeout_ms);
    r = ovo_push_payment(client, invoice, amount, WALLET_CASH, &p);
    CHECK_MSG(r == want, "result %u, want %u (%s)", (unsigned)r, (unsigned)want,
              ovo_error_message(ovo_payment_error(p)));
    CHECK_PAYMENT_INVARIANTS(p);
    ovo_client_free(client);
    CHECK_INT_EQ(stub_finish(s), 0); /* never retried */
    CHECK_INT_EQ(s->accepted, 1);
    CHECK_MSG(s->complete, "the stub received one complete request");
    return p;
}


static void test_close_without_answer(void)
{
    struct stub s;
    char inv[80], hdr[256], sum[OVO_CHECKSUM_BUFFER_LEN], needle[160];
    ovo_payment *p;
    SECTION("connection closed after the request: OUTCOME_UNKNOWN; the request itself");
    make_invoice(inv, sizeof inv, "close");
    p = pay_stub(&s, STUB_CLOSE, NULL, 0, "", 0, inv, 12345, OVO_RESULT_OUTCOME_UNKNOWN);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_http_status(p), 0);
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
    CHECK_STR_EQ(ovo_payment_raw_body(p, NULL), "");

    /* The request as sent. */
    CHECK_MSG(strncmp(s.request, "POST /ovo-emoney/v1/payment HTTP/1.1\r\n", 38) == 0,
              "request line: %.60s", s.request);
    CHECK_STR_EQ(header(&s, "Client-Id", hdr, sizeof hdr), TEST_CLIENT_ID);
    CHECK_STR_EQ(header(&s, "Request-Id", hdr, sizeof hdr), ovo_payment_request_id(p));
    CHECK(is_uuid_v4(hdr));
    CHECK_STR_EQ(header(&s, "Request-Target", hdr, sizeof hdr), "/ovo-emoney/v1/payment");
    CHECK_STR_CONTAINS(header(&s, "Content-Type", hdr, sizeof hdr), "application/json");
    CHECK_MSG(header(&s, "Request-Timestamp", hdr, sizeof hdr)[0] != '\0', "Request-Timestamp");
    CHECK_MSG(header(&s, "Signature", hdr, sizeof hdr)[0] != '\0', "Signature header");
    CHECK_MSG(strstr(s.request, TEST_SECRET) == NULL, "the secret key is never sent");
    if (CHECK_NONNULL(s.body)) {
        CHECK_STR_CONTAINS(s.body, inv);
        CHECK_STR_CONTAINS(s.body, "\"amount\":12345");
        CHECK_STR_CONTAINS(s.body, "\"ovo_id\":\"" WALLET_CASH "\"");
        CHECK_STR_CONTAINS(s.body, "\"id\":\"" TEST_CLIENT_ID "\"");
        CHECK_INT_EQ(ovo_checksum(12345, TEST_CLIENT_ID, inv, WALLET_CASH, TEST_SECRET, sum,
                                  sizeof sum, NULL),
                     OVO_RESULT_OK);
        snprintf(needle, sizeof needle, "\"check_sum\":\"%s\"", sum);
        CHECK_STR_CONTAINS(s.body, needle);
    }
    ovo_payment_free(p);
}

static void test_http_500_html(void)
{
    static const char html[] =
        "<html><head><title>500 Internal Server Error</title></head>"
        "<body><h1>Internal Server Error</h1></body></html>";
    struct stub s;
    char inv[80];
    size_t len = 0, blen = 0;
    char *resp = http_response("500 Internal Server Error", "text/html", html, strlen(html), &len);
    ovo_payment *p;
    SECTION("HTTP 500 with an HTML body: OUTCOME_UNKNOWN");
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, make_invoice(inv, sizeof inv, "500"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    free(resp);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_http_status(p), 500);
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "500");
    CHECK_STR_EQ(ovo_payment_raw_body(p, &blen), html);
    CHECK_INT_EQ(blen, strlen(html));
    ovo_payment_free(p);
}

/* A 200 answer whose JSON body libovo must not trust: OUTCOME_UNKNOWN, http 200. */
static void expect_unusable_200(const char *label, const char *json_fmt)
{
    struct stub s;
    char inv[80], body[2048];
    size_t len = 0;
    char *resp;
    ovo_payment *p;
    make_invoice(inv, sizeof inv, "bad200");
    snprintf(body, sizeof body, json_fmt, inv);
    resp = http_response("200 OK", "application/json", body, strlen(body), &len);
    printf("   %s\n", label);
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, inv, 10000, OVO_RESULT_OUTCOME_UNKNOWN);
    free(resp);
    if (p == NULL)
        return;
    CHECK_MSG(ovo_payment_outcome(p) == OVO_OUTCOME_UNKNOWN, "%s: outcome UNKNOWN", label);
    CHECK_MSG(ovo_payment_http_status(p) == 200, "%s: http 200", label);
    CHECK_STR_EQ(ovo_payment_raw_body(p, NULL), body);
    CHECK_NULL(ovo_payment_text(p, OVO_FIELD_STATUS));
    ovo_payment_free(p);
}

#define OK_JSON(status, invoice, amount, client)                                            \
    "{\"client\":{\"id\":\"" client "\"},\"order\":{\"invoice_number\":\"" invoice           \
    "\",\"amount\":" amount "},\"ovo_info\":{\"ovo_id\":\"081211111111\"},"                 \
    "\"ovo_payment\":{\"response_code\":\"00\",\"status\":\"" status "\"}}"

static void test_unusable_200(void)
{
    SECTION("unusable 200 answers: OUTCOME_UNKNOWN");
    expect_unusable_200("not JSON", "this is not JSON %s");
    expect_unusable_200("JSON array", "[\"%s\"]");
    expect_unusable_200("truncated JSON", "{\"order\":{\"invoice_number\":\"%s\"");
    expect_unusable_200("empty object", "{}");
    expect_unusable_200("other invoice", OK_JSON("SUCCESS", "%s-OTHER", "10000", TEST_CLIENT_ID));
    expect_unusable_200("other amount", OK_JSON("SUCCESS", "%s", "10001", TEST_CLIENT_ID));
    expect_unusable_200("other client", OK_JSON("SUCCESS", "%s", "10000", "MCH-OTHER"));
    expect_unusable_200("unknown status", OK_JSON("PENDING", "%s", "10000", TEST_CLIENT_ID));
    expect_unusable_200("amount as text", OK_JSON("SUCCESS", "%s", "\"ten\"", TEST_CLIENT_ID));
}

static void test_minimal_answer(void)
{
    /* Only the required fields; numbers as digit strings are accepted. */
    struct stub s;
    char inv[80], body[1024];
    size_t len = 0;
    char *resp;
    uint32_t f;
    int64_t v;
    ovo_payment *p;
    SECTION("minimal SUCCESS answer: absent fields are NULL / false");
    make_invoice(inv, sizeof inv, "min");
    snprintf(body, sizeof body, OK_JSON("SUCCESS", "%s", "\"10000\"", TEST_CLIENT_ID), inv);
    resp = http_response("200 OK", "application/json", body, strlen(body), &len);
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, inv, 10000, OVO_RESULT_OK);
    free(resp);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "SUCCESS");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv);
    v = 0;
    CHECK(ovo_payment_number(p, OVO_FIELD_AMOUNT, &v) && v == 10000);
    for (f = OVO_FIELD_ACCOUNT_NAME; f <= OVO_FIELD_CHECK_SUM; f++) {
        if (f == OVO_FIELD_RESPONSE_CODE || f == OVO_FIELD_STATUS)
            continue;
        v = 99;
        CHECK_MSG(ovo_payment_text(p, f) == NULL, "absent field %u: text NULL", (unsigned)f);
        CHECK_MSG(!ovo_payment_number(p, f, &v) && v == 99, "absent field %u: number false",
                  (unsigned)f);
    }
    ovo_payment_free(p);
}

/*
 * Keep-alive stub: answers `n` requests in order with responses[k] (HTTP/1.1 keep-alive),
 * closing the connection after answer k when close_after[k]; reports after each answer.
 * Polls the listening socket and every open connection, so it sees whether the client
 * reuses a connection or opens a new one.
 */
struct ka_stub {
    int listen_fd;
    unsigned short port;
    pthread_t thread;
    int n;
    const char *responses[2];
    int close_after[2];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int accepted;            /* connections accepted */
    int served;              /* answers sent (and connection closed if asked) */
    int conn_of_request[2];  /* which accepted connection (1-based) carried request k */
};

static void *ka_main(void *arg)
{
    struct ka_stub *k = arg;
    int conns[4];
    int conn_no[4];
    int nconns = 0, served = 0;
    while (served < k->n) {
        struct pollfd p[5];
        int i, np = 0;
        p[np].fd = k->listen_fd;
        p[np].events = POLLIN;
        p[np++].revents = 0;
        for (i = 0; i < nconns; i++) {
            p[np].fd = conns[i];
            p[np].events = POLLIN;
            p[np++].revents = 0;
        }
        if (poll(p, (nfds_t)np, 60000) <= 0)
            break; /* safety net only */
        if ((p[0].revents & POLLIN) && nconns < 4) {
            int fd = accept(k->listen_fd, NULL, NULL);
            if (fd >= 0) {
                conns[nconns] = fd;
                pthread_mutex_lock(&k->lock);
                conn_no[nconns++] = ++k->accepted;
                pthread_mutex_unlock(&k->lock);
            }
        }
        for (i = 1; i < np; i++) {
            struct stub req;
            int c = i - 1;
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)) || conns[c] < 0)
                continue;
            memset(&req, 0, sizeof req);
            read_request(&req, conns[c]);
            if (req.complete && served < k->n) {
                const char *r = k->responses[served];
                size_t off = 0, len = strlen(r);
                while (off < len) {
                    ssize_t w = send(conns[c], r + off, len - off, MSG_NOSIGNAL);
                    if (w <= 0)
                        break;
                    off += (size_t)w;
                }
                if (k->close_after[served]) {
                    close(conns[c]);
                    conns[c] = -1;
                }
                pthread_mutex_lock(&k->lock);
                k->conn_of_request[served] = conn_no[c];
                k->served = ++served;
                pthread_cond_broadcast(&k->cond);
                pthread_mutex_unlock(&k->lock);
            } else if (req.request_len == 0) { /* the client closed it */
                close(conns[c]);
                conns[c] = -1;
            }
        }
        /* Compact closed connections. */
        for (i = 0; i < nconns;) {
            if (conns[i] < 0) {
                conns[i] = conns[nconns - 1];
                conn_no[i] = conn_no[nconns - 1];
                nconns--;
            } else {
                i++;
            }
        }
    }
    while (nconns > 0)
        close(conns[--nconns]);
    pthread_mutex_lock(&k->lock);
    k->served = k->n + 1000; /* done (or gave up) */
    pthread_cond_broadcast(&k->cond);
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

static int ka_wait_served(struct ka_stub *k, int target)
{
    int ok;
    struct timespec deadline = deadline_in(60);
    pthread_mutex_lock(&k->lock);
    while (k->served < target &&
           pthread_cond_timedwait(&k->cond, &k->lock, &deadline) == 0) {
    }
    ok = k->served >= target;
    pthread_mutex_unlock(&k->lock);
    return ok;
}

/* A valid SUCCESS answer for `invoice` (amount 10000), keep-alive: no Connection: close. */
static char *success_response(const char *invoice)
{
    char body[1024];
    char *buf = malloc(2048);
    snprintf(body, sizeof body, OK_JSON("SUCCESS", "%s", "10000", TEST_CLIENT_ID), invoice);
    if (buf != NULL)
        snprintf(buf, 2048,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 strlen(body), body);
    return buf;
}

/*
 * Two payments through one client against a keep-alive server. close_first: the server closes
 * the connection right after the first answer (and the second payment starts only once it
 * has); the client must notice the stale pooled connection and open a new one rather than
 * send into it and report OUTCOME_UNKNOWN. Otherwise the connection is reused.
 */
static void keepalive_case(int close_first)
{
    struct ka_stub k;
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    char url[64], inv1[80], inv2[80];
    ovo_client *client;
    ovo_payment *p = NULL;
    int started;
    memset(&k, 0, sizeof k);
    pthread_mutex_init(&k.lock, NULL);
    pthread_cond_init(&k.cond, NULL);
    make_invoice(inv1, sizeof inv1, "ka1");
    make_invoice(inv2, sizeof inv2, "ka2");
    k.n = 2;
    k.responses[0] = success_response(inv1);
    k.responses[1] = success_response(inv2);
    k.close_after[0] = close_first;
    k.close_after[1] = 1;
    k.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    started = k.responses[0] != NULL && k.responses[1] != NULL && k.listen_fd >= 0 &&
              bind(k.listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
              listen(k.listen_fd, 16) == 0 &&
              getsockname(k.listen_fd, (struct sockaddr *)&addr, &alen) == 0 &&
              pthread_create(&k.thread, NULL, ka_main, &k) == 0;
    if (CHECK(started)) {
        k.port = ntohs(addr.sin_port);
        snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)k.port);
        client = MAKE_CLIENT(url, TEST_SECRET, 10000);
        CHECK_INT_EQ(ovo_push_payment(client, inv1, 10000, WALLET_CASH, &p), OVO_RESULT_OK);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        ovo_payment_free(p);
        CHECK(ka_wait_served(&k, 1)); /* the first answer is out (and its connection closed) */
        p = NULL;
        CHECK_MSG(ovo_push_payment(client, inv2, 10000, WALLET_CASH, &p) == OVO_RESULT_OK,
                  "second payment: %s", ovo_error_message(ovo_payment_error(p)));
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
        CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_INVOICE_NUMBER), inv2);
        ovo_payment_free(p);
        ovo_client_free(client);
        pthread_join(k.thread, NULL);
        if (close_first) {
            CHECK_INT_EQ(k.accepted, 2);
            CHECK(k.conn_of_request[0] == 1 && k.conn_of_request[1] == 2);
        } else {
            CHECK_MSG(k.accepted == 1 && k.conn_of_request[1] == 1,
                      "the connection was reused (%d connections)", k.accepted);
        }
    } else if (k.listen_fd >= 0) {
        CHECK_MSG(0, "keep-alive stub did not start");
    }
    if (k.listen_fd >= 0)
        close(k.listen_fd);
    free((void *)k.responses[0]);
    free((void *)k.responses[1]);
    pthread_mutex_destroy(&k.lock);
    pthread_cond_destroy(&k.cond);
}

static void test_keepalive(void)
{
    SECTION("connection reuse, and a pooled connection the server closed");
    keepalive_case(0);
    keepalive_case(1);
}

static void test_redirect(void)
{
    static const char resp[] = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n";
    struct stub s;
    char inv[80];
    ovo_payment *p;
    SECTION("redirect: never followed, OUTCOME_UNKNOWN");
    p = pay_stub(&s, STUB_RESPOND, resp, strlen(resp), "", 0, make_invoice(inv, sizeof inv, "302"),
                 10000, OVO_RESULT_OUTCOME_UNKNOWN);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_http_status(p), 302);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    ovo_payment_free(p);
}

/* Whether `body` holds none of the forms of the test key a redactor must catch. */
static int free_of_secret(const char *body)
{
    static const char *const forms[] = {
        TEST_SECRET,                 /* verbatim */
        "SK\\u002d9sCrJ1kdYUJAYlsJKlqz", /* JSON-escaped '-' */
        "SK-9sCrJ1",                 /* a cut-off copy: any 6+ character prefix */
    };
    size_t i;
    for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strstr(body, forms[i]) != NULL)
            return 0;
    return 1;
}

static void test_rejected_and_redaction(void)
{
    static const char *const echoes[] = {
        "checksum of " TEST_SECRET " does not match",
        "checksum of SK\\u002d9sCrJ1kdYUJAYlsJKlqz does not match",
        "checksum of SK-9sCrJ1kd... does not match",
    };
    struct stub s;
    char inv[80], body[512];
    size_t len = 0, i;
    char *resp;
    ovo_payment *p;
    SECTION("4xx: REJECTED; a secret echoed by the server is *** in the body and the message");
    for (i = 0; i < sizeof echoes / sizeof echoes[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"error\":{\"code\":\"invalid_signature\",\"message\":\"%s\"}}", echoes[i]);
        resp = http_response("400 Bad Request", "application/json", body, strlen(body), &len);
        p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, make_invoice(inv, sizeof inv, "400"),
                     10000, OVO_RESULT_REJECTED);
        free(resp);
        if (p == NULL)
            continue;
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
        CHECK_INT_EQ(ovo_payment_http_status(p), 400);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_REJECTED, NULL);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "does not match");
        CHECK_MSG(free_of_secret(ovo_error_message(ovo_payment_error(p))),
                  "echo %zu: no form of the key in the message", i);
        /* The raw body is DOKU's, with only the key replaced. */
        CHECK_MSG(free_of_secret(ovo_payment_raw_body(p, NULL)),
                  "echo %zu: no form of the key in the raw body", i);
        CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), "\"message\":\"checksum of ***");
        CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL),
                           "{\"error\":{\"code\":\"invalid_signature\"");
        ovo_payment_free(p);
    }
    snprintf(body, sizeof body, "upstream said: key=%s", TEST_SECRET);
    resp = http_response("503 Service Unavailable", "text/plain", body, strlen(body), &len);
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, make_invoice(inv, sizeof inv, "503"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    free(resp);
    if (p != NULL) {
        CHECK_INT_EQ(ovo_payment_http_status(p), 503);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
        CHECK_STR_EQ(ovo_payment_raw_body(p, NULL), "upstream said: key=***");
        ovo_payment_free(p);
    }
}

/* gzip.compress(mtime=0) of a SUCCESS answer for INV-GZIP-1 (amount 10000, 081211111111). */
static const unsigned char gzip_answer[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2d, 0x8e,
    0xc1, 0x0a, 0x83, 0x30, 0x0c, 0x86, 0xdf, 0x25, 0x67, 0x0b, 0x49, 0x71,
    0x73, 0xf3, 0x5a, 0xc6, 0xe6, 0x61, 0x63, 0x20, 0xdb, 0x61, 0x17, 0x71,
    0x6d, 0x07, 0x85, 0xd9, 0x88, 0x55, 0x61, 0x88, 0xef, 0x3e, 0x2b, 0xe6,
    0x94, 0x84, 0xef, 0xff, 0x92, 0x09, 0xf4, 0xd7, 0x59, 0xdf, 0x43, 0x3e,
    0x81, 0x33, 0x90, 0xc3, 0x55, 0x5d, 0x04, 0x22, 0x92, 0x20, 0xcc, 0x8e,
    0x44, 0x94, 0xee, 0xa5, 0xdc, 0xa5, 0x19, 0xcc, 0x09, 0x70, 0x67, 0x6c,
    0xb7, 0x82, 0x7e, 0x64, 0xa7, 0x6d, 0xe5, 0x87, 0xe6, 0x1d, 0x37, 0x50,
    0xdc, 0x9e, 0xe2, 0xfc, 0x2a, 0xee, 0x82, 0x20, 0x81, 0xba, 0xe1, 0x21,
    0x0a, 0x69, 0xd1, 0x60, 0x8c, 0x8d, 0x5c, 0x39, 0xff, 0xe1, 0x98, 0x5c,
    0xfb, 0x78, 0x06, 0x0f, 0x24, 0x69, 0x2b, 0xd8, 0xa0, 0xb6, 0xfe, 0x35,
    0xdb, 0x2b, 0x9d, 0x0d, 0x2d, 0xfb, 0x60, 0x2b, 0xcd, 0xc6, 0x46, 0x1c,
    0x17, 0x71, 0xe8, 0xeb, 0x7e, 0x08, 0xcb, 0x54, 0x3e, 0x94, 0x3a, 0x95,
    0x25, 0xcc, 0xf3, 0x1f, 0xbf, 0x48, 0xc3, 0x40, 0xbf, 0x00, 0x00, 0x00,
};

static void test_gzip(void)
{
    struct stub s;
    char hdr[64], head[256];
    size_t len = 0, hlen;
    char *resp;
    ovo_payment *p;
    SECTION("a gzip answer is decoded; no Accept-Encoding is sent");
    hlen = (size_t)snprintf(head, sizeof head,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Encoding: gzip\r\nContent-Length: %zu\r\n"
                            "Connection: close\r\n\r\n",
                            sizeof gzip_answer);
    resp = malloc(hlen + sizeof gzip_answer);
    if (!CHECK_NONNULL(resp))
        return;
    memcpy(resp, head, hlen);
    memcpy(resp + hlen, gzip_answer, sizeof gzip_answer);
    len = hlen + sizeof gzip_answer;
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, "INV-GZIP-1", 10000, OVO_RESULT_OK);
    free(resp);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "SUCCESS");
    CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), "\"invoice_number\":\"INV-GZIP-1\"");
    CHECK_STR_EQ(header(&s, "Accept-Encoding", hdr, sizeof hdr), "");
    ovo_payment_free(p);
}

/* A key echoed inside the fields of a usable answer: every text field is redacted too. */
static void test_key_in_fields(void)
{
    struct stub s;
    char inv[80], body[1024];
    size_t len = 0;
    char *resp;
    ovo_payment *p;
    uint32_t f;
    SECTION("a key echoed in a usable answer's fields never reaches a text field");
    make_invoice(inv, sizeof inv, "keyfield");
    snprintf(body, sizeof body,
             "{\"client\":{\"id\":\"" TEST_CLIENT_ID "\"},\"order\":{\"invoice_number\":\"%s\","
             "\"amount\":10000},\"ovo_info\":{\"ovo_id\":\"" WALLET_CASH "\","
             "\"ovo_account_name\":\"" TEST_SECRET "\"},\"ovo_configuration\":{\"merchant_id\":"
             "\"SK\\u002d9sCrJ1kdYUJAYlsJKlqz\",\"store_code\":\"SK-9sCrJ1kdYU\"},"
             "\"ovo_payment\":{\"response_code\":\"00\",\"status\":\"SUCCESS\"}}",
             inv);
    resp = http_response("200 OK", "application/json", body, strlen(body), &len);
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, inv, 10000, OVO_RESULT_OK);
    free(resp);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_MSG(free_of_secret(ovo_payment_raw_body(p, NULL)), "no form of the key in the raw body");
    for (f = 1; f <= FIELD_LAST; f++) {
        const char *t = ovo_payment_text(p, f);
        CHECK_MSG(t == NULL || free_of_secret(t), "text field %u holds no form of the key", f);
    }
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ACCOUNT_NAME), "***");
    ovo_payment_free(p);
}

static void test_nul_bytes(void)
{
    static const char body[] = "ab\0cd\0\0ef";
    struct stub s;
    char inv[80];
    size_t len = 0, blen = 0;
    char *resp = http_response("500 Internal Server Error", "text/plain", body, sizeof body - 1,
                               &len);
    ovo_payment *p;
    const char *raw;
    SECTION("NUL bytes in a body are kept; *len counts them");
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, make_invoice(inv, sizeof inv, "nul"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    free(resp);
    if (p == NULL)
        return;
    raw = ovo_payment_raw_body(p, &blen);
    CHECK_INT_EQ(blen, sizeof body - 1);
    CHECK(blen == sizeof body - 1 && memcmp(raw, body, sizeof body) == 0); /* and the NUL after */
    ovo_payment_free(p);
}

static void test_oversized_body(void)
{
    struct stub s;
    char inv[80];
    size_t n = OVO_MAX_BODY_BYTES + 4096, len = 0;
    char *body = malloc(n);
    char *resp;
    ovo_payment *p;
    SECTION("body over 1 MiB: OUTCOME_UNKNOWN");
    if (!CHECK_NONNULL(body))
        return;
    memset(body, ' ', n);
    body[0] = '{';
    body[n - 1] = '}';
    resp = http_response("200 OK", "application/json", body, n, &len);
    free(body);
    p = pay_stub(&s, STUB_RESPOND, resp, len, "", 0, make_invoice(inv, sizeof inv, "big"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    free(resp);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    ovo_payment_raw_body(p, &len);
    CHECK(len <= OVO_MAX_BODY_BYTES);
    ovo_payment_free(p);
}

static void test_timeout(void)
{
    struct stub s;
    char inv[80];
    ovo_payment *p;
    SECTION("no answer within the client's timeout: OUTCOME_UNKNOWN");
    p = pay_stub(&s, STUB_HOLD, NULL, 0, "", 300, make_invoice(inv, sizeof inv, "slow"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    if (p == NULL)
        return;
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_http_status(p), 0);
    CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_OUTCOME_UNKNOWN, NULL);
    ovo_payment_free(p);
}

static void test_prefix(void)
{
    struct stub s;
    char inv[80], hdr[256];
    ovo_payment *p;
    SECTION("base URL with a path prefix");
    p = pay_stub(&s, STUB_CLOSE, NULL, 0, "/doku/", 0, make_invoice(inv, sizeof inv, "pfx"), 10000,
                 OVO_RESULT_OUTCOME_UNKNOWN);
    if (p == NULL)
        return;
    CHECK_MSG(strncmp(s.request, "POST /doku/ovo-emoney/v1/payment HTTP/1.1\r\n", 43) == 0,
              "request line: %.60s", s.request);
    CHECK_STR_EQ(header(&s, "Request-Target", hdr, sizeof hdr), "/doku/ovo-emoney/v1/payment");
    ovo_payment_free(p);
}

/* A client going through a proxy; returns it or NULL. */
static ovo_client *proxied_client(const char *base_url, uint32_t mode, const char *proxy_url)
{
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    ovo_config_set_base_url(config, base_url);
    ovo_config_set_proxy(config, mode, proxy_url);
    ovo_config_set_timeout_ms(config, 10000);
    ovo_config_set_connect_timeout_ms(config, 5000);
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &client, &err), OVO_RESULT_OK);
    if (err != NULL)
        CHECK_MSG(0, "proxied client: %s", ovo_error_message(err));
    ovo_error_free(err);
    ovo_config_free(config);
    return client;
}

static const char *const proxy_vars[] = {"https_proxy", "HTTPS_PROXY", "http_proxy",
                                          "HTTP_PROXY",  "all_proxy",   "ALL_PROXY",
                                          "no_proxy",    "NO_PROXY"};

static void clear_proxy_env(void)
{
    size_t i;
    for (i = 0; i < sizeof proxy_vars / sizeof proxy_vars[0]; i++)
        unsetenv(proxy_vars[i]);
}

/* A listening socket on 127.0.0.1:0 that nobody accepts from; its port in *port. */
static int bare_listener(unsigned short *port)
{
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &alen) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* Connections waiting on a listener (the kernel completes handshakes before accept). */
static int pending_connections(int fd)
{
    int n = 0, c;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while ((c = accept(fd, NULL, NULL)) >= 0) {
        n++;
        close(c);
    }
    return n;
}

/* A client whose settings are refused because of the proxy environment. */
static void expect_env_proxy_refused(const char *base_url, const char *var, const char *value)
{
    ovo_client *client = POISON_PTR;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    clear_proxy_env();
    setenv(var, value, 1);
    ovo_config_set_base_url(config, base_url);
    CHECK_INT_EQ(ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &client, &err),
                 OVO_RESULT_INVALID_ARGUMENT);
    CHECK_NULL(client);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "proxy");
    CHECK_STR_CONTAINS(ovo_error_message(err), var);
    ovo_error_free(err);
    ovo_config_free(config);
    clear_proxy_env();
}

/*
 * Proxies from the environment (read when the client is created), for a target that is not on
 * loopback: 192.0.2.1 (TEST-NET-1, documentation only) is never contacted, the stub proxy
 * answers first. Loopback targets always go direct.
 */
static void test_environment_proxy(const char *loopback_target)
{
    static const char remote[] = "http://192.0.2.1:8080";
    struct stub s;
    char inv[80], proxy[80];
    ovo_client *client;
    ovo_payment *p = NULL;
    size_t i;
    unsigned short port = 0;
    int fd;

    /* Every variable points at the stub: the push goes to it (CONNECT), it closes. */
    if (CHECK(stub_start(&s, STUB_CLOSE, NULL, 0))) {
        snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)s.port);
        for (i = 0; i < 6; i++)
            setenv(proxy_vars[i], proxy, 1);
        client = proxied_client(remote, OVO_PROXY_MODE_FROM_ENVIRONMENT, NULL);
        clear_proxy_env(); /* read already */
        CHECK_INT_EQ(ovo_push_payment(client, make_invoice(inv, sizeof inv, "env"), 10000,
                                      WALLET_CASH, &p),
                     OVO_RESULT_NOT_SENT);
        CHECK_PAYMENT_INVARIANTS(p);
        ovo_payment_free(p);
        ovo_client_free(client);
        CHECK_INT_EQ(stub_finish(&s), 0);
        CHECK_MSG(s.accepted == 1, "the environment's proxy was used (%d connections)", s.accepted);
        CHECK_MSG(strncmp(s.request, "CONNECT 192.0.2.1:8080 ", 23) == 0,
                  "the proxy was asked for the target: %.60s", s.request);
    }

    /* A loopback target never uses the environment's proxy. */
    fd = bare_listener(&port);
    if (CHECK(fd >= 0)) {
        snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)port);
        for (i = 0; i < 6; i++)
            setenv(proxy_vars[i], proxy, 1);
        client = proxied_client(loopback_target, OVO_PROXY_MODE_FROM_ENVIRONMENT, NULL);
        clear_proxy_env();
        p = NULL;
        CHECK_INT_EQ(ovo_push_payment(client, make_invoice(inv, sizeof inv, "lo"), 10000,
                                      WALLET_CASH, &p),
                     OVO_RESULT_NOT_SENT); /* the closed target itself refused */
        CHECK_PAYMENT_INVARIANTS(p);
        ovo_payment_free(p);
        ovo_client_free(client);
        CHECK_MSG(pending_connections(fd) == 0, "loopback went direct, not via the proxy");
        close(fd);
    }

    /* An environment proxy nobody listens on: NOT_SENT, naming the proxy and the variable. */
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    setenv("http_proxy", proxy, 1);
    client = proxied_client(remote, OVO_PROXY_MODE_FROM_ENVIRONMENT, NULL);
    clear_proxy_env();
    p = NULL;
    CHECK_INT_EQ(ovo_push_payment(client, make_invoice(inv, sizeof inv, "pxd"), 10000, WALLET_CASH,
                                  &p),
                 OVO_RESULT_NOT_SENT);
    CHECK_PAYMENT_INVARIANTS(p);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), proxy + strlen("http://"));
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "http_proxy");
    ovo_payment_free(p);
    ovo_client_free(client);

    /* https:// and SOCKS proxies are refused when the client is made, naming the variable. */
    expect_env_proxy_refused("https://192.0.2.1", "https_proxy", "https://127.0.0.1:3128");
    expect_env_proxy_refused("http://192.0.2.1", "ALL_PROXY", "socks5://127.0.0.1:1080");
    expect_env_proxy_refused("http://192.0.2.1", "HTTP_PROXY", "socks5h://127.0.0.1:1080");
}

static void test_proxy(void)
{
    struct stub s;
    char inv[80], proxy[80], target[80];
    ovo_client *client;
    ovo_payment *p = NULL;
    unsigned short closed = closed_loopback_port();
    SECTION("proxies");
    /* The "DOKU" host is a closed port: only the proxy can answer. */
    snprintf(target, sizeof target, "http://127.0.0.1:%u", (unsigned)closed);

    /* Explicit proxy URL. */
    if (CHECK(stub_start(&s, STUB_CLOSE, NULL, 0))) {
        snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)s.port);
        client = proxied_client(target, OVO_PROXY_MODE_URL, proxy);
        /* The proxy read the CONNECT and closed: the payment request itself never left. */
        CHECK_INT_EQ(ovo_push_payment(client, make_invoice(inv, sizeof inv, "pxy"), 10000,
                                      WALLET_CASH, &p),
                     OVO_RESULT_NOT_SENT);
        CHECK_PAYMENT_INVARIANTS(p);
        ovo_payment_free(p);
        ovo_client_free(client);
        CHECK_INT_EQ(stub_finish(&s), 0);
        CHECK_INT_EQ(s.accepted, 1);
        CHECK_MSG(strstr(s.request, "127.0.0.1:") != NULL && s.complete,
                  "the proxy received the request for the target: %.80s", s.request);
    }

    test_environment_proxy(target);

    /* A proxy nobody listens on: the request never left. */
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", (unsigned)closed_loopback_port());
    client = proxied_client(target, OVO_PROXY_MODE_URL, proxy);
    p = NULL;
    CHECK_INT_EQ(ovo_push_payment(client, make_invoice(inv, sizeof inv, "pxn"), 10000, WALLET_CASH,
                                  &p),
                 OVO_RESULT_NOT_SENT);
    CHECK_PAYMENT_INVARIANTS(p);
    ovo_payment_free(p);
    ovo_client_free(client);
}

int main(void)
{
    test_close_without_answer();
    test_http_500_html();
    test_unusable_200();
    test_minimal_answer();
    test_redirect();
    test_rejected_and_redaction();
    test_key_in_fields();
    test_gzip();
    test_nul_bytes();
    test_oversized_body();
    test_timeout();
    test_prefix();
    test_proxy();
    test_keepalive();
    return check_summary();
}
