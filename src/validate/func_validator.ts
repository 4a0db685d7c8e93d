/**
 * Validation of one function body: decoding of its instructions (driven by
 * the instruction table) fused with type checking on an operand stack and a
 * control stack, in the spec appendix's algorithm. One validator instance
 * is reused for every function of a module, so its stacks are allocated
 * once; the loop itself allocates nothing per instruction.
 *
 * The stacks live in `_type_stack.ts`, immediate and index-space checks in
 * `_immediates.ts`, prefixed instructions in `_prefixed.ts`; this file has
 * the entry and the dispatch loop over the unprefixed opcodes.
 *
 * @module
 */
import { illegalOpcode, readMemIdx, readOp } from "../binary/decode_instr.ts";
import { CompileError } from "../errors.ts";
import { Imm, opByCode, type OpInfo } from "../binary/opcodes.ts";
import { Reader, UNEXPECTED_END } from "../binary/reader.ts";
import type { Code, FuncType } from "../binary/types.ts";
import type { FuncInfo } from "./context.ts";
import { addrOf, EMPTY, isNumOrVec, sameTypes, SINGLE, typeName } from "./_func_types.ts";
import { ImmediateChecks } from "./_immediates.ts";
import { validatePrefixed } from "./_prefixed.ts";

/**
 * Binary-format type codes and the frame kinds of `_type_stack.ts`, declared
 * here on purpose: V8 folds a module's own constants into this hot code but
 * loads imported bindings each time (measured: about 3% of validation time).
 */
const UNKNOWN = 0;
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;
const FUNCREF = 0x70, EXTERNREF = 0x6f;
const K_BLOCK = 0, K_LOOP = 1, K_IF = 2, K_ELSE = 3, K_FUNC = 4;

/** Unprefixed opcode rows by their byte (undefined: no such instruction). */
const ONE: (OpInfo | undefined)[] = [];
for (let b = 0; b < 256; b++) ONE.push(opByCode(0, b));

/** Validates function bodies against a module context. */
export class FuncValidator extends ImmediateChecks {
  /** Validates defined function `index` (function index space) with body `code`. */
  validate(index: number, code: Code): FuncInfo {
    const typeIndex = this.ctx.funcTypes[index];
    const type = this.ctx.types[typeIndex];
    let n = type.params.length;
    for (const l of code.locals) n += l.count;
    const locals = new Uint8Array(n);
    locals.set(type.params);
    let k = type.params.length;
    for (const l of code.locals) {
      locals.fill(l.type, k, k + l.count);
      k += l.count;
    }
    this.locals = locals;
    const r = new Reader(code.body.bytes);
    r.base = code.body.offset;
    this.reset(index, r);
    this.pushFrame(K_FUNC, EMPTY, type.results);
    this.run();
    return {
      index,
      typeIndex,
      type,
      localTypes: locals,
      maxStackHeight: this.maxSp,
      maxControlDepth: this.maxDepth,
    };
  }

  // ---- the loop ----

