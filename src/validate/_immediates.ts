/**
 * The function validator's checks of immediates against the module's index
 * spaces (functions, types, tables, memories, locals, globals, segments),
 * memargs, lane indices, block types and table-driven signatures.
 *
 * Members are public for the validator's other internal files (this file
 * is internal; `FuncValidator` is the entry).
 *
 * @module
 */
import { type MemArg, readMemArg } from "../binary/decode_instr.ts";
import { Imm, OPCODES, type OpInfo, PREFIX } from "../binary/opcodes.ts";
import type { FuncType, GlobalType, TableType } from "../binary/types.ts";
import type { ModuleContext } from "./context.ts";
import { EMPTY, SINGLE } from "./_func_types.ts";
import { TypeStack } from "./_type_stack.ts";

/**
 * Binary-format type codes and the frame kinds of `_type_stack.ts`, declared
 * here on purpose: V8 folds a module's own constants into this hot code but
 * loads imported bindings each time (measured: about 3% of validation time).
 */
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const ADDR = 1;
const K_IF = 2;

/** Parsed `sig` parameter letters, by opcode row index (null: no table signature). */
const SIG_PARAMS: (Uint8Array | null)[] = [];
/** Parsed `sig` result letter, by opcode row index (0: no result). */
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

/** Stack state plus the module context that immediates are checked against. */
export class ImmediateChecks extends TypeStack {
  /** The module's index spaces. */
  readonly ctx: ModuleContext;
  /** Types of the current function's parameters and locals. */
  locals: Uint8Array = new Uint8Array(0);
  /** Scratch memarg, reused so reading one allocates nothing. */
  readonly memarg: MemArg = { align: 0, memory: 0, offset: 0 };

  /** @param ctx The module's index spaces. */
  constructor(ctx: ModuleContext) {
    super();
    this.ctx = ctx;
  }

  /** Reads a block type: 0 (empty), a value type code, or a function type. */
  readBlockType(): FuncType | number {
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

  /** `block`, `loop` or `if` (by `kind`): reads the block type and enters the frame. */
  block(kind: number): void {
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

  /** The type of function `f`. */
  funcType(f: number): FuncType {
    if (f >= this.ctx.funcTypes.length) this.fail(`unknown function ${f}`);
    return this.ctx.types[this.ctx.funcTypes[f]];
  }

  /** Type `x` of the type section. */
  typeAt(x: number): FuncType {
    if (x >= this.ctx.types.length) this.fail(`unknown type ${x}`);
    return this.ctx.types[x];
  }

  /** Table `x`. */
  table(x: number): TableType {
    const t = this.ctx.tables[x];
    if (t === undefined) this.fail(`unknown table ${x}`);
    return t;
  }

  /** The address type (I32 or I64) of memory `x`. */
  memAddr(x: number): number {
    const m = this.ctx.memories[x];
    if (m === undefined) this.fail(`unknown memory ${x}`);
    return m.limits.index64 ? I64 : I32;
  }

  /** The type of local `x`. */
  local(x: number): number {
    if (x >= this.locals.length) this.fail(`unknown local ${x}`);
    return this.locals[x];
  }

  /** Global `x`. */
  global(x: number): GlobalType {
    const g = this.ctx.globals[x];
    if (g === undefined) this.fail(`unknown global ${x}`);
    return g;
  }

  /** Checks data segment index `x` (which needs a data count section). */
  dataIndex(x: number): void {
    if (this.ctx.dataCount === null) {
      this.r.fail("data count section required", this.at);
    }
    if (x >= this.ctx.dataCount) this.fail(`unknown data segment ${x}`);
  }

  /** The element type of element segment `x`. */
  elemType(x: number): number {
    const t = this.ctx.elemTypes[x];
    if (t === undefined) this.fail(`unknown elem segment ${x}`);
    return t;
  }

  /** Applies a table-driven signature; `addr` replaces the `a` letter. */
  applySig(op: OpInfo, addr: number): void {
    const ps = SIG_PARAMS[op.index] as Uint8Array;
    for (let i = ps.length - 1; i >= 0; i--) {
      const t = ps[i];
      this.popT(t === ADDR ? addr : t);
    }
    const res = SIG_RESULT[op.index];
    if (res !== 0) this.push(res === ADDR ? addr : res);
  }

  /** Reads and checks a memarg for `op`; returns the memory's address type. */
  memOp(op: OpInfo): number {
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

  /** Reads and checks the lane index of `op`. */
  lane(op: OpInfo): void {
    const at = this.r.pos;
    const lane = this.r.u8();
    if (lane >= LANES[op.index]) this.failAt(`invalid lane index ${lane} for ${op.name}`, at);
  }
}
