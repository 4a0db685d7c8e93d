/*
 * Test and benchmark program for Gannet's wasi-threads (tests/wasi_threads_c_test.ts,
 * bench/wasi_threads.ts). Freestanding C: the Debian wasi-libc has no
 * pthreads, so WASI and thread-spawn are bound by hand and thread stacks are
 * static arrays (thread_start.s installs them). Built by build.sh; the .wasm
 * is checked in so that CI needs no clang.
 *
 *   threads.wasm counter N M   N threads add 1 to one counter M times each
 *   threads.wasm sum T K       sum of (i * i) % 7 for i < K, over T threads (T = 0: no thread);
 *                              the time from the first spawn to the join goes to stderr (ns=…)
 *   threads.wasm pingpong R    R wait/notify round trips between the main thread and one thread
 *   threads.wasm exit          4 threads: a busy one, a waiting one, a sleeping one; the 4th exits 7
 *   threads.wasm ids N         N threads; prints each thread's id (checks 0 < id < 2^29, distinct)
 */
#include <stdint.h>

#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
#define WASI IMPORT("wasi_snapshot_preview1", n)

typedef struct { const void *buf; uint32_t len; } ciovec;
IMPORT("wasi_snapshot_preview1", "fd_write") int32_t fd_write(int32_t, const ciovec *, int32_t, uint32_t *);
IMPORT("wasi_snapshot_preview1", "proc_exit") _Noreturn void proc_exit(int32_t);
IMPORT("wasi_snapshot_preview1", "args_sizes_get") int32_t args_sizes_get(uint32_t *, uint32_t *);
IMPORT("wasi_snapshot_preview1", "args_get") int32_t args_get(char **, char *);
IMPORT("wasi_snapshot_preview1", "poll_oneoff") int32_t poll_oneoff(const void *, void *, uint32_t, uint32_t *);
IMPORT("wasi_snapshot_preview1", "clock_time_get") int32_t clock_time_get(uint32_t, uint64_t, uint64_t *);
IMPORT("wasi", "thread-spawn") int32_t thread_spawn(void *arg);

#define MAX_THREADS 8
#define STACK 16384

/* What a thread gets: its stack top first (thread_start.s reads it). */
typedef struct {
  void *stack_top;
  int32_t index;
  int32_t tid;
} start_arg;

static char stacks[MAX_THREADS][STACK] __attribute__((aligned(16)));
static start_arg starts[MAX_THREADS];
static int32_t mode, param1, param2;
static volatile int32_t counter, finished, turn, go;
static int64_t partial[MAX_THREADS];
static int32_t seen_tid[MAX_THREADS];

