/*
 * test_journal: the journal calls of issue 9 (ovo_config_set_journal, ovo_journal_unsettled,
 * ovo_client_settle, ovo_client_settle_all, ovo_payment_list_*), in a temp directory per run.
 *   - crash: a child process (this binary again, exec'd with --push-child: no fork without
 *     exec in a process that runs libovo's threads) pushes through a journal to a manual wallet
 *     and is killed with SIGKILL while the sandbox holds the push; the customer pays; a new
 *     process (this binary with --settle-child) and then this one, each a new opener of the
 *     file, list it SENDING, settle it PAID, and a push of it is refused ALREADY_PAID with
 *     nothing sent;
 *   - refusals: paid -> ALREADY_PAID (the stored answer), declined -> INVOICE_USED, a push the
 *     client gave up on -> UNSETTLED on two clients of the file until settled (settle_all, then
 *     NOT_PAID after a decline), a push that never left -> NOT_SENT, not listed, let through;
 *   - refused files (noise, another program's SQLite file, a missing directory): left as they
 *     were; a 0-byte file is taken;
 *   - without a journal: this client's unknown pushes are listed;
 *   - NULL and out-of-range arguments; the journal files never hold the secret key.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "common.h"
#include "pusher.h"
#include "sandbox.h"
#include "stub.h"

static const char *sb_url;   /* hold 1 s, approve delay 50 ms */
static const char *hold_url; /* hold 60 s, approve delay 0 */
static const char *self_exe; /* this program, for the child processes */
static char tmp_dir[256];    /* this run's files */

/* A path in this run's directory. */
struct path {
    char s[512];
};

/* Writes the path of `name` in this run's directory into `p`; returns its text. */
static const char *in_tmp(struct path *p, const char *name)
{
    snprintf(p->s, sizeof p->s, "%s/%s", tmp_dir, name);
    return p->s;
}

/* ---- files -------------------------------------------------------------------------------- */

/* The whole file (malloc'd, the caller frees; NULL when it cannot be read), its size in *len. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n;
    *len = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        if (*len == cap) {
            char *more = realloc(buf, cap ? cap * 2 : 65536);
            if (more == NULL)
                break;
            buf = more;
            cap = cap ? cap * 2 : 65536;
        }
        n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    fclose(f);
    return buf != NULL ? buf : malloc(1);
}

static int write_all(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(bytes, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    return ok;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whether the file at `path` holds `needle` anywhere (a missing file holds nothing). */
static int file_contains(const char *path, const char *needle)
{
    size_t len, n = strlen(needle), i;
    char *buf = read_all(path, &len);
    int found = 0;
    for (i = 0; buf != NULL && i + n <= len && !found; i++)
        found = memcmp(buf + i, needle, n) == 0;
    free(buf);
    return found;
}

/* Whether the journal at `path` or its -wal / -shm companion holds `needle`. */
static int journal_contains(const char *path, const char *needle)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char companion[600];
    size_t i;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(companion, sizeof companion, "%s%s", path, suffixes[i]);
        if (file_contains(companion, needle))
            return 1;
    }
    return 0;
}

/* Whether SQLite left a companion (-wal, -shm, -journal) of `path`. */
static int has_companions(const char *path)
{
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    char companion[600];
    size_t i;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(companion, sizeof companion, "%s%s", path, suffixes[i]);
        if (exists(companion))
            return 1;
    }
    return 0;
}

/* ---- clients and payments ----------------------------------------------------------------- */

/* A client of `base` with the journal at `journal` (NULL: none); timeout_ms 0 keeps 90 s. */
static ovo_client *journal_client_(const char *base, const char *journal, unsigned timeout_ms,
                                   const char *file, int line)
{
    ovo_client *client = NULL;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    ovo_result r;
    ovo_config_set_base_url(config, base);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    if (timeout_ms)
        ovo_config_set_timeout_ms(config, timeout_ms);
    check_record(ovo_config_set_journal(config, journal) == OVO_RESULT_OK, file, line,
                 "ovo_config_set_journal");
    r = ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &client, &err);
    ovo_config_free(config);
    check_record(r == OVO_RESULT_OK && client != NULL && err == NULL, file, line,
                 "client with journal %s: %s (%s)", journal ? journal : "(none)",
                 ovo_result_name(r), err ? ovo_error_message(err) : "no error");
    ovo_error_free(err);
    return r == OVO_RESULT_OK ? client : NULL;
}
#define JOURNAL_CLIENT(base, journal, timeout_ms)                                           \
    journal_client_((base), (journal), (timeout_ms), __FILE__, __LINE__)

/* A push expected to give `want`; its payment (caller frees), checked against the invariants. */
static ovo_payment *push_(const ovo_client *c, const char *invoice, int64_t amount,
                          const char *wallet, ovo_result want, const char *file, int line)
{
    ovo_payment *p = NULL;
    ovo_result r = ovo_push_payment(c, invoice, amount, wallet, &p);
    check_record(r == want && ovo_payment_result(p) == r, file, line, "push %s: %s, want %s (%s)",
                 invoice, ovo_result_name(r), ovo_result_name(want),
                 ovo_payment_error(p) ? ovo_error_message(ovo_payment_error(p)) : "no error");
    CHECK_PAYMENT_INVARIANTS(p);
    return p;
}
#define PUSH(c, inv, amount, wallet, want)                                                  \
    push_((c), (inv), (amount), (wallet), (want), __FILE__, __LINE__)

