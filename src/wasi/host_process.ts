/**
 * The process Gannet runs in: its arguments, environment, exit, standard
 * descriptors and files, synchronously, on Deno, Bun and Node.
 *
 * On Deno, Node's compatibility layer costs about 30 ms of CPU the first
 * time any `node:` module is loaded — a sixth of `gannet run`'s start-up —
 * so what a plain program needs (its arguments, reading the module, the
 * standard streams, exiting) goes through `Deno.*` there, and `node:`
 * modules are loaded only where something needs them ({@link nodeModule}:
 * other descriptors, preopened directories, sockets, helper threads). Bun
 * and Node load theirs at once for nothing.
 *
 * @module
 */

import { Filetype } from "./constants.ts";

/** Deno's namespace where this is Deno, else undefined. */
const deno: typeof Deno | undefined = (globalThis as { Deno?: typeof Deno }).Deno;

/** The Node built-in modules Gannet's host code loads lazily, by name. */
export interface NodeModules {
  /** File system. */
  "node:fs": typeof import("node:fs");
  /** Terminals. */
  "node:tty": typeof import("node:tty");
  /** Helper threads. */
  "node:worker_threads": typeof import("node:worker_threads");
  /** The process. */
  "node:process": typeof import("node:process");
}

/** The modules {@link nodeModule} has loaded. */
const loaded: Partial<NodeModules> = {};

/**
 * Node built-in module `name`, loaded synchronously on first use
 * (`process.getBuiltinModule`: Deno 2, Bun, Node ≥ 22.3).
 */
export function nodeModule<K extends keyof NodeModules>(name: K): NodeModules[K] {
  // (Kept: the clocks ask for `node:process` at every read.)
  const known = loaded[name];
  if (known !== undefined) return known as NodeModules[K];
  const process = (globalThis as {
    process?: { getBuiltinModule?: (name: string) => unknown };
  }).process;
  const load = process?.getBuiltinModule;
  if (load === undefined) throw new Error(`this host cannot load ${name} synchronously`);
  const module = load.call(process, name) as NodeModules[K];
  loaded[name] = module;
  return module;
}

/** The command line's arguments after the script. */
export function hostArgs(): string[] {
  return deno !== undefined ? [...deno.args] : nodeModule("node:process").argv.slice(2);
}

/** Environment variable `name`, or undefined. */
export function hostEnv(name: string): string | undefined {
  return deno !== undefined ? deno.env.get(name) : nodeModule("node:process").env[name];
}

/** Ends the process with status `code` now. */
export function hostExit(code: number): never {
  if (deno !== undefined) deno.exit(code);
  return nodeModule("node:process").exit(code);
}

/** Sets the status the process ends with when nothing is left to run. */
export function setExitCode(code: number): void {
  if (deno !== undefined) deno.exitCode = code;
  else nodeModule("node:process").exitCode = code;
}

/** The bytes of the file at `path` (a host error, with its `code`, where it cannot be read). */
export function readHostFile(path: string): Uint8Array<ArrayBuffer> {
  if (deno !== undefined) {
    try {
      return deno.readFileSync(path) as Uint8Array<ArrayBuffer>;
    } catch {
      // Node's error (its `code`, its message) is the one callers report.
    }
  }
  return new Uint8Array(nodeModule("node:fs").readFileSync(path));
}

/** Whether something exists at `path`. */
export function hostPathExists(path: string): boolean {
  if (deno === undefined) return nodeModule("node:fs").existsSync(path);
  try {
    deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Deno's own object for standard descriptor `fd` (0, 1, 2), or null. */
function standard(fd: number): typeof Deno.stdin | typeof Deno.stdout | null {
  if (deno === undefined) return null;
  return fd === 0 ? deno.stdin : fd === 1 ? deno.stdout : fd === 2 ? deno.stderr : null;
}

/**
 * Writes `buf` to host descriptor `fd` (blocking); returns how many bytes
 * were written. Host errors carry Node's `code` (`EAGAIN`, …).
 */
export function writeFd(fd: number, buf: Uint8Array): number {
  const s = fd === 1 || fd === 2 ? standard(fd) as typeof Deno.stdout | null : null;
  if (s !== null) return s.writeSync(buf);
  return nodeModule("node:fs").writeSync(fd, buf, 0, buf.length, null);
}

/** Reads up to `buf.length` bytes from host descriptor `fd` (blocking); 0 at end of input. */
export function readFd(fd: number, buf: Uint8Array): number {
  const s = fd === 0 ? standard(fd) as typeof Deno.stdin | null : null;
  if (s !== null) return s.readSync(buf) ?? 0;
  return nodeModule("node:fs").readSync(fd, buf, 0, buf.length, null);
}

/** Maps `stat` mode bits to a WASI filetype. */
export function filetypeOfMode(mode: number): Filetype {
  switch (mode & 0o170000) {
    case 0o100000:
      return Filetype.REGULAR_FILE;
    case 0o040000:
      return Filetype.DIRECTORY;
    case 0o120000:
      return Filetype.SYMBOLIC_LINK;
    case 0o020000:
      return Filetype.CHARACTER_DEVICE;
    case 0o060000:
      return Filetype.BLOCK_DEVICE;
    case 0o140000:
      return Filetype.SOCKET_STREAM;
    default:
      return Filetype.UNKNOWN;
  }
}

/**
 * What host descriptor `fd` is, as WASI reports it: a regular file or
 * block device as such, a terminal or other character device as a
 * character device, pipes and sockets (and an unknown or closed
 * descriptor) as `UNKNOWN` (as wasmtime reports them).
 */
export function fdFiletype(fd: number): Filetype {
  let type: Filetype | null = null, terminal = (): boolean => false;
  if (deno !== undefined && fd >= 0 && fd <= 2 && deno.build.os !== "windows") {
    try {
      const s = deno.statSync(`/dev/fd/${fd}`);
      type = s.isFile
        ? Filetype.REGULAR_FILE
        : s.isBlockDevice
        ? Filetype.BLOCK_DEVICE
        : s.isCharDevice
        ? Filetype.CHARACTER_DEVICE
        : Filetype.UNKNOWN;
      terminal = () => standard(fd)!.isTerminal();
    } catch {
      // No /dev/fd: Node's way below.
    }
  }
  if (type === null) {
    try {
      type = filetypeOfMode(nodeModule("node:fs").fstatSync(fd).mode);
      terminal = () => nodeModule("node:tty").isatty(fd);
    } catch {
      // A closed or unknown descriptor: reads and writes will report the error.
      return Filetype.UNKNOWN;
    }
  }
  // A terminal is a character device (what isatty() checks); pipes and
  // sockets are plain streams, as wasmtime reports them.
  if (type === Filetype.REGULAR_FILE || type === Filetype.BLOCK_DEVICE) return type;
  return type === Filetype.CHARACTER_DEVICE || terminal()
    ? Filetype.CHARACTER_DEVICE
    : Filetype.UNKNOWN;
}
