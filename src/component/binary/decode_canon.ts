/**
 * Decoding of canonical definitions (`canon`) and their options. Every
 * built-in of Binary.md decodes (the async and thread ones too), so that a
 * component using them is rejected by validation with a clear message, or
 * re-encoded unchanged.
 *
 * @module
 */
import { readValType } from "../../binary/decode_types.ts";
import { ALL_FEATURES } from "../../binary/features.ts";
import type { Canon, CanonOpt } from "./model.ts";
import type { ComponentReader } from "./reader.ts";
import { readResultList } from "./decode_types.ts";

const MAX_CANONICAL_OPTIONS = 10;

function readOpt(r: ComponentReader): CanonOpt {
  const b = r.u8();
  switch (b) {
    case 0x00:
      return { kind: "string-encoding", encoding: "utf8" };
    case 0x01:
      return { kind: "string-encoding", encoding: "utf16" };
    case 0x02:
      return { kind: "string-encoding", encoding: "latin1+utf16" };
    case 0x03:
      return { kind: "memory", index: r.u32() };
    case 0x04:
      return { kind: "realloc", index: r.u32() };
    case 0x05:
      return { kind: "post-return", index: r.u32() };
    case 0x06:
      return { kind: "async" };
    case 0x07:
      return { kind: "callback", index: r.u32() };
    case 0x08:
      return { kind: "core-type", index: r.u32() };
    case 0x09:
      return { kind: "gc" };
  }
  r.badByte(b, "canonical option");
}

/** `opts`. */
export function readOpts(r: ComponentReader): CanonOpt[] {
  return r.vec(MAX_CANONICAL_OPTIONS, "canonical options", readOpt);
}

/** Built-ins with no immediates, by opcode. */
const PLAIN: Readonly<Record<number, Canon["kind"]>> = {
  0x24: "backpressure.inc",
  0x25: "backpressure.dec",
  0x05: "task.cancel",
  0x0d: "subtask.drop",
  0x1e: "error-context.drop",
  0x1f: "waitable-set.new",
  0x22: "waitable-set.drop",
  0x23: "waitable.join",
  0x26: "thread.index",
  0x28: "thread.resume-later",
};

/** Built-ins taking a type index, by opcode. */
const TYPED: Readonly<Record<number, Canon["kind"]>> = {
  0x0e: "stream.new",
  0x13: "stream.drop-readable",
  0x14: "stream.drop-writable",
  0x15: "future.new",
  0x1a: "future.drop-readable",
  0x1b: "future.drop-writable",
};

/** The resource built-ins (their immediate is the resource's type index). */
const RESOURCE: Readonly<Record<number, Canon["kind"]>> = {
  0x02: "resource.new",
  0x03: "resource.drop",
  0x04: "resource.rep",
};

/** Built-ins taking a type index and options. */
const TYPED_OPTS: Readonly<Record<number, Canon["kind"]>> = {
  0x0f: "stream.read",
  0x10: "stream.write",
  0x16: "future.read",
  0x17: "future.write",
};

/** Built-ins taking a type index and an `async?` flag. */
const TYPED_ASYNC: Readonly<Record<number, Canon["kind"]>> = {
  0x11: "stream.cancel-read",
  0x12: "stream.cancel-write",
  0x18: "future.cancel-read",
  0x19: "future.cancel-write",
};

/** Built-ins taking a `cancel?` flag. */
const CANCELLABLE: Readonly<Record<number, Canon["kind"]>> = {
  0x29: "thread.suspend",
  0x0c: "thread.yield",
  0x2a: "thread.suspend-then-resume",
  0x2b: "thread.yield-then-resume",
  0x2c: "thread.suspend-then-promote",
  0x2d: "thread.yield-then-promote",
};

/** `canon`. */
export function readCanon(r: ComponentReader): Canon {
  const b = r.u8();
  const plain = PLAIN[b];
  if (plain !== undefined) return { kind: plain } as Canon;
  const typed = TYPED[b];
  if (typed !== undefined) return { kind: typed, type: r.u32() } as Canon;
  const resource = RESOURCE[b];
  if (resource !== undefined) return { kind: resource, resource: r.u32() } as Canon;
  const typedOpts = TYPED_OPTS[b];
  if (typedOpts !== undefined) {
    const type = r.u32();
    return { kind: typedOpts, type, options: readOpts(r) } as Canon;
  }
  const typedAsync = TYPED_ASYNC[b];
  if (typedAsync !== undefined) {
    const type = r.u32();
    return { kind: typedAsync, type, async: r.bool() } as Canon;
  }
  const cancellable = CANCELLABLE[b];
  if (cancellable !== undefined) return { kind: cancellable, cancellable: r.bool() } as Canon;
  switch (b) {
    case 0x00: {
      const s = r.u8();
      if (s !== 0x00) r.badByte(s, "canonical function lift");
      const coreFunc = r.u32();
      const options = readOpts(r);
      return { kind: "lift", coreFunc, options, type: r.u32() };
    }
    case 0x01: {
      const s = r.u8();
      if (s !== 0x00) r.badByte(s, "canonical function lower");
      const func = r.u32();
      return { kind: "lower", func, options: readOpts(r) };
    }
    case 0x09: {
      const result = readResultList(r);
      return { kind: "task.return", result, options: readOpts(r) };
    }
    case 0x0a:
    case 0x0b: {
      const type = readValType(r, ALL_FEATURES);
      const kind = b === 0x0a ? "context.get" : "context.set";
      return { kind, type, slot: r.u32() };
    }
    case 0x06:
      return { kind: "subtask.cancel", async: r.bool() };
    case 0x1c:
    case 0x1d: {
      const kind = b === 0x1c ? "error-context.new" : "error-context.debug-message";
      return { kind, options: readOpts(r) };
    }
    case 0x20:
    case 0x21: {
      const kind = b === 0x20 ? "waitable-set.wait" : "waitable-set.poll";
      const cancellable = r.bool();
      return { kind, cancellable, memory: r.u32() };
    }
    case 0x27: {
      const type = r.u32();
      return { kind: "thread.new-indirect", type, table: r.u32() };
    }
    case 0x40: {
      const shared = r.bool();
      return { kind: "thread.spawn-ref", shared, type: r.u32() };
    }
    case 0x41: {
      const shared = r.bool();
      const type = r.u32();
      return { kind: "thread.spawn-indirect", shared, type, table: r.u32() };
    }
    case 0x42:
      return { kind: "thread.available-parallelism", shared: r.bool() };
  }
  r.badByte(b, "canonical function");
}

/** Opcodes of the built-ins, by kind (for the encoder). */
export const CANON_OPCODES: Readonly<Record<Canon["kind"], number>> = (() => {
  const out: Record<string, number> = {
    "lift": 0x00,
    "lower": 0x01,
    "task.return": 0x09,
    "context.get": 0x0a,
    "context.set": 0x0b,
    "subtask.cancel": 0x06,
    "error-context.new": 0x1c,
    "error-context.debug-message": 0x1d,
    "waitable-set.wait": 0x20,
    "waitable-set.poll": 0x21,
    "thread.new-indirect": 0x27,
    "thread.spawn-ref": 0x40,
    "thread.spawn-indirect": 0x41,
    "thread.available-parallelism": 0x42,
  };
  for (const table of [PLAIN, TYPED, RESOURCE, TYPED_OPTS, TYPED_ASYNC, CANCELLABLE]) {
    for (const [code, kind] of Object.entries(table)) out[kind] = Number(code);
  }
  return out as Record<Canon["kind"], number>;
})();