/* ovo_client_settle expected to give `kind` and `outcome`; the payment (caller frees). */
static ovo_payment *settle_(const ovo_client *c, const char *invoice, ovo_kind kind,
                            ovo_outcome outcome, const char *file, int line)
{
    ovo_payment *p = POISON_PTR;
    ovo_result r = ovo_client_settle(c, invoice, &p);
    if (!check_record(p != POISON_PTR && p != NULL, file, line, "settle: *out gets a payment"))
        return NULL;
    check_record(ovo_payment_result(p) == r, file, line, "settle: payment result == returned");
    check_record(ovo_payment_kind(p) == kind && ovo_payment_outcome(p) == outcome, file, line,
                 "settle %s: kind %u outcome %s, want kind %u outcome %s (%s: %s)", invoice,
                 (unsigned)ovo_payment_kind(p), ovo_outcome_name(ovo_payment_outcome(p)),
                 (unsigned)kind, ovo_outcome_name(outcome), ovo_result_name(r),
                 ovo_payment_error(p) ? ovo_error_message(ovo_payment_error(p)) : "no error");
    CHECK_PAYMENT_INVARIANTS(p);
    return p;
}
#define SETTLE(c, inv, kind, outcome) settle_((c), (inv), (kind), (outcome), __FILE__, __LINE__)

/* ovo_journal_unsettled, expected OK; the list (caller frees), each payment checked. */
static ovo_payment_list *unsettled_(const ovo_client *c, const char *file, int line)
{
    ovo_payment_list *list = POISON_PTR;
    ovo_error *err = POISON_PTR;
    ovo_result r = ovo_journal_unsettled(c, &list, &err);
    size_t i;
    check_record(r == OVO_RESULT_OK && err == NULL && list != NULL && list != POISON_PTR, file,
                 line, "ovo_journal_unsettled: %s (%s)", ovo_result_name(r),
                 err != NULL && err != POISON_PTR ? ovo_error_message(err) : "no error");
    if (err != POISON_PTR)
        ovo_error_free(err);
    if (r != OVO_RESULT_OK || list == POISON_PTR)
        return NULL;
    for (i = 0; i < ovo_payment_list_len(list); i++) {
        const ovo_payment *p = ovo_payment_list_get(list, i);
        check_record(p != NULL && ovo_payment_kind(p) == OVO_KIND_PUSH &&
                         ovo_payment_outcome(p) == OVO_OUTCOME_UNKNOWN,
                     file, line, "listed payment %zu: a push with an unknown outcome", i);
        check_payment_(p, 0, file, line);
    }
    check_record(ovo_payment_list_get(list, ovo_payment_list_len(list)) == NULL, file, line,
                 "list_get past the end is NULL");
    return list;
}
#define UNSETTLED_LIST(c) unsettled_((c), __FILE__, __LINE__)

/* How many invoices `c` lists as unsettled (-1 when the call failed). */
static long unsettled_count_(const ovo_client *c, const char *file, int line)
{
    ovo_payment_list *list = unsettled_(c, file, line);
    long n = list != NULL ? (long)ovo_payment_list_len(list) : -1;
    ovo_payment_list_free(list);
    return n;
}
#define UNSETTLED_COUNT(c) unsettled_count_((c), __FILE__, __LINE__)

/* A push the journal refuses with `want`: nothing reaches the sandbox at `base`, blocking or
 * async; the refusal names the invoice and says nothing was sent. The amount (9000) differs
 * from every stored one: the invoice number alone decides. The payment (caller frees). */
static ovo_payment *refused_(const ovo_client *c, const char *base, const char *invoice,
                             const char *wallet, ovo_result want, const char *file, int line)
{
    long sent = sb_stat(base, "payment_requests");
    ovo_payment *p = push_(c, invoice, 9000, wallet, want, file, line), *q;
    struct inbox box;
    if (p != NULL && check_record(ovo_payment_error(p) != NULL, file, line, "refusal: an error")) {
        check_record(str_is(ovo_error_field(ovo_payment_error(p)), "order.invoice_number"), file,
                     line, "the journal's refusal names order.invoice_number: %s",
                     ovo_error_message(ovo_payment_error(p)));
        check_record(strstr(ovo_error_message(ovo_payment_error(p)), "nothing was sent") != NULL,
                     file, line, "the message says nothing was sent: %s",
                     ovo_error_message(ovo_payment_error(p)));
    }
    inbox_init(&box);
    check_record(ovo_push_payment_async(c, invoice, 9000, wallet, inbox_callback, &box, NULL,
                                        NULL) == OVO_RESULT_OK,
                 file, line, "async: the refusal comes through the callback");
    check_record(inbox_wait(&box, 60), file, line, "async: the callback came");
    q = inbox_take(&box);
    check_record(ovo_payment_result(q) == want, file, line, "async: %s, want %s",
                 ovo_result_name(ovo_payment_result(q)), ovo_result_name(want));
    ovo_payment_free(q);
    inbox_destroy(&box);
    check_record(sb_stat(base, "payment_requests") == sent, file, line,
                 "nothing reached the sandbox (%ld before, %ld after)", sent,
                 sb_stat(base, "payment_requests"));
    return p;
}
#define REFUSED(c, base, inv, wallet, want)                                                 \
    refused_((c), (base), (inv), (wallet), (want), __FILE__, __LINE__)

/* ---- the crash ---------------------------------------------------------------------------- */

#define CRASH_AMOUNT 12000

/*
 * The restarted POS: a new opener of `journal` lists the crashed push `invoice` as SENDING,
 * settles it PAID with DOKU, then lists nothing, and a push of it is refused ALREADY_PAID with
 * the stored answer and nothing sent; settling it again asks nobody.
 */
