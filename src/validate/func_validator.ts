/**
 * Validation of one function body: decoding of its instructions (driven by
 * the instruction table) fused with type checking on an operand stack and a
 * control stack, in the spec appendix's algorithm. One validator instance
 * is reused for every function of a module, so its stacks are allocated
 * once; the loop itself allocates nothing per instruction.
 *
 * The stacks live in `_type_stack.ts`, immediate and index-space checks in
 * `_immediates.ts`, prefixed instructions in `_prefixed.ts`, the families
 * of unprefixed ones with more than a line of checking in `_control.ts`,
 * `_typed_refs.ts` and `_exceptions.ts`, the constness of constant
 * expressions in `_constness.ts`; this file has the entries and the
 * dispatch loop over the unprefixed opcodes.
 *
 * @module
 */
import { illegalOpcode, readMemIdx, readOp } from "../binary/decode_instr.ts";
import { CompileError } from "../errors.ts";
import { Imm, opByCode, type OpInfo } from "../binary/opcodes.ts";
import { Reader, UNEXPECTED_END } from "../binary/reader.ts";
import type { Code, Expr } from "../binary/types.ts";
import { isDefaultable, isNumOrVec } from "../binary/valtype.ts";
import type { FuncInfo } from "./context.ts";
import { addrOf, EMPTY, single } from "./_func_types.ts";
import { ImmediateChecks } from "./_immediates.ts";
import { validatePrefixed } from "./_prefixed.ts";
import { validateGc } from "./_gc.ts";
import { checkConstness } from "./_constness.ts";
import {
  validateBrTable,
  validateCallIndirect,
  validateCallRef,
  validateTailCall,
} from "./_control.ts";
import { validateTypedRef } from "./_typed_refs.ts";
import {
  validateCatch,
  validateDelegate,
  validateRethrow,
  validateThrow,
  validateThrowRef,
  validateTryTable,
} from "./_exceptions.ts";
import { isSubResult } from "./type_store.ts";

/**
 * Binary-format type codes and the frame kinds of `_type_stack.ts`, declared
 * here on purpose: V8 folds a module's own constants into this hot code but
 * loads imported bindings each time (measured: about 3% of validation time).
 */
const UNKNOWN = 0;
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;
const K_BLOCK = 0, K_LOOP = 1, K_IF = 2, K_ELSE = 3, K_FUNC = 4, K_TRY = 5;

