/**
 * The WASI preview1 target: random sequences of calls with random arguments
 * (and `wasi_unstable` one case in four) against a real temporary directory
 * preopened as `/sandbox` and an in-memory one as `/mem`. Every call must
 * return an errno — `proc_exit`/`proc_raise` may end the sequence — and a
 * failure inside the host that is not a filesystem error (a bug surfacing as
 * EIO) is a finding. Nothing outside the sandbox may be touched: a sibling
 * directory `outside/` (reached by `..`, by relative and absolute symlinks)
 * must be unchanged after the case, and its canary content and file name
 * must never appear in guest memory.
 *
 * @module
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import process from "node:process";
import { MemoryFileSystem, WASI, WasiExit } from "../../src/wasi/mod.ts";
import { Rng } from "./rng.ts";
import { WASI_CALLS } from "./wasi_calls.ts";
import type { CaseOutcome, FuzzTarget, TargetOptions } from "./target.ts";

const MEMORY_BYTES = 65536;
/** Memory layout: out-pointers, then path strings, iovecs and data buffers. */
const OUT = 0, PATHS = 4096, IOVS = 8192, DATA = 12288;

let root = "";
let callsPerCase = 30;
/** `--set trace=1`: print each call before making it (to see where a hang is). */
let traceCalls = false;
let canaryContent = "";
let canaryName = "";
/** Text from a host file the paths name (`/etc/passwd`): in guest memory, it escaped. */
let hostCanaries: string[] = [];

const PATH_WORDS = [
  "file.txt",
  "dir",
  "dir/sub",
  "dir/sub/deep.txt",
  "..",
  ".",
  "",
  "../outside",
  "../outside/canary.txt",
  "link-in",
  "link-out",
  "abs-link-out",
  "link-loop",
  "dir/../file.txt",
  "dir/../../outside",
  "new",
  "new/x",
  "file.txt/",
  "/",
  "/etc/passwd",
  "a\0b",
  "é",
  "dir//sub",
  "link-in/../../outside",
];

function outsideSnapshot(): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir).sort().flatMap((name) => {
      const p = join(dir, name);
      const st = lstatSync(p);
      const line = `${p} ${st.mode} ${st.size} ${st.mtimeMs}`;
      if (st.isSymbolicLink()) return [line];
      return st.isDirectory() ? [line, ...walk(p)] : [line, readFileSync(p, "latin1")];
    });
  return [readdirSync(root).sort().join(","), ...walk(join(root, "outside"))].join("\n");
}

function resetSandbox(): void {
  const box = join(root, "sandbox");
  rmSync(box, { recursive: true, force: true });
  mkdirSync(join(box, "dir", "sub"), { recursive: true });
  writeFileSync(join(box, "file.txt"), "hello sandbox\n");
  writeFileSync(join(box, "dir", "sub", "deep.txt"), "deep\n");
  symlinkSync("dir", join(box, "link-in"));
  symlinkSync("../outside", join(box, "link-out"));
  symlinkSync(join(root, "outside"), join(box, "abs-link-out"));
  symlinkSync("link-loop", join(box, "link-loop"));
}

/** Calls that end the sequence or drop descriptors: rarer. Calls that create state: more often. */
const RARE = new Set(["fd_close", "fd_renumber", "proc_exit", "proc_raise"]);
const OFTEN = ["path_open", "path_open", "fd_read", "fd_write", "fd_seek", "fd_readdir"];

function pickCall(rng: Rng, names: readonly string[]): string {
  if (rng.oneIn(4)) return rng.pick(OFTEN);
  for (;;) {
    const name = rng.pick(names);
    if (!RARE.has(name) || rng.oneIn(4)) return name;
  }
}

