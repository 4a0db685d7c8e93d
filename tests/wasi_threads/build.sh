#!/bin/sh
# Rebuilds threads.wasm from threads.c and thread_start.s (Debian: apt-get install clang lld).
# Freestanding (no libc): atomics and bulk memory on, the memory imported and shared.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32 -O2 -nostdlib -matomics -mbulk-memory -c threads.c -o /tmp/threads.o
clang --target=wasm32 -matomics -mbulk-memory -c thread_start.s -o /tmp/thread_start.o
wasm-ld --no-entry --import-memory --shared-memory --max-memory=1048576 \
  -z stack-size=65536 \
  /tmp/threads.o /tmp/thread_start.o -o threads.wasm
ls -l threads.wasm
# What the test checks: the .wasm was built from these very sources.
sha256sum threads.c thread_start.s build.sh | sed 's/  / /' > threads.wasm.sources
cat threads.wasm.sources