  private run(): void {
    const r = this.r;
    const bytes = r.bytes;
    const end = r.end;
    for (;;) {
      if (r.pos >= end) this.overrun();
      const at = r.pos;
      this.at = at;
      const b = bytes[r.pos++];
      switch (b) {
        case 0x00: // unreachable
          this.setUnreachable();
          break;
        case 0x01: // nop
          break;
        case 0x02:
          this.block(K_BLOCK);
          break;
        case 0x03:
          this.block(K_LOOP);
          break;
        case 0x04:
          this.block(K_IF);
          break;
        case 0x05: { // else
          const f = this.frames[this.depth - 1];
          if (f.kind !== K_IF) r.fail("END opcode expected", at);
          this.popFrame();
          this.pushFrame(K_ELSE, f.params, f.results);
          this.pushVals(f.params);
          break;
        }
        case 0x0b: { // end
          const f = this.popFrame();
          if (f.kind === K_IF && !sameTypes(f.params, f.results)) {
            this.fail("type mismatch: if without else must not change the stack's types");
          }
          if (this.depth === 0) {
            if (r.pos !== end) r.fail("section size mismatch", r.pos);
            return;
          }
          this.pushVals(f.results);
          break;
        }
        case 0x0c: { // br
          this.popVals(this.labelTypes(r.u32()));
          this.setUnreachable();
          break;
        }
        case 0x0d: { // br_if
          const ts = this.labelTypes(r.u32());
          this.popT(I32);
          this.popVals(ts);
          this.pushVals(ts);
          break;
        }
        case 0x0e:
          this.brTable();
          break;
        case 0x0f: // return
          this.popVals(this.frames[0].results);
          this.setUnreachable();
          break;
        case 0x10: { // call
          const t = this.funcType(r.u32());
          this.popVals(t.params);
          this.pushVals(t.results);
          break;
        }
        case 0x11: // call_indirect
          this.callIndirect(false);
          break;
        case 0x12: // return_call
          if (!this.ctx.features.tailCall) r.fail(illegalOpcode(0, b), at);
          this.tailCall(this.funcType(r.u32()));
          break;
        case 0x13: // return_call_indirect
          if (!this.ctx.features.tailCall) r.fail(illegalOpcode(0, b), at);
          this.callIndirect(true);
          break;
        case 0x1a: // drop
          this.pop();
          break;
        case 0x1b:
          this.select();
          break;
        case 0x1c: { // select t*
          const n = r.len();
          if (n !== 1) this.fail("invalid result arity");
          const tat = r.pos;
          const t = r.u8();
          if (SINGLE[t] === undefined) r.fail("malformed value type", tat);
          this.popT(I32);
          this.popT(t);
          this.popT(t);
          this.push(t);
          break;
        }
        case 0x20: // local.get
          this.push(this.local(r.u32()));
          break;
        case 0x21: // local.set
          this.popT(this.local(r.u32()));
          break;
        case 0x22: { // local.tee
          const t = this.local(r.u32());
          this.popT(t);
          this.push(t);
          break;
        }
        case 0x23: // global.get
          this.push(this.global(r.u32()).type);
          break;
        case 0x24: { // global.set
          const x = r.u32();
          const g = this.global(x);
          if (!g.mutable) this.fail(`global is immutable: cannot set immutable global ${x}`);
          this.popT(g.type);
          break;
        }
        case 0x25: { // table.get
          const t = this.table(r.u32());
          this.popT(addrOf(t));
          this.push(t.elem);
          break;
        }
        case 0x26: { // table.set
          const t = this.table(r.u32());
          this.popT(t.elem);
          this.popT(addrOf(t));
          break;
        }
        case 0x3f: // memory.size
        case 0x40: { // memory.grow
          const op = ONE[b] as OpInfo;
          this.applySig(op, this.memAddr(readMemIdx(r, this.ctx.features)));
          break;
        }
        case 0x41:
          r.skipS32();
          this.push(I32);
          break;
        case 0x42:
          r.skipS64();
          this.push(I64);
          break;
        case 0x43:
          r.skip(4);
          this.push(F32);
          break;
        case 0x44:
          r.skip(8);
          this.push(F64);
          break;
        case 0xd0: { // ref.null
          const tat = r.pos;
          const t = r.u8();
          if (t !== FUNCREF && t !== EXTERNREF) r.fail("malformed reference type", tat);
          this.push(t);
          break;
        }
        case 0xd1: { // ref.is_null
          const t = this.pop();
          if (t !== UNKNOWN && t !== FUNCREF && t !== EXTERNREF) {
            this.fail(`type mismatch: expected a reference, found ${typeName(t)}`);
          }
          this.push(I32);
          break;
        }
        case 0xd2: { // ref.func
          const x = r.u32();
          this.funcType(x);
          if (this.ctx.refs[x] !== 1) this.fail(`undeclared function reference ${x}`);
          this.push(FUNCREF);
          break;
        }
        case 0xfc:
        case 0xfd:
        case 0xfe:
          r.pos = at;
          validatePrefixed(this, readOp(r, this.ctx.features));
          break;
        default: {
          const op = ONE[b];
          if (op === undefined) {
            throw new CompileError(illegalOpcode(0, b), { offset: at + r.base });
          }
          this.applySig(op, op.imm === Imm.MemArg ? this.memOp(op) : I32);
        }
      }
    }
  }

  /**
   * The body ended before its final `end`. (validateModule then re-reads
   * the bodies as the reference decoder does, which may word it otherwise.)
   */
  private overrun(): never {
    this.r.fail(UNEXPECTED_END, this.r.pos);
  }

  private brTable(): void {
    const r = this.r;
    const n = r.len();
    // Labels are checked as they are read, so the first bad one is reported.
    let arity = -1;
    const start = r.pos;
    for (let i = 0; i <= n; i++) r.u32();
    const after = r.pos;
    r.pos = start;
    this.popT(I32);
    for (let i = 0; i <= n; i++) {
      const ts = this.labelTypes(r.u32());
      if (arity < 0) arity = ts.length;
      else if (ts.length !== arity) {
        this.fail("type mismatch: br_table labels have different arities");
      }
      this.checkTop(ts);
    }
    r.pos = after;
    this.setUnreachable();
  }

  private callIndirect(tail: boolean): void {
    const r = this.r;
    const x = r.u32();
    const tableIdx = r.u32();
    const table = this.table(tableIdx);
    const t = this.typeAt(x);
    if (table.elem !== FUNCREF) {
      this.fail(`type mismatch: table ${tableIdx} is not a funcref table`);
    }
    this.popT(addrOf(table));
    if (tail) {
      this.tailCall(t);
    } else {
      this.popVals(t.params);
      this.pushVals(t.results);
    }
  }

  private tailCall(t: FuncType): void {
    if (!sameTypes(t.results, this.frames[0].results)) {
      this.fail("type mismatch: tail call results differ from the caller's");
    }
    this.popVals(t.params);
    this.setUnreachable();
  }

  private select(): void {
    this.popT(I32);
    const t1 = this.pop();
    const t2 = this.pop();
    if ((t1 !== UNKNOWN && !isNumOrVec(t1)) || (t2 !== UNKNOWN && !isNumOrVec(t2))) {
      this.fail("type mismatch: select without a type needs numeric or vector operands");
    }
    if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.mismatch(t1, t2);
    this.push(t1 === UNKNOWN ? t2 : t1);
  }
}
