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
import { type MemArg, readBlockType, readMemArg } from "../binary/decode_instr.ts";
import { readHeapType, readValType } from "../binary/decode_types.ts";
import { Imm, OPCODES, type OpInfo, PREFIX } from "../binary/opcodes.ts";
import type { FieldType, FuncType, GlobalType, TableType } from "../binary/types.ts";
import { concreteHeap, heapIndex, NON_NULL } from "../binary/valtype.ts";
import type { ModuleContext } from "./context.ts";
import { EMPTY, single } from "./_func_types.ts";
import { TypeStack } from "./_type_stack.ts";
import { type CanonType, canonType as canonTypeOf } from "./type_store.ts";

/**
 * Binary-format type codes and the frame kinds of `_type_stack.ts`, declared
 * here on purpose: V8 folds a module's own constants into this hot code but
 * loads imported bindings each time (measured: about 3% of validation time).
 */
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const ADDR = 1;
const K_IF = 2;
/** The smallest concrete heap type (`valtype.ts`): anything below is a number or abstract type. */
const CONCRETE = 0x200;

/** Parsed `sig` parameter letters, by opcode row index (null: no table signature). */
const SIG_PARAMS: (Uint8Array | null)[] = [];
/** Parsed `sig` result letter, by opcode row index (0: no result). */
const SIG_RESULT: number[] = [];
/** The type of a block without values. */
const NO_VALUES: FuncType = { params: EMPTY as number[], results: EMPTY as number[] };

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
  locals: Int32Array = new Int32Array(0);
  /** Globals that may be read: all of them in code, fewer in constant expressions. */
  globalLimit = 0;
  /** Scratch memarg, reused so reading one allocates nothing. */
  readonly memarg: MemArg = { align: 0, memory: 0, offset: 0 };

  /** @param ctx The module's index spaces. */
  constructor(ctx: ModuleContext) {
    super();
    this.ctx = ctx;
  }

  /** Reads a block type as the function type it stands for. */
  readBlockType(): FuncType {
    const bt = readBlockType(this.r, this.ctx.features);
    if (bt === -1) return NO_VALUES;
    if (bt >= 0) return { params: EMPTY as number[], results: single(this.val(bt)) as number[] };
    return this.funcTypeAt(-2 - bt);
  }

  /** `block`, `loop`, `if` or `try` (by `kind`): reads the block type and enters the frame. */
  block(kind: number): void {
    const bt = this.readBlockType();
    if (kind === K_IF) this.popT(I32);
    this.popVals(bt.params);
    this.pushFrame(kind, bt.params, bt.results);
    this.pushVals(bt.params);
  }

  /** The type of function `f`. */
  funcType(f: number): CanonType {
    if (f >= this.ctx.funcTypes.length) this.fail(`unknown function ${f}`);
    return this.ctx.types[this.ctx.funcTypes[f]];
  }

  /** Type `x` of the type section. */
  typeAt(x: number): CanonType {
    if (x >= this.ctx.types.length) this.fail(`unknown type ${x}`);
    return this.ctx.types[x];
  }

  /** Type `x`, which must be a function type. */
  funcTypeAt(x: number): CanonType {
    const t = this.typeAt(x);
    if (t.kind !== 0) this.fail(`non-function type ${x}`);
    return t;
  }

  /** Type `x`, which must be a struct type; returns its fields. */
  structType(x: number): readonly FieldType[] {
    const t = this.typeAt(x);
    if (t.kind !== 1) this.fail(`non-structure type ${x}`);
    return t.fields;
  }

  /** Type `x`, which must be an array type; returns its element field. */
  arrayType(x: number): FieldType {
    const t = this.typeAt(x);
    if (t.kind !== 2) this.fail(`non-array type ${x}`);
    return t.fields[0];
  }

  /** The reference type `(ref null? $x)` for type index `x` (canonical). */
  refTo(x: number, nullable: boolean): number {
    const h = concreteHeap(this.ctx.typeIds[x]);
    return nullable ? h : h | NON_NULL;
  }

  /** A value type read from the module, made canonical ("unknown type" if out of range). */
  val(t: number): number {
    if (t < CONCRETE) return t;
    const x = heapIndex(t & ~NON_NULL);
    if (x >= this.ctx.typeIds.length) this.fail(`unknown type ${x}`);
    return concreteHeap(this.ctx.typeIds[x]) | (t & NON_NULL);
  }

  /** Reads a value type immediate (canonical). */
  readVal(): number {
    return this.val(readValType(this.r, this.ctx.features));
  }

  /** Reads a heap type immediate (canonical). */
  readHeap(): number {
    return this.val(readHeapType(this.r, this.ctx.features));
  }

  /** Tag `x`: the canonical function type of its parameters. */
  tag(x: number): CanonType {
    const id = this.ctx.tags[x];
    if (id === undefined) this.fail(`unknown tag ${x}`);
    return canonTypeOf(id);
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
    const g = x < this.globalLimit ? this.ctx.globals[x] : undefined;
    if (g === undefined) this.fail(`unknown global ${x}`);
    return g;
  }

  /** Checks data segment index `x` (which, in code, needs a data count section). */
  dataIndex(x: number): void {
    // Function bodies need the data count section; constant expressions
    // (index -1) come before the data section's count is needed.
    const count = this.index < 0 ? this.ctx.datas : this.ctx.dataCount;
    if (count === null) this.r.fail("data count section required", this.at);
    if (x >= count) this.fail(`unknown data segment ${x}`);
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
