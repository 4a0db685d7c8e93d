/**
 * A decode-only pass over function bodies, used when validation failed: a
 * decoding ("malformed") error anywhere in the code section takes
 * precedence over a validation error, as in the spec, where a module is
 * decoded entirely before it is validated.
 *
 * @module
 */
import { readOp, readValType, skipImmediates } from "../binary/decode_instr.ts";
import type { Features } from "../binary/features.ts";
import { Reader, UNEXPECTED_END } from "../binary/reader.ts";
import type { Code, ModuleStruct } from "../binary/types.ts";
import { CompileError } from "../errors.ts";
import { InvalidError } from "./_errors.ts";

/**
 * Message for a body whose bytes ran out before its final `end`. The
 * reference decoder does not stop at the declared body size, so what it
 * reports depends on the bytes that follow in the binary.
 */
export function overrunMessage(code: Code, depth: number): string {
  const b = code.body.bytes;
  const whole = new Uint8Array(b.buffer, b.byteOffset);
  const next = b.length < whole.length ? whole[b.length] : -1;
  if (next < 0) return UNEXPECTED_END;
  if (next === 0x0b && depth === 1) return "section size mismatch";
  return "END opcode expected";
}

/** Returns the first decoding error in any function body, or null. */
export function findMalformedBody(
  m: ModuleStruct,
  features: Readonly<Features>,
): CompileError | null {
  for (const code of m.codes) {
    try {
      scanBody(code, m.dataCount !== null, features);
    } catch (e) {
      if (e instanceof CompileError && !(e instanceof InvalidError)) return e;
      throw e;
    }
  }
  return null;
}

function scanBody(code: Code, hasDataCount: boolean, features: Readonly<Features>): void {
  const r = new Reader(code.body.bytes);
  r.base = code.body.offset;
  // true for `if` frames (where an `else` may appear)
  const ifs: boolean[] = [false];
  for (;;) {
    if (r.eof()) r.fail(overrunMessage(code, ifs.length), r.pos);
    const at = r.pos;
    const op = readOp(r, features);
    if (op.prefix === 0) {
      switch (op.code) {
        case 0x02:
        case 0x03:
        case 0x04: {
          const b = r.peek();
          if (b >= 0 && (b & 0xc0) === 0x40) {
            if (b !== 0x40) readValType(r);
            else r.pos++;
          } else {
            r.s33();
          }
          ifs.push(op.code === 0x04);
          continue;
        }
        case 0x05:
          if (!ifs[ifs.length - 1]) r.fail("END opcode expected", at);
          ifs[ifs.length - 1] = false;
          continue;
        case 0x0b:
          ifs.pop();
          if (ifs.length === 0) {
            if (!r.eof()) r.fail("section size mismatch", r.pos);
            return;
          }
          continue;
      }
    } else if (op.prefix === 0xfc && (op.code === 8 || op.code === 9) && !hasDataCount) {
      r.fail("data count section required", at);
    }
    skipImmediates(r, op, features);
  }
}
