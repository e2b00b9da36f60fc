/*
 * canary_leak: NOT a test. It leaks one ovo_error on purpose so tests/c.sh can prove that
 * LeakSanitizer and valgrind really see allocations made inside libovo (a leak checker
 * that never fires proves nothing). The script expects this program to FAIL under both.
 */
#include <stdio.h>

#include "ovo.h"

int main(void)
{
    char out[OVO_CHECKSUM_BUFFER_LEN];
    ovo_error *err = NULL;
    ovo_result r = ovo_checksum(0, "MCH-1", "INV-1", "081211111111", "SK-1", out, sizeof out, &err);
    printf("result %u, error %s\n", (unsigned)r, err != NULL ? "leaked" : "missing");
    err = NULL; /* the only pointer to it is gone: a definite leak */
    return r == OVO_RESULT_INVALID_ARGUMENT ? 0 : 2;
}
