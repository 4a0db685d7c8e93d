/**
 * One case of the differential wasm fuzzer: a seed becomes random bytes,
 * binaryen's translate-to-fuzz turns them into a valid module using the
 * chosen features (NaNs removed with `--denan`: their bit patterns are
 * nondeterministic by the spec, and every NaN rule is covered by the spec
 * tests instead), its state is exposed through exports, and the native
 * engine gets a copy with relaxed SIMD made deterministic.
 *
 * For a Gannet build without typed function references (its probe in
 * `features.ts` fails), the `ref.as_non_null` that binaryen emits with plain
 * reference types (to pass non-null funcrefs to its `call-ref` import) is
 * removed from both sides' module and the case counted as adapted.
 *
 * @module
 */
import { exposeState } from "./augment.ts";
import { wasmOpt, wasmToWat, watToWasm } from "./binaryen.ts";
import { binaryenFlags } from "./features.ts";
import { lowerRelaxedSimd } from "./relaxed_lowering.ts";
import { Rng } from "./rng.ts";

/** The two modules of a case. */
export interface PreparedCase {
  /** What Gannet runs. */
  gannet: Uint8Array;
  /** What the native engine runs (differs only when relaxed SIMD was lowered). */
  native: Uint8Array;
  /** What was adapted: for features Gannet lacks, and relaxed SIMD lowered on the native side. */
  adapted: string[];
}

/** A module that cannot be run without a feature Gannet lacks. */
export interface SkippedCase {
  /** Why. */
  skipped: string;
}

/**
 * Binaryen's generator for `seed`: a module using `features`, or null if
 * binaryen failed. The seed also picks the input size (up to 64 KiB, mostly
 * up to 16), whether binaryen shapes the module further with random
 * optimization passes (`--fuzz-passes`), and whether memory accesses may go
 * out of bounds — as binaryen's own fuzzer varies them.
 */
export async function generate(
  seed: number,
  features: readonly string[],
): Promise<Uint8Array | null> {
  const rng = new Rng(seed);
  const size = 512 + rng.int(rng.oneIn(4) ? 64 * 1024 : 16 * 1024);
  const args = ["-ttf", "--denan", ...binaryenFlags(features)];
  // V8 rejects modules mixing legacy and new exception handling: keep the new.
  if (features.includes("exception-handling")) args.push("--translate-to-exnref");
  if (rng.oneIn(2)) args.push("--fuzz-passes");
  if (rng.oneIn(2)) args.push("--no-fuzz-oob");
  return (await wasmOpt(rng.bytes(size), args)).output;
}

const AS_NON_NULL = /\(ref\.as_non_null(?=[\s)])/g;

/** Removes `(ref.as_non_null X)` → `X` from binaryen text (its operands are folded). */
function stripAsNonNull(wat: string): string {
  const out: string[] = [];
  let at = 0;
  for (const m of wat.matchAll(AS_NON_NULL)) {
    // Drop the opening "(ref.as_non_null" and its matching ")".
    const open = m.index!;
    let depth = 0, i = open, close = -1;
    for (; i < wat.length; i++) {
      const c = wat[i];
      if (c === '"') i = skipString(wat, i);
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) {
        close = i;
        break;
      }
    }
    if (close < 0 || open < at) continue;
    out.push(wat.slice(at, open), wat.slice(open + m[0].length, close));
    at = close + 1;
  }
  out.push(wat.slice(at));
  return out.join("");
}

function skipString(s: string, i: number): number {
  for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
  return i;
}

/** What Gannet lacks, as far as {@link prepare} must adapt modules. */
export interface Gaps {
  /** Gannet's side lacks typed function references (`ref.as_non_null`). */
  functionReferences: boolean;
}

/** The modules each side runs for a generated (or reduced) module. */
export async function prepare(
  module: Uint8Array,
  features: readonly string[],
  gaps: Gaps,
): Promise<PreparedCase | SkippedCase> {
  const flags = binaryenFlags(features);
  const relaxed = features.includes("relaxed-simd");
  const adapted: string[] = [];
  if (!relaxed && !gaps.functionReferences) {
    const bytes = exposeState(module);
    return { gannet: bytes, native: bytes, adapted };
  }
  let wat = await wasmToWat(module, flags);
  if (wat === null) throw new Error("binaryen could not print the module");
  let common = module;
  if (gaps.functionReferences && wat.includes("(ref.as_non_null")) {
    // Nested ones survive inside the text kept from the outer one: repeat.
    for (let prev = ""; prev !== wat;) [prev, wat] = [wat, stripAsNonNull(wat)];
    const bytes = await watToWasm(wat, flags);
    // Non-null types elsewhere (a typed select, say) need function references.
    if (bytes === null) return { skipped: "needs function-references" };
    common = bytes;
    adapted.push("ref.as_non_null removed");
  }
  let lowered: Uint8Array | null = null;
  if (relaxed) {
    const text = lowerRelaxedSimd(wat);
    if (text !== wat) {
      lowered = await watToWasm(text, flags);
      if (lowered === null) throw new Error("binaryen rejected the relaxed-SIMD lowering");
      // Both sides get binaryen's re-encoding, so that they differ only in the
      // lowering: writing a module again changes more than that (it drops or
      // rewrites the dead code of -ttf output, which may even be invalid).
      if (common === module) {
        const same = await watToWasm(wat, flags);
        if (same === null) throw new Error("binaryen could not re-encode the module");
        common = same;
      }
      adapted.push("relaxed SIMD made deterministic on the native side");
    }
  }
  const gannet = exposeState(common);
  return { gannet, native: lowered === null ? gannet : exposeState(lowered), adapted };
}
