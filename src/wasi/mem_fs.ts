/**
 * An in-memory filesystem backend, for embedding (a sandbox with no host
 * directory at all) and for tests. It behaves like a POSIX filesystem as
 * far as WASI can observe: inode numbers, hard links, symlinks stored
 * verbatim, link counts, timestamps, and directories that can be removed
 * while a handle to them is open.
 *
 * @module
 */
import { Filetype } from "./constants.ts";
import type { DirHandle } from "./fs_host.ts";
import { FsState, type Inode, MemDir, touch } from "./mem_fs_handles.ts";

/**
 * An in-memory filesystem. Preopen it with `preopens: { "/": memfs.root() }`;
 * the host side can fill and inspect it with the trusted-path helpers.
 *
 * @example
 * ```ts
 * import { MemoryFileSystem } from "./mem_fs.ts";
 * const memfs = new MemoryFileSystem();
 * memfs.writeFile("data/in.txt", "hello");
 * console.log(new TextDecoder().decode(memfs.readFile("data/in.txt")));
 * ```
 */
export class MemoryFileSystem {
  #state = new FsState();
  #root: Inode = this.#state.newInode(Filetype.DIRECTORY);

  /** A new handle on the root directory, to preopen. */
  root(): DirHandle {
    return new MemDir(this.#root, this.#state);
  }

  #walk(path: string, create: boolean): [Inode, string] {
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    const name = parts.pop();
    if (name === undefined) {
      throw new TypeError(`MemoryFileSystem: empty path ${JSON.stringify(path)}`);
    }
    let dir = this.#root;
    for (const part of parts) {
      let next = dir.entries.get(part);
      if (next === undefined && create) {
        next = this.#state.newInode(Filetype.DIRECTORY);
        dir.entries.set(part, next);
      }
      if (next === undefined || next.type !== Filetype.DIRECTORY) {
        throw new TypeError(`MemoryFileSystem: no directory ${JSON.stringify(part)} in ${path}`);
      }
      dir = next;
    }
    return [dir, name];
  }

  /** Creates or replaces a file (parent directories are created). */
  writeFile(path: string, data: Uint8Array | string): void {
    const [dir, name] = this.#walk(path, true);
    let node = dir.entries.get(name);
    if (node === undefined) {
      node = this.#state.newInode(Filetype.REGULAR_FILE);
      dir.entries.set(name, node);
    }
    if (node.type !== Filetype.REGULAR_FILE) {
      throw new TypeError(`MemoryFileSystem: ${path} is not a file`);
    }
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data.slice();
    node.data = bytes;
    node.size = bytes.length;
    touch(node, "m");
  }

  /** A copy of a file's bytes (TypeError if it is missing). */
  readFile(path: string): Uint8Array {
    const [dir, name] = this.#walk(path, false);
    const node = dir.entries.get(name);
    if (node === undefined || node.type !== Filetype.REGULAR_FILE) {
      throw new TypeError(`MemoryFileSystem: no file ${path}`);
    }
    return node.data.slice(0, node.size);
  }

  /** Creates a directory (and its parents); no error if it exists. */
  mkdir(path: string): void {
    const [dir, name] = this.#walk(path, true);
    if (!dir.entries.has(name)) dir.entries.set(name, this.#state.newInode(Filetype.DIRECTORY));
  }

  /** Creates a symlink at `path` pointing at `target` (stored verbatim). */
  symlink(target: string, path: string): void {
    const [dir, name] = this.#walk(path, true);
    const node = this.#state.newInode(Filetype.SYMBOLIC_LINK);
    node.target = target;
    node.size = new TextEncoder().encode(target).length;
    dir.entries.set(name, node);
  }

  /** Names in a directory ("" or "/" is the root). */
  list(path: string): string[] {
    if (path.split("/").every((p) => p === "" || p === ".")) return [...this.#root.entries.keys()];
    const [dir, name] = this.#walk(path, false);
    const node = dir.entries.get(name);
    if (node === undefined || node.type !== Filetype.DIRECTORY) {
      throw new TypeError(`MemoryFileSystem: no directory ${path}`);
    }
    return [...node.entries.keys()];
  }
}
