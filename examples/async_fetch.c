/*
 * A C program written against an asynchronous host API, JSPI style: the host
 * function `host.fetch` returns a Promise in JavaScript, and the embedder
 * imports it through `new WebAssembly.Suspending(...)` and calls `run`
 * through `WebAssembly.promising(...)`. To C it is an ordinary blocking call.
 *
 * Built as a WASI reactor (no main; `_initialize` sets up libc) exporting
 * `run`:  make async_fetch.wasm   (see Makefile)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Provided by the embedder; suspends the guest until the host's Promise settles. */
__attribute__((import_module("host"), import_name("fetch")))
extern int host_fetch(int key);

/* Fetches keys 0..n-1, keeps the values in a heap-allocated table, prints
 * each, and returns a checksum of the table. */
__attribute__((export_name("run")))
int run(int n) {
  int *values = malloc(sizeof(int) * (size_t)n);
  if (values == NULL) return -1;
  unsigned checksum = 2166136261u;
  for (int i = 0; i < n; i++) {
    values[i] = host_fetch(i);
    printf("fetch(%d) = %d\n", i, values[i]);
  }
  for (int i = 0; i < n; i++) checksum = (checksum ^ (unsigned)values[i]) * 16777619u;
  printf("checksum %u\n", checksum);
  fflush(stdout);
  free(values);
  return (int)checksum;
}
