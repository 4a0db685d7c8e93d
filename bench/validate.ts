/**
 * Benchmark (not a test): decoding + validating the largest real modules in
 * the shared corpora with Gannet, side by side with the host's native
 * `WebAssembly.validate`. Core modules embedded in component binaries are
 * extracted and measured too.
 *
 * Run: `deno run -A bench/validate.ts [N]` (or `bun bench/validate.ts`);
 * N is how many modules to measure (default 8).
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { validate } from "../src/api/module.ts";
import { ALL_FEATURES } from "../src/binary/features.ts";
import { Reader } from "../src/binary/reader.ts";
import { sharedDir } from "../tests/_shared.ts";

interface Sample {
  name: string;
  bytes: Uint8Array;
}

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (e.endsWith(".wasm") && st.size > 4096) out.push(p);
  }
}

/** Core modules inside a component binary (section id 1), recursively. */
function coreModulesOf(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const r = new Reader(bytes, 8);
  while (!r.eof()) {
    const id = r.u8();
    const size = r.u32();
    const body = r.take(size);
    if (id === 1) out.push(body);
    else if (id === 4) out.push(...coreModulesOf(body));
  }
  return out;
}

function samples(limit: number): Sample[] {
  const files: string[] = [];
  for (const d of ["bench", "wasi-testsuite", "components"]) walk(join(sharedDir(), d), files);
  const all: Sample[] = [];
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    if (bytes.length < 8) continue;
    const version = bytes[4] | (bytes[5] << 8);
    if (version === 1) all.push({ name: f.slice(sharedDir().length + 1), bytes });
    else {
      try {
        coreModulesOf(bytes).forEach((m, i) =>
          all.push({ name: `${f.slice(sharedDir().length + 1)}#core${i}`, bytes: m })
        );
      } catch {
        // not a component we can walk; skip
      }
    }
  }
  all.sort((a, b) => b.bytes.length - a.bytes.length);
  return all.slice(0, limit);
}

function timeIt(fn: () => unknown, minMs = 300): number {
  fn(); // warm-up
  let runs = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs || runs < 3) {
    fn();
    runs++;
    now = performance.now();
  }
  return (now - start) / runs;
}

const limit = Number(process.argv[2] ?? 8);
const native = (globalThis as { WebAssembly?: { validate(b: BufferSource): boolean } })
  .WebAssembly;
console.log("module".padEnd(78), "KiB".padStart(6), "gannet ms", "native ms", " ratio");
let sumG = 0, sumN = 0;
for (const s of samples(limit)) {
  const ok = validate(s.bytes, { features: ALL_FEATURES });
  const g = timeIt(() => validate(s.bytes, { features: ALL_FEATURES }));
  const n = native ? timeIt(() => native.validate(s.bytes as Uint8Array<ArrayBuffer>)) : NaN;
  sumG += g;
  sumN += n;
  console.log(
    s.name.slice(-78).padEnd(78),
    (s.bytes.length / 1024).toFixed(0).padStart(6),
    g.toFixed(2).padStart(9),
    n.toFixed(2).padStart(9),
    (g / n).toFixed(1).padStart(6),
    ok ? "" : "(INVALID per Gannet)",
  );
}
console.log(
  `total: gannet ${sumG.toFixed(1)} ms, native ${sumN.toFixed(1)} ms, ratio ${
    (sumG / sumN).toFixed(1)
  }x`,
);