static void recover_crashed_push(const char *journal, const char *invoice)
{
    ovo_client *c = JOURNAL_CLIENT(hold_url, journal, 0);
    ovo_payment_list *list;
    const ovo_payment *row;
    ovo_payment *p;
    char request_id[64] = "";
    int64_t amount = 0;
    long sent, checks;
    if (c == NULL)
        return;
    list = UNSETTLED_LIST(c);
    CHECK_INT_EQ(ovo_payment_list_len(list), 1);
    row = ovo_payment_list_get(list, 0);
    if (CHECK_NONNULL(row)) {
        CHECK_STR_EQ(ovo_payment_text(row, OVO_FIELD_JOURNAL_STATE), "SENDING");
        CHECK_STR_EQ(ovo_payment_text(row, OVO_FIELD_REQUEST_INVOICE_NUMBER), invoice);
        CHECK_STR_EQ(ovo_payment_text(row, OVO_FIELD_REQUEST_OVO_ID), WALLET_MANUAL);
        CHECK(ovo_payment_number(row, OVO_FIELD_REQUEST_AMOUNT, &amount) &&
              amount == CRASH_AMOUNT);
        CHECK_INT_EQ(ovo_payment_result(row), OVO_RESULT_OUTCOME_UNKNOWN);
        CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(row)), "settle");
        snprintf(request_id, sizeof request_id, "%s", ovo_payment_request_id(row));
    }
    ovo_payment_list_free(list);

    sent = sb_stat(hold_url, "payment_requests");
    checks = sb_stat(hold_url, "status_requests");
    p = SETTLE(c, invoice, OVO_KIND_STATUS_CHECK, OVO_OUTCOME_PAID);
    CHECK_INT_EQ(ovo_payment_result(p), OVO_RESULT_OK);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "SUCCESS");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ORIGINAL_REQUEST_ID), request_id);
    CHECK(ovo_payment_number(p, OVO_FIELD_CHECK_AMOUNT, &amount) && amount == CRASH_AMOUNT);
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(hold_url, "status_requests"), checks + 1);
    CHECK_INT_EQ(UNSETTLED_COUNT(c), 0);

    p = REFUSED(c, hold_url, invoice, WALLET_MANUAL, OVO_RESULT_ALREADY_PAID);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "PAID");
    CHECK_STR_EQ(ovo_payment_request_id(p), request_id);
    /* The push got no answer (killed): the stored answer is the status check's. */
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "SUCCESS");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_ORIGINAL_REQUEST_ID), request_id);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "already paid");
    ovo_payment_free(p);

    checks = sb_stat(hold_url, "status_requests");
    p = SETTLE(c, invoice, OVO_KIND_PUSH, OVO_OUTCOME_PAID); /* a final row, as stored */
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "PAID");
    if (p != NULL && ovo_payment_error(p) != NULL) {
        const char *msg = ovo_error_message(ovo_payment_error(p));
        printf("   the settled row as stored: %s/%s, message \"%s\"\n",
               ovo_result_name(ovo_payment_result(p)), ovo_outcome_name(ovo_payment_outcome(p)),
               msg);
        CHECK_MSG(msg[0] != '\0', "a row settled by a check, read back: its %s error says what "
                  "to do next (ovo_payment_error: \"Its message says what to do next\")",
                  ovo_result_name(ovo_payment_result(p)));
    }
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(hold_url, "status_requests"), checks);
    CHECK_INT_EQ(sb_stat(hold_url, "payment_requests"), sent);
    ovo_client_free(c);
}

/* Starts `argv` (argv[0] is this program) with stdout into a pipe (*out_fd) when out_fd is
 * non-NULL. Between fork and exec the child only calls async-signal-safe functions. */
static pid_t spawn(char *const argv[], int *out_fd)
{
    int fds[2] = {-1, -1};
    pid_t pid;
    if (out_fd != NULL && pipe(fds) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        if (out_fd != NULL) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            close(fds[1]);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    if (out_fd != NULL) {
        close(fds[1]);
        *out_fd = pid > 0 ? fds[0] : -1;
        if (pid < 0)
            close(fds[0]);
    }
    return pid;
}

/* Polls until the sandbox holds `invoice`; false after `secs` or when `pid` exits first. */
static int wait_held_while_alive(pid_t pid, const char *invoice, int secs)
{
    double deadline = now_ms() + secs * 1000.0;
    int status;
    while (sb_inquiry(hold_url, invoice) != 200) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            CHECK_MSG(0, "the pushing child exited (status %d) before its push was held", status);
            return 0;
        }
        if (now_ms() > deadline)
            return 0;
        poll_pause();
    }
    return 1;
}

/* A child pushes `invoice` through `journal` and is killed by SIGKILL while the sandbox holds
 * the push; then the customer pays it. True when all of that happened. */
static int crash_mid_wait(const char *journal, const char *invoice)
{
    char *argv[] = {(char *)self_exe, "--push-child", (char *)journal, (char *)hold_url,
                    (char *)invoice, NULL};
    int status = 0, held;
    pid_t pid = spawn(argv, NULL);
    if (!CHECK_MSG(pid > 0, "the pushing child started"))
        return 0;
    held = wait_held_while_alive(pid, invoice, 60);
    CHECK_MSG(held, "the child's push %s is held by the sandbox", invoice);
    CHECK_INT_EQ(kill(pid, SIGKILL), 0);
    CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "the child died of SIGKILL (status %d)", status);
    if (!held)
        return 0;
    /* The POS is gone; the sandbox still holds the push for its window: the customer pays. */
    CHECK_INT_EQ(sb_pay(hold_url, invoice), 200);
    return 1;
}

/* Reads a child's stdout to EOF (poll bounds a hung child), relays it, and adds its
 * "N passed, N failed" counts to this program's. True when a summary line came. */
static int fold_child_output(int fd)
{
    static char buf[65536];
    size_t got = 0;
    char *line, *save = NULL;
    unsigned long passed = 0, failed = 0;
    int summary = 0;
    struct pollfd pfd;
    pfd.fd = fd;
    pfd.events = POLLIN;
    while (got + 1 < sizeof buf && poll(&pfd, 1, 120000) > 0) {
        ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (sscanf(line, "%lu passed, %lu failed", &passed, &failed) == 2)
            summary = 1;
        else
            printf("   [settle process] %s\n", line);
    }
    if (summary) {
        printf("   [settle process] %lu passed, %lu failed\n", passed, failed);
        check_add(passed, failed);
    }
    return summary;
}

