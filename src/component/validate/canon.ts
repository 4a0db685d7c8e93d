/**
 * Canonical definitions (CanonicalABI.md "Canonical Definitions"): `lift`
 * (the core function must have exactly the flattened signature), `lower`,
 * the resource built-ins (which need a resource defined in this
 * component), and the async and thread built-ins, each defining a core
 * function of a fixed signature.
 *
 * @module
 */
import type { FuncType as CoreFuncType } from "../../binary/types.ts";
import type { Canon } from "../binary/model.ts";
import { invalid } from "./errors.ts";
import {
  type CanonOptions,
  checkCabiMemory,
  checkLower,
  checkOptions,
  containsPtr,
  lowerFuncType,
  type OptionsContext,
  requireMemory,
  requireRealloc,
  showTypes,
} from "./canon_options.ts";
import type { ComponentState } from "./state.ts";
import { sameCoreFunc } from "./core_subtype.ts";
import type { FuncType } from "./types.ts";

const I32 = 0x7f, I64 = 0x7e;

function core(params: number[], results: number[]): CoreFuncType {
  return { params, results } as CoreFuncType;
}

function context(s: ComponentState): OptionsContext {
  return {
    coreFunc: (i, offset) => s.coreFuncAt(i, offset),
    memory: (i, offset) => s.memoryAt(i, offset),
  };
}

/** The representation type of a resource defined in this component. */
function localResource(s: ComponentState, index: number, offset: number): number {
  const r = s.resourceAt(index, offset);
  const rep = s.definedResources.get(r.resource);
  if (rep === undefined || rep === null) invalid(offset, `type ${index} is not a local resource`);
  return rep;
}

function checkAsyncness(o: CanonOptions, ft: FuncType): void {
  if (o.async && !ft.async) {
    invalid(o.offset, "the `async` canonical option requires an async function type");
  }
}

function streamOrFuture(
  s: ComponentState,
  index: number,
  want: "stream" | "future",
  what: string,
  offset: number,
) {
  const t = s.definedTypeAt(index, offset);
  if (t.kind !== want) invalid(offset, `\`${what}\` requires a ${want} type`);
  return t;
}

