/**
 * The `spectest` host module every spec script may import: print functions
 * (typed, so a wrongly typed import is unlinkable as in the reference
 * interpreter), globals, a table, a 64-bit-indexed table, a memory and a
 * shared memory.
 *
 * @module
 */

import type { FuncType } from "../binary/types.ts";
import { Global } from "../api/global.ts";
import { Memory } from "../api/memory.ts";
import { Table } from "../api/table.ts";
import { exportedFunction } from "../api/exported.ts";
import { hostFunction } from "../api/host.ts";
import { TableInst } from "../runtime/table.ts";
import { wrapTable } from "../api/table.ts";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

/** Where the print functions write (the harness may silence them). */
export let printSink: (line: string) => void = () => {};

/** Sets where spectest's print functions write. */
export function setPrintSink(f: (line: string) => void): void {
  printSink = f;
}

function hostFunc(index: number, params: number[]): unknown {
  const type: FuncType = { params: params as FuncType["params"], results: [] };
  const fn = hostFunction(
    (...args: unknown[]) => {
      printSink(args.map(String).join(" "));
    },
    type,
    false,
    index,
  );
  return exportedFunction(fn);
}

/** A fresh `spectest` namespace object. */
export function spectest(): Record<string, unknown> {
  const table64 = new TableInst(0x70, 10, 20, null, true);
  return {
    print: hostFunc(0, []),
    print_i32: hostFunc(1, [I32]),
    print_i64: hostFunc(2, [I64]),
    print_f32: hostFunc(3, [F32]),
    print_f64: hostFunc(4, [F64]),
    print_i32_f32: hostFunc(5, [I32, F32]),
    print_f64_f64: hostFunc(6, [F64, F64]),
    global_i32: new Global({ value: "i32" }, 666),
    global_i64: new Global({ value: "i64" }, 666n),
    global_f32: new Global({ value: "f32" }, 666.6),
    global_f64: new Global({ value: "f64" }, 666.6),
    table: new Table({ element: "anyfunc", initial: 10, maximum: 20 }),
    table64: wrapTable(table64),
    memory: new Memory({ initial: 1, maximum: 2 }),
    shared_memory: new Memory({ initial: 1, maximum: 2, shared: true }),
  };
}
