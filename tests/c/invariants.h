/*
 * invariants.h: what include/ovo.h promises about every ovo_payment, whatever its kind and
 * result (CHECK_PAYMENT_INVARIANTS). Included at the end of common.h (it uses its helpers).
 *
 * Fields: 1..22 are DOKU's push answer, 23..31 a status answer (on a reconciled push they fall
 * through to its last check), 32..34 the order as given, 35..37 the journal row a payment was
 * read from. A push carries answer fields when DOKU answered it (result OK, or OUTCOME_UNKNOWN
 * for code 40/68 or a contradictory code); a status check carries status fields when DOKU
 * answered it. A payment read from the journal (a refusal it decided, a listed or settled row)
 * is the push as stored: its request id, answer and latest check, its outcome its row's state.
 */
#ifndef OVO_TEST_INVARIANTS_H
#define OVO_TEST_INVARIANTS_H

#include "check.h"
#include "ovo.h"

#define FIELD_LAST OVO_FIELD_JOURNAL_UPDATED_AT
#define PUSH_FIELD_LAST OVO_FIELD_CHECK_SUM

/* Whether `f` is a number field (the others are text). */
static inline int is_number_field(uint32_t f)
{
    switch (f) {
    case OVO_FIELD_AMOUNT:
    case OVO_FIELD_BATCH_NUMBER:
    case OVO_FIELD_TRACE_NUMBER:
    case OVO_FIELD_REFERENCE_NUMBER:
    case OVO_FIELD_CASH_USED:
    case OVO_FIELD_CASH_BALANCE:
    case OVO_FIELD_POINTS_USED:
    case OVO_FIELD_POINTS_BALANCE:
    case OVO_FIELD_POINTS_EARNED:
    case OVO_FIELD_CHECK_AMOUNT:
    case OVO_FIELD_REQUEST_AMOUNT:
        return 1;
    default:
        return 0;
    }
}

/* Whether field `f` has a value (text or number). */
static inline int field_present(const ovo_payment *p, uint32_t f)
{
    int64_t v;
    return ovo_payment_text(p, f) != NULL || ovo_payment_number(p, f, &v);
}

/* How many fields of first..last have a value. */
static inline int fields_present(const ovo_payment *p, uint32_t first, uint32_t last)
{
    int n = 0;
    uint32_t f;
    for (f = first; f <= last; f++)
        n += field_present(p, f);
    return n;
}

static inline int str_is(const char *s, const char *want)
{
    return s != NULL && strcmp(s, want) == 0;
}

/* The outcome a status check's transaction.status means. */
static inline ovo_outcome status_outcome(const char *status)
{
    if (str_is(status, "SUCCESS"))
        return OVO_OUTCOME_PAID;
    if (str_is(status, "FAILED") || str_is(status, "EXPIRED"))
        return OVO_OUTCOME_NOT_PAID;
    if (str_is(status, "REFUNDED"))
        return OVO_OUTCOME_REFUNDED;
    return OVO_OUTCOME_UNKNOWN;
}

/* Whether `p` was read from the journal (it carries OVO_FIELD_JOURNAL_STATE). */
static inline int from_journal(const ovo_payment *p)
{
    return ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE) != NULL;
}

/* The outcome a journal row in `state` means; -1 for a state the header does not name. */
static inline int journal_state_outcome(const char *state)
{
    if (str_is(state, "PAID"))
        return OVO_OUTCOME_PAID;
    if (str_is(state, "NOT_PAID") || str_is(state, "NOT_SENT") || str_is(state, "REJECTED"))
        return OVO_OUTCOME_NOT_PAID;
    if (str_is(state, "REFUNDED"))
        return OVO_OUTCOME_REFUNDED;
    if (str_is(state, "SENDING") || str_is(state, "UNKNOWN"))
        return OVO_OUTCOME_UNKNOWN;
    return -1;
}

