/**
 * Compares Gannet's trace with the native engine's. Lines must be equal,
 * except exception lines: the class must match, and for traps the message
 * too — Gannet uses the spec's words, the native engine its own, so each
 * native message maps to the spec messages it may stand for (V8 says
 * "divide by zero" where the spec says "integer divide by zero", and folds
 * "uninitialized element" and "indirect call type mismatch" into "null
 * function or function signature mismatch"). For a TypeError or a
 * LinkError the JS API fixes no message, so only the class is compared.
 *
 * A host limit (stack exhaustion on either side) ends the comparison at
 * that call: V8's stack and Gannet's frame limit differ by design.
 *
 * @module
 */
import { isHostLimit, type Trace } from "./execute.ts";

/** V8's trap messages → the spec's (`src/errors.ts`). */
const V8_TRAPS: Readonly<Record<string, readonly string[]>> = {
  "unreachable": ["unreachable"],
  // An atomic access both unaligned and out of bounds may report either (below).
  "memory access out of bounds": ["out of bounds memory access", "unaligned atomic"],
  // The threads spec has one trap for "out of bounds or unaligned"; on an
  // access that is both, V8 reports the alignment and Gannet the bounds.
  "operation does not support unaligned accesses": [
    "unaligned atomic",
    "out of bounds memory access",
  ],
  "divide by zero": ["integer divide by zero"],
  "remainder by zero": ["integer divide by zero"],
  "divide result unrepresentable": ["integer overflow"],
  "float unrepresentable in integer range": ["integer overflow", "invalid conversion to integer"],
  "table index is out of bounds": ["undefined element", "out of bounds table access"],
  "null function": ["uninitialized element"],
  "function signature mismatch": ["indirect call type mismatch"],
  // V8 before 13: one message for both.
  "null function or function signature mismatch": [
    "uninitialized element",
    "indirect call type mismatch",
  ],
  "data segment out of bounds": ["out of bounds memory access"],
  "element segment out of bounds": ["out of bounds table access"],
  "dereferencing a null pointer": [
    "null reference",
    "null function reference",
    "null structure reference",
    "null array reference",
    "null i31 reference",
  ],
  "rethrowing null value": ["null exception reference"],
  "illegal cast": ["cast failure"],
  "array element access out of bounds": ["out of bounds array access"],
  "requested new array is too large": ["array too large"],
};

/** JavaScriptCore's (Bun's) trap messages → the spec's. */
const JSC_TRAPS: Readonly<Record<string, readonly string[]>> = {
  "Unreachable code should not be executed": ["unreachable"],
  "Out of bounds memory access": ["out of bounds memory access", "unaligned atomic"],
  "Division by zero": ["integer divide by zero"],
  "Integer overflow": ["integer overflow"],
  "Out of bounds Trunc operation": ["integer overflow", "invalid conversion to integer"],
  "Out of bounds call_indirect": ["undefined element"],
  "call_indirect to a null table entry": ["uninitialized element"],
  // JSC says this for a null entry too.
  "call_indirect to a signature that does not match": [
    "indirect call type mismatch",
    "uninitialized element",
  ],
  "Out of bounds table access": ["out of bounds table access"],
  "Unaligned memory access": ["unaligned atomic", "out of bounds memory access"],
  "Out of bounds memory.init": ["out of bounds memory access"],
  "Out of bounds table.init": ["out of bounds table access"],
  "Out of bounds memory.copy": ["out of bounds memory access"],
  "Out of bounds memory.fill": ["out of bounds memory access"],
  "Out of bounds table.copy": ["out of bounds table access"],
  "Out of bounds table.fill": ["out of bounds table access"],
  "Out of bounds elem.init": ["out of bounds table access"],
  "call_ref to a null reference": ["null function reference", "null reference"],
  // Exception handling and GC (strings from JSC's WasmExceptionType).
  "throw_ref on a null reference": ["null exception reference"],
  "ref.as_non_null to a null reference": ["null reference"],
  "ref.cast failed to cast reference to target heap type": ["cast failure"],
  // JSC's one message for struct.get/set and array.get/set/len/fill/copy on
  // null, and for a null reaching a `ref.cast` to a non-nullable type (the
  // spec's "cast failure"; fuzz seed 409 under Bun).
  "access to a null reference": [
    "null reference",
    "cast failure",
    "null structure reference",
    "null array reference",
  ],
  "i31.get_<sx> to a null reference": ["null i31 reference", "null reference"],
  "array.init_data to a null reference": ["null array reference", "null reference"],
  "array.init_elem to a null reference": ["null array reference", "null reference"],
  "Out of bounds array.get": ["out of bounds array access"],
  "Out of bounds array.set": ["out of bounds array access"],
  "Out of bounds array.fill": ["out of bounds array access"],
  "Out of bounds array.copy": ["out of bounds array access"],
  // The array or the segment: JSC names the instruction, the spec the range.
  "Out of bounds array.init_data": ["out of bounds array access", "out of bounds memory access"],
  "Out of bounds array.init_elem": ["out of bounds array access", "out of bounds table access"],
  "Offset + array length would exceed the size of a data segment": [
    "out of bounds memory access",
  ],
  "Offset + array length would exceed the length of an element segment": [
    "out of bounds table access",
  ],
  "Out of bounds or failed to allocate in array.new_data": [
    "out of bounds memory access",
    "array too large",
  ],
  "Out of bounds or failed to allocate in array.new_elem": [
    "out of bounds table access",
    "array too large",
  ],
  "Failed to allocate new array": ["array too large"],
};

