/**
 * What a view of each kind of buffer costs the host's JIT (the measurement
 * behind `src/runtime/memory_store.ts`): a loop of bounds-checked 32-bit
 * `DataView` loads and stores, one of byte loads and stores through a
 * `Uint8Array`, one of `Int32Array` words, each over a 16 MiB buffer of
 * every kind a memory could live in. Best of 3, ms per 100 passes over 1 MiB
 * (lower is better). Each kind runs in its own process: in one process the
 * kernels would see several kinds and go polymorphic, which is also why
 * Gannet keeps every memory of a process on one kind of store.
 *
 * Run: `deno run -A bench/buffer_access.ts` or `bun bench/buffer_access.ts`
 * (with `--v8-flags=--jitless` on Deno, every kind costs the same).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { machineInfo, machineLine, table } from "./_report.ts";

const N = 256 * 65536;
const GIB4 = 4 * 1024 ** 3;

type Views = [Uint8Array, DataView, Int32Array];

function kDV(_u8: Uint8Array, dv: DataView, _i32: Int32Array, len: number, iters: number): number {
  let acc = 0;
  for (let it = 0; it < iters; it++) {
    for (let ea = 0; ea < 1 << 20; ea += 4) {
      if (ea > len - 8) throw new RangeError("out of bounds");
      const v = dv.getInt32(ea, true);
      dv.setInt32(ea + 4, v + 1, true);
      acc = (acc + v) | 0;
    }
  }
  return acc;
}

function kU8(u8: Uint8Array, _dv: DataView, _i32: Int32Array, len: number, iters: number): number {
  let acc = 0;
  for (let it = 0; it < iters; it++) {
    for (let ea = 0; ea < 1 << 20; ea += 4) {
      if (ea > len - 8) throw new RangeError("out of bounds");
      acc = (acc + u8[ea + 1]) | 0;
      u8[ea + 2] = acc;
    }
  }
  return acc;
}

function kI32(_u8: Uint8Array, _dv: DataView, i32: Int32Array, len: number, iters: number): number {
  let acc = 0;
  for (let it = 0; it < iters; it++) {
    for (let w = 0; w < 1 << 18; w++) {
      if (w * 4 > len - 8) throw new RangeError("out of bounds");
      acc = (acc + i32[w]) | 0;
      i32[w] = acc;
    }
  }
  return acc;
}

const fixed = (b: ArrayBufferLike): Views => [
  new Uint8Array(b, 0, N),
  new DataView(b, 0, N),
  new Int32Array(b, 0, N / 4),
];
const tracking = (b: ArrayBufferLike): Views => [
  new Uint8Array(b),
  new DataView(b),
  new Int32Array(b),
];
const HostMemory = (globalThis as {
  WebAssembly?: { Memory: new (d: object) => { buffer: ArrayBuffer; grow(n: number): number } };
}).WebAssembly?.Memory;

/** Each kind of buffer, and how its views are made. */
const KINDS: [string, () => Views][] = [
  ["ArrayBuffer", () => fixed(new ArrayBuffer(N))],
  [
    "resizable ArrayBuffer, fixed-length views",
    () => fixed(new ArrayBuffer(N, { maxByteLength: GIB4 })),
  ],
  [
    "resizable ArrayBuffer, length-tracking views",
    () => tracking(new ArrayBuffer(N, { maxByteLength: GIB4 })),
  ],
  [
    "growable SharedArrayBuffer, fixed-length views",
    () => fixed(new SharedArrayBuffer(N, { maxByteLength: GIB4 })),
  ],
  [
    "growable SharedArrayBuffer, length-tracking views",
    () => tracking(new SharedArrayBuffer(N, { maxByteLength: GIB4 })),
  ],
  ...(HostMemory === undefined ? [] : [
    ["host WebAssembly.Memory (grown)", () => {
      const m = new HostMemory({ initial: 1, maximum: 65536 });
      m.grow(255);
      return fixed(m.buffer);
    }],
    [
      "host shared WebAssembly.Memory",
      () => fixed(new HostMemory({ initial: 256, maximum: 65536, shared: true }).buffer),
    ],
  ] as [string, () => Views][]),
];

/** ms of each kernel on kind `i`, in this process. */
function measure(i: number): string[] {
  const out: string[] = [];
  for (const k of [kDV, kU8, kI32]) {
    const [u8, dv, i32] = KINDS[i][1]();
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      k(u8, dv, i32, N, 100);
      best = Math.min(best, performance.now() - t);
    }
    out.push(best.toFixed(0));
  }
  return out;
}

if (import.meta.main) {
  const at = process.argv.indexOf("--kind");
  if (at >= 0) {
    console.log(JSON.stringify(measure(Number(process.argv[at + 1]))));
  } else {
    console.log(machineLine(machineInfo()));
    const self = fileURLToPath(import.meta.url);
    const cmd = process.versions.bun === undefined ? ["run", "-A", self] : [self];
    const rows = KINDS.map(([name], i) => {
      const r = spawnSync(process.execPath, [...cmd, "--kind", String(i)], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      return [name, ...JSON.parse(r.stdout) as string[]];
    });
    console.log(table(["buffer", "DataView ms", "Uint8Array ms", "Int32Array ms"], rows));
  }
}
