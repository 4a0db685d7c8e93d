/**
 * Validation of one function body: decoding of its instructions (driven by
 * the instruction table) fused with type checking on an operand stack and a
 * control stack, in the spec appendix's algorithm. One validator instance
 * is reused for every function of a module, so its stacks are allocated
 * once; the loop itself allocates nothing per instruction.
 *
 * @module
 */
import { illegalOpcode, readMemArg, readMemIdx, readOp } from "../binary/decode_instr.ts";
import { CompileError } from "../errors.ts";
import type { MemArg } from "../binary/decode_instr.ts";
import { Imm, opByCode, OPCODES, type OpInfo, PREFIX } from "../binary/opcodes.ts";
import { Reader, UNEXPECTED_END } from "../binary/reader.ts";
import type { Code, FuncType, GlobalType, TableType } from "../binary/types.ts";
import { valTypeName } from "../binary/types.ts";
import { invalid } from "./_errors.ts";
import type { FuncInfo, ModuleContext } from "./context.ts";

/** Stack slot for a value of unknown type (below an unreachable point). */
const UNKNOWN = 0;
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const FUNCREF = 0x70, EXTERNREF = 0x6f;
/** Placeholder in signatures for the address type of the named memory. */
const ADDR = 1;

const K_BLOCK = 0, K_LOOP = 1, K_IF = 2, K_ELSE = 3, K_FUNC = 4;

/** Parsed `sig` strings, by opcode row index. */
const SIG_PARAMS: (Uint8Array | null)[] = [];
const SIG_RESULT: number[] = [];
/** Number of lanes for lane-indexed instructions, by row index. */
const LANES: number[] = [];
const LETTER: Record<string, number> = { i: I32, l: I64, f: F32, d: F64, v: V128, a: ADDR };
for (const op of OPCODES) {
  if (op.sig === null) {
    SIG_PARAMS.push(null);
    SIG_RESULT.push(0);
  } else {
    const [p, r] = op.sig.split(":");
    SIG_PARAMS.push(Uint8Array.from(p, (c) => LETTER[c]));
    SIG_RESULT.push(r === "" ? 0 : LETTER[r]);
  }
  const m = /x(\d+)\./.exec(op.name);
  LANES.push(op.imm === Imm.MemArgLane ? 16 >> op.align : m ? Number(m[1]) : 0);
}
const ONE: (OpInfo | undefined)[] = [];
for (let b = 0; b < 256; b++) ONE.push(opByCode(0, b));

const EMPTY: readonly number[] = [];
const SINGLE: Record<number, readonly number[]> = {};
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF]) SINGLE[t] = [t];

/** One control frame; frames are pooled and reused. */
class Frame {
  kind = K_BLOCK;
  params: readonly number[] = EMPTY;
  results: readonly number[] = EMPTY;
  height = 0;
  unreachable = false;
}

function addrOf(t: TableType): number {
  return t.limits.index64 ? I64 : I32;
}

function typeName(t: number): string {
  return t === UNKNOWN ? "unknown" : valTypeName(t);
}

function isNumOrVec(t: number): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64 || t === V128;
}

/** Validates function bodies against a module context. */
export class FuncValidator {
  private readonly ctx: ModuleContext;
  private stack = new Uint8Array(256);
  private sp = 0;
  private maxSp = 0;
  private frames: Frame[] = [];
  private depth = 0;
  /** The current frame's stack height and unreachable flag (cached from `frames`). */
  private base = 0;
  private poly = false;
  private maxDepth = 0;
  private locals: Uint8Array = new Uint8Array(0);
  /** Function index being validated, for messages. */
  private index = 0;
  private r: Reader = new Reader(new Uint8Array(0));
  /** Offset (in `r`) of the instruction being checked, for messages. */
  private at = 0;
  private readonly memarg: MemArg = { align: 0, memory: 0, offset: 0 };

  /** @param ctx The module's index spaces. */
  constructor(ctx: ModuleContext) {
    this.ctx = ctx;
  }

