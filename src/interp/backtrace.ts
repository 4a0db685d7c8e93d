/**
 * Wasm backtraces for traps. The dispatch loop keeps the running function,
 * pc and frame depth in locals; when a trap unwinds it, the loop's one
 * handler (around the loop, not inside its body) calls {@link noteTrapSite},
 * which reads the caller chain from the machine's frame stack and attaches
 * it to the error as `wasmStack`, innermost frame first. An activation
 * re-entered from a host function appends its frames below the inner ones,
 * so the chain is complete across host calls.
 *
 * @module
 */
import { RuntimeError } from "../errors.ts";
import type { FuncInst } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";

/** One wasm frame of a trap's backtrace. */
export interface WasmFrame {
  /** Function index within its instance's function index space. */
  funcIndex: number;
}

/** A trap with the wasm frames it unwound. */
export type TrapWithStack = RuntimeError & { wasmStack?: WasmFrame[] };

/**
 * Records where a trap left the running activation: `fn` at frame `depth`
 * (frames `m.baseDepth`…`depth - 1` are its callers). Only traps
 * (`RuntimeError`) get a backtrace: host exceptions pass through unchanged.
 */
export function noteTrapSite(m: Machine, fn: FuncInst, depth: number, e: unknown): void {
  if (!(e instanceof RuntimeError)) return;
  const err = e as TrapWithStack;
  err.wasmStack = [...(err.wasmStack ?? []), ...framesOf(m, fn, depth)];
}

/**
 * The frames of the running activation, innermost first: `fn` at frame
 * `depth`, then its callers down to the activation's entry.
 */
export function framesOf(m: Machine, fn: FuncInst, depth: number): WasmFrame[] {
  const frames: WasmFrame[] = [{ funcIndex: fn.index }];
  const fstack = m.fstack;
  for (let k = depth - 1; k >= m.baseDepth; k--) {
    const caller = fstack[k * 3 + 2];
    frames.push({ funcIndex: caller >= 0 ? caller : (m.fframes[k]?.index ?? -1) });
  }
  return frames;
}
