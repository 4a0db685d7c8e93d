/**
 * The benchmark programs (clang's output: the shapes compiled code meets
 * in practice — a large `main` entered on the stack, direct recursion,
 * satellites, split slots, i16 lanes held apart from their words) at
 * their quick sizes, compiled at once and tiering up, printing what
 * native `WebAssembly` prints. (The interpreter alone: 11 s more for the
 * same set; the spec suites and differential tests cover it.)
 *
 * @module
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Instance, Module, Store } from "../mod.ts";
import { corpus } from "./_shared.ts";
import { loadPrograms } from "../bench/_catalog.ts";
import { type Engine, nativeEngine, runProgram } from "../bench/_inproc.ts";
import type { JitMode } from "../src/jit/tier.ts";

const tier = (jit: JitMode): Engine => ({
  name: `gannet --jit=${jit}`,
  instantiate: (bytes, imports) =>
    new Instance(new Module(bytes), imports, { store: new Store({ jit }) }) as never,
});

describe("benchmark programs with the JIT", () => {
  const dir = corpus("bench");
  it("print what native WebAssembly prints", { skip: dir === null }, () => {
    const programs = loadPrograms(dir!).filter((p) => p.group === "kernel");
    assert.ok(programs.length >= 11, `${programs.length} programs`);
    for (const p of programs) {
      const bytes = new Uint8Array(readFileSync(p.wasm));
      const native = runProgram(nativeEngine, p, p.args.quick, bytes);
      assert.equal(native.status, 0, p.name);
      for (const jit of ["eager", "auto"] as const) {
        const got = runProgram(tier(jit), p, p.args.quick, bytes);
        assert.deepEqual(
          [got.status, got.stdout, got.stderr],
          [native.status, native.stdout, native.stderr],
          `${p.name} ${p.args.quick.join(" ")} --jit=${jit}`,
        );
      }
    }
  });
});
