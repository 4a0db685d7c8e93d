/**
 * Test helper for the CLI tests: a temporary directory for a `describe`
 * block (made before its tests, removed after them).
 *
 * @module
 */
import { after, before } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The directory, and a writer of files in it. */
export interface TempFiles {
  /** The directory's path (once the block's tests run). */
  dir(): string;
  /** Writes a file in the directory; returns its path. */
  file(name: string, text: string): string;
}

/** Call inside `describe`: the block's temporary directory. */
export function tempFiles(prefix: string): TempFiles {
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    file: (name, text) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
  };
}
