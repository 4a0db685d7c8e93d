/**
 * Sandboxed path resolution. A guest path is resolved one component at a
 * time from a directory handle: every intermediate directory is opened
 * through the previous one (no-follow), every symlink is read and expanded
 * here with a depth limit, and `..` pops back to a handle already held, so
 * the walk can never leave the starting directory: absolute paths, `..`
 * past the start and symlinks whose target is absolute or climbs out all
 * fail with EPERM. The host only ever sees single components inside a
 * directory the walk has opened.
 *
 * @module
 */
import { Filetype } from "./constants.ts";
import { Errno, toErrno, WasiError } from "./errno.ts";
import type { DirHandle } from "./fs_host.ts";

/** The errno of a path that would leave its directory (as wasmtime reports it). */
export const ESCAPE: Errno = Errno.PERM;

/** Symlinks followed in one resolution before ELOOP (Linux's limit). */
export const MAX_SYMLINKS = 40;

/** How the last component is treated when it is a symlink. */
export const Follow = {
  /** Follow it (`SYMLINK_FOLLOW` given). */
  ALWAYS: 0,
  /** Leave it, unless the path ends in `/` (POSIX: then it is followed). */
  TRAILING: 1,
  /** Leave it even with a trailing `/` (calls acting on the entry: unlink, rename, …). */
  NEVER: 2,
} as const;
/** One {@link Follow} mode. */
export type Follow = typeof Follow[keyof typeof Follow];

/** Where a guest path leads. `release()` closes the handles opened on the way. */
export interface Resolved {
  /** The directory holding the target (or the target itself when `name` is null). */
  dir: DirHandle;
  /** The target's name in `dir`; null when the path names `dir` itself (`.`, `a/..`). */
  name: string | null;
  /** The path ended in `/` (or `/.`): the target must be a directory. */
  mustBeDir: boolean;
  /** How many directories `dir` lies below the starting directory. */
  depth: number;
  /** Closes every handle the walk opened (not the starting one). */
  release(): void;
}

interface Tokens {
  parts: string[];
  dirSuffix: boolean;
}

/**
 * True if symlink `target`, stored in a directory `depth` levels below the
 * sandbox root, names something outside it (absolute, or more `..` than
 * levels). Such links are refused at creation; following one fails anyway.
 */
export function escapesSandbox(target: string, depth: number): boolean {
  if (target.startsWith("/")) return true;
  let d = depth;
  for (const part of tokenize(target).parts) {
    d += part === ".." ? -1 : 1;
    if (d < 0) return true;
  }
  return false;
}

/** Splits a path into names and `..`, dropping empty and `.` components. */
function tokenize(path: string): Tokens {
  const raw = path.split("/");
  const parts: string[] = [];
  for (const c of raw) if (c !== "" && c !== ".") parts.push(c);
  const last = raw[raw.length - 1];
  return { parts, dirSuffix: raw.length > 1 && (last === "" || last === ".") || last === "." };
}

/** Checks a guest path before any lookup. */
function checkPath(path: string): void {
  if (path.length === 0) throw new WasiError(Errno.NOENT, "empty path");
  if (path.includes("\0")) throw new WasiError(Errno.INVAL, "path contains NUL");
  if (path.startsWith("/")) throw new WasiError(ESCAPE, `absolute path ${JSON.stringify(path)}`);
}

/**
 * Resolves `path` below `start`; `follow` says whether a symlink in the
 * last position is followed or named itself. Missing final components are not an error here
 * (the caller may create them); missing intermediate ones are.
 */
export function resolvePath(start: DirHandle, path: string, follow: Follow): Resolved {
  checkPath(path);
  const stack: DirHandle[] = [start];
  const release = (): void => {
    for (let i = stack.length - 1; i > 0; i--) stack[i].close();
    stack.length = 1;
  };
  try {
    let { parts, dirSuffix } = tokenize(path);
    let links = 0;
    let i = 0;
    while (i < parts.length) {
      const part = parts[i];
      const final = i === parts.length - 1;
      if (part === "..") {
        if (stack.length === 1) {
          throw new WasiError(ESCAPE, `path ${JSON.stringify(path)} leaves its directory`);
        }
        stack.pop()!.close();
        i++;
        continue;
      }
      const top = stack[stack.length - 1];
      if (final && (follow === Follow.NEVER || follow === Follow.TRAILING && !dirSuffix)) {
        return done(stack, part, dirSuffix, release);
      }
      let filetype: Filetype;
      try {
        filetype = top.statAt(part).filetype;
      } catch (e) {
        // A missing last component is for the caller to judge (it may create it).
        if (final && toErrno(e) === Errno.NOENT) return done(stack, part, dirSuffix, release);
        throw e;
      }
      if (filetype === Filetype.SYMBOLIC_LINK) {
        if (++links > MAX_SYMLINKS) throw new WasiError(Errno.LOOP, "too many symlinks");
        const target = top.readlinkAt(part);
        if (target.length === 0) throw new WasiError(Errno.NOENT, "empty symlink");
        if (target.startsWith("/")) {
          throw new WasiError(ESCAPE, `symlink ${JSON.stringify(part)} points outside (absolute)`);
        }
        const t = tokenize(target);
        if (final) dirSuffix = dirSuffix || t.dirSuffix;
        parts = [...t.parts, ...parts.slice(i + 1)];
        i = 0;
        continue;
      }
      if (final) return done(stack, part, dirSuffix, release);
      if (filetype !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
      stack.push(top.openDirAt(part));
      i++;
    }
    // The path ended on the directory itself (`.`, `a/..`, or nothing left after a symlink).
    return done(stack, null, true, release);
  } catch (e) {
    release();
    throw e;
  }
}

function done(
  stack: DirHandle[],
  name: string | null,
  mustBeDir: boolean,
  release: () => void,
): Resolved {
  return { dir: stack[stack.length - 1], name, mustBeDir, depth: stack.length - 1, release };
}
