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
 * A web of both words of a slot accessed only as a float64 (matmul's f64
 * temporaries, in slots that hold i32 values elsewhere) gets a float64
 * satellite. Where an instruction reads a word as one view and writes it
 * as another (a conversion in place), its read and its write belong to
 * different webs: the IR's bodies read their operands before they write.
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
/** A float64 access of the word's slot. */
export const AS_DOUBLE = 128;
/** A fused pair's second part reading what its first wrote (the write's web). */
export const INNER = 512;
/** (Merged per instruction: an int32 write of bits that may be a signalling NaN's.) */
const UNSAFE = 256;

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
  /**
   * The first word a call (or any instruction that leaves compiled code:
   * 0) may write (its results and its callee's frame), or -1.
   */
  clobber: Int32Array;
  /** The words such an instruction reads from its `clobber` on (null: every one). */
  args: readonly (readonly number[] | null)[];
  /** Whether the instruction reads each word before it writes it ({@link INNER} reads excepted). */
  ordered: Uint8Array;
  /** The candidate words, with their homes' kinds. */
  words: ReadonlyMap<number, number>;
  /** Words of the function's parameters. */
  paramWords: number;
}

/** A satellite's view: int32 bits, a float32, a float64 (of the slot its word starts). */
export type SatelliteKind = "i" | "f" | "d";

/** One web of a word (a slot's, for a float64) held in a JS local. */
export interface Satellite {
  /** The word (a float64's: the slot's first). */
  readonly word: number;
  /** Its view. */
  readonly kind: SatelliteKind;
  /** The home it stores back into ({@link CANON_INT} or {@link CANON_MEM}). */
  readonly canon: number;
  /** Its JS local (shared by the word's webs of one view: they are never live together). */
  readonly name: string;
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
  nodes: number[];
}

/**
 * A word's webs: the union-find over access nodes (instruction `i`'s
 * read or only access is node `i`, its write where it reads the word
 * first node `n + i`), what is live where, each node's access bits.
 */
interface WordWebs {
  parent: Int32Array;
  liveIn: Int32Array;
  flags: Uint16Array;
}

/** Candidate words considered at most (the analysis is a pass per word). */
const MAX_WORDS = 256;

/** The satellites of a function, and which one each access takes. */
export class Satellites {
  /** The satellites' locals, each once. */
  readonly locals: Satellite[] = [];
  private readonly byAccess = new Map<number, Satellite>();
  /** Per word with satellites: its webs, and the local of each web held in one. */
  private readonly held = new Map<number, { ww: WordWebs; byRep: Map<number, Satellite> }>();
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
    const weight = loopWeights(input.succ);
    const info = new Map<number, Map<number, Web>>();
    for (const [w, ww] of webs) info.set(w, webInfo(w, ww, n, weight, input.paramWords));
    markUnsafeCopies(input, webs, info, n);
    for (const [w, m] of info) {
      const canon = input.words.get(w)!, ww = webs.get(w)!;
      for (const [rep, web] of m) {
        if (web.flags & FIXED) continue;
        if (web.flags & AS_DOUBLE) {
          // Its twin in the slot's other word takes the same local.
          if (web.flags & (AS_INT | AS_FLOAT) || canon !== CANON_MEM) continue;
          const twin = twinOf(w, web, webs, info, input.words, n);
          if (twin === undefined) continue;
          const sat = this.add(w, "d", canon, rep, ww, web, n);
          for (const node of twin.nodes) this.register(node, w + 1, n, webs.get(w + 1)!, sat);
          continue;
        }
        const kind = web.floats > web.ints && (web.intReads === 0 || web.safe) ? "f" : "i";
        // An int32 home's satellites are float32 ones (its int32 webs are home).
        if (canon === CANON_INT && kind === "i") continue;
        this.add(w, kind, canon, rep, ww, web, n);
      }
    }
  }

  private add(
    w: number,
    kind: SatelliteKind,
    canon: number,
    rep: number,
    ww: WordWebs,
    web: Web,
    n: number,
  ): Satellite {
    let word = this.held.get(w);
    if (word === undefined) this.held.set(w, word = { ww, byRep: new Map() });
    let sat = [...word.byRep.values()].find((x) => x.kind === kind);
    if (sat === undefined) {
      sat = { word: w, kind, canon, name: `$s${w}${kind}` };
      this.locals.push(sat);
    }
    word.byRep.set(rep, sat);
    for (const node of web.nodes) this.register(node, w, n, ww, sat);
    return sat;
  }

  /** Node `node`'s accesses of word `w` take `sat`. */
  private register(node: number, w: number, n: number, ww: WordWebs, sat: Satellite): void {
    const i = node % n, key = (write: number) => (2 * i + write) * this.stride + w;
    if (node >= n) this.byAccess.set(key(1), sat);
    else {
      this.byAccess.set(key(0), sat);
      if (ww.flags[n + i] === 0) this.byAccess.set(key(1), sat);
    }
  }

  /**
   * The satellite a read (or, `write`, a write) of word `w` takes in the
   * instruction at `pc` (-1: none), if any.
   */
  at(pc: number, w: number, write: boolean): Satellite | undefined {
    const i = pc < 0 || pc >= this.index.length ? -1 : this.index[pc];
    if (i < 0 || w >= this.stride) return undefined;
    return this.byAccess.get((2 * i + (write ? 1 : 0)) * this.stride + w);
  }

  /** The satellites that hold their words' values where code resumes at `pc` (-1: nowhere). */
  liveAt(pc: number): Satellite[] {
    const i = pc < 0 || pc >= this.index.length ? -1 : this.index[pc], out: Satellite[] = [];
    if (i < 0) return out;
    for (const { ww, byRep } of this.held.values()) {
      const sat = ww.liveIn[i] < 0 ? undefined : byRep.get(find(ww.parent, ww.liveIn[i]));
      if (sat !== undefined) out.push(sat);
    }
    return out;
  }
}

