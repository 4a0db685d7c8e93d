/**
 * Real programs from npm packages (issue 16), each run through its own glue
 * on the host's native `WebAssembly` and on Gannet's (the polyfill's
 * namespace put on `globalThis.WebAssembly` for the run) in the same
 * process, outputs checked equal:
 *
 * - ruby: CRuby 3.4 (`@ruby/3.4-wasm-wasi`, 30 MB) booted by `@ruby/wasm-wasi`'s
 *   `RubyVM` on Gannet's WASI, running `puts (1..100000).sum`;
 * - quickjs: QuickJS through `quickjs-emscripten` (emscripten glue), a loop
 *   of arithmetic and string work;
 * - jpeg: mozjpeg through `@jsquash/jpeg` (emscripten glue, growing heap):
 *   encode a 512×512 image and decode it again.
 *
 * Then start-up: time to the first instruction (compile, instantiate, run
 * until the first import call) for Ruby's 50 MB debug module and the
 * largest modules of `../shared`, against native compile + instantiate.
 *
 * Run: `deno run -A bench/real.ts [--only ruby,quickjs,jpeg,startup] [--runs N]`
 * (also `bun bench/real.ts`).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { RubyVM } from "@ruby/wasm-wasi";
import { newQuickJSWASMModule, RELEASE_SYNC } from "quickjs-emscripten";
import encodeJpeg, { init as initEncode } from "@jsquash/jpeg/encode.js";
import decodeJpeg, { init as initDecode } from "@jsquash/jpeg/decode.js";
import { WebAssemblyNamespace } from "../src/polyfill.ts";
import { CapturedOutput, WASI } from "../src/wasi/mod.ts";
import { repoDir, sharedDir } from "../tests/_shared.ts";
import { firstCallRow, type LargeModule, largestModules } from "./_micro_translate.ts";
import { fmtRatio, geomean, machineInfo, machineLine, table } from "./_report.ts";

const HOST_WASM = globalThis.WebAssembly;
/** A file inside an installed package. */
const pkgFile = (pkg: string, file: string) => join(repoDir(), "node_modules", pkg, file);

/** Runs `f` with `globalThis.WebAssembly` set to the engine's namespace. */
async function onEngine<T>(engine: "native" | "gannet", f: () => Promise<T>): Promise<T> {
  (globalThis as { WebAssembly: unknown }).WebAssembly = engine === "gannet"
    ? WebAssemblyNamespace
    : HOST_WASM;
  try {
    return await f();
  } finally {
    (globalThis as { WebAssembly: unknown }).WebAssembly = HOST_WASM;
  }
}

/** A real program: runs once on the current `WebAssembly`, returns what it printed. */
interface RealProgram {
  name: string;
  what: string;
  run(): Promise<string>;
}

const RUBY_WASM = () => pkgFile("@ruby/3.4-wasm-wasi", "dist/ruby+stdlib.wasm");

