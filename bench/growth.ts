/**
 * Memory growth (issue 16): a guest grows its memory one page at a time,
 * storing into each new page, on the host's native `WebAssembly` and on
 * Gannet in the same process. Reports the wall time of every batch of 1,024
 * grows (the curve: a grow must cost the same at 1 GiB as at 64 KiB) and the
 * total against native.
 *
 * Run: `deno run -A bench/growth.ts [--mib 64] [--kind i32|i64|shared]
 * [--store native|resizable|fixed]` (also under `bun`). `--store` picks
 * Gannet's byte store: the host's `WebAssembly.Memory` (the default where
 * there is one), the fallback resizable `ArrayBuffer`, or the JS API's exact
 * fixed-length buffer copied on each growth (the behaviour before issue 16).
 *
 * @module
 */
import process from "node:process";
import { Instance, type Memory, Module, parseWat } from "../mod.ts";
import { useNativeStores } from "../src/runtime/memory_store.ts";
import { fmtRatio, machineInfo, machineLine, table } from "./_report.ts";

/** Pages per batch (and per row of the curve). */
const BATCH = 1024;

/** The guest: `grow(n)` grows by one page n times, storing into each new page. */
export function growthGuest(kind: "i32" | "i64" | "shared", maxPages: number): Uint8Array {
  const a = kind === "i64" ? "i64" : "i32";
  const mem = kind === "i64"
    ? `(memory (export "mem") i64 1 ${maxPages})`
    : `(memory (export "mem") 1 ${maxPages}${kind === "shared" ? " shared" : ""})`;
  return parseWat(`(module ${mem}
    (func (export "grow") (param $n i32) (result i32) (local $p ${a})
      (loop $l
        (local.set $p (memory.grow (${a}.const 1)))
        (if (${a}.lt_s (local.get $p) (${a}.const 0)) (then (return (i32.const -1))))
        (i32.store (${a}.shl (local.get $p) (${a}.const 16)) (local.get $n))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.const 0)))`);
}

type Grow = (n: number) => number;

/** Runs the guest to `pages` pages; returns the ms of each batch of {@link BATCH} grows. */
function curve(grow: Grow, pages: number): number[] {
  const out: number[] = [];
  for (let done = 1; done < pages; done += BATCH) {
    const n = Math.min(BATCH, pages - done);
    const t = performance.now();
    if (grow(n) !== 0) throw new Error(`growth failed after ${done} pages`);
    out.push(performance.now() - t);
  }
  return out;
}

function parse(argv: string[]): { mib: number; kind: "i32" | "i64" | "shared"; store: string } {
  const o = { mib: 64, kind: "i32" as "i32" | "i64" | "shared", store: "native" };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === "--mib") o.mib = Number(v);
    else if (k === "--kind" && (v === "i32" || v === "i64" || v === "shared")) o.kind = v;
    else if (k === "--store" && ["native", "resizable", "fixed"].includes(v)) o.store = v;
    else throw new Error(`growth: unknown option ${k} ${v ?? ""}`);
  }
  return o;
}

if (import.meta.main) {
  const o = parse(process.argv.slice(2));
  const pages = o.mib * 16;
  const bytes = growthGuest(o.kind, Math.max(pages, 2)) as Uint8Array<ArrayBuffer>;
  console.log(machineLine(machineInfo()));
  const feature = o.kind === "i64" ? "memory64 " : o.kind === "shared" ? "shared " : "";
  console.log(`growth: ${pages - 1} one-page grows to ${o.mib} MiB, ${feature}guest`);

  let native: number[] | null = null;
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    native = curve(inst.exports.grow as Grow, pages);
  } catch (e) {
    console.log(`native: ${(e as Error).message}`);
  }

  useNativeStores(o.store === "native");
  const inst = new Instance(new Module(bytes), {});
  if (o.store === "fixed") (inst.exports.mem as Memory).toFixedLengthBuffer();
  const gannet = curve(inst.exports.grow as Grow, pages);

  const rows: string[][] = [];
  const step = Math.max(1, Math.floor(gannet.length / 16));
  for (let i = 0; i < gannet.length; i += step) {
    rows.push([
      `${((i + 1) * BATCH / 16).toFixed(0)} MiB`,
      native === null ? "-" : native[i].toFixed(1),
      gannet[i].toFixed(1),
    ]);
  }
  console.log(
    table(["reached", "native ms/1024 grows", `gannet (${o.store}) ms/1024 grows`], rows),
  );
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const g = sum(gannet), n = native === null ? NaN : sum(native);
  console.log(
    `total: native ${n.toFixed(0)} ms, gannet ${g.toFixed(0)} ms (${fmtRatio(g / n)}); ` +
      `gannet first/last batch ${gannet[0].toFixed(1)}/${gannet[gannet.length - 1].toFixed(1)} ms`,
  );
}
