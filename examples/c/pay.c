/*
 * A POS-style payment through libovo's C ABI: push a payment, wait for the customer on the
 * callback variant while the till stays responsive, and act on the outcome.
 *
 *   cc -std=c99 -Iinclude examples/c/pay.c -Ltarget/release -lovo -lpthread -o pay
 *   ./pay BASE_URL CLIENT_ID SECRET_KEY INVOICE AMOUNT OVO_ID
 *
 * BASE_URL "-" means DOKU's sandbox. Exit status: 0 paid, 1 not paid, 2 unknown (check the
 * status with DOKU before charging again), 3 the client could not be created.
 */
#include "ovo.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
    struct till till = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL};
    ovo_config *config;
    ovo_client *client = NULL;
    ovo_error *error = NULL;
    ovo_outcome outcome;
    int64_t cash_used = 0;

    if (argc != 7) {
        fprintf(stderr, "usage: %s BASE_URL CLIENT_ID SECRET_KEY INVOICE AMOUNT OVO_ID\n", argv[0]);
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
                               &till, NULL, &error) != OVO_RESULT_OK) {
        /* Refused before anything was sent: a bad field, named in the message. */
        fprintf(stderr, "payment refused: %s\n", ovo_error_message(error));
        ovo_error_free(error);
        ovo_client_free(client);
        return 1;
    }
    printf("waiting for the customer to approve in the OVO app (up to 70 s)...\n");
    pthread_mutex_lock(&till.lock);
    while (till.payment == NULL)
        pthread_cond_wait(&till.done, &till.lock);
    pthread_mutex_unlock(&till.lock);

    outcome = ovo_payment_outcome(till.payment);
    ovo_payment_number(till.payment, OVO_FIELD_CASH_USED, &cash_used);
    printf("status %s, response code %s (%s), cash used %lld, request id %s\n",
           text(till.payment, OVO_FIELD_STATUS), text(till.payment, OVO_FIELD_RESPONSE_CODE),
           ovo_code_describe(ovo_payment_text(till.payment, OVO_FIELD_RESPONSE_CODE))->name,
           (long long)cash_used, ovo_payment_request_id(till.payment));
    if (ovo_payment_error(till.payment) != NULL)
        printf("error: %s\n", ovo_error_message(ovo_payment_error(till.payment)));
    printf("%s\n", outcome == OVO_OUTCOME_PAID       ? "PAID: hand over the goods"
                   : outcome == OVO_OUTCOME_NOT_PAID ? "NOT PAID: ask for another payment method"
                                                     : "UNKNOWN: check the status with DOKU");
    ovo_payment_free(till.payment);
    ovo_client_free(client);
    return outcome == OVO_OUTCOME_PAID ? 0 : outcome == OVO_OUTCOME_NOT_PAID ? 1 : 2;
}
