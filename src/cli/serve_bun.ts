/**
 * `gannet serve` on `Bun.serve` (the Bun host adapter).
 *
 * @module
 */
import {
  fromWebRequest,
  type HttpHandler,
  type HttpListener,
  type ListenOptions,
  toWebResponse,
} from "./serve_host.ts";

interface BunServer {
  port: number;
  stop(closeActive?: boolean): Promise<void> | void;
}
interface BunGlobal {
  serve(options: {
    hostname: string;
    port: number;
    fetch(request: Request): Promise<Response>;
  }): BunServer;
}

/** Listens with `Bun.serve`. */
export function listenBun(handler: HttpHandler, options: ListenOptions): HttpListener {
  const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
  const server = bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: async (request) => toWebResponse(await handler(await fromWebRequest(request))),
  });
  return {
    port: server.port,
    close: async () => {
      await server.stop(true);
    },
  };
}