/** Argument generators by kind. */
function makeArgs(rng: Rng, mem: Uint8Array, fds: number[], unstable: boolean) {
  const i32 = (): number => {
    switch (rng.int(6)) {
      case 0:
        return rng.int(8);
      case 1:
        return rng.next() | 0;
      case 2:
        return rng.pick([0, 1, -1, 0x7fffffff, -0x80000000, MEMORY_BYTES, MEMORY_BYTES - 1]);
      default:
        return rng.int(64);
    }
  };
  const i64 = (): bigint =>
    rng.pick([0n, 1n, -1n, 4096n, (1n << 63n) - 1n, -(1n << 63n), BigInt(rng.int(100000))]);
  const flags = (): number => {
    const r = rng.int(20);
    return r < 10 ? 0 : r < 15 ? rng.int(4) : r < 18 ? rng.int(32) : i32();
  };
  const rights = (): bigint => (rng.oneIn(3) ? i64() : rng.oneIn(2) ? -1n : BigInt(rng.next()));
  const ptr = (): number => {
    if (rng.oneIn(8)) return rng.pick([MEMORY_BYTES - 1, MEMORY_BYTES, -1, rng.next() | 0]);
    return OUT + rng.int(512) * 8;
  };
  // Mostly a directory (the preopens, or one opened since) or an opened file.
  const fd = (): number => rng.oneIn(8) ? i32() : rng.oneIn(3) ? rng.pick([3, 4]) : rng.pick(fds);
  const path = (): [number, number] => {
    let words = rng.pick(PATH_WORDS);
    if (rng.oneIn(4)) words = `${words}/${rng.pick(PATH_WORDS)}`;
    if (rng.oneIn(20)) words = "x".repeat(300);
    const bytes = new TextEncoder().encode(words);
    const at = PATHS + rng.int(2048);
    mem.set(bytes, at);
    return [at, rng.oneIn(10) ? i32() : bytes.length];
  };
  const iovs = (): [number, number] => {
    const n = rng.int(4);
    const view = new DataView(mem.buffer);
    for (let k = 0; k < n; k++) {
      view.setUint32(IOVS + 8 * k, DATA + rng.int(4096), true);
      view.setUint32(IOVS + 8 * k + 4, rng.oneIn(8) ? rng.next() : rng.int(600), true);
    }
    return [rng.oneIn(10) ? ptr() : IOVS, rng.oneIn(10) ? i32() : n];
  };
  let subscriptionCount = 0;
  const subscriptions = (): number => {
    // Clock subscriptions with short timeouts only (a long one would just sleep):
    // every subscription the count covers is written, in the version's layout.
    const n = rng.oneIn(10) ? i32() : 1 + rng.int(3);
    const size = unstable ? 56 : 48, clock = unstable ? 24 : 16;
    const view = new DataView(mem.buffer);
    for (let k = 0; k < Math.min(n >>> 0, 64); k++) {
      const at = DATA + size * k;
      for (let b = 0; b < size; b++) mem[at + b] = rng.next();
      view.setUint8(at + 8, rng.int(3)); // tag: clock, fd_read, fd_write
      if (mem[at + 8] === 0) {
        view.setUint32(at + clock, rng.int(4), true);
        view.setBigUint64(at + clock + 8, BigInt(rng.int(1000)), true); // ≤ 1 µs
        view.setUint16(at + clock + 24, rng.int(2), true);
      } else view.setUint32(at + 16, rng.pick(fds), true);
    }
    subscriptionCount = n;
    return DATA;
  };
  const nsubs = () => subscriptionCount;
  const dirfd = (): number => (rng.oneIn(4) ? fd() : rng.pick([3, 4]));
  return { i32, flags, i64, rights, ptr, fd, dirfd, path, iovs, subs: subscriptions, nsubs };
}

