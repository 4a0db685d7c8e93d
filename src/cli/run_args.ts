/**
 * `gannet run`'s command line: the options (as `wasmtime run` spells
 * them) parsed into {@link Parsed}, and the usage text.
 *
 * @module
 */
import { hostEnv } from "../wasi/host_process.ts";
import { ALL_FEATURES, type Features, parseFeatureList } from "../binary/features.ts";
import { UsageError } from "./run_values.ts";
import { parseWasmOption, WasmOptionError, type WasmOptions } from "./run_limits.ts";

/** The usage text `gannet run` prints for `--help` and after a usage error. */
export const USAGE = `usage: gannet run [OPTIONS] PROGRAM.wasm|.wat [ARGS…]
  --dir HOST[::GUEST]   preopen host directory HOST as GUEST (default: HOST); repeatable
  --env NAME[=VAL]      set a variable (NAME alone: take the host's value); repeatable
  --invoke NAME         call export NAME with ARGS as its parameters; print the results
  --argv0 NAME          the program name the guest sees (default: PROGRAM)
  --tcplisten HOST:PORT preopen a listening TCP socket (after the directories); repeatable
  --features LIST       wasm proposals over the default (all on): NAME on, -NAME off, -all
  --jit MODE            auto (default: compile hot code to JS where allowed), off, eager
components (WASI 0.2):
  --invoke 'NAME(ARGS)' call export NAME with WAVE-syntax arguments; print the result
  -S inherit-network    grant the network (every address); -S allow-ip-name-lookup: DNS
  -W NAME=VALUE[,…]     controls, as wasmtime: fuel=N (N control transfers), timeout=DURATION
                        (500ms, 2s), max-memory-size=BYTES (per memory), max-wasm-stack=BYTES
                        (the register file: 8 bytes per slot), max-table-elements=N, max-instances=N,
                        max-threads=N (wasi-threads: spawned threads alive at once)
  -S threads=n          refuse wasi-threads programs (threads are on by default)
exit status: the program's; 134 trap, 125 out of fuel, 124 timeout, 126 a -W max-… limit refused
instantiation, 1 cannot load, 2 usage
  -S tcp=n, -S udp=n    deny TCP or UDP; -S http: allow outgoing HTTP requests
  --allow-net RULE      grant ADDRESS[/PREFIX][:PORT] only; repeatable
  --adapt ADAPTER.wasm  run a preview1 module as a component wrapped with ADAPTER`;

/** The parsed command line. */
export interface Parsed {
  dirs: [string, string][];
  listen: [string, number][];
  env: Record<string, string>;
  invoke: string | null;
  argv0: string | null;
  features: Features;
  wasm: WasmOptions;
  program: string;
  args: string[];
  /** `-S NAME[=VALUE]` WASI options (components), in order. */
  wasi: [string, string][];
  /** `--allow-net` rules (components). */
  allowNet: string[];
  /** `--adapt`: the preview1 adapter to wrap a module with. */
  adapt: string | null;
}

/** Parses `gannet run` arguments (throws {@link UsageError}). */
export function parseArgs(argv: string[]): Parsed {
  const p: Parsed = {
    dirs: [],
    listen: [],
    env: {},
    invoke: null,
    argv0: null,
    features: { ...ALL_FEATURES },
    wasm: { store: {}, any: false },
    program: "",
    args: [],
    wasi: [],
    allowNet: [],
    adapt: null,
  };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("-W")) {
      try {
        parseWasmOption(a === "-W" ? value(a, undefined) : a.slice(2), p.wasm);
      } catch (e) {
        if (e instanceof WasmOptionError) throw new UsageError(e.message);
        throw e;
      }
      continue;
    }
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : undefined;
    switch (flag) {
      case "--dir": {
        const v = value(flag, inline);
        const sep = v.indexOf("::");
        p.dirs.push(sep < 0 ? [v, v] : [v.slice(0, sep), v.slice(sep + 2)]);
        break;
      }
      case "--env": {
        const v = value(flag, inline);
        const k = v.indexOf("=");
        if (k === 0) throw new UsageError(`--env ${v}: empty variable name`);
        if (k < 0) {
          const host = hostEnv(v);
          if (host !== undefined) p.env[v] = host;
        } else p.env[v.slice(0, k)] = v.slice(k + 1);
        break;
      }
      case "--tcplisten": {
        const v = value(flag, inline);
        const m = /^(.*):(\d{1,5})$/.exec(v);
        if (m === null || Number(m[2]) > 65535) {
          throw new UsageError(`--tcplisten ${v}: expected HOST:PORT`);
        }
        p.listen.push([m[1].replace(/^\[(.*)\]$/, "$1"), Number(m[2])]);
        break;
      }
      case "--invoke":
        p.invoke = value(flag, inline);
        break;
      case "-S": {
        const v = value(flag, inline);
        const k = v.indexOf("=");
        p.wasi.push(k < 0 ? [v, "y"] : [v.slice(0, k), v.slice(k + 1)]);
        break;
      }
      case "--allow-net":
        p.allowNet.push(value(flag, inline));
        break;
      case "--adapt":
        p.adapt = value(flag, inline);
        break;
      case "--argv0":
        p.argv0 = value(flag, inline);
        break;
      case "--jit": {
        const v = value(flag, inline);
        if (v !== "off" && v !== "auto" && v !== "eager") {
          throw new UsageError(`--jit ${v}: expected off, auto or eager`);
        }
        p.wasm.store.jit = v;
        p.wasm.any = true;
        break;
      }
      case "--features":
        try {
          p.features = parseFeatureList(value(flag, inline), ALL_FEATURES);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        break;
      case "-h":
      case "--help":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  if (i >= argv.length) throw new UsageError("no program given");
  p.program = argv[i];
  p.args = argv.slice(i + 1);
  return p;
}