/* The restart as a new process: this program with --settle-child. */
static void recover_in_child(const char *journal, const char *invoice)
{
    char *argv[] = {(char *)self_exe, "--settle-child", (char *)journal, (char *)sb_url,
                    (char *)hold_url, (char *)invoice, NULL};
    int fd = -1, status = 0, summary;
    pid_t pid = spawn(argv, &fd);
    if (!CHECK_MSG(pid > 0, "the settling child started"))
        return;
    summary = fold_child_output(fd);
    CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
    CHECK_MSG(summary, "the settling child printed its summary");
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the settling child exited 0 (status %d): its checks passed, nothing leaked",
              status);
}

static void test_crash(void)
{
    struct path path;
    const char *journal = in_tmp(&path, "crash.db");
    char inv1[80], inv2[80];
    ovo_client *c;
    ovo_payment *p;
    SECTION("crash: killed while DOKU holds the push; paid; a new process settles it PAID");
    if (crash_mid_wait(journal, make_invoice(inv1, sizeof inv1, "crash")))
        recover_in_child(journal, inv1);
    /* Once more, this process the restarted POS (a third opener of the file sees it settled). */
    SECTION("crash: killed again; this process settles it; the first stays PAID");
    if (crash_mid_wait(journal, make_invoice(inv2, sizeof inv2, "crash")))
        recover_crashed_push(journal, inv2);
    c = JOURNAL_CLIENT(hold_url, journal, 0);
    if (c == NULL)
        return;
    CHECK_INT_EQ(UNSETTLED_COUNT(c), 0);
    p = REFUSED(c, hold_url, inv1, WALLET_MANUAL, OVO_RESULT_ALREADY_PAID);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    ovo_payment_free(p);
    ovo_client_free(c);
}

/* ---- refusals ----------------------------------------------------------------------------- */

static void test_paid_and_declined(const char *journal)
{
    char inv[80], approval[16] = "";
    ovo_client *c = JOURNAL_CLIENT(sb_url, journal, 0), *lane2 = JOURNAL_CLIENT(sb_url, journal, 0);
    ovo_payment *p;
    char request_id[64] = "";
    SECTION("refusals: paid -> ALREADY_PAID with the stored answer; declined -> INVOICE_USED");
    if (c == NULL || lane2 == NULL)
        goto out;
    p = PUSH(c, make_invoice(inv, sizeof inv, "paid"), 5000, WALLET_CASH, OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_NULL(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE)); /* a live answer, not a row */
    snprintf(approval, sizeof approval, "%s", ovo_payment_text(p, OVO_FIELD_APPROVAL_CODE));
    snprintf(request_id, sizeof request_id, "%s", ovo_payment_request_id(p));
    ovo_payment_free(p);
    CHECK_MSG(strlen(approval) == 6, "the paid push has an approval code: %s", approval);
    p = REFUSED(c, sb_url, inv, WALLET_CASH, OVO_RESULT_ALREADY_PAID);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "PAID");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_APPROVAL_CODE), approval);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_STATUS), "SUCCESS");
    CHECK_STR_EQ(ovo_payment_request_id(p), request_id);
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "already paid");
    ovo_payment_free(p);
    p = REFUSED(lane2, sb_url, inv, WALLET_CASH, OVO_RESULT_ALREADY_PAID); /* another lane */
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_APPROVAL_CODE), approval);
    ovo_payment_free(p);

    p = PUSH(c, make_invoice(inv, sizeof inv, "decl"), 5000, WALLET_DECLINE, OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    ovo_payment_free(p);
    p = REFUSED(c, sb_url, inv, WALLET_DECLINE, OVO_RESULT_INVOICE_USED);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "NOT_PAID");
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_RESPONSE_CODE), "17");
    CHECK_STR_CONTAINS(ovo_error_message(ovo_payment_error(p)), "new invoice number");
    ovo_payment_free(p);
    CHECK_INT_EQ(UNSETTLED_COUNT(c), 0); /* final rows are never listed */
out:
    ovo_client_free(c);
    ovo_client_free(lane2);
}

/* The open push's second lane: UNSETTLED, listed, settle_all leaves it open (PENDING). */
static void open_push_on_lane2(const ovo_client *lane2, const char *inv)
{
    ovo_payment_list *list;
    const ovo_payment *item;
    ovo_payment *p = REFUSED(lane2, hold_url, inv, WALLET_MANUAL, OVO_RESULT_UNSETTLED);
    ovo_error *err = POISON_PTR;
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "UNKNOWN");
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    ovo_payment_free(p);
    list = UNSETTLED_LIST(lane2);
    CHECK_INT_EQ(ovo_payment_list_len(list), 1);
    CHECK_STR_EQ(ovo_payment_text(ovo_payment_list_get(list, 0), OVO_FIELD_REQUEST_INVOICE_NUMBER),
                 inv);
    ovo_payment_list_free(list);
    list = POISON_PTR;
    CHECK_INT_EQ(ovo_client_settle_all(lane2, &list, &err), OVO_RESULT_OK);
    CHECK_NULL(err);
    if (CHECK(list != POISON_PTR && ovo_payment_list_len(list) == 1)) {
        item = ovo_payment_list_get(list, 0);
        CHECK_PAYMENT_INVARIANTS(item);
        CHECK_INT_EQ(ovo_payment_kind(item), OVO_KIND_STATUS_CHECK);
        CHECK_STR_EQ(ovo_payment_text(item, OVO_FIELD_REQUEST_INVOICE_NUMBER), inv);
        CHECK_STR_EQ(ovo_payment_text(item, OVO_FIELD_TRANSACTION_STATUS), "PENDING");
        CHECK_INT_EQ(ovo_payment_outcome(item), OVO_OUTCOME_UNKNOWN);
        CHECK_NULL(ovo_payment_list_get(list, 1));
    }
    if (list != POISON_PTR)
        ovo_payment_list_free(list);
    CHECK_INT_EQ(UNSETTLED_COUNT(lane2), 1); /* PENDING settles nothing */
}

