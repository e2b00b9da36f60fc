/*
 * sandbox.h: the local sandbox's control API (the Payment Simulator, no signature) for the
 * libovo C tests: pay or decline a held push, ask whether it is held, read the request counters,
 * and wait for a condition by polling with a deadline. Plain HTTP/1.1 over loopback, one
 * connection per call. Include after common.h.
 */
#ifndef OVO_TEST_SANDBOX_H
#define OVO_TEST_SANDBOX_H

#include <netinet/in.h>
#include <poll.h>

#include "common.h"

/*
 * One request to the sandbox at `base` (http://127.0.0.1:PORT): `json` is the body of a POST
 * (NULL for a GET). Returns the HTTP status (-1 when it failed) and copies the body into `out`
 * (NUL-terminated, cut to out_len) when `out` is non-NULL.
 */
static inline int sb_request(const char *base, const char *method, const char *path,
                             const char *json, char *out, size_t out_len)
{
    char host[64], req[1024], resp[16384];
    unsigned port = 0;
    size_t got = 0;
    int fd, status = -1;
    struct sockaddr_in addr;
    resp[0] = '\0';
    if (base == NULL || sscanf(base, "http://%63[^:]:%u", host, &port) != 2)
        return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return -1;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        int n = snprintf(req, sizeof req,
                         "%s %s HTTP/1.1\r\nHost: %s:%u\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                         method, path, host, port, json ? strlen(json) : 0, json ? json : "");
        if (n > 0 && (size_t)n < sizeof req && send(fd, req, (size_t)n, MSG_NOSIGNAL) == n) {
            struct pollfd pfd;
            pfd.fd = fd;
            pfd.events = POLLIN;
            /* Read to EOF; the poll timeout only guards against a hung sandbox. */
            while (got + 1 < sizeof resp && poll(&pfd, 1, 30000) > 0) {
                ssize_t r = recv(fd, resp + got, sizeof resp - 1 - got, 0);
                if (r <= 0)
                    break;
                got += (size_t)r;
            }
            resp[got] = '\0';
            if (sscanf(resp, "HTTP/1.1 %d", &status) != 1)
                status = -1;
        }
    }
    close(fd);
    if (out != NULL && out_len > 0) {
        const char *body = strstr(resp, "\r\n\r\n");
        snprintf(out, out_len, "%s", status > 0 && body ? body + 4 : "");
    }
    return status;
}

/* The number after "name": in a JSON text, or -1. */
static inline long json_number(const char *json, const char *name)
{
    char key[64];
    const char *at;
    snprintf(key, sizeof key, "\"%s\":", name);
    at = strstr(json, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* A counter of GET /simulator/stats: payment_requests, status_requests or pending; -1 on error. */
static inline long sb_stat(const char *base, const char *name)
{
    char body[512];
    if (sb_request(base, "GET", "/simulator/stats", NULL, body, sizeof body) != 200)
        return -1;
    return json_number(body, name);
}

/* POST /simulator/{action} for `invoice` (pay: `method` "cash" or "points"); the HTTP status. */
static inline int sb_act(const char *base, const char *action, const char *invoice,
                         const char *method)
{
    char path[64], json[256];
    snprintf(path, sizeof path, "/simulator/%s", action);
    if (method != NULL)
        snprintf(json, sizeof json, "{\"invoice_number\":\"%s\",\"method\":\"%s\"}", invoice,
                 method);
    else
        snprintf(json, sizeof json, "{\"invoice_number\":\"%s\"}", invoice);
    return sb_request(base, "POST", path, json, NULL, 0);
}
#define sb_pay(base, invoice) sb_act((base), "pay", (invoice), "cash")
#define sb_decline(base, invoice) sb_act((base), "decline", (invoice), NULL)
#define sb_inquiry(base, invoice) sb_act((base), "inquiry", (invoice), NULL)

/* Sleeps 2 ms: the pace of a poll that waits on a condition, never a synchronisation. */
static inline void poll_pause(void)
{
    struct timespec ts = {0, 2000000L};
    nanosleep(&ts, NULL);
}

/* Polls until the sandbox holds `invoice` (inquiry answers 200); false after `secs`. */
static inline int sb_wait_held(const char *base, const char *invoice, int secs)
{
    double deadline = now_ms() + secs * 1000.0;
    while (sb_inquiry(base, invoice) != 200) {
        if (now_ms() > deadline)
            return 0;
        poll_pause();
    }
    return 1;
}

/* Polls until stats counter `name` reaches `at_least`; false after `secs`. */
static inline int sb_wait_stat(const char *base, const char *name, long at_least, int secs)
{
    double deadline = now_ms() + secs * 1000.0;
    while (sb_stat(base, name) < at_least) {
        if (now_ms() > deadline)
            return 0;
        poll_pause();
    }
    return 1;
}

#endif /* OVO_TEST_SANDBOX_H */
