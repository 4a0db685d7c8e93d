/**
 * `gannet run --invoke`: the type of an exported function, its arguments
 * parsed from the command line, its results printed; and the usage error
 * every `run` parser throws.
 *
 * @module
 */
import { ExternKind, type FuncType, type ModuleStruct, valTypeName } from "../binary/types.ts";

/** A command-line mistake (exit status 2). */
export class UsageError extends Error {}

/** The type of function `index` (imports first). */
export function funcType(s: ModuleStruct, index: number): FuncType {
  const imported = s.imports.filter((im) => im.desc.kind === ExternKind.func);
  if (index < imported.length) return s.types[(imported[index].desc as { type: number }).type];
  return s.types[s.funcs[index - imported.length]];
}

/** Parses a command-line argument as a wasm value of type `t`. */
export function parseValue(t: number, text: string, at: number): unknown {
  const bad = (): never => {
    throw new UsageError(
      `argument ${at + 1} (${JSON.stringify(text)}) is not a valid ${valTypeName(t)}`,
    );
  };
  switch (valTypeName(t)) {
    case "i32": {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) bad();
      const n = Number(text);
      if (n < -(2 ** 31) || n >= 2 ** 32) bad();
      return n | 0;
    }
    case "i64": {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) bad();
      const neg = text.startsWith("-");
      const n = BigInt(neg || text.startsWith("+") ? text.slice(1) : text);
      const v = neg ? -n : n;
      if (v < -(2n ** 63n) || v >= 2n ** 64n) bad();
      return BigInt.asIntN(64, v);
    }
    case "f32":
    case "f64": {
      const lower = text.toLowerCase();
      if (lower === "nan") return NaN;
      if (lower === "inf" || lower === "+inf" || lower === "infinity") return Infinity;
      if (lower === "-inf" || lower === "-infinity") return -Infinity;
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n)) bad();
      return n;
    }
    default:
      throw new UsageError(
        `--invoke: parameters of type ${valTypeName(t)} cannot be given on the command line`,
      );
  }
}

/** A result as `--invoke` prints it. */
export function formatValue(v: unknown): string {
  if (typeof v === "number" && Number.isNaN(v)) return "NaN";
  if (v === null) return "null";
  return String(v);
}
