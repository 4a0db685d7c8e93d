/*
 * Pre-initialization, wizer style: `init` does the expensive set-up once
 * (a sieve of Eratosthenes and a table of the primes below a limit); a
 * snapshot taken after it lets later runs start from the finished tables
 * (gannet's snapshot()/restore()) instead of computing them again.
 *
 * Built as a WASI reactor exporting init and query:  make preinit.wasm
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned char *composite;
static int *primes;
static int count;

/* Builds the tables for the primes below `limit`; returns how many there are. */
__attribute__((export_name("init")))
int init(int limit) {
  composite = calloc((size_t)limit, 1);
  primes = malloc(sizeof(int) * (size_t)(limit / 2 + 1));
  if (composite == NULL || primes == NULL) return -1;
  for (int i = 2; i < limit; i++) {
    if (composite[i]) continue;
    primes[count++] = i;
    for (long long j = (long long)i * i; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

/* Prints the k-th prime, the sum of the first k, and whether `n` is prime. */
__attribute__((export_name("query")))
int query(int k, int n) {
  if (k < 0 || k >= count) return -1;
  long long sum = 0;
  for (int i = 0; i <= k; i++) sum += primes[i];
  printf("prime #%d = %d, sum of the first %d = %lld, %d is %s\n", k, primes[k], k + 1, sum, n,
         composite[n] ? "composite" : "prime");
  fflush(stdout);
  return primes[k];
}
