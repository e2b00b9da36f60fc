/*
 * driver: pushes one payment through libovo and prints one JSON line with the result.
 *
 *   driver push BASE_URL INVOICE AMOUNT OVO_ID [TIMEOUT_MS]
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

static const char *result_name(ovo_result r) {
    switch (r) {
    case OVO_RESULT_OK: return "OK";
    case OVO_RESULT_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case OVO_RESULT_BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
    case OVO_RESULT_NOT_SENT: return "NOT_SENT";
    case OVO_RESULT_OUTCOME_UNKNOWN: return "OUTCOME_UNKNOWN";
    case OVO_RESULT_REJECTED: return "REJECTED";
    case OVO_RESULT_INTERNAL: return "INTERNAL";
    default: return "?";
    }
}

static const char *outcome_name(ovo_outcome o) {
    switch (o) {
    case OVO_OUTCOME_PAID: return "PAID";
    case OVO_OUTCOME_NOT_PAID: return "NOT_PAID";
    default: return "UNKNOWN";
    }
}

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
    fputs("usage: driver push BASE_URL INVOICE AMOUNT OVO_ID [TIMEOUT_MS]\n", stderr);
    return 2;
}

int main(int argc, char **argv) {
    if ((argc != 6 && argc != 7) || strcmp(argv[1], "push") != 0) {
        return usage();
    }
    char *end = NULL;
    long long amount = strtoll(argv[4], &end, 10);
    if (end == argv[4] || *end != '\0') {
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
    ovo_result r = ovo_push_payment(client, argv[3], (int64_t)amount, argv[5], &payment);
    printf("{\"result\":\"%s\",\"outcome\":\"%s\",\"http_status\":%u", result_name(r),
           outcome_name(ovo_payment_outcome(payment)), ovo_payment_http_status(payment));
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
    printf(",\"error\":");
    const ovo_error *e = ovo_payment_error(payment);
    json_string(e != NULL ? ovo_error_message(e) : NULL);
    printf("}\n");
    fflush(stdout);
    ovo_payment_free(payment);
    ovo_client_free(client);
    return 0;
}
