/**
 * Maps lines of the JavaScript Deno emitted for a TypeScript file back to
 * the TypeScript, through the inline source map of Deno's emit cache — so a
 * profile's line ticks (which count emitted lines) name source lines.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { Buffer } from "node:buffer";

/** Emitted line (1-based) → source line (1-based), plus the source text. */
export interface LineMap {
  /** Source line of each emitted line (index 0 unused), 0 when unmapped. */
  lines: Int32Array;
  /** The source as it was emitted (the map's `sourcesContent`), split in lines. */
  source: string[];
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes a source map's `mappings` into each generated line's first source line. */
export function firstSourceLines(mappings: string): Int32Array {
  const genLines = mappings.split(";");
  const out = new Int32Array(genLines.length + 1);
  let srcLine = 0;
  const field = [0, 0, 0, 0, 0];
  genLines.forEach((seg, g) => {
    let first = true;
    for (const s of seg.split(",")) {
      if (s === "") continue;
      let k = 0, value = 0, shift = 0;
      for (const ch of s) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) {
          shift += 5;
          continue;
        }
        field[k++] = value & 1 ? -(value >>> 1) : value >>> 1;
        value = 0;
        shift = 0;
      }
      if (k >= 4) {
        srcLine += field[2];
        if (first) out[g + 1] = srcLine + 1;
        first = false;
      }
    }
  });
  return out;
}

let denoDir: string | null | undefined;

/** Deno's cache folder (`$DENO_DIR`, else asked from `deno info`). */
function cacheDir(deno: string): string | null {
  if (denoDir !== undefined) return denoDir;
  denoDir = process.env.DENO_DIR ?? null;
  if (denoDir === null) {
    const r = spawnSync(deno, ["info", "--json"], { encoding: "utf8" });
    try {
      denoDir = (JSON.parse(r.stdout) as { denoDir: string }).denoDir;
    } catch {
      denoDir = null;
    }
  }
  return denoDir;
}

/** The line map of Deno's emit of `file:///…ts` `url`, or null when not in the cache. */
export function lineMapOf(url: string, deno: string): LineMap | null {
  const dir = cacheDir(deno);
  if (dir === null || !url.startsWith("file://")) return null;
  const emitted = join(dir, "gen", "file", new URL(url).pathname + ".js");
  if (!existsSync(emitted)) return null;
  const js = readFileSync(emitted, "utf8");
  const m = /sourceMappingURL=data:application\/json;base64,(\S+)/.exec(js);
  if (m === null) return null;
  const map = JSON.parse(Buffer.from(m[1], "base64").toString("utf8")) as {
    mappings: string;
    sourcesContent?: string[];
  };
  return {
    lines: firstSourceLines(map.mappings),
    source: (map.sourcesContent?.[0] ?? "").split("\n"),
  };
}