const NO_LOCALS = new Int32Array(0);
const NO_INIT = new Uint8Array(0);

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
    const locals = new Int32Array(n);
    const init = new Uint8Array(n);
    locals.set(type.params);
    init.fill(1, 0, type.params.length);
    let k = type.params.length;
    const r = new Reader(code.body.bytes);
    r.base = code.body.offset;
    this.reset(index, r);
    for (const l of code.locals) {
      const t = this.val(l.type);
      locals.fill(t, k, k + l.count);
      if (isDefaultable(t)) init.fill(1, k, k + l.count);
      k += l.count;
    }
    this.locals = locals;
    this.localInit = init;
    this.globalLimit = this.ctx.globals.length;
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

  /**
   * Validates constant expression `expr` (a global's or a table's
   * initialiser, a segment's offset or element), which must produce one
   * value of type `expected` and may read the first `visibleGlobals`
   * globals. As the reference interpreter does, every instruction must be
   * constant before any type is looked at.
   */
  validateConst(expr: Expr, expected: number, visibleGlobals: number, where: string): void {
    const r = new Reader(expr.bytes);
    r.base = expr.offset;
    this.reset(-1, r, where);
    this.globalLimit = visibleGlobals;
    checkConstness(this);
    r.pos = 0;
    this.locals = NO_LOCALS;
    this.localInit = NO_INIT;
    this.pushFrame(K_FUNC, EMPTY, single(expected));
    this.run();
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
        case 0x06: // try (legacy)
        case 0x07: // catch (legacy)
        case 0x08: // throw
        case 0x09: // rethrow (legacy)
        case 0x0a: // throw_ref
        case 0x18: // delegate (legacy)
        case 0x19: // catch_all (legacy)
        case 0x1f: // try_table
          r.pos = at;
          this.exception(readOp(r, this.ctx.features).code);
          break;
        case 0x0b: { // end
          const f = this.popFrame();
          if (f.kind === K_IF && !isSubResult(f.params, f.results)) {
            this.fail(
              `type mismatch: block requires ${this.names(f.results)} but stack has ${
                this.names(f.params)
              }`,
            );
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
          validateBrTable(this);
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
          validateCallIndirect(this, false);
          break;
        case 0x12: // return_call
          if (!this.ctx.features.tailCall) r.fail(illegalOpcode(0, b), at);
          validateTailCall(this, this.funcType(r.u32()));
          break;
        case 0x13: // return_call_indirect
          if (!this.ctx.features.tailCall) r.fail(illegalOpcode(0, b), at);
          validateCallIndirect(this, true);
          break;
        case 0x14: // call_ref
        case 0x15: // return_call_ref
          r.pos = at;
          readOp(r, this.ctx.features); // illegal while typed references are off
          validateCallRef(this, b === 0x15);
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
          const t = this.readVal();
          this.popT(I32);
          this.popT(t);
          this.popT(t);
          this.push(t);
          break;
        }
        case 0x20: { // local.get
          const x = r.u32();
          const t = this.local(x);
          if (this.localInit[x] === 0) this.fail("uninitialized local");
          this.push(t);
          break;
        }
        case 0x21: { // local.set
          const x = r.u32();
          this.popT(this.local(x));
          this.initLocal(x);
          break;
        }
        case 0x22: { // local.tee
          const x = r.u32();
          const t = this.local(x);
          this.popT(t);
          this.initLocal(x);
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
        case 0xd0: // ref.null
          this.push(this.readHeap());
          break;
        case 0xd1: // ref.is_null
          this.popRef();
          this.push(I32);
          break;
        case 0xd2: { // ref.func
          const x = r.u32();
          this.funcType(x);
          if (this.ctx.refs[x] !== 1) this.fail(`undeclared function reference ${x}`);
          this.push(this.refTo(this.ctx.funcTypes[x], false));
          break;
        }
        case 0xd3: // ref.eq
        case 0xd4: // ref.as_non_null
        case 0xd5: // br_on_null
        case 0xd6: // br_on_non_null
          r.pos = at;
          validateTypedRef(this, readOp(r, this.ctx.features).code);
          break;
        case 0xfb:
          r.pos = at;
          validateGc(this, readOp(r, this.ctx.features));
          break;
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

  /** Exception handling's one-byte instructions (see `_exceptions.ts`). */
  private exception(code: number): void {
    switch (code) {
      case 0x06:
        return this.block(K_TRY);
      case 0x07:
        return validateCatch(this, false);
      case 0x08:
        return validateThrow(this);
      case 0x09:
        return validateRethrow(this);
      case 0x0a:
        return validateThrowRef(this);
      case 0x18:
        return validateDelegate(this);
      case 0x19:
        return validateCatch(this, true);
      default:
        return validateTryTable(this);
    }
  }

  private select(): void {
    this.popT(I32);
    const t1 = this.pop();
    const t2 = this.pop();
    if ((t1 !== UNKNOWN && !isNumOrVec(t1)) || (t2 !== UNKNOWN && !isNumOrVec(t2))) {
      const t = t2 !== UNKNOWN && !isNumOrVec(t2) ? t2 : t1;
      this.fail(
        `type mismatch: instruction requires numeric or vector type but stack has ${this.name(t)}`,
      );
    }
    if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.mismatch(t1, t2);
    this.push(t1 === UNKNOWN ? t2 : t1);
  }
}