static void test_open_push(const char *journal)
{
    char inv[80];
    ovo_client *impatient = JOURNAL_CLIENT(hold_url, journal, (unsigned)scaled(300, 2000));
    ovo_client *lane2 = JOURNAL_CLIENT(hold_url, journal, 0);
    ovo_payment *p;
    SECTION("refusals: an unknown push is UNSETTLED on both clients of the file until settled");
    if (impatient == NULL || lane2 == NULL)
        goto out;
    p = PUSH(impatient, make_invoice(inv, sizeof inv, "open"), 7000, WALLET_MANUAL,
             OVO_RESULT_OUTCOME_UNKNOWN);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
    ovo_payment_free(p);
    CHECK(sb_wait_held(hold_url, inv, 30)); /* the customer can still pay */
    p = push_(impatient, inv, 7000, WALLET_MANUAL, OVO_RESULT_UNSETTLED, __FILE__, __LINE__);
    ovo_payment_free(p);
    open_push_on_lane2(lane2, inv);

    CHECK_INT_EQ(sb_decline(hold_url, inv), 200);
    p = SETTLE(lane2, inv, OVO_KIND_STATUS_CHECK, OVO_OUTCOME_NOT_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "FAILED");
    ovo_payment_free(p);
    CHECK_INT_EQ(UNSETTLED_COUNT(lane2), 0);
    CHECK_INT_EQ(UNSETTLED_COUNT(impatient), 0);
    p = REFUSED(lane2, hold_url, inv, WALLET_MANUAL, OVO_RESULT_INVOICE_USED);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_TRANSACTION_STATUS), "FAILED"); /* stored check */
    ovo_payment_free(p);
    /* The first client asks the journal too: settled there, the invoice is used. */
    p = SETTLE(impatient, inv, OVO_KIND_PUSH, OVO_OUTCOME_NOT_PAID);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "NOT_PAID");
    ovo_payment_free(p);
    /* It told this client the invoice's outcome (NOT_PAID): a push of it is INVOICE_USED now,
     * not UNSETTLED (whose message says to settle it first, which was just done). */
    p = REFUSED(impatient, hold_url, inv, WALLET_MANUAL, OVO_RESULT_INVOICE_USED);
    ovo_payment_free(p);
out:
    ovo_client_free(impatient);
    ovo_client_free(lane2);
}

static void test_never_sent(const char *journal)
{
    char inv[80];
    ovo_client *dead = JOURNAL_CLIENT("http://127.0.0.1:1", journal, 0);
    ovo_client *c = JOURNAL_CLIENT(sb_url, journal, 0);
    ovo_payment *p;
    long sent = sb_stat(sb_url, "payment_requests");
    SECTION("refusals: a push that never left is NOT_SENT, not listed, and may go again");
    if (dead == NULL || c == NULL)
        goto out;
    p = PUSH(dead, make_invoice(inv, sizeof inv, "dead"), 6000, WALLET_CASH, OVO_RESULT_NOT_SENT);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_NOT_PAID);
    ovo_payment_free(p);
    CHECK_INT_EQ(UNSETTLED_COUNT(dead), 0);
    CHECK_INT_EQ(UNSETTLED_COUNT(c), 0);
    p = SETTLE(dead, inv, OVO_KIND_PUSH, OVO_OUTCOME_NOT_PAID); /* final: asks nobody */
    CHECK_INT_EQ(ovo_payment_result(p), OVO_RESULT_NOT_SENT);
    CHECK_STR_EQ(ovo_payment_text(p, OVO_FIELD_JOURNAL_STATE), "NOT_SENT");
    ovo_payment_free(p);
    p = PUSH(c, inv, 6000, WALLET_CASH, OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_PAID);
    ovo_payment_free(p);
    CHECK_INT_EQ(sb_stat(sb_url, "payment_requests"), sent + 1);
    p = REFUSED(dead, sb_url, inv, WALLET_CASH, OVO_RESULT_ALREADY_PAID);
    ovo_payment_free(p);
out:
    ovo_client_free(dead);
    ovo_client_free(c);
}

/* ---- refused files ------------------------------------------------------------------------ */

/* ovo_client_new with the journal at `path` is refused (INVALID_ARGUMENT, field journal). */
static void expect_refused_file_(const char *path, const char *what, const char *file, int line)
{
    ovo_client *client = POISON_PTR;
    ovo_error *err = NULL;
    ovo_config *config = ovo_config_new();
    ovo_result r;
    ovo_config_set_base_url(config, sb_url);
    ovo_config_set_proxy(config, OVO_PROXY_MODE_NONE, NULL);
    ovo_config_set_journal(config, path);
    r = ovo_client_new(TEST_CLIENT_ID, TEST_SECRET, config, &client, &err);
    ovo_config_free(config);
    check_record(r == OVO_RESULT_INVALID_ARGUMENT && client == NULL, file, line,
                 "%s: ovo_client_new refused (%s)", what, ovo_result_name(r));
    check_error_(err, OVO_RESULT_INVALID_ARGUMENT, "journal", file, line);
    check_record(err == NULL || strstr(ovo_error_message(err), tmp_dir) == NULL, file, line,
                 "%s: the message does not quote the path: %s", what,
                 err ? ovo_error_message(err) : "");
    if (err != NULL)
        printf("   %s: %s\n", what, ovo_error_message(err));
    ovo_error_free(err);
    if (r == OVO_RESULT_OK && client != POISON_PTR)
        ovo_client_free(client);
}
#define EXPECT_REFUSED_FILE(path, what) expect_refused_file_((path), (what), __FILE__, __LINE__)

