/**
 * `gannet run`: runs a WASI program (or calls one export), like
 * `wasmtime run`.
 *
 * ```
 * gannet run [--dir HOST[::GUEST]]… [--env NAME[=VAL]]… [--invoke NAME]
 *            [--argv0 NAME] [--tcplisten HOST:PORT]… [--features LIST]
 *            [-S WASI-OPTION]… [--allow-net RULE]… [--adapt ADAPTER.wasm]
 *            [-W fuel=N,timeout=DURATION,max-memory-size=BYTES,…]…
 *            PROGRAM.wasm|.wat [ARGS…]
 * ```
 *
 * A component (told by its header) runs as a WASI 0.2 command
 * ({@link ./run_component.ts}); so does a module given `--adapt`.
 *
 * Exit status: the guest's `proc_exit` status (0 if `_start` returns); 134
 * (128 + SIGABRT, as wasmtime) after a trap, which is printed with a wasm
 * backtrace; 125 when it ran out of `-W fuel`, 124 past its `-W timeout`,
 * 126 when a `-W max-…` limit refused an allocation at instantiation
 * (`run_limits.ts`); 1 if the program cannot be loaded; 2 for a usage error.
 *
 * @module
 */
import type { Features } from "../binary/features.ts";
import { ExternKind } from "../binary/types.ts";
import { Module, moduleInternals } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import {
  HostFdStream,
  type InstanceLike,
  TcpListener,
  WASI,
  type WasiStream,
} from "../wasi/mod.ts";
import { errnoName, toErrno } from "../wasi/errno.ts";
import { usesWasiThreads } from "../wasi/threads_host.ts";
import { readHostFile } from "../wasi/host_process.ts";
import { functionNames } from "./run_names.ts";
import { formatValue, funcType, parseValue, UsageError } from "./run_values.ts";
import type { InstantiateComponent } from "../wasip2/run.ts";
import { stopOf, storeOf } from "./run_limits.ts";
import { parseArgs, type Parsed, USAGE } from "./run_args.ts";
import type { Store } from "../api/store.ts";

export { FUEL_EXIT, LIMIT_EXIT, TIMEOUT_EXIT, TRAP_EXIT } from "./run_limits.ts";

/** Instantiates a compiled module: Gannet's interpreter unless a test injects another. */
export type Instantiate = (
  module: Module,
  bytes: Uint8Array,
  imports: Record<string, Record<string, unknown>>,
  store?: Store,
) => Promise<InstanceLike>;

/** Options of {@link runCommand} (for embedding and tests; the CLI passes none). */
export interface RunOptions {
  /** How to instantiate (default: Gannet's `Instance`). */
  instantiate?: Instantiate;
  /** Guest stdin (default: inherited). */
  stdin?: WasiStream;
  /** Guest stdout, also where `--invoke` prints results (default: inherited). */
  stdout?: WasiStream;
  /** Guest stderr, also where errors are reported (default: inherited). */
  stderr?: WasiStream;
  /** How to instantiate a component (default: Gannet's component runtime). */
  instantiateComponent?: InstantiateComponent;
}

/**
 * Reads a program: binary as is, text (`.wat`, or anything not starting
 * with `\0asm`) assembled (the text parser loaded only then: it is a tenth
 * of the start-up of a binary program).
 */
async function loadProgram(path: string, features: Features): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = readHostFile(path);
  const isBinary = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 &&
    bytes[3] === 0x6d;
  if (isBinary) return bytes;
  const { parseWat } = await import("../text/parse_wat.ts");
  return new Uint8Array(parseWat(new TextDecoder().decode(bytes), { features, names: true }));
}

/** Whether `bytes` is a component binary (layer 1 of the binary format). */
export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[4] === 0x0d && bytes[5] === 0 && bytes[6] === 1 &&
    bytes[7] === 0;
}

/** Writes a line to a guest-side stream or the host's stderr/stdout. */
export function writer(stream: WasiStream | undefined, fd: 1 | 2): (line: string) => void {
  let host: HostFdStream | null = null;
  return (line) => {
    const bytes = new TextEncoder().encode(line + "\n");
    if (stream?.write !== undefined) stream.write(bytes);
    else (host ??= new HostFdStream(fd)).write(bytes);
  };
}

/** The wasm frames of a trap, if the engine attached them (`wasmStack`), one line each. */
export function backtrace(e: unknown, names: Map<number, string>): string[] {
  const frames = (e as { wasmStack?: unknown })?.wasmStack;
  if (!Array.isArray(frames)) return [];
  return frames.map((f: { funcIndex?: number; name?: string; offset?: number }, i) => {
    const name = f.name ?? (f.funcIndex !== undefined ? names.get(f.funcIndex) : undefined);
    const where = f.funcIndex !== undefined ? `wasm-function[${f.funcIndex}]` : "<unknown>";
    const off = f.offset !== undefined ? ` @ 0x${f.offset.toString(16)}` : "";
    return `  ${i}: ${name ?? where}${name !== undefined ? ` (${where})` : ""}${off}`;
  });
}

