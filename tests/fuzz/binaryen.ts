/**
 * Binaryen's `wasm-opt`, run in-process: the npm package's `bin/wasm-opt` is
 * an emscripten build, loaded once and its `main` called for every command
 * (about 20 ms a call instead of 700 ms for a fresh `node` process). Files go
 * through a private temporary directory (the build uses the real filesystem).
 *
 * The npm build of `wasm-reduce` cannot run its test command (its emscripten
 * libc has no `popen`), so reduction is done by `reduce.ts` on top of this.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";

interface Loaded {
  callMain(args: string[]): number;
  stackSave(): number;
  stackRestore(sp: number): void;
}

let loading: Promise<Loaded> | null = null;
/** What binaryen wrote to stdout/stderr during the current command. */
let console_ = "";
let failures = 0;
let workDir: string | null = null;
let counter = 0;

/** Failed commands leak the heap (exit unwinds C++ without destructors): reload after this many. */
const RELOAD_AFTER_FAILURES = 200;

/** The `binaryen` package's version (pinned in package.json). */
export function binaryenVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("binaryen/package.json") as { version: string }).version;
}

function tempDir(): string {
  if (workDir !== null) return workDir;
  const dir = mkdtempSync(join(tmpdir(), "gannet-binaryen-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return workDir = dir;
}

function load(): Promise<Loaded> {
  if (loading !== null) return loading;
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve("binaryen/package.json")), "bin", "wasm-opt");
  let src = readFileSync(bin, "utf8");
  if (src.startsWith("#!")) src = "//" + src;
  // The script sees its own `Module` (so `main` does not run on load) and a
  // `process` whose exitCode/argv it may set without touching ours.
  const proc = Object.create(process);
  proc.argv = ["node", "wasm-opt"];
  proc.exitCode = 0;
  const prelude = "var Module = { noInitialRun: true, print() {}, printErr() {}, " +
    "onRuntimeInitialized: __ready };\n";
  // Its output goes to fds 1 and 2 through `fs.writeSync`: keep it for the result instead.
  const quietRequire = (name: string) => {
    const mod = require(name);
    if (name !== "fs" && name !== "node:fs") return mod;
    return {
      ...mod,
      writeSync(fd: number, buffer: Uint8Array | string, ...rest: unknown[]) {
        if (fd !== 1 && fd !== 2) return mod.writeSync(fd, buffer, ...rest);
        const text = typeof buffer === "string" ? buffer : new TextDecoder().decode(
          buffer.subarray(
            (rest[0] as number | undefined) ?? 0,
            ((rest[0] as number | undefined) ?? 0) +
              ((rest[1] as number | undefined) ?? buffer.length),
          ),
        );
        console_ += text;
        return typeof buffer === "string"
          ? buffer.length
          : (rest[1] as number | undefined) ?? buffer.length;
      },
    };
  };
  const factory = new Function(
    "require",
    "module",
    "__filename",
    "__dirname",
    "process",
    "__ready",
    `${prelude}${src}\n;return { callMain, stackSave, stackRestore };`,
  );
  loading = new Promise((resolve) => {
    let api: Loaded | null = null, ready = false;
    const done = () => {
      if (api !== null && ready) resolve(api);
    };
    api = factory(quietRequire, { exports: {} }, bin, dirname(bin), proc, () => {
      ready = true;
      done();
    }) as Loaded;
    done();
  });
  return loading;
}

/** What a `wasm-opt` call returned. */
export interface WasmOptResult {
  /** The output file's bytes, or null when the command failed. */
  output: Uint8Array | null;
  /** The exit code (0 on success). */
  code: number;
  /** What binaryen printed (its error messages). */
  messages: string;
}

/**
 * Runs `wasm-opt INPUT ARGS -o OUTPUT` in-process. `input` is the input
 * file's content (binary wasm, text, or random bytes for `-ttf`); `ext` its
 * extension (`.wat` makes binaryen parse text). With `text`, the output is
 * the text format (`-S`).
 */
export async function wasmOpt(
  input: Uint8Array | string,
  args: readonly string[],
  options: { ext?: string; text?: boolean } = {},
): Promise<WasmOptResult> {
  const api = await load(), dir = tempDir();
  const n = counter++;
  const inPath = join(dir, `in${n}${options.ext ?? ".wasm"}`);
  const outPath = join(dir, `out${n}${options.text ? ".wat" : ".wasm"}`);
  writeFileSync(inPath, input);
  let code: number;
  console_ = "";
  const sp = api.stackSave();
  try {
    const text = options.text ? ["-S"] : [];
    code = api.callMain([inPath, "-q", ...args, ...text, "-o", outPath]);
  } catch (e) {
    // A fatal error exits by throwing (ExitStatus, or an abort).
    const status = (e as { status?: unknown }).status;
    code = typeof status === "number" && status !== 0 ? status : 1;
    // After an abort the instance is unusable; after many exits it has leaked too much.
    if (typeof status !== "number" || ++failures >= RELOAD_AFTER_FAILURES) {
      loading = null;
      failures = 0;
    }
  } finally {
    api.stackRestore(sp);
  }
  let output: Uint8Array | null = null;
  try {
    if (code === 0) output = new Uint8Array(readFileSync(outPath));
  } catch {
    output = null;
  }
  rmSync(inPath, { force: true });
  rmSync(outPath, { force: true });
  return { output, code, messages: console_ };
}

/** Text (WAT, binaryen's dialect) to binary; null if it does not parse or validate. */
export async function watToWasm(
  wat: string,
  featureFlags: readonly string[],
): Promise<Uint8Array | null> {
  return (await wasmOpt(wat, featureFlags, { ext: ".wat" })).output;
}

/** Binaryen's text for a binary module (folded, with names); null if it does not load. */
export async function wasmToWat(
  bytes: Uint8Array,
  featureFlags: readonly string[],
): Promise<string | null> {
  const r = await wasmOpt(bytes, featureFlags, { text: true });
  return r.output === null ? null : new TextDecoder().decode(r.output);
}
