/**
 * The wasi-testsuite runner used by `wasi_testsuite_test.ts`: discovery of
 * the preview1 programs and running one in a fresh copy of its root.
 */
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import {
  BufferInput,
  CapturedOutput,
  type DirHandle,
  MemoryFileSystem,
  WASI,
} from "../src/wasi/mod.ts";
import { runCommand } from "../src/cli/run.ts";

/** A legacy (flat) test spec. */
export interface SuiteSpec {
  args?: string[];
  env?: Record<string, string>;
  root?: string;
  exit_code?: number;
  stdout?: string;
  stderr?: string;
}

/** One test program. */
export interface SuiteTest {
  name: string;
  wasm: string;
  dir: string;
  spec: SuiteSpec;
}

/** Outcome of one run. */
export interface SuiteResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const LANGS = ["assemblyscript", "c", "rust"];

/** Every preview1 program under `base` (…/wasi-testsuite/tests). */
export function suiteTests(base: string): SuiteTest[] {
  const out: SuiteTest[] = [];
  for (const lang of LANGS) {
    const dir = path.join(base, lang, "testsuite", "wasm32-wasip1");
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith(".wasm")) continue;
      const stem = f.slice(0, -5);
      const json = path.join(dir, `${stem}.json`);
      const spec = fs.existsSync(json)
        ? JSON.parse(fs.readFileSync(json, "utf8")) as SuiteSpec
        : {};
      out.push({ name: `${lang}/${stem}`, wasm: path.join(dir, f), dir, spec });
    }
  }
  return out;
}

/** Copies a directory tree, making every copy writable (the corpus is read-only). */
export function copyWritable(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    const dst = path.join(to, ent.name);
    if (ent.isDirectory()) copyWritable(src, dst);
    else if (ent.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
    else {
      fs.copyFileSync(src, dst);
      fs.chmodSync(dst, 0o644);
    }
  }
  fs.chmodSync(to, 0o755);
}

type Instantiate = (bytes: Uint8Array, imports: Record<string, Record<string, unknown>>) => Promise<
  { exports: Record<string, unknown> }
>;

async function instantiator(engine: string): Promise<Instantiate> {
  if (engine === "native") {
    return async (bytes, imports) => {
      // deno-lint-ignore no-explicit-any
      const wa = (globalThis as any).WebAssembly;
      const { instance } = await wa.instantiate(bytes, imports);
      return instance;
    };
  }
  if (engine === "gannet") {
    const { Module } = await import("../src/api/module.ts");
    const { Instance } = await import("../src/api/instance.ts");
    return (bytes, imports) => {
      const instance = new Instance(new Module(bytes as Uint8Array<ArrayBuffer>), imports);
      return Promise.resolve(instance as unknown as { exports: Record<string, unknown> });
    };
  }
  throw new Error(`GANNET_WASI_ENGINE must be native or gannet, not ${engine}`);
}

/** Loads a host directory tree into an in-memory filesystem. */
export function loadMemory(from: string, memfs: MemoryFileSystem, at = ""): void {
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    const dst = at === "" ? ent.name : `${at}/${ent.name}`;
    if (ent.isDirectory()) {
      memfs.mkdir(dst);
      loadMemory(src, memfs, dst);
    } else if (ent.isSymbolicLink()) memfs.symlink(fs.readlinkSync(src), dst);
    else memfs.writeFile(dst, fs.readFileSync(src));
  }
}

/**
 * Runs one program through `gannet run` (in-process), as the suite's runner
 * runs a runtime: `--dir ROOT::/`, `--env` per variable, then the args.
 */
export async function runSuiteTestCli(
  t: SuiteTest,
  tmp: string,
  engine: string,
): Promise<SuiteResult> {
  const argv: string[] = [];
  if (t.spec.root !== undefined) {
    const root = path.join(tmp, "root");
    copyWritable(path.join(t.dir, t.spec.root), root);
    argv.push("--dir", `${root}::/`);
  }
  for (const [k, v] of Object.entries(t.spec.env ?? {})) argv.push("--env", `${k}=${v}`);
  argv.push(t.wasm, ...(t.spec.args ?? []));
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const native = await instantiator("native");
  const exitCode = await runCommand(argv, {
    instantiate: engine === "native" ? (_m, bytes, imports) => native(bytes, imports) : undefined,
    stdin: new BufferInput(""),
    stdout,
    stderr,
  });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs one program in `tmp` (a fresh copy of its root goes there), or with
 * `backend` "memory" in a fresh in-memory copy of its root.
 */
export async function runSuiteTest(
  t: SuiteTest,
  tmp: string,
  engine: string,
  backend: "node" | "memory" = "node",
): Promise<SuiteResult> {
  const preopens: Record<string, string | DirHandle> = {};
  if (t.spec.root !== undefined) {
    if (backend === "memory") {
      const memfs = new MemoryFileSystem();
      loadMemory(path.join(t.dir, t.spec.root), memfs);
      preopens["/"] = memfs.root();
    } else {
      const root = path.join(tmp, "root");
      copyWritable(path.join(t.dir, t.spec.root), root);
      preopens["/"] = root;
    }
  }
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const wasi = new WASI({
    args: [path.basename(t.wasm), ...(t.spec.args ?? [])],
    env: t.spec.env ?? {},
    preopens,
    stdin: "",
    stdout,
    stderr,
    returnOnExit: true,
    trace: process.env.GANNET_WASI_TRACE ? true : undefined,
  });
  const instantiate = await instantiator(engine);
  const instance = await instantiate(fs.readFileSync(t.wasm), wasi.getImportObject());
  let exitCode: number;
  try {
    exitCode = wasi.start(instance);
  } catch (e) {
    // A trap: the suite's runners report a non-zero status.
    stderr.write(new TextEncoder().encode(`trap: ${(e as Error).message}\n`));
    exitCode = 134;
  }
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}
