/**
 * Loaded into the preview2-shim's I/O worker (as a worker extension) on
 * runtimes whose `node:dgram` lacks `Socket.getSendQueueSize` (Deno): adds
 * it, reporting an empty queue, so the shim's UDP `check-send` works there.
 * Deno hands each datagram to the OS as it is sent, so nothing is queued.
 *
 * @module
 */
import dgram from "node:dgram";

/**
 * The worker extension's entry: installs the method, then answers calls with
 * whether the runtime had it.
 */
export default function create(_context: unknown): (operation: string) => boolean {
  const proto = dgram.Socket.prototype as unknown as Record<string, unknown>;
  const had = typeof proto.getSendQueueSize === "function";
  if (!had) proto.getSendQueueSize = () => 0;
  return () => had;
}
