/**
 * Satellites: a register the translator reuses for values of different
 * views in different places (simd_dot's v128 words are f32 lanes in one
 * loop and i32 or i16 lanes in the next; a word that is an f64's half in
 * one place and an i32 lane elsewhere) gets one home for the whole
 * function (homes.ts), so one of its uses converts at every access or
 * goes through the register file. Where such a word's values form
 * separate _webs_ — each a set of writes and the reads they reach,
 * connected where a read may see more than one write — a web whose
 * accesses would be cheaper in another home gets a JS local of its own,
 * a satellite of the word's home.
 *
 * A satellite is loaded from the register file where a slice starts (as
 * every home is), and stored back into the word's home at each exit where
 * it holds the word's value (where its web is live at the instruction the
 * code resumes at). Nothing else reads the home there: every other
 * access of the web goes through the satellite, and the accesses that
 * must see the home (calls, returns, cold ops, index operands, f64 and
 * i64 views) keep their web in the home.
 *
 * A float32 satellite converts int32 bits to a JS number, which quiets a
 * signalling NaN. So it takes a web only where that cannot be observed:
 * the web is never read as int32 bits, or every int32 write into it is a
 * constant that is no signalling NaN or a copy of such a web (the
 * accumulators `const128 0` starts).
 *
 * @module
 */

/** How an instruction accesses a word (bits of {@link WebInput}'s lists). */
export const READ = 1, WRITE = 2, AS_INT = 4, AS_FLOAT = 8, FIXED = 16;
/** An int32 write of known bits that are no f32 signalling NaN. */
export const SAFE_BITS = 32;
/** An int32 write copying another word (its source in {@link WebInput.moves}). */
export const MOVE = 64;
/** (Merged per instruction: an int32 write of bits that may be a signalling NaN's.) */
const UNSAFE = 128;

/** Homes a satellite's word may have (homes.ts's INT and MEM). */
export const CANON_INT = 1, CANON_MEM = 0;

/** What finding satellites needs, per instruction (by index, in code order). */
export interface WebInput {
  /** Successors of each instruction. */
  succ: readonly (readonly number[])[];
  /** `[word, bits]` pairs of each instruction's accesses. */
  access: readonly (readonly number[])[];
  /** `[word, source word]` pairs of each instruction's int32 copies. */
  moves: readonly (readonly number[])[];
  /** Whether the instruction leaves compiled code (the interpreter may read any word). */
  exit: Uint8Array;
  /** A direct call's base slot (words from twice it on are the callee's), or -1. */
  callBase: Int32Array;
  /** The candidate words, with their homes' kinds. */
  words: ReadonlyMap<number, number>;
  /** Words of the function's parameters. */
  paramWords: number;
}

/** A JS local holding one web of a word. */
export interface Satellite {
  /** The word. */
  readonly word: number;
  /** A float32 local (else an int32 one). */
  readonly float: boolean;
  /** The home it stores back into ({@link CANON_INT} or {@link CANON_MEM}). */
  readonly canon: number;
  /** Its JS name. */
  readonly name: string;
  /** Per instruction: whether its web is live there (the local holds the word's value). */
  readonly live: Uint8Array;
}

/** One web's accesses. */
interface Web {
  flags: number;
  ints: number;
  floats: number;
  intReads: number;
  /** Webs (word, rep) whose bits it copies. */
  sources: [number, number][];
  safe: boolean;
}

/** A word's webs: the union-find over instructions and what is live where. */
interface WordWebs {
  parent: Int32Array;
  liveIn: Int32Array;
  flags: Uint8Array;
}

/** Candidate words considered at most (the analysis is a pass per word). */
const MAX_WORDS = 256;

/** The satellites of a function, and which one each access takes. */
export class Satellites {
  /** Every satellite. */
  readonly list: Satellite[] = [];
  private readonly byAccess = new Map<number, Satellite>();
  private readonly stride: number;
  private readonly index: Int32Array;