/* The journal at `path` is refused and left exactly as it was, with no companions. */
static void refused_unchanged(const char *path, const char *what)
{
    size_t before_len = 0, after_len = 0;
    char *before = read_all(path, &before_len), *after;
    if (!CHECK_MSG(before != NULL && before_len > 0, "%s: the file was written", what)) {
        free(before);
        return;
    }
    EXPECT_REFUSED_FILE(path, what);
    after = read_all(path, &after_len);
    CHECK_MSG(after != NULL && after_len == before_len && memcmp(before, after, after_len) == 0,
              "%s: the file is unchanged (%zu bytes before, %zu after)", what, before_len,
              after_len);
    CHECK_MSG(!has_companions(path), "%s: no -wal/-shm/-journal was left", what);
    free(before);
    free(after);
}

/* Another program's SQLite database, written by the sqlite3 command-line tool. */
static int write_foreign_sqlite(const char *path)
{
    char *argv[] = {"/usr/bin/sqlite3", (char *)path,
                    "CREATE TABLE sales (id INTEGER, total INTEGER); "
                    "INSERT INTO sales VALUES (1, 15000);",
                    NULL};
    int status = 0;
    pid_t pid;
    if (!CHECK_MSG(access(argv[0], X_OK) == 0, "the sqlite3 tool is installed (tests/c.sh)"))
        return 0;
    pid = spawn(argv, NULL);
    return CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0);
}

static void test_refused_files(void)
{
    unsigned char noise[8192];
    unsigned long long x = 0x9e3779b97f4a7c15ULL;
    struct path noisy, foreign, missing, missing_dir, empty;
    ovo_client *c;
    size_t i;
    SECTION("refused files: noise, another program's SQLite file, a missing directory");
    for (i = 0; i < sizeof noise; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        noise[i] = (unsigned char)(x >> 56);
    }
    if (CHECK(write_all(in_tmp(&noisy, "noise.db"), noise, sizeof noise)))
        refused_unchanged(noisy.s, "random bytes");
    if (write_foreign_sqlite(in_tmp(&foreign, "foreign.db")))
        refused_unchanged(foreign.s, "a foreign SQLite file");
    EXPECT_REFUSED_FILE(in_tmp(&missing, "missing/dir/journal.db"), "a missing directory");
    CHECK_MSG(!exists(in_tmp(&missing_dir, "missing")), "the missing directory was not created");
    /* A 0-byte file is a new journal. */
    CHECK(write_all(in_tmp(&empty, "empty.db"), "", 0));
    c = JOURNAL_CLIENT(sb_url, empty.s, 0);
    if (c != NULL)
        CHECK_INT_EQ(UNSETTLED_COUNT(c), 0);
    ovo_client_free(c);
}

/* ---- without a journal -------------------------------------------------------------------- */

/* The two unknown pushes `older` and `newer`, oldest first, each with its push's request id. */
static void check_book_list(const ovo_client *c, const char *older, const char *older_rid,
                            const char *newer, const char *newer_rid)
{
    ovo_payment_list *list = UNSETTLED_LIST(c);
    const ovo_payment *a = ovo_payment_list_get(list, 0), *b = ovo_payment_list_get(list, 1);
    int64_t amount = 0;
    CHECK_INT_EQ(ovo_payment_list_len(list), 2);
    if (a != NULL && b != NULL) {
        CHECK_NULL(ovo_payment_text(a, OVO_FIELD_JOURNAL_STATE));
        CHECK_MSG(str_is(ovo_payment_text(a, OVO_FIELD_REQUEST_INVOICE_NUMBER), older) &&
                      str_is(ovo_payment_text(b, OVO_FIELD_REQUEST_INVOICE_NUMBER), newer),
                  "oldest first (ovo.h): %s then %s, got %s then %s", older, newer,
                  ovo_payment_text(a, OVO_FIELD_REQUEST_INVOICE_NUMBER),
                  ovo_payment_text(b, OVO_FIELD_REQUEST_INVOICE_NUMBER));
        CHECK_STR_EQ(ovo_payment_text(a, OVO_FIELD_REQUEST_OVO_ID), WALLET_MANUAL);
        CHECK(ovo_payment_number(a, OVO_FIELD_REQUEST_AMOUNT, &amount) && amount == 4000);
        /* "with the push as recorded (OVO_FIELD_REQUEST_*, request id, ...)" */
        if (str_is(ovo_payment_text(a, OVO_FIELD_REQUEST_INVOICE_NUMBER), older))
            CHECK_STR_EQ(ovo_payment_request_id(a), older_rid);
        if (str_is(ovo_payment_text(b, OVO_FIELD_REQUEST_INVOICE_NUMBER), newer))
            CHECK_STR_EQ(ovo_payment_request_id(b), newer_rid);
    }
    ovo_payment_list_free(list);
}

