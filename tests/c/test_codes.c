/*
 * test_codes: ovo_code_describe knows every code of the spec's "OVO Response Code Mapping"
 * table; unknown, NULL and non-UTF-8 codes give known == false; never NULL; static results;
 * concurrent first use from several threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "common.h"

struct spec_code {
    const char *code;
    const char *name;
};

/* The spec's table (its "Secutiry Violation" typo is checked loosely below). */
static const struct spec_code spec_codes[] = {
    {"00", "Success / Approved"},
    {"14", "Invalid Mobile Number / OVO ID"},
    {"17", "Transaction Decline"},
    {"25", "Transaction Not Found"},
    {"26", "Transaction Failed"},
    {"40", "Transaction Failed"},
    {"54", "Transaction Expired (More than 7 days)"},
    {"56", "Card Blocked. Please call 1500696"},
    {"58", "Transaction Not Allowed"},
    {"61", "Exceed Transaction Limit"},
    {"63", NULL},
    {"64", "Account Blocked. Please call 1500696"},
    {"65", "Transaction Failed"},
    {"67", "Below Transaction Limit"},
    {"68", "Transaction Pending / Timeout"},
    {"73", "Transaction has been reversed"},
    {"96", "Invalid Processing Code"},
    {"ER", "System Failure"},
    {"EB", "Terminal Blocked"},
};
#define N_SPEC_CODES (sizeof spec_codes / sizeof spec_codes[0])

/* First use from several threads at once (the table is built lazily). */
#define RACE_THREADS 8
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open = 0;

static void *race_worker(void *arg)
{
    const ovo_code_info **seen = arg;
    pthread_mutex_lock(&gate_lock);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    seen[0] = ovo_code_describe("17");
    seen[1] = ovo_code_describe("nope");
    return NULL;
}

static void test_first_use_race(void)
{
    pthread_t t[RACE_THREADS];
    const ovo_code_info *seen[RACE_THREADS][2];
    int i, started = 0;
    SECTION("first use from several threads");
    for (i = 0; i < RACE_THREADS; i++) {
        seen[i][0] = seen[i][1] = NULL;
        if (pthread_create(&t[i], NULL, race_worker, seen[i]) != 0)
            break;
        started++;
    }
    CHECK_INT_EQ(started, RACE_THREADS);
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    for (i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < started; i++) {
        CHECK(seen[i][0] != NULL && seen[i][0] == seen[0][0]);
        CHECK(seen[i][1] != NULL && seen[i][1] == seen[0][1]);
    }
    if (seen[0][0] != NULL) {
        CHECK_STR_EQ(seen[0][0]->code, "17");
        CHECK(seen[0][0]->known);
    }
    if (seen[0][1] != NULL)
        CHECK(!seen[0][1]->known);
}

static void test_known_codes(void)
{
    size_t i;
    SECTION("every code of the spec's table");
    for (i = 0; i < N_SPEC_CODES; i++) {
        const ovo_code_info *info = ovo_code_describe(spec_codes[i].code);
        if (!CHECK_MSG(info != NULL, "describe(%s) is not NULL", spec_codes[i].code))
            continue;
        CHECK_MSG(info->known, "code %s is known", spec_codes[i].code);
        CHECK_STR_EQ(info->code, spec_codes[i].code);
        CHECK_MSG(info->name != NULL && info->name[0] != '\0', "code %s has a name",
                  spec_codes[i].code);
        CHECK_MSG(info->description != NULL && info->description[0] != '\0',
                  "code %s has a description", spec_codes[i].code);
        if (spec_codes[i].name != NULL)
            CHECK_STR_EQ(info->name, spec_codes[i].name);
        else
            CHECK_STR_CONTAINS(info->name, "Violation");
        /* Static: the same entry every time. */
        CHECK(ovo_code_describe(spec_codes[i].code) == info);
    }
    CHECK_STR_EQ(ovo_code_describe("17")->description, "OVO User canceled payment using OVO Apps");
    CHECK_STR_EQ(ovo_code_describe("68")->description, "OVO Wallet late to give respond to OVO JPOS");
    CHECK_STR_EQ(ovo_code_describe("14")->description, "Phone number / OVO ID not found in OVO System");
}

static void check_unknown(const char *label, const ovo_code_info *info)
{
    if (!CHECK_MSG(info != NULL, "describe(%s) is not NULL", label))
        return;
    CHECK_MSG(!info->known, "describe(%s) is not known", label);
    CHECK_MSG(info->code != NULL && strcmp(info->code, "??") == 0, "describe(%s) code is ??",
              label);
    CHECK_MSG(info->name != NULL && info->name[0] != '\0', "describe(%s) has a name", label);
    CHECK_MSG(info->description != NULL && info->description[0] != '\0',
              "describe(%s) has a description", label);
}

static void test_unknown_codes(void)
{
    const char *unknown[] = {"99", "", "0", "000", "00 ", " 00", "er", "eb", "Er", "1", "170",
                             "??", "01", "18"};
    size_t i;
    SECTION("unknown, NULL and non-UTF-8 codes");
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        check_unknown(unknown[i], ovo_code_describe(unknown[i]));
    check_unknown("NULL", ovo_code_describe(NULL));
    check_unknown("\\xff", ovo_code_describe("\xff"));
    check_unknown("1\\xc3", ovo_code_describe("1\xc3"));
    CHECK(ovo_code_describe("99") == ovo_code_describe(NULL));
}

static void test_sandbox_codes_known(void)
{
    /* Every code the sandbox's scripted wallets produce is in the table. */
    const char *codes[] = {"00", "14", "17", "26", "40", "56", "61", "64", "65", "67", "68"};
    size_t i;
    SECTION("codes the sandbox produces");
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK_MSG(ovo_code_describe(codes[i])->known, "code %s is known", codes[i]);
}

int main(void)
{
    test_first_use_race(); /* must run first */
    test_known_codes();
    test_unknown_codes();
    test_sandbox_codes_known();
    return check_summary();
}
