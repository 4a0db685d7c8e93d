/**
 * `gannet serve` on `Deno.serve` (the Deno host adapter).
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

/** Listens with `Deno.serve`. */
export function listenDeno(handler: HttpHandler, options: ListenOptions): HttpListener {
  const server = Deno.serve(
    { hostname: options.hostname, port: options.port, onListen: () => {} },
    async (request) => toWebResponse(await handler(await fromWebRequest(request))),
  );
  return {
    port: (server.addr as Deno.NetAddr).port,
    close: () => server.shutdown(),
  };
}