/* Whether `s` is a journal time, UTC `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
static inline int is_journal_time(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    size_t i;
    if (s == NULL || strlen(s) != sizeof shape - 1)
        return 0;
    for (i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return 0;
    return 1;
}

/* The journal fields: all or none; on a row, its state, times, outcome and stored push. */
static inline void check_journal_fields_(const ovo_payment *p, const char *file, int line)
{
    const char *state = ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE);
    const char *created = ovo_payment_text(p, OVO_FIELD_JOURNAL_CREATED_AT);
    const char *updated = ovo_payment_text(p, OVO_FIELD_JOURNAL_UPDATED_AT);
    int64_t amount;
    int n = fields_present(p, OVO_FIELD_JOURNAL_STATE, OVO_FIELD_JOURNAL_UPDATED_AT);
    check_record(n == 0 || n == 3, file, line, "journal fields: all three or none (%d)", n);
    if (state == NULL)
        return;
    check_record(journal_state_outcome(state) >= 0, file, line, "journal state %s is known",
                 state);
    check_record((int)ovo_payment_outcome(p) == journal_state_outcome(state), file, line,
                 "a journal payment's outcome %s is its row's (%s)",
                 ovo_outcome_name(ovo_payment_outcome(p)), state);
    check_record(is_journal_time(created) && is_journal_time(updated) && created != NULL &&
                     updated != NULL && strcmp(created, updated) <= 0,
                 file, line, "journal times: created %s <= updated %s", created ? created : "-",
                 updated ? updated : "-");
    /* A status check that decided what the push left open comes as its last check, as for a
     * reconciled push (checked below: the last check's outcome is the push's). */
    check_record(ovo_payment_kind(p) == OVO_KIND_PUSH && !ovo_payment_cancelled(p), file, line,
                 "a journal row is a push, not cancelled");
    check_record(is_uuid_v4(ovo_payment_request_id(p)), file, line,
                 "a journal row has its push's request id: \"%s\"", ovo_payment_request_id(p));
    check_record(ovo_payment_number(p, OVO_FIELD_REQUEST_AMOUNT, &amount) &&
                     ovo_payment_text(p, OVO_FIELD_REQUEST_OVO_ID) != NULL,
                 file, line, "a journal row has the order's amount and OVO ID");
    switch (ovo_payment_result(p)) {
    case OVO_RESULT_ALREADY_PAID:
        check_record(str_is(state, "PAID"), file, line, "ALREADY_PAID comes from a PAID row: %s",
                     state);
        break;
    case OVO_RESULT_UNSETTLED:
        check_record(str_is(state, "SENDING") || str_is(state, "UNKNOWN"), file, line,
                     "UNSETTLED comes from an open row: %s", state);
        break;
    case OVO_RESULT_INVOICE_USED:
        check_record(str_is(state, "NOT_PAID") || str_is(state, "REFUNDED"), file, line,
                     "INVOICE_USED comes from a NOT_PAID or REFUNDED row: %s", state);
        break;
    default:
        break;
    }
    if (str_is(state, "SENDING"))
        check_record(fields_present(p, 1, PUSH_FIELD_LAST) == 0 &&
                         ovo_payment_http_status(p) == 0,
                     file, line, "a SENDING row has no push answer");
}

/* Every field is of its type, numbers need a non-NULL out, non-fields never answer. */
static inline void check_field_types_(const ovo_payment *p, const char *file, int line)
{
    static const uint32_t non_fields[] = {0, FIELD_LAST + 1, 1000, 0xffffffffu};
    size_t i;
    uint32_t f;
    for (i = 0; i < sizeof non_fields / sizeof non_fields[0]; i++) {
        int64_t v = 424242;
        check_record(ovo_payment_text(p, non_fields[i]) == NULL &&
                         !ovo_payment_number(p, non_fields[i], &v) && v == 424242,
                     file, line, "non-field %u has no value", (unsigned)non_fields[i]);
    }
    for (f = 1; f <= FIELD_LAST; f++) {
        int64_t v = 424242;
        const char *t = ovo_payment_text(p, f);
        check_record(!ovo_payment_number(p, f, NULL), file, line,
                     "number of field %u with NULL out is false", (unsigned)f);
        if (is_number_field(f))
            check_record(t == NULL, file, line, "number field %u has no text", (unsigned)f);
        else
            check_record(!ovo_payment_number(p, f, &v) && v == 424242, file, line,
                         "text field %u has no number and leaves *out alone", (unsigned)f);
        check_record(ovo_payment_text(p, f) == t, file, line, "text field %u: stable pointer",
                     (unsigned)f);
    }
    check_record(ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER) != NULL, file, line,
                 "every payment has OVO_FIELD_REQUEST_INVOICE_NUMBER");
}

/* The raw body is exact (it may hold NUL bytes): *len counts it, a NUL follows it. */
static inline size_t check_raw_body_(const ovo_payment *p, const char *file, int line)
{
    size_t len = (size_t)-1;
    const char *body = ovo_payment_raw_body(p, &len);
    check_record(body != NULL && len != (size_t)-1 && len <= OVO_MAX_BODY_BYTES &&
                     body[len] == '\0' && strlen(body) <= len,
                 file, line, "raw body not NULL, NUL after *len (%zu) bytes", len);
    check_record(ovo_payment_raw_body(p, NULL) == body, file, line, "raw body with NULL len");
    return len == (size_t)-1 ? 0 : len;
}