static void test_without_journal(void)
{
    char older[80], newer[80], older_rid[64] = "", newer_rid[64] = "";
    ovo_client *c = JOURNAL_CLIENT(hold_url, NULL, (unsigned)scaled(300, 2000));
    ovo_client *other = JOURNAL_CLIENT(hold_url, NULL, 0);
    ovo_payment *p;
    ovo_payment_list *list = POISON_PTR;
    SECTION("without a journal: this client's unknown pushes are listed until settled");
    if (c == NULL || other == NULL)
        goto out;
    /* The older one sorts after the newer one by name. */
    p = PUSH(c, make_invoice(older, sizeof older, "z-old"), 4000, WALLET_MANUAL,
             OVO_RESULT_OUTCOME_UNKNOWN);
    snprintf(older_rid, sizeof older_rid, "%s", ovo_payment_request_id(p));
    ovo_payment_free(p);
    p = PUSH(c, make_invoice(newer, sizeof newer, "a-new"), 4000, WALLET_MANUAL,
             OVO_RESULT_OUTCOME_UNKNOWN);
    snprintf(newer_rid, sizeof newer_rid, "%s", ovo_payment_request_id(p));
    ovo_payment_free(p);
    check_book_list(c, older, older_rid, newer, newer_rid);
    CHECK_INT_EQ(UNSETTLED_COUNT(other), 0); /* another client's are not this one's */
    CHECK(sb_wait_held(hold_url, older, 30) && sb_wait_held(hold_url, newer, 30));
    CHECK_INT_EQ(sb_decline(hold_url, older), 200);
    CHECK_INT_EQ(sb_pay(hold_url, newer), 200);
    p = SETTLE(c, older, OVO_KIND_STATUS_CHECK, OVO_OUTCOME_NOT_PAID);
    ovo_payment_free(p);
    CHECK_INT_EQ(ovo_client_settle_all(c, &list, NULL), OVO_RESULT_OK);
    if (CHECK(list != POISON_PTR && ovo_payment_list_len(list) == 1))
        CHECK_INT_EQ(ovo_payment_outcome(ovo_payment_list_get(list, 0)), OVO_OUTCOME_PAID);
    if (list != POISON_PTR)
        ovo_payment_list_free(list);
    CHECK_INT_EQ(UNSETTLED_COUNT(c), 0);
out:
    ovo_client_free(c);
    ovo_client_free(other);
}

/* ---- NULL arguments ----------------------------------------------------------------------- */

