/* bench/peers/inflight.c: the curl multi peer of bench/libovo/inflight.c: PAYMENTS held
 * payments on one thread, each doing the same work as libovo (payment.c), driven by either
 *   epoll: curl_multi_socket_action + epoll, the event loop curl documents for many transfers;
 *   poll:  the simple curl_multi_perform + curl_multi_poll loop.
 * Usage: inflight BASE_URL PAYMENTS INVOICE_PREFIX TIMES_FILE epoll|poll
 * (protocol: common/inflight.h). */
#include <sys/epoll.h>

#include "../common/inflight.h"
#include "payment.h"

typedef struct {
    peer_request req;
    peer_body body;
    long index;
} transfer;

static int64_t *times;
static long errors;

/* A finished transfer: note the time, check the answer, free everything it held. */
static void complete(CURLM *multi, CURLMsg *msg) {
    transfer *t = NULL;
    long status = 0;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
    int64_t now = now_real_ns();
    if (msg->data.result == CURLE_OK)
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    int paid = msg->data.result == CURLE_OK &&
               peer_response_check(&t->req, status, &t->body) == PEER_SUCCESS;
    times[t->index] = paid ? now : 0;
    errors += !paid;
    curl_multi_remove_handle(multi, msg->easy_handle);
    curl_easy_cleanup(msg->easy_handle);
    peer_request_free(&t->req);
    free(t->body.data);
    t->body.data = NULL;
}

static void drain(CURLM *multi) {
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(multi, &left)))
        if (msg->msg == CURLMSG_DONE)
            complete(multi, msg);
}

static long timeout_ms = -1;

static int on_timer(CURLM *multi, long ms, void *userp) {
    (void)multi;
    (void)userp;
    timeout_ms = ms;
    return 0;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy;
    (void)socketp;
    int ep = *(int *)userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    struct epoll_event ev = {.data.fd = fd};
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) != 0)
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

static void run_epoll(CURLM *multi) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int running = 1;
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &ep);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    struct epoll_event events[256];
    while (running) {
        int n = epoll_wait(ep, events, 256, timeout_ms < 0 ? 1000 : (int)timeout_ms);
        if (n <= 0)
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        for (int i = 0; i < n; i++) {
            int flags = (events[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                        (events[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                        (events[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(multi, events[i].data.fd, flags, &running);
        }
        drain(multi);
    }
    drain(multi);
}

static void run_poll(CURLM *multi) {
    int running = 1;
    while (running) {
        curl_multi_perform(multi, &running);
        drain(multi);
        if (running)
            curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
}

int main(int argc, char **argv) {
    if (argc != 6 || (strcmp(argv[5], "epoll") != 0 && strcmp(argv[5], "poll") != 0)) {
        fprintf(stderr, "usage: inflight BASE_URL PAYMENTS INVOICE_PREFIX TIMES_FILE epoll|poll\n");
        return 2;
    }
    long total = arg_count(argv[2], "PAYMENTS");
    raise_nofile();
    char url[512];
    snprintf(url, sizeof url, "%s%s", argv[1], PEER_TARGET);
    CURLM *multi = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) || peer_init() || !(multi = curl_multi_init())) {
        fprintf(stderr, "libcurl setup failed\n");
        return 1;
    }
    if (inflight_ready())
        return 1;

    int64_t c0 = cpu_ns();
    times = calloc((size_t)total + 1, sizeof *times);
    transfer *all = calloc((size_t)total + 1, sizeof *all);
    for (long i = 0; i < total; i++) {
        char invoice[65];
        snprintf(invoice, sizeof invoice, "%s-%ld", argv[3], i);
        transfer *t = &all[i];
        t->index = i;
        CURL *h = curl_easy_init();
        if (!h || peer_request_build(&t->req, invoice, BENCH_AMOUNT, BENCH_HELD_WALLET) ||
            peer_easy_setup(h, url, NULL, &t->body, BENCH_INFLIGHT_TIMEOUT_MS) ||
            peer_easy_request(h, &t->req, &t->body) ||
            curl_easy_setopt(h, CURLOPT_PRIVATE, t) != CURLE_OK ||
            curl_multi_add_handle(multi, h) != CURLM_OK) {
            fprintf(stderr, "payment %s not started\n", invoice);
            errors++;
            curl_easy_cleanup(h);
        }
    }
    if (strcmp(argv[5], "epoll") == 0)
        run_epoll(multi);
    else
        run_poll(multi);
    int64_t cpu = cpu_ns() - c0;
    curl_multi_cleanup(multi);
    free(all);
    curl_global_cleanup();
    return inflight_report(argv[4], times, total, cpu, errors) ? 1 : 0;
}
