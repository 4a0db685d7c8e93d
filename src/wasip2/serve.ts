/**
 * Serving a `wasi:http/proxy` component: each request gets a fresh instance
 * (its own WASI 0.2 host, configured alike), is handed to its
 * `wasi:http/incoming-handler.handle`, and the response it set is returned.
 * A trap or a missing response is a 500.
 *
 * @module
 */
import { WasiP2Host } from "./host.ts";
import type { ImportObject } from "./host.ts";
import {
  Exchange,
  servedHttpTypes,
  type ServedRequest,
  type ServedResponse,
  textResponse,
} from "./http_server.ts";
import type { WasiP2Options } from "./options.ts";

/** Instantiates the served component with an import object; resolves to its exports. */
export type InstantiateServed = (imports: ImportObject) => Promise<Record<string, unknown>>;

interface IncomingHandler {
  handle(request: object, outparam: object): void;
}

/** The `wasi:http/incoming-handler` among a component's exports (any 0.2.x), or null. */
export function incomingHandler(exports: Record<string, unknown>): IncomingHandler | null {
  const key = Object.keys(exports).find((k) => /^wasi:http\/incoming-handler@0\.2\.\d+/.test(k)) ??
    "incomingHandler";
  const h = exports[key] as { handle?: unknown } | undefined;
  return h !== undefined && typeof h.handle === "function" ? h as IncomingHandler : null;
}

/** Handles requests with one fresh instance each. */
export class ProxyServer {
  #instantiate: InstantiateServed;
  #options: WasiP2Options;
  #log: (line: string) => void;
  /**
   * @param instantiate Instantiates the component (compiled once by the caller).
   * @param options Each instance's WASI configuration.
   * @param log Where to report failures (default: console.error).
   */
  constructor(
    instantiate: InstantiateServed,
    options: WasiP2Options = {},
    log: (line: string) => void = console.error,
  ) {
    this.#instantiate = instantiate;
    this.#options = options;
    this.#log = log;
  }

  /** Handles one request. */
  async handle(request: ServedRequest): Promise<ServedResponse> {
    const imports = new WasiP2Host(this.#options).importObject();
    imports["wasi:http/types"] = servedHttpTypes();
    let handler: IncomingHandler | null;
    try {
      handler = incomingHandler(await this.#instantiate(imports));
    } catch (e) {
      this.#log(`gannet serve: instantiation failed: ${(e as Error)?.message ?? e}`);
      return textResponse(500, "component instantiation failed\n");
    }
    if (handler === null) return textResponse(500, "not a wasi:http/proxy component\n");
    const exchange = new Exchange(request);
    try {
      handler.handle(exchange.request, exchange.outparam);
    } catch (e) {
      this.#log(
        `gannet serve: ${request.method} ${request.pathWithQuery}: ${(e as Error)?.message ?? e}`,
      );
      return textResponse(500, "component trapped\n");
    }
    return exchange.response();
  }
}