function listenOrThrow(host: string, port: number): TcpListener {
  try {
    return TcpListener.listen(host, port);
  } catch (e) {
    throw new Error(`--tcplisten ${host}:${port}: ${errnoName(toErrno(e))}`);
  }
}

function gannetInstantiate(
  module: Module,
  _bytes: Uint8Array,
  imports: Record<string, Record<string, unknown>>,
  store?: Store,
): Promise<InstanceLike> {
  return Promise.resolve(new Instance(module, imports, { store }) as unknown as InstanceLike);
}

/** Runs `gannet run` with `argv`; returns the exit status. */
export async function runCommand(argv: string[], options: RunOptions = {}): Promise<number> {
  const err = writer(options.stderr, 2);
  const out = writer(options.stdout, 1);
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message !== "") err(`gannet run: ${e.message}`);
    err(USAGE);
    return e.message === "" ? 0 : 2;
  }
  let module: Module;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await loadProgram(p.program, p.features);
  } catch (e) {
    err(`gannet run: ${p.program}: ${(e as Error).message}`);
    return 1;
  }
  if (isComponent(bytes) || p.adapt !== null) {
    const { runComponentProgram } = await import("./run_component.ts");
    return await runComponentProgram(p, bytes, options);
  }
  try {
    module = new Module(bytes, { features: p.features });
  } catch (e) {
    err(`gannet run: ${p.program}: ${(e as Error).message}`);
    return 1;
  }
  const struct = moduleInternals(module).struct;
  const unstable = struct.imports.some((im) => im.module === "wasi_unstable");
  let wasi: WASI;
  try {
    wasi = new WASI({
      version: unstable ? "unstable" : "preview1",
      args: [p.argv0 ?? p.program, ...(p.invoke === null ? p.args : [])],
      env: p.env,
      preopens: Object.fromEntries(p.dirs.map(([host, guest]) => [guest, host])),
      sockets: p.listen.map(([host, port]) => listenOrThrow(host, port)),
      stdin: options.stdin,
      stdout: options.stdout,
      stderr: options.stderr,
      returnOnExit: true,
    });
  } catch (e) {
    err(`gannet run: ${(e as Error).message}`);
    return 1;
  }
  const names = functionNames(struct);
  try {
    let invoke: { name: string; args: unknown[]; results: number } | null = null;
    if (p.invoke !== null) {
      const exp = struct.exports.find((e) => e.name === p.invoke);
      if (exp === undefined || exp.kind !== ExternKind.func) {
        err(`gannet run: ${p.program} has no exported function ${JSON.stringify(p.invoke)}`);
        return 1;
      }
      const type = funcType(struct, exp.index);
      if (p.args.length !== type.params.length) {
        err(
          `gannet run: ${p.invoke} takes ${type.params.length} argument(s), got ${p.args.length}`,
        );
        return 2;
      }
      const args = type.params.map((t, i) => parseValue(t, p.args[i], i));
      invoke = { name: p.invoke, args, results: type.results.length };
    }
    const threadImport = usesWasiThreads(module);
    if (threadImport !== null) {
      const { runThreadedProgram, threadsRefused } = await import("./run_threads.ts");
      const refused = threadsRefused(p, threadImport);
      if (refused !== null) {
        err(`gannet run: ${p.program}: ${refused}`);
        return 1;
      }
      threadedRun = true;
      return await runThreadedProgram(p, module, wasi, invoke, names, options);
    }
    const instance = await (options.instantiate ?? gannetInstantiate)(
      module,
      bytes,
      wasi.getImportObject(),
      storeOf(p.wasm),
    );
    if (invoke === null) return wasi.start(instance);
    if (typeof instance.exports._initialize === "function") wasi.initialize(instance);
    const fn = instance.exports[invoke.name] as (...a: unknown[]) => unknown;
    const result = fn(...invoke.args);
    const results = invoke.results === 1 ? [result] : invoke.results === 0 ? [] : [
      ...(result as Iterable<unknown>),
    ];
    for (const r of results) out(formatValue(r));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`gannet run: ${e.message}`);
      return 2;
    }
    const exit = (e as { name?: string }).name === "WasiExit" ? (e as { code: number }).code : null;
    if (exit !== null) return exit;
    const name = (e as Error)?.name;
    const stop = stopOf(e);
    if (stop !== null) {
      err(`gannet run: ${stop.message}`);
      const bt = backtrace(e, names);
      if (bt.length > 0) err(`wasm backtrace:\n${bt.join("\n")}`);
      return stop.status;
    }
    err(`gannet run: ${p.program}: ${name ?? "error"}: ${(e as Error)?.message ?? e}`);
    return 1;
  }
}

let threadedRun = false;

/**
 * Whether a wasi-threads program ran in this process: the CLI then ends the
 * process when the command returns, which ends any thread a host could not
 * stop (a Worker blocked in a host read).
 */
export function ranThreads(): boolean {
  return threadedRun;
}

/** The `gannet run` command. */
export async function main(args: string[]): Promise<number> {
  return await runCommand(args);
}