  /**
   * Finds them in `input` (`words`: the function's register words;
   * `index`: pc → instruction number).
   */
  constructor(input: WebInput, words: number, index: Int32Array) {
    this.stride = words + 1;
    this.index = index;
    const n = input.succ.length;
    if (input.words.size === 0 || input.words.size > MAX_WORDS) return;
    const webs = new Map<number, WordWebs>();
    for (const w of input.words.keys()) webs.set(w, wordWebs(w, input, n));
    // An access counts eight times per loop around it (up to three).
    const depth = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      for (const t of input.succ[i]) {
        if (t > i) continue;
        depth[t]++;
        depth[i + 1]--;
      }
    }
    const weight = new Int32Array(n);
    for (let i = 0, d = 0; i < n; i++) {
      d += depth[i];
      weight[i] = 1 << (3 * Math.min(d, 3));
    }
    // Per web: what its accesses are.
    const info = new Map<number, Map<number, Web>>();
    for (const [w, ww] of webs) {
      const m = new Map<number, Web>();
      for (let i = 0; i < n; i++) {
        const f = ww.flags[i];
        if (f === 0) continue;
        const r = find(ww.parent, i);
        let web = m.get(r);
        if (web === undefined) {
          web = { flags: 0, ints: 0, floats: 0, intReads: 0, sources: [], safe: true };
          m.set(r, web);
        }
        web.flags |= f;
        if (f & AS_INT) web.ints += weight[i];
        if (f & AS_FLOAT) web.floats += weight[i];
        if ((f & AS_INT) && (f & READ)) web.intReads++;
        if (f & UNSAFE) web.safe = false;
      }
      // A parameter's web from the entry stays home (a local's starts as zero bits).
      if (ww.liveIn[0] >= 0 && w < input.paramWords) {
        m.get(find(ww.parent, ww.liveIn[0]))!.flags |= FIXED;
      }
      info.set(w, m);
    }
    // Copies: a web is safe if every web it copies from is (greatest fixpoint).
    for (let i = 0; i < n; i++) {
      const mv = input.moves[i];
      for (let j = 0; j < mv.length; j += 2) {
        const to = webs.get(mv[j]), from = webs.get(mv[j + 1]);
        if (to === undefined || to.flags[i] === 0) continue;
        const web = info.get(mv[j])!.get(find(to.parent, i))!;
        if (from === undefined || from.flags[i] === 0) web.safe = false;
        else web.sources.push([mv[j + 1], find(from.parent, i)]);
      }
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const m of info.values()) {
        for (const web of m.values()) {
          if (web.safe && web.sources.some(([w, r]) => !info.get(w)!.get(r)!.safe)) {
            web.safe = false;
            changed = true;
          }
        }
      }
    }
    for (const [w, m] of info) {
      const canon = input.words.get(w)!, ww = webs.get(w)!;
      let k = 0;
      for (const [rep, web] of m) {
        if (web.flags & FIXED) continue;
        const float = web.floats > web.ints && (web.intReads === 0 || web.safe);
        // An int32 home's satellites are float32 ones (its int32 webs are home).
        if (canon === CANON_INT && !float) continue;
        const live = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          if (ww.liveIn[i] >= 0 && find(ww.parent, ww.liveIn[i]) === rep) live[i] = 1;
        }
        const sat: Satellite = { word: w, float, canon, name: `$s${w}_${k++}`, live };
        this.list.push(sat);
        for (let i = 0; i < n; i++) {
          if (ww.flags[i] !== 0 && find(ww.parent, i) === rep) {
            this.byAccess.set(i * this.stride + w, sat);
          }
        }
      }
    }
  }

  /** The satellite word `w`'s accesses take in the instruction at `pc` (-1: none), if any. */
  at(pc: number, w: number): Satellite | undefined {
    const i = pc < 0 || pc >= this.index.length ? -1 : this.index[pc];
    return i < 0 || w >= this.stride ? undefined : this.byAccess.get(i * this.stride + w);
  }

  /** Whether `sat` holds its word's value where code resumes at `pc` (-1: nowhere). */
  liveAt(sat: Satellite, pc: number): boolean {
    const i = pc < 0 || pc >= this.index.length ? -1 : this.index[pc];
    return i >= 0 && sat.live[i] === 1;
  }
}

/**
 * The webs of word `w`: backward liveness over the instructions, uniting
 * each access with the accesses live after it (a write with the reads it
 * reaches, a read with the writes that reach it, through the reads it
 * shares them with).
 */
function wordWebs(w: number, input: WebInput, n: number): WordWebs {
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const list = input.access[i];
    let f = 0;
    for (let j = 0; j < list.length; j += 2) {
      if (list[j] !== w) continue;
      const a = list[j + 1];
      f |= a & ~(SAFE_BITS | MOVE);
      if ((a & WRITE) && (a & AS_INT) && !(a & (SAFE_BITS | MOVE))) f |= UNSAFE;
    }
    // A read that is a write too is both (its operands are read first).
    if (input.exit[i]) f |= READ;
    const base = input.callBase[i];
    if (base >= 0 && w >= 2 * base) f |= READ | WRITE | FIXED;
    flags[i] = f;
  }
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const liveIn = new Int32Array(n).fill(-1);
  // Until liveness is stable, then once more for the unions it implies.
  for (let last = false, done = false; !done;) {
    let changed = false;
    for (let i = n - 1; i >= 0; i--) {
      let out = -1;
      for (const s of input.succ[i]) {
        const v = liveIn[s];
        if (v < 0) continue;
        out = out < 0 ? find(parent, v) : union(parent, out, v);
      }
      let v = out;
      if (flags[i] !== 0) {
        if (out >= 0) union(parent, i, out);
        v = flags[i] & READ ? i : -1;
      }
      if ((v < 0) !== (liveIn[i] < 0)) changed = true;
      liveIn[i] = v;
    }
    done = last;
    last = !changed;
  }
  return { parent, liveIn, flags };
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a), rb = find(parent, b);
  if (ra !== rb) parent[rb] = ra;
  return ra;
}

/** Whether int32 bits `v` are a float32 signalling NaN (which a JS number cannot hold). */
export function signallingF32(v: number): boolean {
  return (v & 0x7f800000) === 0x7f800000 && (v & 0x007fffff) !== 0 && (v & 0x00400000) === 0;
}
