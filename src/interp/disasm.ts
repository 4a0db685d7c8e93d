/**
 * Text listing of translated IR code, for debugging and tests.
 *
 * @module
 */

import { instrSize, IR, IR_DEFS } from "./ir_defs.ts";

/** One line per instruction: `pc: name operand…`. */
export function disassemble(code: Int32Array): string {
  const lines: string[] = [];
  let pc = 0;
  while (pc < code.length) {
    const def = IR_DEFS[code[pc]];
    if (def === undefined) {
      lines.push(`${pc}: ??? ${code[pc]}`);
      break;
    }
    const parts: string[] = [];
    let k = pc + 1;
    for (const o of def.operands) {
      if (o.kind === "L") {
        parts.push(`${o.name}=${code[k]}:${code[k + 1]}`);
        k += 2;
        continue;
      }
      const v = code[k++];
      const slot = "ilfvwV".includes(o.kind)
        ? `s${v / 2}`
        : "drs".includes(o.kind)
        ? `s${v}`
        : null;
      parts.push(
        slot !== null ? `${o.name}=${slot}` : o.kind === "@" ? `->${v}` : `${o.name}=${v}`,
      );
    }
    if (code[pc] === IR["br_table"]) {
      const n = code[pc + 2];
      parts.push(Array.from(code.subarray(pc + 3, pc + 4 + n)).map((t) => `->${t}`).join(" "));
    } else if (code[pc] === IR["movs"]) {
      for (let i = 0; i < code[pc + 1]; i++) {
        parts.push(`s${code[pc + 2 + 2 * i] / 2}=s${code[pc + 3 + 2 * i] / 2}`);
      }
    }
    const size = instrSize(code, pc);
    lines.push(`${pc}: ${def.name} ${parts.join(" ")}`);
    pc += size;
  }
  return lines.join("\n");
}
