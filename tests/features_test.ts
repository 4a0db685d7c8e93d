/**
 * Feature flags end to end: the `--features` list syntax, the defaults
 * (every proposal on for the API and `gannet run`, the wasm 2.0 baseline
 * for `gannet wast`), and that a switched-off proposal is really rejected
 * by `Module`, `validate`, `instantiate`, `gannet run` and `gannet wast`.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  ALL_FEATURES,
  type Features,
  parseFeatureList,
  WASM2_FEATURES,
} from "../src/binary/features.ts";
import { DEFAULT_FEATURES, Module, validate } from "../src/api/module.ts";
import { instantiate } from "../src/api/instance.ts";
import { CompileError } from "../src/errors.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { runCommand } from "../src/cli/run.ts";
import { main as wastMain } from "../src/cli/wast.ts";
import { BufferInput, CapturedOutput } from "../src/wasi/mod.ts";

/**
 * One module per core proposal, using it (and nothing else beyond wasm 2.0).
 * The component model's flag is tested with components (src/component).
 */
const USES: Readonly<Record<Exclude<keyof Features, "componentModel">, string>> = {
  memory64: `(module (memory i64 1))`,
  multiMemory: `(module (memory 1) (memory 1))`,
  extendedConst: `(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`,
  tailCall: `(module (func $f (return_call $f)))`,
  relaxedSimd: `(module (func (param v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 0))))`,
  threads: `(module (memory 1 1 shared))`,
  exceptions: `(module (func (try_table)))`,
  legacyExceptions: `(module (func (try (do))))`,
  functionReferences: `(module (type $t (func)) (func (param (ref null $t))))`,
  gc: `(module (type $s (struct)) (func (drop (struct.new $s))))`,
};

/** Switching a proposal off switches off those that build on it (GC needs typed references). */
const offWith: Partial<Record<keyof Features, Partial<Features>>> = {
  functionReferences: { gc: false },
};

const only = (k: keyof Features): Features => ({ ...WASM2_FEATURES, [k]: true });

describe("parseFeatureList", () => {
  it("switches proposals on and off, left to right, over a base", () => {
    assert.deepEqual(parseFeatureList("memory64"), only("memory64"));
    assert.deepEqual(parseFeatureList(" tail-call , ", WASM2_FEATURES), only("tailCall"));
    assert.deepEqual(parseFeatureList("all"), ALL_FEATURES);
    assert.deepEqual(parseFeatureList("-all,extended-const", ALL_FEATURES), only("extendedConst"));
    assert.deepEqual(parseFeatureList("-threads", ALL_FEATURES), {
      ...ALL_FEATURES,
      threads: false,
    });
    assert.deepEqual(parseFeatureList("memory64,-memory64"), WASM2_FEATURES);
    assert.deepEqual(parseFeatureList(""), WASM2_FEATURES);
    assert.throws(() => parseFeatureList("simd128"), TypeError);
    assert.throws(() => parseFeatureList("-simd", ALL_FEATURES), /unknown feature "simd"/);
  });
});

describe("feature defaults and options in the API", () => {
  it("every proposal is on by default; each can be switched off alone", async () => {
    assert.deepEqual(DEFAULT_FEATURES, ALL_FEATURES);
    for (const [key, wat] of Object.entries(USES) as [keyof Features, string][]) {
      const bytes = parseWat(wat);
      assert.equal(validate(bytes), true, `${key} on by default`);
      new Module(bytes);
      const off = { features: { [key]: false, ...offWith[key] } };
      assert.equal(validate(bytes, off), false, `${key} off`);
      assert.throws(() => new Module(bytes, off), CompileError, key);
      await assert.rejects(instantiate(bytes, {}, off), CompileError, key);
      // Switching the others off leaves this one working.
      assert.equal(validate(bytes, { features: only(key) }), true, `${key} alone`);
    }
  });

  it("rejects bad options with a TypeError", () => {
    const bytes = parseWat(`(module)`);
    assert.throws(() => validate(bytes, { features: { memory64: 1 } } as never), TypeError);
    assert.throws(() => validate(bytes, { features: { stringref: true } } as never), TypeError);
  });
});

describe("--features in the CLI", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-features-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gannet run: all on by default, -NAME switches one off", async () => {
    const prog = path.join(dir, "tail.wat");
    fs.writeFileSync(
      prog,
      `(module (memory (export "memory") 1)
        (func $sum (param $n i64) (param $acc i64) (result i64)
          (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
          (return_call $sum (i64.sub (local.get $n) (i64.const 1))
            (i64.add (local.get $acc) (local.get $n))))
        (func (export "main") (param i64) (result i64) (call $sum (local.get 0) (i64.const 0))))`,
    );
    const run = async (args: string[]) => {
      const stdout = new CapturedOutput();
      const stderr = new CapturedOutput();
      const code = await runCommand(args, { stdin: new BufferInput(""), stdout, stderr });
      return { code, out: stdout.text(), err: stderr.text() };
    };
    const ok = await run(["--invoke", "main", prog, "100000"]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out.trim(), "5000050000");
    const off = await run(["--features", "-tail-call", "--invoke", "main", prog, "3"]);
    assert.equal(off.code, 1);
    assert.match(off.err, /return_call|illegal opcode|tail/i);
    const strict = await run(["--features", "-all,tail-call", "--invoke", "main", prog, "3"]);
    assert.equal(strict.code, 0, strict.err);
    assert.equal(strict.out.trim(), "6");
    const bad = await run(["--features", "nonsense", prog]);
    assert.equal(bad.code, 2);
  });

  it("gannet wast: the wasm 2.0 baseline unless --features says otherwise", async () => {
    const script = path.join(dir, "m64.wast");
    fs.writeFileSync(
      script,
      `(module (memory i64 1) (func (export "size") (result i64) memory.size))
       (assert_return (invoke "size") (i64.const 1))`,
    );
    const quiet = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => lines.push(a.join(" "));
    let base: number, on: number;
    try {
      base = await wastMain([script]);
      on = await wastMain(["--features", "memory64", script]);
    } finally {
      console.log = quiet;
    }
    assert.equal(base, 1, "memory64 is off in the wast baseline");
    assert.equal(on, 0, lines.join("\n"));
    assert.ok(lines.includes("wast: 1 passed, 0 failed, 0 skipped"), lines.join("\n"));
  });
});
