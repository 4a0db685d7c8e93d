/**
 * The async WAST runner's `thread`/`wait`: results of threads count, a
 * failing assertion inside a thread is reported with its line, shared
 * memories really are shared, and the sync runner skips threads.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WASM2_FEATURES } from "../binary/features.ts";
import { newReport, runWast } from "./runner.ts";
import { runWastAsync } from "./threads.ts";

const features = { ...WASM2_FEATURES, threads: true };

const SCRIPT = `
(module $Mem (memory (export "shared") 1 1 shared))
(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "put") (i32.atomic.store (i32.const 0) (i32.const 7)))
    (func (export "get") (result i32) (i32.atomic.load (i32.const 0))))
  (invoke "put")
  (assert_return (invoke "get") (i32.const 7))
  (assert_return (invoke "get") (i32.const 8))
)
(wait $T)
(module $Check
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "get") (result i32) (i32.load (i32.const 0))))
(assert_return (invoke $Check "get") (i32.const 7))
(wait $Nope)
`.replace(`(module $Check`, `(register "mem" $Mem)\n(module $Check`);

describe("runWastAsync threads", () => {
  it("joins threads, counts their assertions, reports their failures", async () => {
    const r = newReport();
    await runWastAsync(SCRIPT, "t.wast", features, r);
    // thread: 1 pass + 1 failure; wait $T: pass; main assert: pass; wait $Nope: failure.
    assert.equal(r.passed, 3, JSON.stringify(r.failures));
    assert.equal(r.failed, 2);
    assert.equal(r.skipped, 0);
    const lines = SCRIPT.split("\n");
    const inThread = r.failures.find((f) => /got 0x00000007/.test(f.message));
    assert.ok(inThread, JSON.stringify(r.failures));
    assert.match(lines[inThread.line - 1], /\(i32\.const 8\)/);
    assert.ok(r.failures.some((f) => /unknown thread/.test(f.message)));
  });

  it("a thread never waited for is joined at the end", async () => {
    const r = newReport();
    await runWastAsync(
      `(thread $T (module (func (export "f") (result i32) (i32.const 1)))
         (assert_return (invoke "f") (i32.const 1)))`,
      "t.wast",
      features,
      r,
    );
    assert.deepEqual([r.passed, r.failed, r.skipped], [2, 0, 0]);
  });

  it("the sync runner skips thread and wait", () => {
    const r = newReport();
    runWast(`(thread $T (module)) (wait $T)`, "t.wast", features, r);
    assert.deepEqual([r.passed, r.failed, r.skipped], [0, 0, 2]);
  });
});
