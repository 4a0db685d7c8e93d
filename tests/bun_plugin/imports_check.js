// Run by `bun test ./imports_check.js` (not a *_test file, so a plain
// `bun test` at the root, without this folder's preload, leaves it alone):
// the [test] preload makes .wasm imports work in bun test too.
import { expect, test } from "bun:test";
import { add } from "./math.wasm";
import { sum } from "./logsum.wat";

test("wasm and wat imports under bun test", () => {
  expect(add(40, 2)).toBe(42);
  expect(sum(1, 2)).toBe(3);
});
