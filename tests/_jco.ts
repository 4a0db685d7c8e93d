/**
 * jco as the oracle for component tests (tests and tooling only: it needs
 * the host's native `WebAssembly`): transpile a component with
 * `@bytecodealliance/jco-transpile`, then either instantiate the generated
 * glue in this process with a given import object, or run it the way
 * `jco run` does (a Node child process on preview2-shim's process-wide host).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { jcoTool } from "./_native_tools.ts";
import { repoDir } from "./_shared.ts";

type ImportObject = Record<string, Record<string, unknown>>;

const dirs = new Map<string, string>();
let instances = 0;

/** Transpiles `bytes` into a fresh folder (cached per content and mode); returns the folder. */
async function transpiled(bytes: Uint8Array, name: string, mode: "instantiate" | "run") {
  const key = `${mode}:${name}:${hash(bytes)}`;
  const hit = dirs.get(key);
  if (hit !== undefined) return hit;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-jco-"));
  const opts = mode === "instantiate"
    ? { name, instantiation: "async" as const, noTypescript: true }
    : { name, noTypescript: true, wasiShim: true };
  const { files } = await jcoTool<{ files: Record<string, Uint8Array> }>(
    "transpileBytes",
    bytes,
    opts,
  );
  for (const [file, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), data);
  }
  fs.writeFileSync(path.join(out, "package.json"), JSON.stringify({ type: "module" }));
  dirs.set(key, out);
  return out;
}

function hash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Instantiates a component through jco's glue on native wasm with `imports`; resolves to its exports. */
export async function jcoInstantiate(
  bytes: Uint8Array,
  imports: ImportObject,
): Promise<Record<string, unknown>> {
  const dir = await transpiled(bytes, "component", "instantiate");
  // A fresh copy of the glue per instance: jco keeps per-component state (such
  // as "trapped") at module level.
  const url = `${pathToFileURL(path.join(dir, "component.js")).href}?instance=${++instances}`;
  const glue = await import(url);
  const getCoreModule = (file: string) =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).WebAssembly.compile(fs.readFileSync(path.join(dir, file)));
  const modules = new Map<string, unknown>();
  return await glue.instantiate(
    (file: string) => {
      if (!modules.has(file)) modules.set(file, getCoreModule(file));
      return modules.get(file);
    },
    imports,
  );
}

/** What a process printed and how it ended. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Prepares `file` the way `jco run` does (transpiled with the preview2-shim,
 * `process.argv[1]` set to the file's base name); returns the Node script.
 */
export async function jcoRunFiles(file: string): Promise<{ runner: string }> {
  const name = path.basename(file).replace(/\.[^.]*$/, "");
  const dir = await transpiled(new Uint8Array(fs.readFileSync(file)), name, "run");
  const modules = path.join(dir, "node_modules", "@bytecodealliance");
  fs.mkdirSync(modules, { recursive: true });
  const shim = path.join(modules, "preview2-shim");
  if (!fs.existsSync(shim)) {
    fs.symlinkSync(
      path.join(repoDir(), "node_modules", "@bytecodealliance", "preview2-shim"),
      shim,
      "dir",
    );
  }
  const runner = path.join(dir, "_run.js");
  fs.writeFileSync(
    runner,
    `import process from "node:process";
try { process.argv[1] = ${JSON.stringify(name)}; } catch {}
const mod = await import("./${name}.js");
if (!mod.run || !mod.run.run) { console.error("Not a valid command component to execute."); process.exit(1); }
try { mod.run.run(); await new Promise((resolve) => setTimeout(resolve)); process.exit(0); }
catch (e) { console.error(e); process.exit(1); }
`,
  );
  return { runner };
}

/** Runs a command component as `jco run COMPONENT ARGS…` does; returns its status and output. */
export async function jcoRun(file: string, args: string[], cwd?: string): Promise<ProcessResult> {
  const { runner } = await jcoRunFiles(file);
  const r = spawnSync("node", [runner, ...args], { encoding: "utf8", cwd, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Removes the transpiled folders this process made. */
export function cleanJco(): void {
  for (const dir of dirs.values()) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
