/**
 * When code gets compiled. The driver (`interp/execute.ts`) asks before
 * every slice that starts in a function without compiled code, passing
 * the transfers made since the previous sample; a slice ends where the
 * budget runs out, a call leaves compiled code, or a call goes out of line,
 * so the samples land on functions in proportion to the transfers made in
 * them (a sampling profiler that costs the dispatch loop nothing). A
 * function whose samples add up to {@link HOT_TRANSFERS} is compiled; the
 * next slice then enters it at the slice's pc (a loop header, a return
 * site: on-stack entry), so a `main` that never returns is compiled too.
 *
 * Modes (`Store`'s `jit` option, `gannet run --jit`): `off` interprets,
 * `auto` compiles what gets hot where the host allows code generation,
 * `eager` compiles every function on its first slice (for testing).
 *
 * @module
 */

import type { CompiledCode, FuncInst } from "../runtime/func.ts";
import { JIT_AUTO, JIT_DEFAULT, JIT_EAGER, JIT_OFF, type StoreState } from "../runtime/store.ts";
import { SLICE, tiering } from "../interp/slice.ts";
import { compileFunction } from "./compile.ts";

/** A JIT mode by name. */
export type JitMode = "off" | "auto" | "eager";

/** Mode numbers by name (the store keeps numbers). */
export const JIT_MODES: Readonly<Record<JitMode, number>> = {
  off: JIT_OFF,
  auto: JIT_AUTO,
  eager: JIT_EAGER,
};

/**
 * Sampled transfers that make a function hot. A slice is at most 32,768
 * transfers, so a loop that fills one is compiled at its next slice;
 * every sample also weighs {@link ENTRY_WEIGHT}, so a small function
 * entered from compiled code (each call a slice) is compiled after a few
 * hundred calls.
 */
export const HOT_TRANSFERS = 20_000;
/** Weight of one sample on top of its transfers. */
export const ENTRY_WEIGHT = 64;
/**
 * More transfers per IR word of the function: compiling costs about its
 * size (emitting, parsing, V8's optimization), so a large function must be
 * hotter to pay it back. Measured on the largest module in ../shared
 * (sightglass regex, 882 KB): with a flat 20,000 it compiled 24 functions
 * (567,000 characters, 0.9 s) and ran 2.9 s CPU against 2.4 s interpreted.
 * 200 per word kept large `main`s that run a hot loop interpreted for about
 * 100 ms (bigint's: 1,553 words, 330,000 transfers); 100 made quicksort
 * 10% and sha256 5% faster, and regex's time to first result and CPU time
 * did not get worse (1.38/1.14 s against 1.49/1.20 s, 2 runs each).
 */
export const HOT_PER_WORD = 100;

/**
 * Slice length (transfers) for a function the JIT has not compiled yet
 * but may: an interpreted slice runs on through the compiled callers it
 * returns to, so a full slice (32,768) entered from compiled code spent
 * most of it interpreting them (CoreMark: 12.9 M transfers interpreted,
 * 1.4 M with this; its score did not change measurably).
 */
export const PROFILING_SLICE = 2048;

/**
 * Interpreted slices in a row that start in the same function and use
 * their whole budget, after which it is compiled however large: a loop
 * that keeps running (a large `main`'s hot loop) would otherwise run
 * interpreted until its function's size-scaled heat is reached, while the
 * host has not yet optimized the dispatch loop itself (about 1 µs per
 * transfer then: the bench programs' `main`s ran 100–140 ms interpreted).
 * With it (`gannet run`, CPU, 4–5 interleaved runs): mandelbrot −11%,
 * nbody −12%, matmul −8%, quicksort −8%, memops −8%, bigint −7%; the
 * largest module's time to first result and CoreMark unchanged.
 */
export const LOOP_SLICES = 4;
/**
 * The function the previous interpreted slice started in (weakly: it must
 * not keep its instance alive), and how many slices in a row ran whole there.
 */
let streakOf: WeakRef<FuncInst> | null = null, streak = 0;

/**
 * The default mode: `auto`, or the `GANNET_JIT` environment variable's
 * (`off`, `auto`, `eager`) where the host has one, so that any test suite
 * can run with the JIT forced on or off (`GANNET_JIT=eager deno test -A`).
 */
let defaultMode = JIT_AUTO;
{
  // On Deno, through Deno.env where reading it is allowed (touching
  // `process` there loads Node's compatibility layer: ~30 ms of start-up).
  const host = globalThis as {
    Deno?: typeof Deno;
    process?: { env?: Record<string, string | undefined> };
  };
  const name = "GANNET_JIT";
  const env = host.Deno !== undefined
    ? host.Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
      ? host.Deno.env.get(name)
      : undefined
    : host.process?.env?.[name];
  if (env === "off" || env === "auto" || env === "eager") defaultMode = JIT_MODES[env];
}

/** Sets the engine's default mode (stores whose `jit` option is unset). */
export function setDefaultJit(mode: JitMode): void {
  defaultMode = JIT_MODES[mode];
}

/** The engine's default mode. */
export function defaultJit(): JitMode {
  return defaultMode === JIT_OFF ? "off" : defaultMode === JIT_EAGER ? "eager" : "auto";
}

function tierUp(
  fn: FuncInst,
  store: StoreState,
  weight: number,
): CompiledCode | null {
  const mode = store.jit === JIT_DEFAULT ? defaultMode : store.jit;
  tiering.interpreted = SLICE;
  if (mode === JIT_OFF || fn.heat === -Infinity) return null;
  if (mode === JIT_AUTO) {
    fn.heat += weight + ENTRY_WEIGHT;
    // Whole slices one after another in one function: a loop that runs on.
    const same = streakOf?.deref() === fn;
    streak = same && weight >= PROFILING_SLICE ? streak + 1 : 0;
    if (!same) streakOf = new WeakRef(fn);
    if (
      streak < LOOP_SLICES && fn.heat < HOT_TRANSFERS + HOT_PER_WORD * (fn.code?.length ?? 0)
    ) {
      // A function not yet hot runs a short slice: compiled callers it
      // returns to get back into their code sooner, and the samples land
      // on functions more finely.
      tiering.interpreted = PROFILING_SLICE;
      return null;
    }
  }
  const c = compileFunction(fn);
  if (c === null) fn.heat = -Infinity;
  fn.jit = c;
  fn.direct = c === null ? null : (c as CompiledCode & { direct: CompiledCode }).direct;
  return c;
}

/** Installs the JIT into the driver (idempotent; done by importing the engine's entry). */
export function installJit(): void {
  tiering.up = tierUp;
}

installJit();