/** Per instruction: eight per loop around it (up to three loops), from the back edges. */
function loopWeights(succ: readonly (readonly number[])[]): Int32Array {
  const n = succ.length, depth = new Int32Array(n + 1), weight = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (const t of succ[i]) {
      if (t > i) continue;
      depth[t]++;
      depth[i + 1]--;
    }
  }
  for (let i = 0, d = 0; i < n; i++) {
    d += depth[i];
    weight[i] = 1 << (3 * Math.min(d, 3));
  }
  return weight;
}

/** Word `w`'s webs by representative node, with what their accesses are. */
function webInfo(
  w: number,
  ww: WordWebs,
  n: number,
  weight: Int32Array,
  paramWords: number,
): Map<number, Web> {
  const m = new Map<number, Web>();
  for (let node = 0; node < 2 * n; node++) {
    const f = ww.flags[node];
    if (f === 0) continue;
    const r = find(ww.parent, node);
    let web = m.get(r);
    if (web === undefined) {
      web = { flags: 0, ints: 0, floats: 0, intReads: 0, sources: [], safe: true, nodes: [] };
      m.set(r, web);
    }
    web.nodes.push(node);
    web.flags |= f;
    if (f & AS_INT) web.ints += weight[node % n];
    if (f & AS_FLOAT) web.floats += weight[node % n];
    if ((f & AS_INT) && (f & READ)) web.intReads++;
    if (f & UNSAFE) web.safe = false;
  }
  // A parameter's web from the entry stays home (a local's starts as zero bits).
  if (ww.liveIn[0] >= 0 && w < paramWords) m.get(find(ww.parent, ww.liveIn[0]))!.flags |= FIXED;
  return m;
}

/** Copies: a web is safe if every web it copies from is (the greatest fixpoint). */
function markUnsafeCopies(
  input: WebInput,
  webs: ReadonlyMap<number, WordWebs>,
  info: ReadonlyMap<number, Map<number, Web>>,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const mv = input.moves[i];
    for (let j = 0; j < mv.length; j += 2) {
      const to = webs.get(mv[j]), from = webs.get(mv[j + 1]);
      if (to === undefined) continue;
      const toNode = to.flags[n + i] !== 0 ? n + i : i;
      if (to.flags[toNode] === 0) continue;
      const web = info.get(mv[j])!.get(find(to.parent, toNode))!;
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
}

/**
 * Word `w`'s float64 web's twin in word `w + 1` (`w` a slot's first
 * word): a web of only float64 accesses by exactly the same instructions.
 */
function twinOf(
  w: number,
  web: Web,
  webs: ReadonlyMap<number, WordWebs>,
  info: ReadonlyMap<number, Map<number, Web>>,
  words: ReadonlyMap<number, number>,
  n: number,
): Web | undefined {
  if ((w & 1) !== 0 || words.get(w + 1) !== CANON_MEM) return undefined;
  const hi = webs.get(w + 1)!;
  // (A node's instruction: a word's write node where the other word's is its only node.)
  const at = web.nodes[0] % n;
  const node = hi.flags[n + at] !== 0 && web.nodes[0] >= n ? n + at : at;
  const twin = info.get(w + 1)!.get(find(hi.parent, node));
  if (twin === undefined || (twin.flags & (FIXED | AS_INT | AS_FLOAT))) return undefined;
  const of = (x: Web) => [...new Set(x.nodes.map((v) => v % n))].sort((a, b) => a - b).join();
  return of(twin) === of(web) ? twin : undefined;
}

/**
 * The webs of word `w`: backward liveness over the instructions, uniting
 * each access with the accesses live after it (a write with the reads it
 * reaches, a read with the writes that reach it, through the reads it
 * shares them with).
 */
function wordWebs(w: number, input: WebInput, n: number): WordWebs {
  const flags = new Uint16Array(2 * n), reads = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const list = input.access[i];
    let r = 0, wr = 0;
    for (let j = 0; j < list.length; j += 2) {
      if (list[j] !== w) continue;
      const a = list[j + 1], bits = a & ~(SAFE_BITS | MOVE | INNER);
      if (a & INNER) wr |= bits;
      else if (a & WRITE) {
        wr |= bits;
        if ((a & AS_INT) && !(a & (SAFE_BITS | MOVE))) wr |= UNSAFE;
      } else r |= bits;
    }
    // What happens there is out of sight: its words stay home.
    const from = input.clobber[i];
    if (from >= 0 && w >= from) {
      const args = input.args[i];
      if (args === null || args.includes(w)) r |= READ | FIXED;
      wr |= WRITE | FIXED;
    }
    // Read before written in one body: the read sees the earlier writes.
    if (input.ordered[i] && r !== 0 && wr !== 0) {
      flags[i] = r;
      flags[n + i] = wr;
    } else flags[i] = r | wr;
    if (r & READ) reads[i] = 1;
  }
  const parent = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) parent[i] = i;
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
      if (flags[n + i] !== 0) {
        if (out >= 0) union(parent, n + i, out);
        v = i;
      } else if (flags[i] !== 0) {
        if (out >= 0) union(parent, i, out);
        v = reads[i] ? i : -1;
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
