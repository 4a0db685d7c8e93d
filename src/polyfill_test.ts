import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { install, WebAssemblyNamespace } from "./polyfill.ts";
import { parseWat } from "./text/parse_wat.ts";

describe("polyfill", () => {
  it("installs only when forced if the host has WebAssembly, and the API works through it", async () => {
    const g = globalThis as { WebAssembly?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, "WebAssembly");
    try {
      if (g.WebAssembly !== undefined) assert.equal(install(), false);
      assert.equal(install({ force: true }), true);
      assert.equal(g.WebAssembly, WebAssemblyNamespace);
      const W = g.WebAssembly as typeof WebAssemblyNamespace & {
        instantiate: (
          b: Uint8Array,
        ) => Promise<{ instance: { exports: Record<string, () => number> } }>;
      };
      const { instance } = await W.instantiate(
        parseWat(`(module (func (export "f") (result i32) (i32.const 42)))`),
      );
      assert.equal(instance.exports.f(), 42);
      assert.equal(Object.prototype.toString.call(W), "[object WebAssembly]");
    } finally {
      if (saved) Object.defineProperty(globalThis, "WebAssembly", saved);
      else delete g.WebAssembly;
    }
  });

  it("with jspi, replaces a host WebAssembly that lacks Suspending/promising (Node 20's)", () => {
    const g = globalThis as { WebAssembly?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, "WebAssembly");
    const put = (v: unknown) =>
      Object.defineProperty(globalThis, "WebAssembly", {
        value: v,
        writable: true,
        configurable: true,
      });
    try {
      const withJspi = { Suspending: class {}, promising: () => {} };
      put(withJspi);
      assert.equal(install({ jspi: true }), false, "the host has JSPI: kept");
      assert.equal(g.WebAssembly, withJspi);
      const withoutJspi = { Module: class {}, Suspending: class {} };
      put(withoutJspi);
      assert.equal(install(), false);
      assert.equal(install({ jspi: true }), true);
      assert.equal(g.WebAssembly, WebAssemblyNamespace);
      const W = g.WebAssembly as { Suspending: unknown; promising: unknown };
      assert.equal(typeof W.Suspending, "function");
      assert.equal(typeof W.promising, "function");
    } finally {
      if (saved) Object.defineProperty(globalThis, "WebAssembly", saved);
      else delete g.WebAssembly;
    }
  });
});