function runCase(seed: number): CaseOutcome {
  const rng = new Rng(seed);
  resetSandbox();
  const before = outsideSnapshot();
  const unstable = rng.oneIn(4);
  const memFs = new MemoryFileSystem();
  const suspicious: string[] = [];
  const wasi = new WASI({
    version: unstable ? "unstable" : "preview1",
    args: ["prog", "arg"],
    env: { A: "1" },
    preopens: { "/sandbox": join(root, "sandbox"), "/mem": memFs.root() },
    stdin: "input",
    stdout: "null",
    stderr: "null",
    trace: (line) => {
      // A failure that is not a WasiError or a host filesystem error ends as EIO with a reason.
      if (/ = (EIO|IO)\b.*\[/.test(line)) suspicious.push(line);
    },
  });
  const buffer = new ArrayBuffer(MEMORY_BYTES);
  const mem = new Uint8Array(buffer);
  wasi.initialize({ exports: { memory: { buffer } } });
  const fds = [0, 1, 2, 3, 4, 5, 6, 7];
  const gen = makeArgs(rng, mem, fds, unstable);
  const log: string[] = [];
  const succeeded = new Set<string>();
  const encoder = new TextEncoder();
  const canaries = [canaryContent, canaryName, ...hostCanaries].map((c) => encoder.encode(c));
  const names = Object.keys(WASI_CALLS).filter((n) => n in wasi.wasiImport);
  try {
    for (let k = 0; k < callsPerCase; k++) {
      const name = pickCall(rng, names);
      const args: unknown[] = [];
      for (const kind of WASI_CALLS[name]) {
        if (kind === "path") args.push(...gen.path());
        else if (kind === "iovs") args.push(...gen.iovs());
        else args.push(gen[kind]());
      }
      const line = `${name}(${args.join(", ")})`;
      log.push(line);
      if (traceCalls) console.error(`[wasi fuzz] seed ${seed}: ${line}`);
      let errno: unknown;
      try {
        errno = wasi.wasiImport[name](...args);
      } catch (e) {
        if (e instanceof WasiExit) break;
        return failure(`${line} threw ${(e as Error)?.stack ?? e}`, log, "host exception");
      }
      if (typeof errno !== "number" || !Number.isInteger(errno) || errno < 0 || errno > 76) {
        return failure(`${line} returned ${String(errno)}`, log, "not an errno");
      }
      if (suspicious.length > 0) return failure(suspicious[0], log, "host failure as EIO");
      if (errno === 0) succeeded.add(name);
      // A new descriptor is written at the out-pointer: use it later.
      if (name === "path_open" && errno === 0) {
        const at = args[8] as number;
        if (at >= 0 && at + 4 <= MEMORY_BYTES) fds.push(new DataView(buffer).getUint32(at, true));
      }
      for (const c of canaries) {
        if (Buffer.from(mem.buffer).indexOf(c) >= 0) {
          return failure(`after ${line}: outside data in guest memory`, log, "escape (read)");
        }
      }
    }
  } finally {
    // Close every host handle the case opened (descriptors are allocated low).
    for (let fd = 0; fd < 256; fd++) wasi.wasiImport.fd_close(fd);
  }
  if (outsideSnapshot() !== before) return failure("outside/ changed", log, "escape (write)");
  const tags = [...succeeded].map((n) => `${n} succeeded`);
  return { status: "pass", tags: [unstable ? "wasi_unstable" : "preview1", ...tags] };
}

function failure(detail: string, log: string[], signature: string): CaseOutcome {
  return { status: "fail", detail: `${detail}\n  calls:\n    ${log.join("\n    ")}`, signature };
}

/** The target. */
export const target: FuzzTarget = {
  name: "wasi",
  summary: "random preview1 call sequences against a temporary directory: errno only, no escape",
  init(options: TargetOptions): Promise<string> {
    callsPerCase = Number(options.settings?.calls ?? 30);
    traceCalls = options.settings?.trace === "1";
    root = mkdtempSync(join(tmpdir(), "gannet-wasi-fuzz-"));
    process.on("exit", () => rmSync(root, { recursive: true, force: true }));
    const tag = Math.random().toString(16).slice(2, 10);
    canaryContent = `GANNET-CANARY-${tag}-OUTSIDE-CONTENT`;
    canaryName = `secret-name-${tag}`;
    mkdirSync(join(root, "outside", "inner"), { recursive: true });
    writeFileSync(join(root, "outside", "canary.txt"), canaryContent);
    writeFileSync(join(root, "outside", canaryName), canaryContent);
    writeFileSync(join(root, "outside", "inner", "x"), canaryContent);
    try {
      const passwd = readFileSync("/etc/passwd", "latin1");
      hostCanaries = passwd.includes("root:x:0:0") ? ["root:x:0:0"] : [];
    } catch {
      hostCanaries = [];
    }
    resetSandbox();
    return Promise.resolve(`${Object.keys(WASI_CALLS).length} calls, ${callsPerCase} per case`);
  },
  runSeed: (seed: number) => Promise.resolve(runCase(seed)),
};
