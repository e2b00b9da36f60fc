/* bench/peers/payment.h: the peer's per-payment work, written the way a POS/ERP developer would
 * with libcurl + OpenSSL + cJSON: the same field rules, checksum, JSON body, UUID v4
 * Request-Id, Request-Timestamp, HMAC-SHA256 Signature header and response checks as libovo.
 * Shared by every C peer (checksum, sequential, cold start, curl multi). */
#ifndef PEER_PAYMENT_H
#define PEER_PAYMENT_H

#include <stddef.h>
#include <curl/curl.h>

/** The path DOKU's push payment is POSTed to (also the signed Request-Target). */
#define PEER_TARGET "/ovo-emoney/v1/payment"
/** Largest response body read; a longer one is no usable answer (as in libovo). */
#define PEER_MAX_BODY (1024 * 1024)

/** One signed request: what a payment sends, and what its answer must echo. */
typedef struct {
    char invoice[65];
    long long amount;
    char ovo_id[16];
    char body[512];
    size_t body_len;
    struct curl_slist *headers;
} peer_request;

/** A response body read through CURLOPT_WRITEFUNCTION, capped at PEER_MAX_BODY. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} peer_body;

/** What DOKU's answer said, or PEER_BAD when it is no usable answer. */
typedef enum { PEER_BAD = -1, PEER_SUCCESS = 0, PEER_FAILED = 1, PEER_TIMEOUT = 2 } peer_status;

/** Prepares OpenSSL's SHA-256 once per process. Returns 0 on success. */
int peer_init(void);

/** security.check_sum: lower-case hex sha256(amount + client_id + invoice + ovo_id + secret)
 * into out (65 bytes). No field rules: this is the bare OpenSSL floor. Returns 0 on success. */
int peer_checksum(long long amount, const char *client_id, const char *invoice,
                  const char *ovo_id, const char *secret, char out[65]);

/** Checks the push payment's field rules; returns NULL when fine, else the field at fault. */
const char *peer_validate(const char *invoice, long long amount, const char *ovo_id);

/** Builds a signed request (validate, checksum, body, Request-Id, timestamp, Signature).
 * Returns 0 on success; on failure nothing is to be sent. Free with peer_request_free. */
int peer_request_build(peer_request *r, const char *invoice, long long amount, const char *ovo_id);

/** Frees the request's header list. */
void peer_request_free(peer_request *r);

/** Sets the options every payment handle shares: URL, POST, body sink, CA file (may be NULL),
 * no proxy, timeouts (ms). Returns 0 on success. */
int peer_easy_setup(CURL *h, const char *url, const char *ca_file, peer_body *sink,
                    long timeout_ms);

/** Points a handle at a built request (body and headers) and empties its body sink. */
int peer_easy_request(CURL *h, const peer_request *r, peer_body *sink);

/** Checks an answer: HTTP 200, JSON, client.id/invoice/amount/ovo_id equal to the request's,
 * and ovo_payment.status SUCCESS, FAILED or TIMEOUT. */
peer_status peer_response_check(const peer_request *r, long http_status, const peer_body *body);

#endif