  /** Validates defined function `index` (function index space) with body `code`. */
  validate(index: number, code: Code): FuncInfo {
    const ctx = this.ctx;
    this.index = index;
    const typeIndex = ctx.funcTypes[index];
    const type = ctx.types[typeIndex];
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
    this.r = r;
    this.sp = 0;
    this.maxSp = 0;
    this.depth = 0;
    this.maxDepth = 0;
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

  // ---- errors ----

  private fail(message: string): never {
    invalid(message, this.at + this.r.base, `function ${this.index}`);
  }

  private mismatch(expected: number, got: number | null): never {
    const found = got === null ? "nothing" : typeName(got);
    this.fail(`type mismatch: expected ${typeName(expected)}, found ${found}`);
  }

  // ---- operand stack ----

  private push(t: number): void {
    if (this.sp === this.stack.length) {
      const bigger = new Uint8Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.sp++] = t;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  /** Pops any value; UNKNOWN when the frame is unreachable and empty. */
  private pop(): number {
    if (this.sp === this.base) {
      if (this.poly) return UNKNOWN;
      this.fail("type mismatch: expected a value, found nothing");
    }
    return this.stack[--this.sp];
  }

  /** Pops a value that must have type `t` (or be unknown). */
  private popT(t: number): number {
    if (this.sp === this.base) {
      if (this.poly) return UNKNOWN;
      this.mismatch(t, null);
    }
    const got = this.stack[--this.sp];
    if (got !== t && got !== UNKNOWN) this.mismatch(t, got);
    return got;
  }

  private popVals(ts: readonly number[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popT(ts[i]);
  }

  private pushVals(ts: readonly number[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]);
  }

  /** Checks that the top of the stack matches `ts` without popping. */
  private checkTop(ts: readonly number[]): void {
    let p = this.sp;
    for (let i = ts.length - 1; i >= 0; i--) {
      if (p === this.base) {
        if (this.poly) return;
        this.mismatch(ts[i], null);
      }
      const got = this.stack[--p];
      if (got !== ts[i] && got !== UNKNOWN) this.mismatch(ts[i], got);
    }
  }

  // ---- control stack ----

  private pushFrame(kind: number, params: readonly number[], results: readonly number[]): void {
    if (this.depth === this.frames.length) this.frames.push(new Frame());
    const f = this.frames[this.depth++];
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    f.kind = kind;
    f.params = params;
    f.results = results;
    f.height = this.sp;
    f.unreachable = false;
    this.base = this.sp;
    this.poly = false;
  }

  private popFrame(): Frame {
    const f = this.frames[this.depth - 1];
    this.popVals(f.results);
    if (this.sp !== f.height) {
      this.fail(`type mismatch: ${this.sp - f.height} extra value(s) at the end of a block`);
    }
    this.depth--;
    if (this.depth > 0) {
      const outer = this.frames[this.depth - 1];
      this.base = outer.height;
      this.poly = outer.unreachable;
    }
    return f;
  }

  private setUnreachable(): void {
    this.frames[this.depth - 1].unreachable = true;
    this.sp = this.base;
    this.poly = true;
  }

  private labelTypes(l: number): readonly number[] {
    if (l >= this.depth) this.fail(`unknown label ${l}`);
    const f = this.frames[this.depth - 1 - l];
    return f.kind === K_LOOP ? f.params : f.results;
  }

  // ---- immediates and index spaces ----

  private readBlockType(): FuncType | number {
    const r = this.r;
    const b = r.peek();
    if (b === 0x40) {
      r.pos++;
      return 0;
    }
    if (b >= 0 && (b & 0xc0) === 0x40) {
      r.pos++;
      if (SINGLE[b] === undefined) r.fail("malformed value type", r.pos - 1);
      return b;
    }
    const x = r.s33();
    if (x < 0 || x >= this.ctx.types.length) this.fail(`unknown type ${x}`);
    return this.ctx.types[x];
  }

  private block(kind: number): void {
    const bt = this.readBlockType();
    if (kind === K_IF) this.popT(I32);
    if (typeof bt === "number") {
      this.pushFrame(kind, EMPTY, bt === 0 ? EMPTY : SINGLE[bt]);
    } else {
      this.popVals(bt.params);
      this.pushFrame(kind, bt.params, bt.results);
      this.pushVals(bt.params);
    }
  }

  private funcType(f: number): FuncType {
    if (f >= this.ctx.funcTypes.length) this.fail(`unknown function ${f}`);
    return this.ctx.types[this.ctx.funcTypes[f]];
  }

  private typeAt(x: number): FuncType {
    if (x >= this.ctx.types.length) this.fail(`unknown type ${x}`);
    return this.ctx.types[x];
  }

  private table(x: number): TableType {
    const t = this.ctx.tables[x];
    if (t === undefined) this.fail(`unknown table ${x}`);
    return t;
  }

  private memAddr(x: number): number {
    const m = this.ctx.memories[x];
    if (m === undefined) this.fail(`unknown memory ${x}`);
    return m.limits.index64 ? I64 : I32;
  }

  private local(x: number): number {
    if (x >= this.locals.length) this.fail(`unknown local ${x}`);
    return this.locals[x];
  }

  private global(x: number): GlobalType {
    const g = this.ctx.globals[x];
    if (g === undefined) this.fail(`unknown global ${x}`);
    return g;
  }

  private dataIndex(x: number): void {
    if (this.ctx.dataCount === null) {
      this.r.fail("data count section required", this.at);
    }
    if (x >= this.ctx.dataCount) this.fail(`unknown data segment ${x}`);
  }

  private elemType(x: number): number {
    const t = this.ctx.elemTypes[x];
    if (t === undefined) this.fail(`unknown elem segment ${x}`);
    return t;
  }

  /** Applies a table-driven signature; `addr` replaces the `a` letter. */
  private applySig(op: OpInfo, addr: number): void {
    const ps = SIG_PARAMS[op.index] as Uint8Array;
    for (let i = ps.length - 1; i >= 0; i--) {
      const t = ps[i];
      this.popT(t === ADDR ? addr : t);
    }
    const res = SIG_RESULT[op.index];
    if (res !== 0) this.push(res === ADDR ? addr : res);
  }

  /** Reads and checks a memarg for `op`; returns the memory's address type. */
  private memOp(op: OpInfo): number {
    const m = readMemArg(this.r, this.ctx.features, this.memarg);
    const addr = this.memAddr(m.memory);
    if (op.prefix === PREFIX.FE) {
      if (m.align !== op.align) this.fail("atomic alignment must be natural");
    } else if (m.align > op.align) {
      this.fail("alignment must not be larger than natural");
    }
    if (addr === I32 && m.offset >= 0x1_0000_0000) this.fail("offset out of range");
    return addr;
  }

  private lane(op: OpInfo): void {
    const at = this.r.pos;
    const lane = this.r.u8();
    if (lane >= LANES[op.index]) {
      invalid(
        `invalid lane index ${lane} for ${op.name}`,
        at + this.r.base,
        `function ${this.index}`,
      );
    }
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
          this.prefixed(readOp(r, this.ctx.features));
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

  /** Instructions after a 0xfc, 0xfd or 0xfe prefix. */
  private prefixed(op: OpInfo): void {
    const r = this.r;
    if (op.prefix === PREFIX.FC) {
      switch (op.code) {
        case 8: { // memory.init
          const d = r.u32();
          const addr = this.memAddr(readMemIdx(r, this.ctx.features));
          this.dataIndex(d);
          this.applySig(op, addr);
          return;
        }
        case 9: // data.drop
          this.dataIndex(r.u32());
          return;
        case 10: { // memory.copy
          const dst = this.memAddr(readMemIdx(r, this.ctx.features));
          const src = this.memAddr(readMemIdx(r, this.ctx.features));
          this.popT(dst === I64 && src === I64 ? I64 : I32);
          this.popT(src);
          this.popT(dst);
          return;
        }
        case 11: // memory.fill
          this.applySig(op, this.memAddr(readMemIdx(r, this.ctx.features)));
          return;
        case 12: { // table.init
          const e = r.u32();
          const t = this.table(r.u32());
          if (this.elemType(e) !== t.elem) {
            this.fail("type mismatch: element and table types differ");
          }
          this.popT(I32);
          this.popT(I32);
          this.popT(addrOf(t));
          return;
        }
        case 13: // elem.drop
          this.elemType(r.u32());
          return;
        case 14: { // table.copy
          const dst = this.table(r.u32());
          const src = this.table(r.u32());
          if (dst.elem !== src.elem) this.fail("type mismatch: table element types differ");
          this.popT(addrOf(dst) === I64 && addrOf(src) === I64 ? I64 : I32);
          this.popT(addrOf(src));
          this.popT(addrOf(dst));
          return;
        }
        case 15: { // table.grow
          const t = this.table(r.u32());
          this.popT(addrOf(t));
          this.popT(t.elem);
          this.push(addrOf(t));
          return;
        }
        case 16: // table.size
          this.push(addrOf(this.table(r.u32())));
          return;
        case 17: { // table.fill
          const t = this.table(r.u32());
          this.popT(addrOf(t));
          this.popT(t.elem);
          this.popT(addrOf(t));
          return;
        }
        default:
          this.applySig(op, I32);
          return;
      }
    }
    switch (op.imm) {
      case Imm.None:
        this.applySig(op, I32);
        return;
      case Imm.MemArg:
        this.applySig(op, this.memOp(op));
        return;
      case Imm.MemArgLane: {
        const addr = this.memOp(op);
        this.lane(op);
        this.applySig(op, addr);
        return;
      }
      case Imm.V128:
        r.skip(16);
        this.push(V128);
        return;
      case Imm.Shuffle: {
        for (let i = 0; i < 16; i++) {
          const at = r.pos;
          if (r.u8() >= 32) invalid("invalid lane index", at + r.base, `function ${this.index}`);
        }
        this.applySig(op, I32);
        return;
      }
      case Imm.Lane:
        this.lane(op);
        this.applySig(op, I32);
        return;
      case Imm.Zero: { // atomic.fence
        const at = r.pos;
        if (r.u8() !== 0) r.fail("zero byte expected", at);
        return;
      }
      default:
        throw new Error(`unhandled immediate shape for ${op.name}`);
    }
  }
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