/* A push's answer fields, when DOKU answered: status and code, and the outcome they mean. */
static inline void check_push_answer_(const ovo_payment *p, int reconciled, const char *file,
                                      int line)
{
    ovo_result r = ovo_payment_result(p);
    ovo_outcome o = ovo_payment_outcome(p);
    const char *status = ovo_payment_text(p, OVO_FIELD_STATUS);
    const char *code = ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE);
    int answered = fields_present(p, 1, PUSH_FIELD_LAST) > 0;
    if (r == OVO_RESULT_OK)
        check_record(answered && status != NULL && code != NULL, file, line,
                     "an OK push has DOKU's status and response code");
    else if (r != OVO_RESULT_OUTCOME_UNKNOWN && r != OVO_RESULT_ALREADY_PAID && !from_journal(p))
        check_record(!answered, file, line, "no answer fields on a push with result %s",
                     ovo_result_name(r));
    if (!answered || status == NULL || code == NULL)
        return;
    check_record(str_is(status, "SUCCESS") || str_is(status, "FAILED") || str_is(status, "TIMEOUT"),
                 file, line, "push status is SUCCESS, FAILED or TIMEOUT: %s", status);
    if (r == OVO_RESULT_OUTCOME_UNKNOWN) {
        /* DOKU answered, but the answer leaves the payment open. */
        /* A TIMEOUT answer becomes OUTCOME_UNKNOWN when its reconcile wait was cancelled. */
        int open = (str_is(status, "FAILED") &&
                    (str_is(code, "40") || str_is(code, "68") || str_is(code, "00"))) ||
                   (str_is(status, "SUCCESS") && !str_is(code, "00")) ||
                   (str_is(status, "TIMEOUT") && ovo_payment_cancelled(p));
        check_record(open, file, line, "an answered OUTCOME_UNKNOWN push is FAILED 40/68/00, "
                     "SUCCESS with another code, or a cancelled TIMEOUT: %s %s", status, code);
    } else if (r == OVO_RESULT_OK && !reconciled) {
        ovo_outcome want = str_is(status, "SUCCESS")  ? OVO_OUTCOME_PAID
                           : str_is(status, "FAILED") ? OVO_OUTCOME_NOT_PAID
                                                      : OVO_OUTCOME_UNKNOWN;
        check_record(o == want, file, line, "outcome %s matches status %s code %s",
                     ovo_outcome_name(o), status, code);
        check_record(!str_is(status, "SUCCESS") || str_is(code, "00"), file, line,
                     "an OK SUCCESS has code 00, got %s", code);
        check_record(!str_is(status, "FAILED") ||
                         !(str_is(code, "40") || str_is(code, "68") || str_is(code, "00")),
                     file, line, "an OK FAILED is not code 40, 68 or 00: %s", code);
    }
}

/* A status check's own fields and outcome. */
static inline void check_status_answer_(const ovo_payment *p, const char *file, int line)
{
    ovo_result r = ovo_payment_result(p);
    ovo_outcome o = ovo_payment_outcome(p);
    uint32_t http = ovo_payment_http_status(p);
    int answered = fields_present(p, OVO_FIELD_TRANSACTION_STATUS, OVO_FIELD_CHECK_RESPONSE_CODE);
    check_record(fields_present(p, 1, PUSH_FIELD_LAST) == 0, file, line,
                 "a status check has no push answer fields");
    check_record(ovo_payment_last_check(p) == NULL, file, line, "a status check has no last check");
    check_record(!ovo_payment_cancelled(p), file, line, "a status check is never cancelled");
    if (r != OVO_RESULT_OK) {
        check_record(o == OVO_OUTCOME_UNKNOWN, file, line,
                     "a status check with result %s has outcome UNKNOWN, got %s",
                     ovo_result_name(r), ovo_outcome_name(o));
        check_record(!answered || (r == OVO_RESULT_OUTCOME_UNKNOWN && http >= 200 && http < 300),
                     file, line, "status fields only with an answer (result %s)",
                     ovo_result_name(r));
        return;
    }
    check_record((http >= 200 && http < 300) || (http == 404 && ovo_payment_not_found(p)), file,
                 line, "an OK status check has a 2xx (or a not-found 404), got %u", (unsigned)http);
    if (ovo_payment_not_found(p)) {
        check_record(o == OVO_OUTCOME_UNKNOWN, file, line, "not found: outcome UNKNOWN");
        check_record(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS) == NULL, file, line,
                     "not found: no transaction status");
    } else {
        const char *status = ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS);
        int64_t want = 0, got = 0;
        check_record(str_is(ovo_payment_text(p, OVO_FIELD_CHECK_INVOICE_NUMBER),
                            ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER)),
                     file, line, "the status answer is for the invoice asked for");
        check_record(o == status_outcome(status), file, line,
                     "outcome %s matches transaction status %s", ovo_outcome_name(o),
                     status ? status : "(null)");
        if (ovo_payment_number(p, OVO_FIELD_REQUEST_AMOUNT, &want) &&
            ovo_payment_number(p, OVO_FIELD_CHECK_AMOUNT, &got))
            check_record(want == got, file, line, "checked amount %lld == pushed %lld",
                         (long long)got, (long long)want);
    }
}

