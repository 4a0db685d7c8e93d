/**
 * `wasi:filesystem` for one component instance: the shim's descriptors,
 * with the instance's own preopens (the shim's `createFilesystem`, not its
 * process-wide preopen list), sandboxed by the shim's path resolution
 * (absolute paths, `..` above a preopen and symlinks leaving it fail with
 * `not-permitted`), with the fixes of {@link ./fs_fixes.ts}.
 *
 * @module
 */
import { filesystem } from "./shim.ts";
import { installFsFixes } from "./fs_fixes.ts";

/** The `wasi:filesystem` interfaces of one instance, keyed by interface name. */
export function filesystemInterfaces(
  preopens: Record<string, string> | undefined,
): Record<string, unknown> {
  installFsFixes();
  const fs = filesystem.createFilesystem({ preopens: preopens ?? {} });
  return {
    "wasi:filesystem/types": fs.types,
    "wasi:filesystem/preopens": fs.preopens,
  };
}