const TRAP_TABLES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  v8: V8_TRAPS,
  jsc: JSC_TRAPS,
};

/**
 * JavaScriptCore's deviations from the JS API, so that Bun's native engine
 * can serve as an oracle: reading a v128 or exnref global's value throws a
 * RuntimeError (the JS API says TypeError).
 */
function isJscQuirk(g: { cls: string }, n: { cls: string; message: string }): boolean {
  return g.cls === "TypeError" && n.cls === "RuntimeError" &&
    /^Cannot get value of (v128|exnref) global/.test(n.message);
}

/**
 * JavaScriptCore reads a `nullexnref` global's value as `null`; the JS API
 * throws a TypeError for every type matching exnref, as V8 does (Bun wasm
 * seed 1594).
 */
function isJscNullExnGlobal(gannet: string, native: string): boolean {
  const m = /^(global \S+ )exception TypeError: .*\bnoexnref\b/.exec(gannet);
  return m !== null && native === `${m[1]}null`;
}

/**
 * A JavaScriptCore validation gap the fuzzer met, where V8 and Gannet agree:
 * JSC rejects some valid modules with "br / br_if's target N exceeds control
 * stack size N" (binaryen's `-ttf` output; the same module re-encoded by
 * `wasm-opt` passes). Bun cannot judge such a module, so the case counts as
 * limited by the host; the V8 runs still check Gannet on it.
 */
function isJscValidationGap(gannet: string, native: string): boolean {
  const rejects = (line: string) => line.startsWith("instantiate exception CompileError:");
  return rejects(native) && !rejects(gannet) && native.includes("exceeds control stack size");
}

/** Splits "exception Class: message" into its parts (null for other lines). */
function parseException(line: string): { prefix: string; cls: string; message: string } | null {
  const m = /^(.*?)exception ([A-Za-z]+): ?(.*)$/s.exec(line);
  return m === null ? null : { prefix: m[1], cls: m[2], message: m[3] };
}

/** Whether Gannet's line and the native engine's mean the same. */
export function sameLine(gannet: string, native: string, nativeEngine: string): boolean {
  if (gannet === native) return true;
  if (nativeEngine === "jsc" && isJscNullExnGlobal(gannet, native)) return true;
  const g = parseException(gannet), n = parseException(native);
  if (g === null || n === null || g.prefix !== n.prefix) return false;
  if (nativeEngine === "jsc" && isJscQuirk(g, n)) return true;
  if (g.cls !== n.cls) return false;
  if (g.cls === "RuntimeError") {
    // JSC adds " (evaluating '…')" to its messages.
    const message = n.message.replace(/ \(evaluating '.*'\)$/s, "");
    const table = TRAP_TABLES[nativeEngine] ?? {};
    const key = Object.keys(table).find((k) => message === k);
    // Gannet may name the index after the spec's words ("undefined element 81").
    return key !== undefined &&
      table[key].some((spec) => g.message === spec || g.message.startsWith(`${spec} `));
  }
  if (g.cls === "Error") return g.message === n.message;
  return true; // TypeError, LinkError, RangeError…: the class is what the JS API fixes
}

/** The first difference between two traces, or null when they agree. */
export interface Divergence {
  /** What differs, for a report (and the signature a reduction must keep). */
  kind: "line" | "length" | "memory";
  /** Human-readable detail. */
  detail: string;
}

/** Compares the traces; `limited` is set when a host limit cut the comparison short. */
export function compareTraces(
  gannet: Trace,
  native: Trace,
): { divergence: Divergence | null; limited: boolean } {
  const a = gannet.lines, b = native.lines;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (isHostLimit(a[i]) || isHostLimit(b[i])) return { divergence: null, limited: true };
    if (native.engine === "jsc" && isJscValidationGap(a[i], b[i])) {
      return { divergence: null, limited: true };
    }
    if (!sameLine(a[i], b[i], native.engine)) {
      const context = a.slice(Math.max(0, i - 3), i).map((s) => `    ${s}`).join("\n");
      return {
        divergence: {
          kind: "line",
          detail: `line ${i}:\n${context}\n  gannet: ${a[i]}\n  ${native.engine}: ${b[i]}`,
        },
        limited: false,
      };
    }
  }
  const rest = a.length > n ? a[n] : b.length > n ? b[n] : undefined;
  if (rest !== undefined) {
    if (isHostLimit(rest)) return { divergence: null, limited: true };
    const who = a.length > n ? "gannet" : native.engine;
    return {
      divergence: { kind: "length", detail: `line ${n}: only ${who} has ${rest}` },
      limited: false,
    };
  }
  for (const name of new Set([...Object.keys(gannet.memories), ...Object.keys(native.memories)])) {
    const x = gannet.memories[name], y = native.memories[name];
    if (x === undefined || y === undefined || x.length !== y.length) {
      return {
        divergence: {
          kind: "memory",
          detail: `${name}: size ${x?.length} vs ${y?.length}`,
        },
        limited: false,
      };
    }
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) {
        return {
          divergence: {
            kind: "memory",
            detail: `${name}[${i}]: gannet ${x[i]}, ${native.engine} ${y[i]}`,
          },
          limited: false,
        };
      }
    }
  }
  return { divergence: null, limited: false };
}