const PROGRAMS: RealProgram[] = [
  {
    name: "ruby",
    what: "CRuby 3.4 boot + puts (1..100000).sum",
    async run() {
      const module = await WebAssembly.compile(readFileSync(RUBY_WASM()));
      const stdout = new CapturedOutput();
      const wasi = new WASI({ args: ["ruby"], env: {}, stdout, stderr: "inherit" });
      const { vm } = await RubyVM.instantiateModule({
        module,
        wasip1: wasi as unknown as Parameters<typeof RubyVM.instantiateModule>[0]["wasip1"],
      });
      vm.eval("puts (1..100000).sum; $stdout.flush");
      return stdout.text();
    },
  },
  {
    name: "quickjs",
    what: "QuickJS (quickjs-emscripten): load + a 200k-step JS loop",
    async run() {
      const qjs = await newQuickJSWASMModule(RELEASE_SYNC);
      const vm = qjs.newContext();
      const r = vm.evalCode(`let s = 0, t = "";
        for (let i = 0; i < 200000; i++) { s = (s + i * i % 7) | 0; if (i % 1000 === 0) t += i.toString(36); }
        s + ":" + t.length`);
      const v = vm.dump(vm.unwrapResult(r));
      vm.dispose();
      return String(v);
    },
  },
  {
    name: "jpeg",
    what: "mozjpeg (@jsquash/jpeg): encode + decode 512×512",
    async run() {
      const enc = await WebAssembly.compile(
        readFileSync(pkgFile("@jsquash/jpeg", "codec/enc/mozjpeg_enc.wasm")),
      );
      const dec = await WebAssembly.compile(
        readFileSync(pkgFile("@jsquash/jpeg", "codec/dec/mozjpeg_dec.wasm")),
      );
      await initEncode(enc);
      await initDecode(dec);
      const w = 512, h = 512, data = new Uint8ClampedArray(w * h * 4);
      for (let i = 0; i < w * h; i++) {
        const x = i % w, y = (i / w) | 0;
        data.set([x ^ y, (x * 3 + y) & 255, (x * y) >> 8 & 255, 255], i * 4);
      }
      const jpeg = await encodeJpeg({ data, width: w, height: h, colorSpace: "srgb" } as ImageData);
      const img = await decodeJpeg(jpeg);
      let sum = 0;
      for (let i = 0; i < img.data.length; i++) sum = (sum * 31 + img.data[i]) | 0;
      return `${jpeg.byteLength} bytes, ${img.width}x${img.height}, pixels ${sum}`;
    },
  },
];

function parse(argv: string[]): { only: string[]; runs: number } {
  const o = { only: [] as string[], runs: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--only") o.only = argv[i + 1].split(",");
    else if (argv[i] === "--runs") o.runs = Number(argv[i + 1]);
    else throw new Error(`real: unknown option ${argv[i]}`);
  }
  return o;
}

if (import.meta.main) {
  const o = parse(process.argv.slice(2));
  const want = (n: string) => o.only.length === 0 || o.only.includes(n);
  console.log(machineLine(machineInfo()));
  const rows: string[][] = [], ratios: number[] = [];
  for (const p of PROGRAMS.filter((p) => want(p.name))) {
    let best = { native: Infinity, gannet: Infinity };
    const out: Record<string, string> = {};
    for (let r = 0; r < o.runs; r++) {
      for (const engine of ["native", "gannet"] as const) {
        const t = performance.now();
        out[engine] = await onEngine(engine, () => p.run());
        best = { ...best, [engine]: Math.min(best[engine], performance.now() - t) };
      }
    }
    if (out.native !== out.gannet) {
      throw new Error(`${p.name}: native printed ${out.native}, Gannet ${out.gannet}`);
    }
    ratios.push(best.gannet / best.native);
    rows.push([
      p.name,
      p.what,
      best.native.toFixed(0),
      best.gannet.toFixed(0),
      fmtRatio(best.gannet / best.native),
    ]);
  }
  if (rows.length > 0) {
    console.log(table(["program", "what", "native ms", "gannet ms", "ratio"], rows));
    console.log(`geomean ${fmtRatio(geomean(ratios))} (best of ${o.runs}; outputs equal)`);
  }
  if (want("startup")) {
    const ruby = pkgFile("@ruby/3.4-wasm-wasi", "dist/ruby.debug+stdlib.wasm");
    const mods: LargeModule[] = [
      {
        name: "npm ruby.debug+stdlib.wasm",
        bytes: new Uint8Array(readFileSync(ruby)),
        codeBytes: 0,
      },
      ...largestModules(sharedDir(), 3),
    ];
    const srows: string[][] = [];
    for (const m of mods) {
      const r = await firstCallRow(m, 0);
      srows.push([
        m.name,
        (r.bytes / 1e6).toFixed(1),
        r.nativeMs.toFixed(0),
        r.gannetMs.toFixed(0),
        fmtRatio(r.gannetMs / r.nativeMs),
      ]);
    }
    console.log(
      "time to first instruction (compile + instantiate + run to the first import call):",
    );
    console.log(table(["module", "MB", "native ms", "gannet ms", "ratio"], srows));
  }
}