/* A list call with a NULL client or out: INVALID_ARGUMENT naming it, *out NULL, nothing sent. */
static void check_list_call_nulls(ovo_result (*call)(const ovo_client *, ovo_payment_list **,
                                                     ovo_error **),
                                  const ovo_client *c, const char *name)
{
    ovo_payment_list *list = POISON_PTR;
    ovo_error *err = POISON_PTR;
    printf("   %s\n", name);
    CHECK_INT_EQ(call(NULL, &list, &err), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_NULL(list);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "client");
    if (err != POISON_PTR)
        ovo_error_free(err);
    err = POISON_PTR;
    CHECK_INT_EQ(call(c, NULL, &err), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_ERROR(err, OVO_RESULT_INVALID_ARGUMENT, "out");
    if (err != POISON_PTR)
        ovo_error_free(err);
    list = POISON_PTR;
    CHECK_INT_EQ(call(NULL, &list, NULL), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_NULL(list);
    CHECK_INT_EQ(call(c, NULL, NULL), OVO_RESULT_INVALID_ARGUMENT);
}

/* ovo_client_settle with a bad argument: INVALID_ARGUMENT naming `field`, nothing sent. */
static void check_settle_refused(const ovo_client *c, const char *invoice, const char *field)
{
    ovo_payment *p = POISON_PTR;
    long checks = sb_stat(sb_url, "status_requests");
    CHECK_INT_EQ(ovo_client_settle(c, invoice, &p), OVO_RESULT_INVALID_ARGUMENT);
    if (CHECK(p != POISON_PTR && p != NULL)) {
        CHECK_PAYMENT_INVARIANTS(p);
        CHECK_INT_EQ(ovo_payment_outcome(p), OVO_OUTCOME_UNKNOWN);
        CHECK_ERROR(ovo_payment_error(p), OVO_RESULT_INVALID_ARGUMENT, field);
        ovo_payment_free(p);
    }
    CHECK_INT_EQ(ovo_client_settle(c, invoice, NULL), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(sb_stat(sb_url, "status_requests"), checks);
}

static void test_null_arguments(const char *journal)
{
    struct path never;
    char inv[80];
    ovo_client *c = JOURNAL_CLIENT(sb_url, journal, 0);
    ovo_config *config = ovo_config_new();
    ovo_payment_list *list;
    long checks;
    SECTION("NULL and out-of-range arguments of the journal calls");
    CHECK_INT_EQ(ovo_config_set_journal(NULL, journal), OVO_RESULT_INVALID_ARGUMENT);
    CHECK_INT_EQ(ovo_config_set_journal(config, in_tmp(&never, "never.db")), OVO_RESULT_OK);
    CHECK_INT_EQ(ovo_config_set_journal(config, NULL), OVO_RESULT_OK); /* off again */
    ovo_config_free(config);
    CHECK_INT_EQ(ovo_payment_list_len(NULL), 0);
    CHECK_NULL(ovo_payment_list_get(NULL, 0));
    ovo_payment_list_free(NULL);
    if (c == NULL)
        return;
    check_list_call_nulls(ovo_journal_unsettled, c, "ovo_journal_unsettled");
    check_list_call_nulls(ovo_client_settle_all, c, "ovo_client_settle_all");
    check_settle_refused(NULL, "INV-1", "client");
    check_settle_refused(c, NULL, "order.invoice_number");
    check_settle_refused(c, "", "order.invoice_number");
    list = UNSETTLED_LIST(c);
    CHECK_NULL(ovo_payment_list_get(list, 0));
    CHECK_NULL(ovo_payment_list_get(list, (size_t)-1));
    ovo_payment_list_free(list);
    /* An invoice nobody pushed: DOKU is asked and knows nothing; the outcome stays UNKNOWN. */
    checks = sb_stat(sb_url, "status_requests");
    CHECK_INT_EQ(ovo_client_settle(c, make_invoice(inv, sizeof inv, "none"), NULL), OVO_RESULT_OK);
    CHECK_INT_EQ(sb_stat(sb_url, "status_requests"), checks + 1);
    CHECK_MSG(!exists(never.s), "a journal turned off again is never created");
    ovo_client_free(c);
}

/* ---- the secret key ----------------------------------------------------------------------- */

/* The key echoed by a server (raw and JSON-escaped) ends in no journal file. */
static void test_no_secret_in_files(void)
{
    static const char *const needles[] = {TEST_SECRET, "SK-9sCrJ", "9sCrJ1kdYUJAYlsJKlqz"};
    struct path path;
    const char *journal = in_tmp(&path, "secret.db");
    char url[64], inv[80];
    struct stub s;
    ovo_client *c;
    ovo_payment *p;
    size_t i;
    SECTION("the secret key, echoed by a server, never reaches the journal file");
    if (!CHECK(stub_answer(&s, "401 Unauthorized",
                           "{\"error\":{\"message\":\"bad key " TEST_SECRET
                           " (SK\\u002d9sCrJ1kdYUJAYlsJKlqz)\"}}")))
        return;
    base_url_of(&s, url, sizeof url, "");
    c = JOURNAL_CLIENT(url, journal, 10000);
    p = PUSH(c, make_invoice(inv, sizeof inv, "key"), 10000, WALLET_CASH, OVO_RESULT_REJECTED);
    CHECK_STR_CONTAINS(ovo_payment_raw_body(p, NULL), "***");
    ovo_payment_free(p);
    CHECK_INT_EQ(stub_finish(&s), 0);
    for (i = 0; i < sizeof needles / sizeof needles[0]; i++)
        CHECK_MSG(!journal_contains(journal, needles[i]), "the open journal holds no \"%s\"",
                  needles[i]);
    CHECK_MSG(journal_contains(journal, inv), "the scan sees the journal's contents");
    ovo_client_free(c);
    for (i = 0; i < sizeof needles / sizeof needles[0]; i++)
        CHECK_MSG(!journal_contains(journal, needles[i]), "the closed journal holds no \"%s\"",
                  needles[i]);
}

/* Every file this run wrote (all the journals and their companions) is free of the key; then
 * the directory goes (OVO_TEST_KEEP=1 keeps it, to look at the journals of a failed run). */
static void scan_and_remove_tmp_dir(void)
{
    const char *keep = getenv("OVO_TEST_KEEP");
    int keeping = keep != NULL && keep[0] != '\0' && strcmp(keep, "0") != 0;
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    int files = 0;
    if (!CHECK_NONNULL(d))
        return;
    while ((e = readdir(d)) != NULL) {
        struct path p;
        if (e->d_name[0] == '.')
            continue;
        in_tmp(&p, e->d_name);
        files++;
        CHECK_MSG(!file_contains(p.s, TEST_SECRET) && !file_contains(p.s, "SK-9sCrJ"),
                  "%s holds no form of the key", e->d_name);
        if (!keeping)
            CHECK_MSG(unlink(p.s) == 0, "%s removed", e->d_name);
    }
    closedir(d);
    CHECK_MSG(files >= 7, "the run's files were scanned (%d)", files);
    if (keeping)
        printf("   files kept in %s\n", tmp_dir);
    else
        CHECK_MSG(rmdir(tmp_dir) == 0, "%s removed", tmp_dir);
}

/* ---- the child roles ---------------------------------------------------------------------- */

/* --push-child JOURNAL URL INVOICE: push (blocking) until killed; returning is a failure. */
static int push_child(char **argv)
{
    ovo_client *c = JOURNAL_CLIENT(argv[1], argv[0], 0);
    ovo_payment *p = NULL;
    if (c != NULL) {
        ovo_push_payment(c, argv[2], CRASH_AMOUNT, WALLET_MANUAL, &p);
        fprintf(stderr, "push child: the push returned %s before the kill\n",
                ovo_result_name(ovo_payment_result(p)));
    }
    ovo_payment_free(p);
    ovo_client_free(c);
    return 3;
}

/* --settle-child JOURNAL SB_URL HOLD_URL INVOICE: the restarted POS, as a new process. */
static int settle_child(char **argv)
{
    snprintf(tmp_dir, sizeof tmp_dir, "%s", "(child)");
    sb_url = argv[1];
    hold_url = argv[2];
    SECTION("settle process: list, settle, refuse");
    recover_crashed_push(argv[0], argv[3]);
    return check_summary();
}

static int make_tmp_dir(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/ovo-cjournal-XXXXXX",
             base != NULL && base[0] != '\0' ? base : "/tmp");
    return CHECK_MSG(mkdtemp(tmp_dir) != NULL, "a temp directory (%s)", strerror(errno));
}

int main(int argc, char **argv)
{
    struct path refuse, nulls;
    if (argc == 5 && strcmp(argv[1], "--push-child") == 0)
        return push_child(argv + 2);
    if (argc == 6 && strcmp(argv[1], "--settle-child") == 0)
        return settle_child(argv + 2);
    self_exe = argv[0];
    sb_url = sandbox_url();
    hold_url = hold_sandbox_url();
    if (sb_url == NULL || hold_url == NULL || !make_tmp_dir())
        return check_summary();
    printf("   files in %s; child processes: %s exec'd (fork, then exec at once)\n", tmp_dir,
           self_exe);
    test_crash();
    in_tmp(&refuse, "refuse.db");
    test_paid_and_declined(refuse.s);
    test_open_push(refuse.s);
    test_never_sent(refuse.s);
    test_refused_files();
    test_without_journal();
    test_null_arguments(in_tmp(&nulls, "nulls.db"));
    test_no_secret_in_files();
    scan_and_remove_tmp_dir();
    return check_summary();
}
