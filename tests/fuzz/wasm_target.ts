/**
 * The differential wasm target: binaryen's translate-to-fuzz modules run on
 * Gannet and on the host's native `WebAssembly` with the same imports;
 * traces and final state must agree (see `wasm_case.ts`, `execute.ts`,
 * `compare.ts`). Features: every proposal both sides validate (probes in
 * `features.ts`), adjusted by `--features`.
 *
 * `--set vary=1` makes each seed use a random subset of the features (the
 * generator's choices change with them). `--jit=MODE` (`--set jit=MODE`)
 * runs Gannet's side in that execution tier (`engines.ts`). With `--set native=none` the target runs every module on Gannet alone and
 * fails on anything but a clean run, a trap or a TypeError at the boundary.
 * (A host without native wasm cannot run binaryen, itself wasm, at all; the
 * regression files are checked there against their recorded native trace.)
 *
 * @module
 */
import { binaryenVersion } from "./binaryen.ts";
import { compareTraces, type Divergence } from "./compare.ts";
import { gannetApi, nativeApi, probers } from "./engines.ts";
import { type EngineApi, runModule, type Trace } from "./execute.ts";
import { applyFeatureList, supportedFeatures } from "./features.ts";
import { shrinkModule } from "./reduce.ts";
import { Rng } from "./rng.ts";
import type { CaseOutcome, FuzzTarget, TargetOptions } from "./target.ts";
import { type Gaps, generate, prepare, type PreparedCase } from "./wasm_case.ts";

let features: string[] = [];
let gaps: Gaps = { functionReferences: false };
let gannetSide: EngineApi;
let nativeSide: EngineApi | null = null;
let vary = false;

/** The signature a reduction keeps: which kinds of lines differ, without values. */
function signatureOf(d: Divergence, gannetLine: string, nativeLine: string): string {
  const shape = (line: string) =>
    line.startsWith("exception") || line.startsWith("instantiate")
      ? line.replace(/\d+/g, "N").slice(0, 80)
      : line.split(" ")[0];
  return d.kind === "line" ? `line:${shape(gannetLine)}|${shape(nativeLine)}` : d.kind;
}

/** The modules each side runs for `module`, with this target's features (after `init`). */
export async function preparedFor(module: Uint8Array): Promise<PreparedCase> {
  const c = await prepare(module, features, gaps);
  if ("skipped" in c) throw new Error(`cannot prepare: ${c.skipped}`);
  return c;
}

/** Runs a prepared module on both sides and compares. */
export async function checkModule(module: Uint8Array): Promise<CaseOutcome> {
  const c = await prepare(module, features, gaps);
  if ("skipped" in c) return { status: "skip", detail: c.skipped, tags: [`skipped: ${c.skipped}`] };
  const tags = c.adapted.map((a) => a.startsWith("relaxed") ? a : `adapted: ${a}`);
  const g = runModule(gannetSide, c.gannet, features.includes("exception-handling"));
  if (nativeSide === null) return gannetOnly(g, module, tags);
  const n = runModule(nativeSide, c.native, features.includes("exception-handling"));
  const { divergence, limited } = compareTraces(g, n);
  if (divergence === null) return { status: limited ? "limited" : "pass", tags };
  const at = /^line (\d+)/.exec(divergence.detail);
  const i = at === null ? -1 : Number(at[1]);
  return {
    status: "fail",
    detail: divergence.detail,
    tags,
    input: module,
    signature: signatureOf(divergence, g.lines[i] ?? "", n.lines[i] ?? ""),
  };
}

function gannetOnly(g: Trace, module: Uint8Array, tags: string[]): CaseOutcome {
  const bad = g.lines.find((l) =>
    l.startsWith("exception") && !/RuntimeError|TypeError|Error: js exception/.test(l)
  );
  if (bad === undefined) return { status: "pass", tags };
  return { status: "fail", detail: bad, tags, input: module, signature: bad.slice(0, 60) };
}

/** The target. */
export const target: FuzzTarget = {
  name: "wasm",
  summary: "binaryen translate-to-fuzz modules: Gannet against the host's native WebAssembly",
  async init(options: TargetOptions): Promise<string> {
    gannetSide = gannetApi(options.settings?.jit);
    nativeSide = options.settings?.native === "none" ? null : nativeApi();
    vary = options.settings?.vary === "1";
    const both = await supportedFeatures(probers(nativeSide));
    const gannetHas = await supportedFeatures(probers(null));
    // Binaryen has no switch for function references; they are adapted away.
    gaps = { functionReferences: !gannetHas.includes("function-references") };
    const base = both.filter((f) => f !== "function-references");
    features = options.features === undefined ? base : applyFeatureList(base, options.features);
    const missing = features.filter((f) => !both.includes(f));
    if (missing.length > 0) {
      throw new Error(`not supported by both sides: ${missing.join(", ")}`);
    }
    const native = nativeSide === null ? "none (Gannet only)" : nativeSide.name;
    return `binaryen ${binaryenVersion()}, ${gannetSide.name}, native: ${native}, ` +
      `features: ${features.join(",")}` +
      (gaps.functionReferences
        ? " (ref.as_non_null adapted: Gannet lacks function-references)"
        : "");
  },
  async runSeed(seed: number): Promise<CaseOutcome> {
    // `--set vary=1`: each seed generates with a random subset (binaryen's choices change).
    const rng = new Rng(seed ^ 0x5a5a5a5a);
    const use = vary ? features.filter(() => rng.oneIn(2)) : features;
    const module = await generate(seed, use);
    if (module === null) {
      return { status: "fail", detail: "binaryen failed", signature: "binaryen" };
    }
    return checkModule(module);
  },
  runInput: checkModule,
  shrink: (input: Uint8Array) => shrinkModule(input, features),
};
