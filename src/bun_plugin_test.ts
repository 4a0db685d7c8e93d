/**
 * The Bun plugin's loading logic, in any runtime (through `loadWasmFile`
 * and a stand-in for Bun's plugin builder): imports from options, per-file
 * overrides, WASI commands and reactors, ES-module imports, errors naming
 * the file, option validation. `tests/bun_plugin_test.ts` runs the real
 * plugin under Bun.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BunPlugin, gannetPlugin, loadWasmFile, type OnLoadResult } from "./bun_plugin.ts";
import { CompileError, LinkError, RuntimeError } from "./errors.ts";
import { WatSyntaxError } from "./text/parse_wat.ts";
import { CapturedOutput, exitOf } from "./wasi/mod.ts";

const fixture = resolve(dirname(fileURLToPath(import.meta.url)), "../tests/bun_plugin");
const dir = mkdtempSync(join(tmpdir(), "gannet-bun-plugin-"));

/** Writes `text` to a fresh file in the temp folder; returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

type Fn = (...args: unknown[]) => unknown;
const fn = (exports: Record<string, unknown>, name: string): Fn => {
  assert.equal(typeof exports[name], "function", `export ${name}`);
  return exports[name] as Fn;
};

const rejects = (p: Promise<unknown>, check: (e: Error) => boolean) =>
  assert.rejects(p, (e: Error) => {
    assert.ok(check(e), `unexpected error: ${e?.name}: ${e?.message}`);
    return true;
  });

const WASI_EXIT =
  `(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32))) (memory (export "memory") 1)`;

describe("loadWasmFile", () => {
  it("loads .wasm and .wat; the exports object is frozen with a null prototype", async () => {
    const math = await loadWasmFile(join(fixture, "math.wasm"));
    assert.equal(fn(math, "add")(2, 3), 5);
    assert.equal(fn(math, "mul")(6n, 7n), 42n);
    assert.equal(Object.getPrototypeOf(math), null);
    assert.ok(Object.isFrozen(math));
    const text = await loadWasmFile(
      file(
        "t.wat",
        `(module (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0))))`,
      ),
    );
    assert.equal(fn(text, "neg")(5), -5);
  });

  it("math.wasm is math.wat assembled (rebuild with tests/bun_plugin/build.mjs)", async () => {
    const { parseWat } = await import("./text/parse_wat.ts");
    const built = parseWat(readFileSync(join(fixture, "math.wat"), "utf8"));
    assert.deepEqual(new Uint8Array(readFileSync(join(fixture, "math.wasm"))), built);
  });

  it("takes imports from options; per-file namespaces replace the plugin's by name", async () => {
    const path = join(fixture, "logsum.wat");
    const seen: number[] = [];
    const other: number[] = [];
    const base = { imports: { env: { log: (x: number) => seen.push(x) } } };
    assert.equal(fn(await loadWasmFile(path, base), "sum")(1, 2), 3);
    assert.deepEqual(seen, [3]);
    const over = { env: { log: (x: number) => other.push(x) } };
    const byRecord = await loadWasmFile(path, { ...base, files: { [path]: { imports: over } } });
    fn(byRecord, "sum")(5, 5);
    const byFunction = await loadWasmFile(path, {
      ...base,
      files: (p) => p === path ? { imports: over } : undefined,
    });
    fn(byFunction, "sum")(1, 1);
    assert.deepEqual(seen, [3]);
    assert.deepEqual(other, [10, 2]);
  });

  it("resolves relative `files` keys against `root`", async () => {
    const seen: number[] = [];
    const exports = await loadWasmFile(join(fixture, "logsum.wat"), {
      root: fixture,
      files: { "./logsum.wat": { imports: { env: { log: (x: number) => seen.push(x) } } } },
    });
    fn(exports, "sum")(4, 4);
    assert.deepEqual(seen, [8]);
  });

  it("needs ES modules named by path passed in imports", async () => {
    const glue = join(fixture, "glue.wat");
    await rejects(
      loadWasmFile(glue),
      (e) =>
        e instanceof LinkError && e.message.includes('"./glue.js" (function "double")') &&
        e.message.includes("loadWasmFile does not import ES modules"),
    );
    const namespace = await import(pathToFileURL(join(fixture, "glue.js")).href);
    const exports = await loadWasmFile(glue, { imports: { "./glue.js": namespace } });
    assert.equal(fn(exports, "quadruple")(5), 20);
  });

  it("a WASI command's _start returns its status, once", async () => {
    const stdout = new CapturedOutput();
    const hello = await loadWasmFile(join(fixture, "hello.wasm"), {
      wasi: {
        args: ["hi", "x"],
        env: { GREETING: "g" },
        preopens: { "/data": join(fixture, "data") },
        stdout,
      },
    });
    assert.equal(fn(hello, "_start")(), 3);
    assert.equal(
      stdout.text(),
      "hello.wasm argc=2 [hi] [x] GREETING=g\nnote: one line of notes\n",
    );
    assert.throws(() => fn(hello, "_start")(), /already started/);
  });

  it("a WASI command gets its file name as argv[0] and nothing else by default", async () => {
    const [stdout, stderr] = [new CapturedOutput(), new CapturedOutput()];
    const hello = await loadWasmFile(join(fixture, "hello.wasm"), { wasi: { stdout, stderr } });
    // No preopens: the file cannot be opened, so the program fails with status 1.
    assert.equal(fn(hello, "_start")(), 1);
    assert.equal(stdout.text(), "hello.wasm argc=1 [hello.wasm] GREETING=(unset)\n");
    assert.match(stderr.text(), /^\/data\/note\.txt: /);
  });

  it("start: true runs _start while loading; a non-zero status fails the load", async () => {
    const ok = file(
      "ok.wat",
      `(module ${WASI_EXIT} (func (export "_start") (call $exit (i32.const 0))))`,
    );
    const exports = await loadWasmFile(ok, { start: true });
    assert.throws(() => fn(exports, "_start")(), /already started/);
    const bad = file(
      "bad.wat",
      `(module ${WASI_EXIT} (func (export "_start") (call $exit (i32.const 7))))`,
    );
    await rejects(
      loadWasmFile(bad, { files: { [bad]: { start: true } } }),
      (e) => e.message === `${bad}: the WASI program exited with status 7` && exitOf(e)?.code === 7,
    );
  });

  it("initializes a WASI reactor while loading, keeping its data", async () => {
    const stdout = new CapturedOutput();
    const counter = await loadWasmFile(join(fixture, "counter.wasm"), { wasi: { stdout } });
    assert.equal(fn(counter, "increment")(5), 105);
    fn(counter, "report")();
    assert.equal(stdout.text(), "counter.wasm total=105\n");
    assert.equal(typeof counter._initialize, "function");
  });

  it("gives wasi_unstable modules a wasi_unstable host", async () => {
    const path = file(
      "unstable.wat",
      `(module (import "wasi_unstable" "proc_exit" (func $exit (param i32))) (memory (export "memory") 1)
        (func (export "_start") (call $exit (i32.const 4))))`,
    );
    assert.equal(fn(await loadWasmFile(path), "_start")(), 4);
  });

  it("with wasi: false, a WASI import is a LinkError that says so", async () => {
    await rejects(
      loadWasmFile(join(fixture, "hello.wasm"), { wasi: false }),
      (e) =>
        e instanceof LinkError && e.message.includes('"wasi_snapshot_preview1"') &&
        e.message.includes("WASI is off"),
    );
  });

  it("errors name the file and keep their class", async () => {
    const broken = join(fixture, "broken.wasm");
    await rejects(
      loadWasmFile(broken),
      (e) => e instanceof CompileError && e.message.startsWith(broken),
    );
    const missing = join(fixture, "missing.wat");
    await rejects(
      loadWasmFile(missing),
      (e) =>
        e instanceof LinkError && e.message.startsWith(missing) &&
        e.message.includes('"host" (function "callback")'),
    );
    const syntax = file("syntax.wat", "(module\n  (func (bogus)))");
    await rejects(
      loadWasmFile(syntax),
      (e) => e instanceof WatSyntaxError && e.line === 2 && e.message.startsWith(syntax),
    );
    const trap = file("trap.wat", `(module (func $s unreachable) (start $s))`);
    await rejects(
      loadWasmFile(trap),
      (e) => e instanceof RuntimeError && e.message === `${trap}: unreachable`,
    );
    const badSig = file("sig.wat", `(module (import "env" "g" (global i32)))`);
    await rejects(
      loadWasmFile(badSig, { imports: { env: { g: "nope" } } }),
      (e) => e instanceof LinkError && e.message.startsWith(badSig),
    );
    await rejects(
      loadWasmFile(join(dir, "absent.wasm")),
      (e) => (e as { code?: string }).code === "ENOENT",
    );
  });

  it("respects features: a proposal switched off is a CompileError", async () => {
    const path = file("tail.wat", `(module (func $f (return_call $f)))`);
    await loadWasmFile(path);
    await rejects(
      loadWasmFile(path, { features: { tailCall: false } }),
      (e) => e instanceof CompileError,
    );
  });
});

describe("gannetPlugin options", () => {
  const bad = (options: unknown, re: RegExp) =>
    assert.throws(
      () => gannetPlugin(options as never),
      (e: Error) => e instanceof TypeError && re.test(e.message),
      `expected ${re} for ${JSON.stringify(options)}`,
    );
  it("rejects bad options, naming them", () => {
    bad({ filter: "*.wasm" }, /filter: expected a RegExp/);
    bad({ imprts: {} }, /gannet\/bun-plugin: invalid options/);
    bad({ imports: { env: 3 } }, /imports\.env: an import namespace must be an object/);
    bad({ wasi: true }, /wasi: expected WASI options/);
    bad({ wasi: { args: "x" } }, /wasi: invalid WASI options:\n\s+args/);
    bad({ start: "yes" }, /start/);
    bad({ features: { simd: true } }, /features: .*simd/);
    bad(
      { files: { "./a.wasm": { wasi: { env: { "A=B": "c" } } } } },
      /files\["\.\/a\.wasm"\]\.wasi/,
    );
    bad({ files: { "./a.wasm": { filter: /x/ } } }, /files\["\.\/a\.wasm"\]/);
    bad({ files: 3 }, /files/);
  });

  it("checks what a files function returns when the file loads", async () => {
    await rejects(
      loadWasmFile(join(fixture, "math.wasm"), { files: () => ({ start: 1 }) as never }),
      (e) => e instanceof TypeError && /files\(".*math\.wasm"\)\.start/.test(e.message),
    );
  });
});

describe("gannetPlugin setup", () => {
  type Load = (args: { path: string }) => Promise<OnLoadResult>;
  function setUp(plugin: BunPlugin, config?: unknown): { filter: RegExp; load: Load } {
    let got: { filter: RegExp; load: Load } | undefined;
    plugin.setup({
      config,
      onLoad: (c, load) => {
        got = { filter: c.filter, load };
      },
    });
    assert.ok(got !== undefined, "onLoad registered");
    return got;
  }

  it("registers a loader for .wasm and .wat giving named exports and a default", async () => {
    const { filter, load } = setUp(gannetPlugin());
    assert.ok(filter.test("/a/b.wasm") && filter.test("c.wat") && !filter.test("d.js"));
    const result = await load({ path: join(fixture, "math.wasm") });
    assert.equal(result.loader, "object");
    const { default: all, ...named } = result.exports as Record<string, unknown>;
    assert.deepEqual(Object.keys(named).sort(), ["add", "answer", "mem", "mul", "store"]);
    assert.equal((all as Record<string, unknown>).add, named.add);
    assert.equal(setUp(gannetPlugin({ filter: /\.w$/ })).filter.source, "\\.w$");
  });

  it("loads a module that imports ES modules as generated JavaScript importing them", async () => {
    const { load } = setUp(gannetPlugin());
    // The generated module resolves "./glue.js" beside itself: put both in a fresh folder.
    const folder = mkdtempSync(join(tmpdir(), "gannet-esm-"));
    copyFileSync(join(fixture, "glue.js"), join(folder, "glue.js"));
    const wat = join(folder, "glue.wat");
    writeFileSync(
      wat,
      readFileSync(join(fixture, "glue.wat"), "utf8").replace(
        '(func (export "quadruple")',
        '(func (export "odd name!") (result i32) (i32.const 7))\n  (func (export "quadruple")',
      ),
    );
    const result = await load({ path: wat });
    assert.equal(result.loader, "js");
    const source = (result as { contents: string }).contents;
    assert.match(source, /^import \* as m0 from "\.\/glue\.js";$/m);
    const generated = join(folder, "glue.generated.js");
    writeFileSync(generated, source);
    const ns = await import(pathToFileURL(generated).href);
    assert.equal(ns.quadruple(3), 12);
    assert.equal(ns["odd name!"](), 7);
    assert.equal(ns.default.quadruple, ns.quadruple);
    // A ticket is used once: running the same source again is an error, not a second instance.
    writeFileSync(join(folder, "again.js"), source);
    await rejects(
      import(pathToFileURL(join(folder, "again.js")).href),
      (e) => /unknown or used ticket/.test(e.message),
    );
  });

  it("refuses to run as a bundler plugin", () => {
    assert.throws(() => setUp(gannetPlugin(), {}), /runtime plugin/);
  });
});