/* A push's last check (reconcile): a status check whose outcome is the push's. */
static inline void check_payment_(const ovo_payment *p, int depth, const char *file, int line);
static inline void check_last_check_(const ovo_payment *p, const char *file, int line)
{
    const ovo_payment *lc = ovo_payment_last_check(p);
    uint32_t f;
    if (lc == NULL && from_journal(p))
        return; /* a stored row carries its latest check's fields, not a last check */
    if (lc == NULL) {
        check_record(fields_present(p, OVO_FIELD_TRANSACTION_STATUS,
                                    OVO_FIELD_CHECK_RESPONSE_CODE) == 0 &&
                         !ovo_payment_not_found(p),
                     file, line, "a push without a last check has no status fields");
        return;
    }
    check_record(ovo_payment_kind(lc) == OVO_KIND_STATUS_CHECK, file, line,
                 "the last check is a STATUS_CHECK");
    check_record(ovo_payment_outcome(p) == ovo_payment_outcome(lc), file, line,
                 "a reconciled push has its last check's outcome (%s vs %s)",
                 ovo_outcome_name(ovo_payment_outcome(p)),
                 ovo_outcome_name(ovo_payment_outcome(lc)));
    check_record(ovo_payment_last_check(p) == lc, file, line, "last check: stable pointer");
    check_record(ovo_payment_not_found(p) == ovo_payment_not_found(lc), file, line,
                 "not found falls through to the last check");
    check_record(str_is(ovo_payment_text(lc, OVO_FIELD_REQUEST_INVOICE_NUMBER),
                        ovo_payment_text(p, OVO_FIELD_REQUEST_INVOICE_NUMBER)),
                 file, line, "the last check is of the push's invoice");
    for (f = OVO_FIELD_TRANSACTION_STATUS; f <= OVO_FIELD_CHECK_RESPONSE_CODE; f++) {
        const char *a = ovo_payment_text(p, f), *b = ovo_payment_text(lc, f);
        int64_t x = 1, y = 2;
        int hx = ovo_payment_number(p, f, &x), hy = ovo_payment_number(lc, f, &y);
        check_record((a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0) && hx == hy &&
                         (!hx || x == y),
                     file, line, "status field %u falls through to the last check", (unsigned)f);
    }
    check_payment_(lc, 1, file, line);
}

