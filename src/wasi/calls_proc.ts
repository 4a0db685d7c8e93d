/**
 * `proc_exit` and `proc_raise`: ending the program. Both unwind the guest
 * with a {@link WasiExit}; `start()` turns it into the exit status. Every
 * stream is synchronous, so all output is already delivered at that point.
 *
 * @module
 */
import { SIGNAL_TO_POSIX, SIGNALS_IGNORED } from "./constants.ts";
import { Errno } from "./errno.ts";
import { type CallTable, type WasiContext, WasiExit } from "./context.ts";

/** The process calls. */
export function procCalls(_ctx: WasiContext): CallTable {
  return {
    proc_exit(code: number): never {
      throw new WasiExit(code >>> 0);
    },
    proc_raise(sig: number): number {
      const s = sig >>> 0;
      if (s >= SIGNAL_TO_POSIX.length) return Errno.INVAL;
      if (s === 0 || SIGNALS_IGNORED.has(s)) return Errno.SUCCESS;
      // A signal whose default action terminates: exit as a shell reports a killed process.
      throw new WasiExit(128 + SIGNAL_TO_POSIX[s]);
    },
  };
}
