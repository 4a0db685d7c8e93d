import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { measureLoop, report, V8_LIMIT } from "./loop_bytes.ts";

describe("dispatch loop bytecode size", () => {
  it("stays under V8's optimization limit (bundles and hot ops cost bytes there)", () => {
    // Measured with Deno's V8 whichever runtime runs the tests: the limit is V8's.
    const b = measureLoop();
    assert.ok(b.total > 20000, `dispatch loop not found (${b.total} bytes)`);
    assert.ok(b.cases.length > 200, `jump table not found (${b.cases.length} cases)`);
    assert.equal(
      b.prologue + b.cases.reduce((n, c) => n + c.bytes, 0),
      b.total,
      "the cases' bytes add up to the loop's",
    );
    assert.ok(b.total < V8_LIMIT, report(b, 10));
  });
});
