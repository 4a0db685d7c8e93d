/**
 * A decode-only walk over function bodies, run on error paths only.
 *
 * The spec decodes a whole module before validating it, so a decoding
 * ("malformed") error anywhere in the code section wins over an error found
 * later — by the decoder in a later section, or by the validator anywhere.
 * The reference decoder also does not stop at a body's declared size: it
 * reads instructions up to the body's final `end` and only then compares
 * positions ("section size mismatch"). This walk does the same when it has
 * the whole binary, so broken binaries get the reference interpreter's
 * message.
 *
 * @module
 */
import { readOp, readValType, skipImmediates } from "./decode_instr.ts";
import type { Features } from "./features.ts";
import { Reader } from "./reader.ts";
import type { Code, ModuleStruct } from "./types.ts";
import { CompileError } from "../errors.ts";

/**
 * Returns the first decoding error in the function bodies of `m`, or null.
 * `bytes` is the binary `m` was decoded from (body offsets index into it);
 * without it each body is read within its own bytes. Errors that are not
 * {@link CompileError}s propagate.
 */
export function findMalformedBody(
  m: ModuleStruct,
  features: Readonly<Features>,
  bytes: Uint8Array | null,
): CompileError | null {
  for (const code of m.codes) {
    try {
      scanBody(code, m.dataCount !== null, features, bytes);
    } catch (e) {
      if (e instanceof CompileError) return e;
      throw e;
    }
  }
  return null;
}

function scanBody(
  code: Code,
  hasDataCount: boolean,
  features: Readonly<Features>,
  bytes: Uint8Array | null,
): void {
  const body = code.body;
  let r: Reader;
  let bodyEnd: number;
  if (bytes !== null && body.offset + body.bytes.length <= bytes.length) {
    r = new Reader(bytes, body.offset);
    bodyEnd = body.offset + body.bytes.length;
  } else {
    r = new Reader(body.bytes);
    r.base = body.offset;
    bodyEnd = body.bytes.length;
  }
  // One entry per open block: true for `if` (where an `else` may come).
  const ifs: boolean[] = [false];
  for (;;) {
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
            if (r.pos !== bodyEnd) r.fail("section size mismatch", r.pos);
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
