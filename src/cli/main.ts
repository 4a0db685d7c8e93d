/**
 * The `gannet` command line: `deno task gannet <command> …` or
 * `bun src/cli/main.ts <command> …`.
 *
 * Each command lives in its own module (`src/cli/<command>.ts`) exporting
 * `main(args): Promise<number>`; they are loaded on demand so that, say,
 * `gannet wat2wasm` does not load the interpreter.
 *
 * @example Run a WASI program
 * ```sh
 * deno run -A jsr:@gannet/wasm/cli run --dir .::/ program.wasm arg1
 * ```
 *
 * @module
 */
import { hostArgs, hostExit, hostPathExists, setExitCode } from "../wasi/host_process.ts";

/**
 * A CLI command: takes its arguments, returns the exit status.
 *
 * @example
 * ```ts
 * import type { Command } from "@gannet/wasm/cli";
 * import assert from "node:assert/strict";
 *
 * // The shape of each `src/cli/<command>.ts` module.
 * const hello: Command = { main: (args) => Promise.resolve(args.length === 0 ? 2 : 0) };
 * assert.equal(await hello.main(["world"]), 0);
 * ```
 */
export interface Command {
  /** Runs the command. */
  main(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: {
    summary: "run PROGRAM.wasm|.wat [ARGS…]   run a WASI program (like `wasmtime run`)",
    load: () => import("./run.ts"),
  },
  serve: {
    summary: "serve COMPONENT.wasm   serve a wasi:http/proxy component (like `wasmtime serve`)",
    load: () => import("./serve.ts"),
  },
  wast: {
    summary: "wast [--features LIST] FILE.wast…   run spec test scripts",
    load: () => import("./wast.ts"),
  },
  validate: {
    summary: "validate FILE.wasm|FILE.wat   check a module, print the first error",
    load: () => import("./validate.ts"),
  },
  wit: {
    summary: "wit COMPONENT.wasm   print a component's WIT world (like `wasm-tools component wit`)",
    load: () => import("./wit.ts"),
  },
  wat2wasm: {
    summary: "wat2wasm IN.wat [-o OUT.wasm]   assemble the text format",
    load: () => import("./wat2wasm.ts"),
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  gannet ${c.summary}`);
  return `usage:\n${
    lines.join("\n")
  }\n  gannet [RUN OPTIONS] PROGRAM.wasm|.wat [ARGS…]   short for run\n  gannet help`;
}

/** Whether `arg` starts a `run` command line without the word `run` (as wasmtime allows). */
function impliesRun(arg: string): boolean {
  if (arg.startsWith("-")) return true;
  return /\.(wasm|wat)$/i.test(arg) || hostPathExists(arg);
}

/**
 * Runs the CLI with `argv` (without the runtime and script names); returns the exit status.
 *
 * @example
 * ```ts
 * import { cli } from "@gannet/wasm/cli";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const path = join(mkdtempSync(join(tmpdir(), "gannet-")), "ok.wat");
 * writeFileSync(path, "(module (func (export \"f\")))");
 * assert.equal(await cli(["validate", path]), 0);
 * assert.equal(await cli(["no-such-command"]), 2);
 * ```
 */
export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name] ?? (impliesRun(name) ? undefined : null);
  if (command === undefined) return await (await COMMANDS.run.load()).main(argv);
  if (command === null) {
    console.error(`gannet: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return await (await command.load()).main(rest);
}

if (import.meta.main) {
  const code = await cli(hostArgs());
  setExitCode(code);
  // A wasi-threads program's threads must not outlive it (a Worker blocked in a host read cannot be stopped).
  if ((await import("./run.ts")).ranThreads()) hostExit(code);
}