static uint32_t length(const char *s) { uint32_t n = 0; while (s[n]) n++; return n; }
static int32_t out_fd = 1;
static void print(const char *s) { ciovec v = {s, length(s)}; uint32_t n; fd_write(out_fd, &v, 1, &n); }
static int64_t now_ns(void) { uint64_t t = 0; clock_time_get(1, 1, &t); return (int64_t)t; }
static void print_num(int64_t x) {
  char buf[24]; int i = 23; buf[i] = 0;
  int neg = x < 0; uint64_t u = neg ? -(uint64_t)x : (uint64_t)x;
  do { buf[--i] = '0' + u % 10; u /= 10; } while (u);
  if (neg) buf[--i] = '-';
  print(buf + i);
}
static int32_t parse(const char *s) { int32_t n = 0; while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0'); return n; }
static int equal(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return *a == *b; }

static void wait_while(volatile int32_t *p, int32_t v) {
  while (__atomic_load_n(p, __ATOMIC_SEQ_CST) == v) __builtin_wasm_memory_atomic_wait32((int32_t *)p, v, -1);
}
static void wake(volatile int32_t *p) { __builtin_wasm_memory_atomic_notify((int32_t *)p, 1u << 31); }
static void sleep_ms(int64_t ms) {
  /* one relative clock subscription on the monotonic clock */
  struct { uint64_t userdata; uint8_t tag; uint8_t pad[7]; uint32_t id; uint32_t pad2; uint64_t timeout, precision; uint16_t flags; uint8_t pad3[6]; } sub = {0};
  uint8_t event[32]; uint32_t n;
  sub.id = 1; sub.timeout = (uint64_t)ms * 1000000;
  poll_oneoff(&sub, event, 1, &n);
}

static int64_t sum_range(int64_t from, int64_t to) {
  int64_t s = 0;
  for (int64_t i = from; i < to; i++) s += (i * i) % 7;
  return s;
}

void thread_main(int32_t tid, start_arg *a) {
  int32_t k = a->index;
  switch (mode) {
    case 0: /* counter */
      for (int32_t i = 0; i < param2; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
      break;
    case 1: { /* sum */
      int64_t chunk = param2 / param1;
      partial[k] = sum_range(k * chunk, k == param1 - 1 ? param2 : (k + 1) * chunk);
      break;
    }
    case 2: /* pingpong: answer each ping */
      for (int32_t r = 0; r < param1; r++) {
        wait_while(&turn, 0);
        __atomic_store_n(&turn, 0, __ATOMIC_SEQ_CST);
        wake(&turn);
      }
      break;
    case 3: /* exit */
      __atomic_fetch_add(&go, 1, __ATOMIC_SEQ_CST);
      if (k == 0) for (;;) counter++;                        /* busy */
      if (k == 1) { for (;;) wait_while(&turn, 0); }         /* blocked in a wait */
      if (k == 2) { sleep_ms(100000); }                      /* sleeping in poll_oneoff */
      break;
    case 4: /* ids */
      seen_tid[k] = tid;
      break;
  }
  __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
  wake(&finished);
}

static int32_t spawn(int32_t k) {
  starts[k].stack_top = stacks[k] + STACK;
  starts[k].index = k;
  int32_t tid = thread_spawn(&starts[k]);
  if (tid <= 0) { print("thread-spawn failed\n"); proc_exit(2); }
  starts[k].tid = tid;
  return tid;
}

static void join(int32_t n) {
  int32_t f;
  while ((f = __atomic_load_n(&finished, __ATOMIC_SEQ_CST)) < n) __builtin_wasm_memory_atomic_wait32((int32_t *)&finished, f, -1);
}

__attribute__((export_name("_start"))) void start(void) {
  uint32_t argc, size;
  static char *argv[8];
  static char argbuf[256];
  args_sizes_get(&argc, &size);
  if (argc > 8 || size > sizeof argbuf) { print("too many arguments\n"); proc_exit(2); }
  args_get(argv, argbuf);
  const char *m = argc > 1 ? argv[1] : "";
  param1 = argc > 2 ? parse(argv[2]) : 0;
  param2 = argc > 3 ? parse(argv[3]) : 0;
  if (equal(m, "counter")) {
    mode = 0;
    if (param1 > MAX_THREADS) proc_exit(2);
    for (int32_t k = 0; k < param1; k++) spawn(k);
    join(param1);
    print("counter="); print_num(counter); print("\n");
    proc_exit(counter == param1 * param2 ? 0 : 1);
  } else if (equal(m, "sum")) {
    mode = 1;
    if (param1 > MAX_THREADS) proc_exit(2);
    int64_t s = 0, t0 = now_ns();
    if (param1 == 0) s = sum_range(0, param2);
    else {
      for (int32_t k = 0; k < param1; k++) spawn(k);
      join(param1);
      for (int32_t k = 0; k < param1; k++) s += partial[k];
    }
    int64_t t1 = now_ns();
    print("sum="); print_num(s); print("\n");
    out_fd = 2; print("ns="); print_num(t1 - t0); print("\n"); out_fd = 1;
  } else if (equal(m, "pingpong")) {
    mode = 2;
    spawn(0);
    for (int32_t r = 0; r < param1; r++) {
      __atomic_store_n(&turn, 1, __ATOMIC_SEQ_CST);
      wake(&turn);
      wait_while(&turn, 1);
    }
    join(1);
    print("rounds="); print_num(param1); print("\n");
  } else if (equal(m, "exit")) {
    mode = 3;
    for (int32_t k = 0; k < 3; k++) spawn(k);
    while (__atomic_load_n(&go, __ATOMIC_SEQ_CST) < 3) {}
    sleep_ms(50); /* let the waiting and sleeping threads block */
    print("exiting\n");
    proc_exit(7);
  } else if (equal(m, "ids")) {
    mode = 4;
    if (param1 > MAX_THREADS) proc_exit(2);
    for (int32_t k = 0; k < param1; k++) spawn(k);
    join(param1);
    for (int32_t k = 0; k < param1; k++) {
      int32_t t = seen_tid[k];
      if (t != starts[k].tid || t <= 0 || t >= (1 << 29)) proc_exit(3);
      for (int32_t j = 0; j < k; j++) if (seen_tid[j] == t) proc_exit(4);
      print_num(t); print("\n");
    }
  } else {
    print("usage: threads.wasm counter N M | sum T K | pingpong R | exit | ids N\n");
    proc_exit(2);
  }
}
