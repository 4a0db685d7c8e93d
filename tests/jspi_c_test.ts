/**
 * A C program built against a JSPI-style asynchronous import
 * (examples/async_fetch.c, a WASI reactor) running through the polyfill:
 * the glue below only uses `globalThis.WebAssembly` — `instantiate`,
 * `Suspending`, `promising` — as it would with a host's native JSPI.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { install } from "../src/polyfill.ts";
import { CapturedOutput, WASI } from "../src/wasi/mod.ts";
import { repoDir } from "./_shared.ts";

type Fn = (...args: unknown[]) => unknown;
interface JspiWebAssembly {
  instantiate(
    bytes: Uint8Array,
    imports: object,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
  Suspending: new (f: Fn) => object;
  promising(f: Fn): (...args: unknown[]) => Promise<unknown>;
}

/** FNV-1a over the values, as async_fetch.c computes it (as a signed int32). */
function checksum(values: number[]): number {
  let h = 2166136261;
  for (const v of values) h = Math.imul(h ^ v, 16777619) >>> 0;
  return h | 0;
}

describe("a C program with JSPI-style imports, through the polyfill", () => {
  it("suspends at every host.fetch and finishes with the right output", async () => {
    const host = (globalThis as { WebAssembly?: unknown }).WebAssembly;
    install({ force: true });
    try {
      const WA = (globalThis as unknown as { WebAssembly: JspiWebAssembly }).WebAssembly;
      const stdout = new CapturedOutput();
      const wasi = new WASI({ stdout });
      let inFlight = 0;
      const fetch = async (key: number) => {
        inFlight++;
        await new Promise((r) => setTimeout(r, key % 3));
        inFlight--;
        return key * key + 1;
      };
      const bytes = readFileSync(join(repoDir(), "examples", "async_fetch.wasm"));
      const { instance } = await WA.instantiate(bytes, {
        ...wasi.getImportObject(),
        host: { fetch: new WA.Suspending(fetch as Fn) },
      });
      wasi.initialize(instance as never);
      const run = WA.promising(instance.exports.run as Fn);
      // Two runs in flight at once, each with its own state.
      const [a, b] = await Promise.all([run(20), run(5)]);
      const values = (n: number) => Array.from({ length: n }, (_, k) => k * k + 1);
      assert.equal(a, checksum(values(20)));
      assert.equal(b, checksum(values(5)));
      assert.equal(inFlight, 0);
      const lines = stdout.text().split("\n");
      assert.equal(lines.filter((l) => l.startsWith("fetch(")).length, 25);
      assert.ok(lines.includes(`fetch(19) = 362`));
      assert.ok(lines.includes(`checksum ${checksum(values(20)) >>> 0}`));
    } finally {
      Object.defineProperty(globalThis, "WebAssembly", {
        value: host,
        writable: true,
        configurable: true,
      });
    }
  });
});
