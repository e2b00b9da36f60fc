/*
 * pusher.h: payments that run while a test acts, for the libovo C tests: a blocking push on its
 * own thread (optionally cancellable), and an inbox that receives an async push's callback,
 * counts its calls and notes when (and on which thread) it came. Include after common.h.
 */
#ifndef OVO_TEST_PUSHER_H
#define OVO_TEST_PUSHER_H

#include "common.h"

/* A blocking push (ovo_push_payment_cancellable) on its own thread. */
struct pusher {
    pthread_t thread;
    const ovo_client *client;
    char invoice[80];
    int64_t amount;
    const char *wallet;
    const ovo_payment_handle *handle; /* NULL: not cancellable */
    int started;
    /* Set by the thread. */
    ovo_result result;
    ovo_payment *payment;
    double returned_ms; /* now_ms() when the call returned */
};

static inline void *pusher_main(void *arg)
{
    struct pusher *b = arg;
    b->result = ovo_push_payment_cancellable(b->client, b->invoice, b->amount, b->wallet,
                                             b->handle, &b->payment);
    b->returned_ms = now_ms();
    return NULL;
}

/* Starts pushing `amount` for `invoice` to `wallet`; false (counted) if no thread started. */
static inline int pusher_start(struct pusher *b, const ovo_client *client, const char *invoice,
                               int64_t amount, const char *wallet,
                               const ovo_payment_handle *handle)
{
    memset(b, 0, sizeof *b);
    b->client = client;
    snprintf(b->invoice, sizeof b->invoice, "%s", invoice);
    b->amount = amount;
    b->wallet = wallet;
    b->handle = handle;
    b->started = pthread_create(&b->thread, NULL, pusher_main, b) == 0;
    CHECK_MSG(b->started, "a pusher thread started");
    return b->started;
}

/* Waits for the push to return; its payment (the caller frees it), NULL if it never started. */
static inline ovo_payment *pusher_join(struct pusher *b)
{
    if (!b->started)
        return NULL;
    pthread_join(b->thread, NULL);
    b->started = 0;
    CHECK_INT_EQ(ovo_payment_result(b->payment), b->result);
    CHECK_PAYMENT_INVARIANTS(b->payment);
    return b->payment;
}

/* Where an async push's callback leaves its payment. */
struct inbox {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int calls;
    ovo_payment *payment; /* the first call's (owned by the inbox until taken) */
    double at_ms;         /* now_ms() when the first call came */
    pthread_t thread;     /* the thread it came on */
};

static inline void inbox_init(struct inbox *box)
{
    memset(box, 0, sizeof *box);
    pthread_mutex_init(&box->lock, NULL);
    pthread_cond_init(&box->cond, NULL);
}

/* The ovo_payment_callback: userdata is a struct inbox. A second call is counted and freed. */
static inline void inbox_callback(void *userdata, ovo_payment *p)
{
    struct inbox *box = userdata;
    double at = now_ms();
    pthread_mutex_lock(&box->lock);
    if (box->calls++ == 0) {
        box->payment = p;
        box->at_ms = at;
        box->thread = pthread_self();
        p = NULL;
    }
    pthread_cond_broadcast(&box->cond);
    pthread_mutex_unlock(&box->lock);
    ovo_payment_free(p);
}

/* Waits for the first call; false after `secs` (a safety net, not a clock). */
static inline int inbox_wait(struct inbox *box, int secs)
{
    struct timespec deadline = deadline_in(secs);
    int ok;
    pthread_mutex_lock(&box->lock);
    while (box->calls == 0 && pthread_cond_timedwait(&box->cond, &box->lock, &deadline) == 0) {
    }
    ok = box->calls > 0;
    pthread_mutex_unlock(&box->lock);
    return ok;
}

static inline int inbox_calls(struct inbox *box)
{
    int n;
    pthread_mutex_lock(&box->lock);
    n = box->calls;
    pthread_mutex_unlock(&box->lock);
    return n;
}

/* Takes the first call's payment (checked against the invariants); the caller frees it. */
static inline ovo_payment *inbox_take(struct inbox *box)
{
    ovo_payment *p;
    pthread_mutex_lock(&box->lock);
    p = box->payment;
    box->payment = NULL;
    pthread_mutex_unlock(&box->lock);
    if (p != NULL)
        CHECK_PAYMENT_INVARIANTS(p);
    return p;
}

static inline void inbox_destroy(struct inbox *box)
{
    ovo_payment_free(box->payment);
    pthread_mutex_destroy(&box->lock);
    pthread_cond_destroy(&box->cond);
}

#endif /* OVO_TEST_PUSHER_H */
