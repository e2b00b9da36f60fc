/*
 * stub.h: a one-connection HTTP stub server on 127.0.0.1:0 (a pthread) for the libovo C tests:
 * it accepts one connection, reads one full request (headers and Content-Length body), then
 * closes, answers a canned response, or holds until the client hangs up. Used for answers
 * DOKU should never give (transport faults, odd status answers). Include after common.h.
 */
#ifndef OVO_TEST_STUB_H
#define OVO_TEST_STUB_H

#include <fcntl.h>
#include <poll.h>
#include <strings.h>

#include "common.h"

enum stub_mode {
    STUB_CLOSE,   /* read the request, close without answering */
    STUB_RESPOND, /* read the request, send `response`, close */
    STUB_HOLD,    /* read the request, wait until the client hangs up */
};

struct stub {
    int listen_fd;
    unsigned short port;
    enum stub_mode mode;
    const char *response;
    size_t response_len;
    pthread_t thread;
    int started;
    /* Filled by the server thread. */
    int accepted;         /* connections accepted */
    int complete;         /* a full request (headers + Content-Length body) was read */
    char request[65536];  /* headers and body, NUL-terminated */
    size_t request_len;
    const char *body;     /* into request */
    char *owned;          /* a response built by stub_answer, freed by stub_finish */
};

/* Waits for fd to be readable; a safety net against a hung test, never used as a clock. */
static inline int wait_readable(int fd)
{
    struct pollfd p;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, 60000) > 0;
}

/* Reads one request (headers, then Content-Length bytes of body) from fd into s->request. */
static inline void read_request(struct stub *s, int fd)
{
    size_t want = 0;
    char *end = NULL;
    for (;;) {
        ssize_t n;
        if (s->request_len + 1 >= sizeof s->request || !wait_readable(fd))
            return;
        n = recv(fd, s->request + s->request_len, sizeof s->request - 1 - s->request_len, 0);
        if (n <= 0)
            return;
        s->request_len += (size_t)n;
        s->request[s->request_len] = '\0';
        if (end == NULL && (end = strstr(s->request, "\r\n\r\n")) != NULL) {
            const char *cl = s->request;
            size_t content_length = 0;
            while ((cl = strchr(cl, '\n')) != NULL) {
                cl++;
                if (strncasecmp(cl, "content-length:", 15) == 0) {
                    content_length = (size_t)strtoul(cl + 15, NULL, 10);
                    break;
                }
            }
            s->body = end + 4;
            want = (size_t)(end + 4 - s->request) + content_length;
        }
        if (end != NULL && s->request_len >= want) {
            s->complete = 1;
            return;
        }
    }
}

/* The server thread: one connection, one request, then the mode's reaction. */
static inline void *stub_main(void *arg)
{
    struct stub *s = arg;
    int fd;
    if (!wait_readable(s->listen_fd))
        return NULL;
    fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    s->accepted++;
    read_request(s, fd);
    if (s->mode == STUB_RESPOND) {
        size_t off = 0;
        while (off < s->response_len) {
            ssize_t n = send(fd, s->response + off, s->response_len - off, MSG_NOSIGNAL);
            if (n <= 0)
                break; /* the client may stop reading (oversized body) */
            off += (size_t)n;
        }
    } else if (s->mode == STUB_HOLD) {
        char buf[512];
        while (wait_readable(fd) && recv(fd, buf, sizeof buf, 0) > 0) {
        }
    }
    close(fd);
    return NULL;
}

/* Starts a stub on 127.0.0.1:0. */
static inline int stub_start(struct stub *s, enum stub_mode mode, const char *response,
                              size_t len)
{
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->response = response;
    s->response_len = len;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0)
        return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listen_fd, 16) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0) {
        close(s->listen_fd);
        return 0;
    }
    s->port = ntohs(addr.sin_port);
    if (pthread_create(&s->thread, NULL, stub_main, s) != 0) {
        close(s->listen_fd);
        return 0;
    }
    s->started = 1;
    return 1;
}

/*
 * Joins the server thread and returns how many further connections are waiting. The payment
 * call has returned, so any retry would already be queued (the kernel completes handshakes
 * before accept): a non-blocking accept tells exactly.
 */
static inline int stub_finish(struct stub *s)
{
    int extra = 0, fd;
    if (!s->started)
        return 0;
    pthread_join(s->thread, NULL);
    fcntl(s->listen_fd, F_SETFL, fcntl(s->listen_fd, F_GETFL) | O_NONBLOCK);
    while ((fd = accept(s->listen_fd, NULL, NULL)) >= 0) {
        extra++;
        close(fd);
    }
    close(s->listen_fd);
    s->started = 0;
    free(s->owned);
    s->owned = NULL;
    return extra;
}

/* The stub's base URL ("http://127.0.0.1:PORT" + prefix). */
static inline void base_url_of(const struct stub *s, char *buf, size_t len,
                               const char *prefix)
{
    snprintf(buf, len, "http://127.0.0.1:%u%s", (unsigned)s->port, prefix);
}

/* A header's value from the stub's request ("" if absent), copied into out. */
static inline const char *header(const struct stub *s, const char *name, char *out,
                                 size_t len)
{
    const char *p = s->request;
    size_t nlen = strlen(name);
    out[0] = '\0';
    while ((p = strstr(p, "\r\n")) != NULL && p < s->body) {
        p += 2;
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            size_t n;
            while (*v == ' ')
                v++;
            n = strcspn(v, "\r\n");
            if (n >= len)
                n = len - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            break;
        }
    }
    return out;
}

/* A complete HTTP/1.1 response (Connection: close) in a malloc'd buffer, its length in *out_len. */
static inline char *http_response(const char *status_line, const char *content_type,
                                  const char *body, size_t body_len, size_t *out_len)
{
    size_t cap = body_len + 512;
    char *buf = malloc(cap);
    int head;
    if (buf == NULL)
        return NULL;
    head = snprintf(buf, cap,
                    "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                    "Connection: close\r\n\r\n",
                    status_line, content_type, body_len);
    memcpy(buf + head, body, body_len);
    *out_len = (size_t)head + body_len;
    return buf;
}

/* Starts a stub that answers `status_line` (e.g. "200 OK") with a JSON `body`. */
static inline int stub_answer(struct stub *s, const char *status_line, const char *body)
{
    size_t len = 0;
    char *resp = http_response(status_line, "application/json", body, strlen(body), &len);
    if (resp == NULL || !stub_start(s, STUB_RESPOND, resp, len)) {
        free(resp);
        return 0;
    }
    s->owned = resp;
    return 1;
}

#endif /* OVO_TEST_STUB_H */