/* The result's rules: error, outcome, what was sent. */
static inline void check_result_rules_(const ovo_payment *p, size_t len, const char *file, int line)
{
    ovo_result r = ovo_payment_result(p);
    ovo_outcome o = ovo_payment_outcome(p);
    ovo_kind kind = ovo_payment_kind(p);
    const ovo_error *err = ovo_payment_error(p);
    const char *rid = ovo_payment_request_id(p);
    uint32_t http = ovo_payment_http_status(p);
    const ovo_payment *lc = ovo_payment_last_check(p);
    if (r == OVO_RESULT_OK) {
        check_record(err == NULL, file, line, "OK payment has no error");
        check_record(is_uuid_v4(rid), file, line, "sent payment has a UUID v4 request id");
        if (kind == OVO_KIND_PUSH) {
            check_record(http >= 200 && http < 300, file, line,
                         "OK push has a 2xx status, got %u", (unsigned)http);
            check_record(len > 0, file, line, "OK push has a raw body");
        }
        return;
    }
    if (check_record(err != NULL, file, line, "payment with result %s has an error",
                     ovo_result_name(r))) {
        check_record(ovo_error_result(err) == r, file, line,
                     "payment error result %u == payment result %u",
                     (unsigned)ovo_error_result(err), (unsigned)r);
        check_message_(ovo_error_message(err), file, line);
    }
    if (from_journal(p))
        return; /* the stored push: check_journal_fields_ holds its rules */
    if (kind == OVO_KIND_PUSH) {
        ovo_outcome want;
        switch (r) {
        case OVO_RESULT_NOT_SENT:
        case OVO_RESULT_REJECTED:
        case OVO_RESULT_INVALID_ARGUMENT:
        case OVO_RESULT_INVOICE_USED:
            want = OVO_OUTCOME_NOT_PAID;
            break;
        case OVO_RESULT_ALREADY_PAID:
            want = OVO_OUTCOME_PAID;
            break;
        default: /* OUTCOME_UNKNOWN, INTERNAL, IN_FLIGHT, UNSETTLED */
            want = lc != NULL ? ovo_payment_outcome(lc) : OVO_OUTCOME_UNKNOWN;
        }
        check_record(o == want, file, line, "push outcome %s matches result %s (want %s)",
                     ovo_outcome_name(o), ovo_result_name(r), ovo_outcome_name(want));
    }
    switch (r) {
    case OVO_RESULT_INVALID_ARGUMENT:
    case OVO_RESULT_IN_FLIGHT:
    case OVO_RESULT_UNSETTLED:
    case OVO_RESULT_INVOICE_USED:
        check_record(rid[0] == '\0' && http == 0 && len == 0 && lc == NULL, file, line,
                     "refused (%s): nothing sent (request id \"%s\", http %u, body %zu)",
                     ovo_result_name(r), rid, (unsigned)http, len);
        break;
    case OVO_RESULT_NOT_SENT:
        check_record(http == 0 && len == 0, file, line, "not sent: status 0, empty body");
        break;
    case OVO_RESULT_REJECTED:
        check_record(http >= 400 && http < 500 &&
                         (kind != OVO_KIND_PUSH || (http != 408 && http != 409)),
                     file, line, "rejected: a 4xx (not 408/409 for a push), got %u",
                     (unsigned)http);
        break;
    case OVO_RESULT_OUTCOME_UNKNOWN:
        check_record(is_uuid_v4(rid), file, line, "an unknown outcome was sent: UUID request id");
        check_record(http != 0 || len == 0, file, line, "no answer: empty body");
        break;
    default:
        break;
    }
}

static inline void check_payment_(const ovo_payment *p, int depth, const char *file, int line)
{
    ovo_result r;
    ovo_outcome o;
    ovo_kind kind;
    size_t len;
    const char *rid;
    if (!check_record(p != NULL, file, line, "payment is not NULL"))
        return;
    r = ovo_payment_result(p);
    o = ovo_payment_outcome(p);
    kind = ovo_payment_kind(p);
    check_record(r <= OVO_RESULT_INVOICE_USED && r != OVO_RESULT_BUFFER_TOO_SMALL, file, line,
                 "payment result %u is a payment result", (unsigned)r);
    check_record(o <= OVO_OUTCOME_REFUNDED, file, line, "outcome %u is valid", (unsigned)o);
    check_record(kind == OVO_KIND_PUSH || kind == OVO_KIND_STATUS_CHECK, file, line,
                 "kind %u is valid", (unsigned)kind);
    check_record(strcmp(ovo_result_name(r), "UNKNOWN_RESULT") != 0, file, line,
                 "result %u has a name", (unsigned)r);
    len = check_raw_body_(p, file, line);
    rid = ovo_payment_request_id(p);
    check_record(rid != NULL && (rid[0] == '\0' || is_uuid_v4(rid)), file, line,
                 "request id is \"\" or a UUID v4: \"%s\"", rid ? rid : "(null)");
    check_field_types_(p, file, line);
    check_journal_fields_(p, file, line);
    check_result_rules_(p, len, file, line);
    if (ovo_payment_cancelled(p))
        check_record(kind == OVO_KIND_PUSH && (r == OVO_RESULT_OUTCOME_UNKNOWN ||
                                                r == OVO_RESULT_NOT_SENT),
                     file, line, "a cancelled push is OUTCOME_UNKNOWN or NOT_SENT, got %s",
                     ovo_result_name(r));
    if (ovo_payment_not_found(p))
        check_record(o == OVO_OUTCOME_UNKNOWN, file, line, "not found: outcome UNKNOWN");
    if (kind == OVO_KIND_STATUS_CHECK) {
        check_status_answer_(p, file, line);
    } else {
        check_record(depth == 0, file, line, "a last check is never a push");
        /* A stored row's outcome is its state's (a later check may have decided it). */
        check_push_answer_(p, ovo_payment_last_check(p) != NULL || from_journal(p), file, line);
        check_last_check_(p, file, line);
    }
}

/* What the header promises about every payment, whatever its result. */
#define CHECK_PAYMENT_INVARIANTS(p) check_payment_((p), 0, __FILE__, __LINE__)

#endif /* OVO_TEST_INVARIANTS_H */
