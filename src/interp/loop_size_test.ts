import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoDir } from "../../tests/_shared.ts";

/** V8's `--max-optimized-bytecode-size` (60 KB): above it TurboFan never optimizes a function. */
const V8_LIMIT = 60 * 1024;

describe("dispatch loop bytecode size", () => {
  it("stays under V8's optimization limit (bundles and hot ops cost bytes there)", () => {
    // Measured with Deno's V8 whichever runtime runs the tests: the limit is V8's.
    const deno = join(repoDir(), "node_modules", ".bin", "deno");
    assert.ok(existsSync(deno), `no Deno at ${deno}`);
    const r = spawnSync(deno, [
      "eval",
      "--v8-flags=--print-bytecode,--print-bytecode-filter=run",
      `const { execute } = await import(${
        JSON.stringify(join(repoDir(), "src/interp/exec_loop.ts"))
      });
       if (typeof execute !== "function") throw new Error("no execute");
       // Print run's bytecode: V8 compiles it lazily, on its first call.
       const { Instance } = await import(${JSON.stringify(join(repoDir(), "src/api/instance.ts"))});
       const { Module } = await import(${JSON.stringify(join(repoDir(), "src/api/module.ts"))});
       const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,4,1,96,0,0,3,2,1,0,7,5,1,1,102,0,0,10,4,1,2,0,11]);
       new Instance(new Module(bytes)).exports.f();`,
    ], { encoding: "utf8", maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const sizes = [...r.stdout.matchAll(/Bytecode length: (\d+)/g)].map((m) => Number(m[1]));
    const largest = Math.max(...sizes);
    // The dispatch loop is by far the largest function named `run`.
    assert.ok(largest > 20000, `dispatch loop not found (sizes ${sizes.join(", ")})`);
    assert.ok(
      largest < V8_LIMIT,
      `dispatch loop is ${largest} bytes of bytecode (limit ${V8_LIMIT})`,
    );
  });
});
