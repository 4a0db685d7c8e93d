/*
 * A WASI reactor for the Bun plugin test: state kept between calls, and
 * output through WASI (which needs `_initialize` to have run).
 */
#include <stdio.h>

static int total = 100; /* set by a data segment; _initialize must not reset it */

__attribute__((export_name("increment"))) int increment(int by) {
    total += by;
    return total;
}

__attribute__((export_name("report"))) void report(void) {
    printf("counter.wasm total=%d\n", total);
    fflush(stdout);
}
