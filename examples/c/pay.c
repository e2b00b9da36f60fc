/*
 * A POS-style payment through libovo's C ABI, the recommended cashier flow:
 *   1. push the payment on the callback variant, so the till stays responsive;
 *   2. give the customer until a deadline, then cancel the wait (the callback comes at once);
 *   3. when the outcome is unknown (timeout, cancel, no usable answer), ask DOKU for the status
 *      before charging again: never treat "unknown" as "not paid".
 *
 *   cc -std=c99 -Iinclude examples/c/pay.c -Ltarget/release -lovo -lpthread -o pay
 *   ./pay BASE_URL CLIENT_ID SECRET_KEY INVOICE AMOUNT OVO_ID [WAIT_SECONDS]
 *
 * BASE_URL "-" means DOKU's sandbox. WAIT_SECONDS (default 75) is how long the cashier waits
 * for the customer to approve in the OVO app. Exit status: 0 paid, 1 not paid, 2 unknown (do
 * not charge again: check the status later or in DOKU's back office), 3 the client could not
 * be created.
 */
#define _POSIX_C_SOURCE 200809L
#include "ovo.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Where the callback leaves the payment for the till's thread. */
struct till {
    pthread_mutex_t lock;
    pthread_cond_t done;
    ovo_payment *payment;
};

/* Runs once, on a library thread; takes ownership of `payment`. */
static void on_payment(void *userdata, ovo_payment *payment)
{
    struct till *till = userdata;
    pthread_mutex_lock(&till->lock);
    till->payment = payment;
    pthread_cond_signal(&till->done);
    pthread_mutex_unlock(&till->lock);
}

static const char *text(const ovo_payment *p, ovo_field field)
{
    const char *value = ovo_payment_text(p, field);
    return value != NULL ? value : "-";
}

/* Waits for the callback until `wait_seconds` pass; then cancels and waits for it (prompt). */
static ovo_payment *wait_for_customer(struct till *till, ovo_payment_handle *handle,
                                      long wait_seconds)
{
    struct timespec deadline;
    int timed_out = 0;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += wait_seconds;
    pthread_mutex_lock(&till->lock);
    while (till->payment == NULL && !timed_out)
        timed_out = pthread_cond_timedwait(&till->done, &till->lock, &deadline) == ETIMEDOUT;
    if (till->payment == NULL) {
        printf("no answer after %ld s: cancelling the wait\n", wait_seconds);
        ovo_payment_cancel(handle); /* the callback comes within 100 ms */
        while (till->payment == NULL)
            pthread_cond_wait(&till->done, &till->lock);
    }
    pthread_mutex_unlock(&till->lock);
    return till->payment;
}

/* An unknown outcome: ask DOKU once what happened (the customer may have paid late). */
static ovo_outcome check_status(const ovo_client *client, const char *invoice)
{
    ovo_payment *status = NULL;
    ovo_outcome outcome;
    ovo_check_status(client, invoice, &status);
    outcome = ovo_payment_outcome(status);
    if (ovo_payment_result(status) == OVO_RESULT_OK)
        printf("status check: %s%s\n", text(status, OVO_FIELD_TRANSACTION_STATUS),
               ovo_payment_not_found(status) ? " (DOKU does not know the invoice yet)" : "");
    else
        printf("status check failed: %s\n", ovo_error_message(ovo_payment_error(status)));
    ovo_payment_free(status);
    return outcome;
}

int main(int argc, char **argv)
{
    struct till till = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL};
    ovo_config *config;
    ovo_client *client = NULL;
    ovo_error *error = NULL;
    ovo_payment_handle *handle = NULL;
    ovo_payment *payment;
    const char *code;
    ovo_outcome outcome;
    int64_t cash_used = 0;
    long wait_seconds = argc == 8 ? strtol(argv[7], NULL, 10) : 75;

    if (argc != 7 && argc != 8) {
        fprintf(stderr,
                "usage: %s BASE_URL CLIENT_ID SECRET_KEY INVOICE AMOUNT OVO_ID [WAIT_SECONDS]\n",
                argv[0]);
        return 64;
    }
    config = ovo_config_new();
    if (strcmp(argv[1], "-") != 0)
        ovo_config_set_base_url(config, argv[1]);
    if (ovo_client_new(argv[2], argv[3], config, &client, &error) != OVO_RESULT_OK) {
        fprintf(stderr, "cannot create the client: %s\n", ovo_error_message(error));
        ovo_error_free(error);
        ovo_config_free(config);
        return 3;
    }
    ovo_config_free(config);

    if (ovo_push_payment_async(client, argv[4], strtoll(argv[5], NULL, 10), argv[6], on_payment,
                               &till, &handle, &error) != OVO_RESULT_OK) {
        /* Refused before anything was sent: a bad field, named in the message. */
        fprintf(stderr, "payment refused: %s\n", ovo_error_message(error));
        ovo_error_free(error);
        ovo_client_free(client);
        return 1;
    }
    printf("waiting for the customer to approve in the OVO app (up to %ld s)...\n", wait_seconds);
    payment = wait_for_customer(&till, handle, wait_seconds);
    ovo_payment_handle_free(handle);

    outcome = ovo_payment_outcome(payment);
    code = ovo_payment_text(payment, OVO_FIELD_RESPONSE_CODE);
    ovo_payment_number(payment, OVO_FIELD_CASH_USED, &cash_used);
    printf("result %s, status %s, response code %s%s%s%s, cash used %lld, request id %s%s\n",
           ovo_result_name(ovo_payment_result(payment)), text(payment, OVO_FIELD_STATUS),
           text(payment, OVO_FIELD_RESPONSE_CODE), code != NULL ? " (" : "",
           code != NULL ? ovo_code_describe(code)->name : "", code != NULL ? ")" : "",
           (long long)cash_used, ovo_payment_request_id(payment),
           ovo_payment_cancelled(payment) ? ", cancelled" : "");
    if (ovo_payment_error(payment) != NULL)
        printf("note: %s\n", ovo_error_message(ovo_payment_error(payment)));
    if (outcome == OVO_OUTCOME_UNKNOWN)
        outcome = check_status(client, argv[4]);
    ovo_payment_free(payment);
    ovo_client_free(client);

    switch (outcome) {
    case OVO_OUTCOME_PAID:
        printf("PAID: hand over the goods\n");
        return 0;
    case OVO_OUTCOME_NOT_PAID:
        printf("NOT PAID: ask for another payment method\n");
        return 1;
    case OVO_OUTCOME_REFUNDED:
        printf("REFUNDED: the payment was returned; ask for another payment method\n");
        return 1;
    default: /* UNKNOWN, or a value this program does not know */
        printf("UNKNOWN: do not charge again; check the status later (the customer may still "
               "pay until DOKU's window ends)\n");
        return 2;
    }
}
