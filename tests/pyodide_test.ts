/**
 * Pyodide (npm `pyodide`: CPython built by emscripten, with its legacy
 * `try`/`catch`/`rethrow` exception handling) loads through Gannet's
 * polyfill and runs Python with the native result. It takes 40–50 s with
 * the JIT on its default (measured under Deno and Bun; minutes with the JIT
 * off), so `GANNET_PYODIDE=0` skips it for quick local runs; CI runs it.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { repoDir } from "./_shared.ts";
import { WebAssemblyNamespace } from "../src/polyfill.ts";

const dir = join(repoDir(), "node_modules", "pyodide");
const enabled = process.env.GANNET_PYODIDE !== "0";

it("Pyodide runs sum(range(1000)) through the polyfill", {
  skip: enabled ? false : "GANNET_PYODIDE=0",
  timeout: 30 * 60_000,
}, async () => {
  assert.ok(existsSync(join(dir, "pyodide.asm.wasm")), `${dir}: npm pyodide is missing`);
  const host = (globalThis as { WebAssembly?: unknown }).WebAssembly;
  Object.defineProperty(globalThis, "WebAssembly", {
    value: WebAssemblyNamespace,
    writable: true,
    configurable: true,
  });
  try {
    const { loadPyodide } = await import(join(dir, "pyodide.mjs"));
    const py = await loadPyodide({ indexURL: dir + "/" });
    assert.equal(py.runPython("sum(range(1000))"), 499500);
  } finally {
    Object.defineProperty(globalThis, "WebAssembly", {
      value: host,
      writable: true,
      configurable: true,
    });
  }
});
