/* bench/peers/payment.c: the peer's per-payment work (see payment.h). Single-threaded use. */
#include "payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "../common/measure.h"

static EVP_MD *sha256;
static EVP_MD_CTX *sha_ctx;

int peer_init(void) {
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha_ctx = EVP_MD_CTX_new();
    return sha256 && sha_ctx ? 0 : -1;
}

static void hex(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int peer_checksum(long long amount, const char *client_id, const char *invoice,
                  const char *ovo_id, const char *secret, char out[65]) {
    char num[24];
    int num_len = snprintf(num, sizeof num, "%lld", amount);
    unsigned char md[32];
    unsigned int md_len = 0;
    if (!EVP_DigestInit_ex2(sha_ctx, sha256, NULL) ||
        !EVP_DigestUpdate(sha_ctx, num, (size_t)num_len) ||
        !EVP_DigestUpdate(sha_ctx, client_id, strlen(client_id)) ||
        !EVP_DigestUpdate(sha_ctx, invoice, strlen(invoice)) ||
        !EVP_DigestUpdate(sha_ctx, ovo_id, strlen(ovo_id)) ||
        !EVP_DigestUpdate(sha_ctx, secret, strlen(secret)) ||
        !EVP_DigestFinal_ex(sha_ctx, md, &md_len))
        return -1;
    hex(md, md_len, out);
    return 0;
}

const char *peer_validate(const char *invoice, long long amount, const char *ovo_id) {
    size_t n = strlen(invoice);
    if (n < 1 || n > 64)
        return "order.invoice_number";
    for (size_t i = 0; i < n; i++)
        if (invoice[i] < 0x20 || invoice[i] > 0x7e)
            return "order.invoice_number";
    if (amount < 1 || amount > 999999999999LL)
        return "order.amount";
    n = strlen(ovo_id);
    if (n < 9 || n > 15)
        return "ovo_info.ovo_id";
    for (size_t i = 0; i < n; i++)
        if (ovo_id[i] < '0' || ovo_id[i] > '9')
            return "ovo_info.ovo_id";
    return NULL;
}

/* Printable ASCII (validated) needs only '"' and '\' escaped in a JSON string. */
static void json_escape(const char *in, char *out) {
    for (; *in; in++) {
        if (*in == '"' || *in == '\\')
            *out++ = '\\';
        *out++ = *in;
    }
    *out = '\0';
}

static void uuid_v4(char out[37]) {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        memset(b, 0, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char h[33];
    hex(b, sizeof b, h);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static int header(peer_request *r, const char *name, const char *value) {
    char line[256];
    snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *next = curl_slist_append(r->headers, line);
    if (!next)
        return -1;
    r->headers = next;
    return 0;
}

/* Signature = HMACSHA256=base64(HMAC-SHA256(secret, Client-Id/Request-Id/Request-Timestamp/
 * Request-Target/Digest lines)), Digest = base64(sha256(body)). */
static int sign(const peer_request *r, const char *request_id, const char *timestamp,
                char signature[64]) {
    unsigned char md[32], mac[32];
    unsigned int mac_len = 0;
    char digest[45], component[512];
    if (!EVP_Digest(r->body, r->body_len, md, NULL, sha256, NULL))
        return -1;
    EVP_EncodeBlock((unsigned char *)digest, md, sizeof md);
    int n = snprintf(component, sizeof component,
                     "Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\nRequest-Target:%s\n"
                     "Digest:%s",
                     BENCH_CLIENT_ID, request_id, timestamp, PEER_TARGET, digest);
    if (!HMAC(sha256, BENCH_SECRET_KEY, (int)strlen(BENCH_SECRET_KEY),
              (const unsigned char *)component, (size_t)n, mac, &mac_len))
        return -1;
    memcpy(signature, "HMACSHA256=", 11);
    EVP_EncodeBlock((unsigned char *)signature + 11, mac, (int)mac_len);
    return 0;
}

int peer_request_build(peer_request *r, const char *invoice, long long amount,
                       const char *ovo_id) {
    memset(r, 0, sizeof *r);
    if (peer_validate(invoice, amount, ovo_id))
        return -1;
    strcpy(r->invoice, invoice);
    r->amount = amount;
    strcpy(r->ovo_id, ovo_id);
    char check_sum[65], escaped[129], request_id[37], timestamp[21], signature[64];
    if (peer_checksum(amount, BENCH_CLIENT_ID, invoice, ovo_id, BENCH_SECRET_KEY, check_sum))
        return -1;
    json_escape(invoice, escaped);
    int n = snprintf(r->body, sizeof r->body,
                     "{\"client\":{\"id\":\"%s\"},\"order\":{\"invoice_number\":\"%s\","
                     "\"amount\":%lld},\"ovo_info\":{\"ovo_id\":\"%s\"},"
                     "\"security\":{\"check_sum\":\"%s\"}}",
                     BENCH_CLIENT_ID, escaped, amount, ovo_id, check_sum);
    if (n < 0 || (size_t)n >= sizeof r->body)
        return -1;
    r->body_len = (size_t)n;
    uuid_v4(request_id);
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(timestamp, sizeof timestamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (sign(r, request_id, timestamp, signature) ||
        header(r, "Content-Type", "application/json") || header(r, "Accept", "application/json") ||
        header(r, "Client-Id", BENCH_CLIENT_ID) || header(r, "Request-Id", request_id) ||
        header(r, "Request-Timestamp", timestamp) || header(r, "Request-Target", PEER_TARGET) ||
        header(r, "Signature", signature)) {
        peer_request_free(r);
        return -1;
    }
    return 0;
}

void peer_request_free(peer_request *r) {
    curl_slist_free_all(r->headers);
    r->headers = NULL;
}

/* CURLOPT_WRITEFUNCTION: append, refusing (and so failing the transfer) past PEER_MAX_BODY. */
static size_t body_write(char *ptr, size_t size, size_t nmemb, void *userdata) {
    peer_body *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > PEER_MAX_BODY)
        return 0;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 2048;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data)
            return 0;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

int peer_easy_setup(CURL *h, const char *url, const char *ca_file, peer_body *sink,
                    long timeout_ms) {
    CURLcode rc = CURLE_OK;
    rc |= curl_easy_setopt(h, CURLOPT_URL, url);
    rc |= curl_easy_setopt(h, CURLOPT_POST, 1L);
    rc |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
    rc |= curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
    rc |= curl_easy_setopt(h, CURLOPT_PROXY, "");
    rc |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    rc |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    rc |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (ca_file)
        rc |= curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
    return rc == CURLE_OK ? 0 : -1;
}

int peer_easy_request(CURL *h, const peer_request *r, peer_body *sink) {
    sink->len = 0;
    CURLcode rc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body);
    rc |= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)r->body_len);
    rc |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->headers);
    return rc == CURLE_OK ? 0 : -1;
}

static const char *text_at(const cJSON *root, const char *object, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, object), key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int same(const char *got, const char *want) { return got && strcmp(got, want) == 0; }

peer_status peer_response_check(const peer_request *r, long http_status, const peer_body *body) {
    if (http_status != 200 || !body->data)
        return PEER_BAD;
    cJSON *root = cJSON_ParseWithLength(body->data, body->len);
    if (!root)
        return PEER_BAD;
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "order"), "amount");
    const char *status = text_at(root, "ovo_payment", "status");
    peer_status result = PEER_BAD;
    if (same(text_at(root, "client", "id"), BENCH_CLIENT_ID) &&
        same(text_at(root, "order", "invoice_number"), r->invoice) &&
        cJSON_IsNumber(amount) && amount->valuedouble == (double)r->amount &&
        same(text_at(root, "ovo_info", "ovo_id"), r->ovo_id) && status) {
        if (strcmp(status, "SUCCESS") == 0)
            result = PEER_SUCCESS;
        else if (strcmp(status, "FAILED") == 0)
            result = PEER_FAILED;
        else if (strcmp(status, "TIMEOUT") == 0)
            result = PEER_TIMEOUT;
    }
    cJSON_Delete(root);
    return result;
}
