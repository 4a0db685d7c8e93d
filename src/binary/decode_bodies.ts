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
import { readOp, skipImmediates } from "./decode_instr.ts";
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

const OTHER = 0, IF = 1, TRY = 2;

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
  // One entry per open block: what may follow inside it (`else` after an
  // `if`, legacy `catch`/`catch_all`/`delegate` after a `try`).
  const blocks: number[] = [OTHER];
  for (;;) {
    const at = r.pos;
    const op = readOp(r, features);
    if (op.prefix === 0) {
      switch (op.code) {
        case 0x02:
        case 0x03:
        case 0x04:
        case 0x06:
        case 0x1f:
          skipImmediates(r, op, features);
          blocks.push(op.code === 0x04 ? IF : op.code === 0x06 ? TRY : OTHER);
          continue;
        case 0x05:
          if (blocks[blocks.length - 1] !== IF) r.fail("END opcode expected", at);
          blocks[blocks.length - 1] = OTHER;
          continue;
        case 0x07:
        case 0x19:
          if (blocks[blocks.length - 1] !== TRY) r.fail("END opcode expected", at);
          skipImmediates(r, op, features);
          continue;
        case 0x18: // delegate: ends a try
          if (blocks[blocks.length - 1] !== TRY) r.fail("END opcode expected", at);
          skipImmediates(r, op, features);
          blocks.pop();
          continue;
        case 0x0b:
          blocks.pop();
          if (blocks.length === 0) {
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
