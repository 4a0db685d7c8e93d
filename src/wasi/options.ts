/**
 * The options of `new WASI(...)`, validated with zod so that a mistake is
 * reported with the option's name and what was expected.
 *
 * @module
 */
import { z } from "zod";
import type { DirHandle } from "./fs_host.ts";
import type { WasiSocket } from "./socket.ts";
import type { StdioOption, WasiStream } from "./stdio.ts";

/**
 * Options of the {@link WASI} class (the shape Node's and Deno's `WASI` take, plus extras).
 *
 * @example
 * ```ts
 * import { MemoryFileSystem, WASI, type WasiOptions } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const options: WasiOptions = {
 *   args: ["prog", "--verbose"],
 *   env: { HOME: "/home" },
 *   preopens: { "/home": new MemoryFileSystem().root() },
 *   stdin: "input text",
 *   stdout: "null",
 * };
 * new WASI(options);
 * // Options are checked, with messages naming the option.
 * assert.throws(() => new WASI({ args: "prog" } as never), /args/);
 * ```
 */
export interface WasiOptions {
  /** `"preview1"` (module `wasi_snapshot_preview1`, default) or `"unstable"` (`wasi_unstable`). */
  version?: "preview1" | "unstable";
  /** The program's arguments, including the program name first (`argv[0]`). */
  args?: string[];
  /** The environment the guest sees (nothing is inherited). */
  env?: Record<string, string>;
  /**
   * Directories the guest may use: guest path → host directory path, or a
   * directory handle (e.g. `new MemoryFileSystem().root()`).
   */
  preopens?: Record<string, string | DirHandle>;
  /** Preopened sockets (descriptors after the directories). */
  sockets?: WasiSocket[];
  /** stdin: a host fd, `"inherit"` (default), `"null"`, a string or bytes to read, or a stream. */
  stdin?: StdioOption;
  /** stdout: a host fd, `"inherit"` (default), `"null"`, a callback or a stream. */
  stdout?: StdioOption;
  /** stderr: a host fd, `"inherit"` (default), `"null"`, a callback or a stream. */
  stderr?: StdioOption;
  /** `start()` returns the exit status (default true) instead of exiting the host process. */
  returnOnExit?: boolean;
  /** Log every call: true (to the console's stderr) or a function receiving each line. */
  trace?: boolean | ((line: string) => void);
}

/** A string without NUL bytes (`what` names it in the message). */
export const noNul = (what: string) =>
  z.string().refine((s) => !s.includes("\0"), { message: `${what} must not contain NUL` });

const dirHandle = z.custom<DirHandle>(
  (v) =>
    typeof v === "object" && v !== null &&
    typeof (v as Partial<DirHandle>).openDirAt === "function" &&
    typeof (v as Partial<DirHandle>).statAt === "function",
  { message: "expected a host directory path (string) or a directory handle" },
);

const stream = z.custom<WasiStream>(
  (v) =>
    typeof v === "object" && v !== null && typeof (v as Partial<WasiStream>).filetype === "number",
  { message: "expected a stream object" },
);

/** An environment: names without `=` or NUL, values without NUL (shared with WASI 0.2). */
export const envSchema = z.record(
  noNul("a variable name").refine((s) => !s.includes("=") && s.length > 0, {
    message: "a variable name must be non-empty and must not contain '='",
  }),
  noNul("a variable's value"),
);

/** A stdio option (shared with the WASI 0.2 host's options). */
export const stdio = z.union([
  z.number().int().nonnegative(),
  z.literal("inherit"),
  z.literal("null"),
  z.string(),
  z.instanceof(Uint8Array),
  z.function(),
  stream,
], { message: 'expected a host fd, "inherit", "null", a buffer, a callback or a stream' });

const socket = z.custom<WasiSocket>(
  (v) =>
    typeof v === "object" && v !== null && typeof (v as Partial<WasiSocket>).recv === "function",
  { message: "expected a socket object" },
);

const schema = z.strictObject({
  version: z.enum(["preview1", "unstable"]).optional(),
  args: z.array(noNul("an argument")).optional(),
  env: envSchema.optional(),
  preopens: z.record(noNul("a guest path"), z.union([noNul("a host path"), dirHandle])).optional(),
  sockets: z.array(socket).optional(),
  stdin: stdio.optional(),
  stdout: stdio.optional(),
  stderr: stdio.optional(),
  returnOnExit: z.boolean().optional(),
  trace: z.union([z.boolean(), z.function()]).optional(),
});

/** Validates options; throws a TypeError naming each bad option. */
export function parseOptions(options: unknown): WasiOptions {
  const r = schema.safeParse(options ?? {});
  if (r.success) return r.data as WasiOptions;
  const lines = r.error.issues.map((i) => {
    const where = i.path.length === 0 ? "options" : i.path.map(String).join(".");
    // A bad record key carries the key's own issues; their messages say what is wrong.
    const inner = (i as { issues?: { message: string }[] }).issues;
    const message = i.code === "invalid_key" && inner !== undefined && inner.length > 0
      ? `bad name: ${inner.map((x) => x.message).join("; ")}`
      : i.message;
    return `${where}: ${message}`;
  });
  throw new TypeError(`invalid WASI options:\n  ${lines.join("\n  ")}`);
}
