/**
 * `wasi:cli` for one component instance: its arguments, environment and
 * working directory, its stdio as {@link HostInputStream}/{@link HostOutputStream}
 * over Gannet's stdio streams, terminals where a stream is one, and `exit`
 * as a {@link WasiExit} thrown through the guest (the shim's would end the
 * whole process).
 *
 * @module
 */
import { Filetype } from "../wasi/constants.ts";
import { WasiExit } from "../wasi/context.ts";
import { makeStdio } from "../wasi/stdio.ts";
import { cli } from "./shim.ts";
import { HostInputStream, HostOutputStream } from "./streams.ts";
import type { WasiP2Options } from "./options.ts";

const { TerminalInput } = cli.terminalInput;
const { TerminalOutput } = cli.terminalOutput;

/** The `wasi:cli` interfaces of one instance, keyed by interface name. */
export function cliInterfaces(options: WasiP2Options): Record<string, unknown> {
  const args = [...(options.args ?? [])];
  const env = Object.entries(options.env ?? {});
  const cwd = options.cwd;
  const streams = [0, 1, 2].map((fd) =>
    makeStdio([options.stdin, options.stdout, options.stderr][fd], fd)
  );
  const stdin = new HostInputStream(streams[0]);
  const stdout = new HostOutputStream(streams[1]);
  const stderr = new HostOutputStream(streams[2]);
  const isTerminal = (fd: number) => streams[fd].filetype === Filetype.CHARACTER_DEVICE;
  const terminalIn = isTerminal(0) ? new TerminalInput() : undefined;
  const terminalOut = isTerminal(1) ? new TerminalOutput() : undefined;
  const terminalErr = isTerminal(2) ? new TerminalOutput() : undefined;
  return {
    "wasi:cli/environment": {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => [...args],
      initialCwd: () => cwd,
    },
    "wasi:cli/exit": {
      exit(status: { tag: string }): never {
        throw new WasiExit(status.tag === "err" ? 1 : 0);
      },
      exitWithCode(code: number): never {
        throw new WasiExit(code);
      },
    },
    "wasi:cli/stdin": { getStdin: () => stdin },
    "wasi:cli/stdout": { getStdout: () => stdout },
    "wasi:cli/stderr": { getStderr: () => stderr },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => terminalIn },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => terminalOut },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => terminalErr },
  };
}
