/*
 * driver: pushes one payment (or checks one invoice's status) through libovo and prints one
 * JSON line with the result.
 *
 *   driver push BASE_URL INVOICE AMOUNT OVO_ID [TIMEOUT_MS]
 *   driver status BASE_URL INVOICE
 *
 * Uses the sandbox's default credentials (client id and secret key from DOKU's docs)
 * unless OVO_CLIENT_ID / OVO_SECRET_KEY are set. Prints, on stdout, e.g.
 *   {"result":"OK","outcome":"PAID","http_status":200,"status":"SUCCESS",
 *    "response_code":"00","amount":10000,"cash_used":0,...,"error":null}
 * Exit status: 0 when a line was printed, 2 for bad arguments or a client that cannot be made.
 * Written for the browser tests (tests/browser.sh); C99, nothing but libovo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovo.h"

/* Prints `s` as a JSON string, or null. */
static void json_string(const char *s) {
    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if (*p < 0x20) {
            printf("\\u%04x", *p);
        } else {
            putchar(*p);
        }
    }
    putchar('"');
}

static void text_field(const ovo_payment *p, const char *name, uint32_t field) {
    printf(",\"%s\":", name);
    json_string(ovo_payment_text(p, field));
}

static void number_field(const ovo_payment *p, const char *name, uint32_t field) {
    int64_t v = 0;
    if (ovo_payment_number(p, field, &v)) {
        printf(",\"%s\":%lld", name, (long long)v);
    } else {
        printf(",\"%s\":null", name);
    }
}

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

static int usage(void) {
    fputs("usage: driver push BASE_URL INVOICE AMOUNT OVO_ID [TIMEOUT_MS]\n"
          "       driver status BASE_URL INVOICE\n", stderr);
    return 2;
}

int main(int argc, char **argv) {
    int status = argc == 4 && strcmp(argv[1], "status") == 0;
    if (!status && ((argc != 6 && argc != 7) || strcmp(argv[1], "push") != 0)) {
        return usage();
    }
    char *end = NULL;
    long long amount = status ? 0 : strtoll(argv[4], &end, 10);
    if (!status && (end == argv[4] || *end != '\0')) {
        return usage();
    }
    unsigned long timeout_ms = 90000;
    if (argc == 7) {
        timeout_ms = strtoul(argv[6], &end, 10);
        if (end == argv[6] || *end != '\0' || timeout_ms == 0) {
            return usage();
        }
    }

    ovo_config *config = ovo_config_new();
    ovo_config_set_base_url(config, argv[2]);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_timeout_ms(config, (uint32_t)timeout_ms);
    ovo_config_set_connect_timeout_ms(config, (uint32_t)(timeout_ms < 5000 ? timeout_ms : 5000));
    ovo_client *client = NULL;
    ovo_error *error = NULL;
    ovo_result made = ovo_client_new(env_or("OVO_CLIENT_ID", "MCH-0001-10791114622547"),
                                     env_or("OVO_SECRET_KEY", "SK-9sCrJ1kdYUJAYlsJKlqz"),
                                     config, &client, &error);
    ovo_config_free(config);
    if (made != OVO_RESULT_OK) {
        fprintf(stderr, "driver: cannot create the client: %s\n", ovo_error_message(error));
        ovo_error_free(error);
        return 2;
    }

    ovo_payment *payment = NULL;
    ovo_result r = status ? ovo_check_status(client, argv[3], &payment)
                          : ovo_push_payment(client, argv[3], (int64_t)amount, argv[5], &payment);
    printf("{\"result\":\"%s\",\"outcome\":\"%s\",\"http_status\":%u", ovo_result_name(r),
           ovo_outcome_name(ovo_payment_outcome(payment)), ovo_payment_http_status(payment));
    printf(",\"request_id\":");
    json_string(ovo_payment_request_id(payment));
    text_field(payment, "status", OVO_FIELD_STATUS);
    text_field(payment, "response_code", OVO_FIELD_RESPONSE_CODE);
    text_field(payment, "invoice_number", OVO_FIELD_INVOICE_NUMBER);
    number_field(payment, "amount", OVO_FIELD_AMOUNT);
    number_field(payment, "cash_used", OVO_FIELD_CASH_USED);
    number_field(payment, "cash_balance", OVO_FIELD_CASH_BALANCE);
    number_field(payment, "ovo_points_used", OVO_FIELD_POINTS_USED);
    number_field(payment, "ovo_points_balance", OVO_FIELD_POINTS_BALANCE);
    number_field(payment, "ovo_points_earned", OVO_FIELD_POINTS_EARNED);
    text_field(payment, "transaction_status", OVO_FIELD_TRANSACTION_STATUS);
    text_field(payment, "original_request_id", OVO_FIELD_ORIGINAL_REQUEST_ID);
    number_field(payment, "check_amount", OVO_FIELD_CHECK_AMOUNT);
    printf(",\"error\":");
    const ovo_error *e = ovo_payment_error(payment);
    json_string(e != NULL ? ovo_error_message(e) : NULL);
    printf("}\n");
    fflush(stdout);
    ovo_payment_free(payment);
    ovo_client_free(client);
    return 0;
}