/** Validates a canonical definition and adds what it defines to its index space. */
export function addCanon(s: ComponentState, c: Canon, offset: number): void {
  const cx = context(s);
  const push = (t: CoreFuncType) => s.coreFuncs.push(t);
  switch (c.kind) {
    case "lift": {
      const ft = s.funcTypeAt(c.type, offset);
      const coreType = s.coreFuncAt(c.coreFunc, offset);
      const o = checkOptions(cx, c.options, offset);
      if (o.postReturn !== null) {
        const pr = s.coreFuncAt(o.postReturn, offset);
        const same = pr.results.length === 0 && pr.params.length === coreType.results.length &&
          pr.params.every((t, i) => t === coreType.results[i]);
        if (!same) {
          invalid(
            offset,
            "canonical option `post-return` uses a core function with an incorrect signature",
          );
        }
      }
      if (o.async && o.callback !== null) {
        const cb = s.coreFuncAt(o.callback, offset);
        const ok = (cb.params.length === 3 || cb.params.length === 1) &&
          cb.params.every((t) => t === I32);
        if (!ok) {
          invalid(
            offset,
            "canonical option `callback` uses a core function with an incorrect signature",
          );
        }
      }
      checkAsyncness(o, ft);
      const lowered = lowerFuncType(ft, o, "lift");
      if (!sameCoreFunc(lowered, coreType)) {
        if (!sameTypes(lowered.params, coreType.params)) {
          invalid(
            offset,
            `lowered parameter types \`${
              showTypes(lowered.params)
            }\` do not match parameter types \`${
              showTypes(coreType.params)
            }\` of core function ${c.coreFunc}`,
          );
        }
        invalid(
          offset,
          `lowered result types \`${showTypes(lowered.results)}\` do not match result types \`${
            showTypes(coreType.results)
          }\` of core function ${c.coreFunc}`,
        );
      }
      s.funcs.push(ft);
      return;
    }
    case "lower": {
      const ft = s.funcAt(c.func, offset);
      const o = checkOptions(cx, c.options, offset);
      checkLower(o);
      checkAsyncness(o, ft);
      push(lowerFuncType(ft, o, "lower"));
      return;
    }
    case "resource.new":
      push(core([localResource(s, c.resource, offset)], [I32]));
      return;
    case "resource.drop":
      s.resourceAt(c.resource, offset);
      push(core([I32], []));
      return;
    case "resource.rep":
      push(core([I32], [localResource(s, c.resource, offset)]));
      return;
    case "backpressure.inc":
    case "backpressure.dec":
    case "task.cancel":
      push(core([], []));
      return;
    case "task.return": {
      const params = c.result === null ? [] : [["v", s.valType(c.result, offset)] as const];
      const ft: FuncType = {
        kind: "func",
        async: false,
        params,
        result: null,
        info: { size: 1, depth: 1, borrow: false },
      };
      const o = checkOptions(cx, c.options, offset);
      if (o.realloc !== null) invalid(offset, "cannot specify `realloc` option on `task.return`");
      if (o.postReturn !== null) {
        invalid(offset, "cannot specify `post-return` option on `task.return`");
      }
      checkLower(o);
      if (o.async) invalid(offset, "cannot specify `async` option on `task.return`");
      push(lowerFuncType(ft, o, "lower"));
      return;
    }
    case "context.get":
    case "context.set": {
      if (c.type === I64) {
        invalid(offset, `64-bit \`${c.kind}\` requires the component model 64-bit feature`);
      }
      if (c.type !== I32) invalid(offset, `\`${c.kind}\` only supports \`i32\` or \`i64\``);
      if (s.contextType !== null && s.contextType !== c.type) {
        invalid(offset, `\`${c.kind}\` type must match previous context type`);
      }
      s.contextType = c.type;
      if (c.slot > 1) invalid(offset, `\`${c.kind}\` immediate must be zero or one: ${c.slot}`);
      push(c.kind === "context.get" ? core([], [c.type]) : core([c.type], []));
      return;
    }
    case "subtask.drop":
    case "waitable-set.drop":
    case "error-context.drop":
    case "thread.resume-later":
      push(core([I32], []));
      return;
    case "subtask.cancel":
      push(core([I32], [I32]));
      return;
    case "stream.new":
    case "future.new":
      streamOrFuture(s, c.type, c.kind === "stream.new" ? "stream" : "future", c.kind, offset);
      push(core([], [I64]));
      return;
    case "stream.read":
    case "stream.write":
    case "future.read":
    case "future.write": {
      const want = c.kind.startsWith("stream") ? "stream" : "future";
      const t = streamOrFuture(s, c.type, want, c.kind, offset);
      const o = checkOptions(cx, c.options, offset);
      if (t.element !== null) {
        requireMemory(o);
        if (c.kind.endsWith("read") && containsPtr(t.element)) requireRealloc(o);
      }
      checkLower(o);
      push(core(want === "stream" ? [I32, I32, I32] : [I32, I32], [I32]));
      return;
    }
    case "stream.cancel-read":
    case "stream.cancel-write":
    case "future.cancel-read":
    case "future.cancel-write":
      streamOrFuture(s, c.type, c.kind.startsWith("stream") ? "stream" : "future", c.kind, offset);
      push(core([I32], [I32]));
      return;
    case "stream.drop-readable":
    case "stream.drop-writable":
    case "future.drop-readable":
    case "future.drop-writable":
      streamOrFuture(s, c.type, c.kind.startsWith("stream") ? "stream" : "future", c.kind, offset);
      push(core([I32], []));
      return;
    case "error-context.new":
    case "error-context.debug-message": {
      const o = checkOptions(cx, c.options, offset);
      requireMemory(o);
      if (c.kind === "error-context.debug-message") requireRealloc(o);
      if (o.async) invalid(offset, `cannot specify \`async\` option on \`${c.kind}\``);
      checkLower(o);
      push(c.kind === "error-context.new" ? core([I32, I32], [I32]) : core([I32, I32], []));
      return;
    }
    case "waitable-set.new":
    case "thread.index":
      push(core([], [I32]));
      return;
    case "waitable-set.wait":
    case "waitable-set.poll":
      checkCabiMemory(s.memoryAt(c.memory, offset), offset);
      push(core([I32, I32], [I32]));
      return;
    case "waitable.join":
      push(core([I32, I32], []));
      return;
    case "thread.new-indirect": {
      const t = s.coreTypeAt(c.type, offset);
      if (t.kind !== "func") invalid(offset, "expected a core function type");
      if (t.type.params.length !== 1 || t.type.params[0] !== I32) {
        invalid(offset, "start function must take a single `i32` argument (currently)");
      }
      if (t.type.results.length !== 0) invalid(offset, "start function must not return any values");
      const table = s.tableAt(c.table, offset);
      if (table.elem !== 0x70 || table.limits.index64 || table.limits.shared) {
        invalid(offset, "table is not a 32-bit table of (ref null (func))");
      }
      push(core([I32, I32], [I32]));
      return;
    }
    case "thread.suspend":
    case "thread.yield":
      push(core([], [I32]));
      return;
    case "thread.suspend-then-resume":
    case "thread.yield-then-resume":
    case "thread.suspend-then-promote":
    case "thread.yield-then-promote":
      push(core([I32], [I32]));
      return;
    case "thread.spawn-ref":
      invalid(offset, "`thread.spawn-ref` requires the shared-everything-threads proposal");
      break;
    case "thread.spawn-indirect":
      invalid(offset, "`thread.spawn-indirect` requires the shared-everything-threads proposal");
      break;
    case "thread.available-parallelism":
      invalid(
        offset,
        "`thread.available_parallelism` requires the shared-everything-threads proposal",
      );
  }
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
