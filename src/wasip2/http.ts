/**
 * `wasi:http` for one component instance: the shim's `types` and its
 * `outgoing-handler`, behind the instance's rights (none unless granted;
 * a request to an authority not granted fails with `HTTP-request-denied`).
 *
 * @module
 */
import { http } from "./shim.ts";
import type { HttpOptions } from "./options.ts";

interface RequestLike {
  authority(): string | undefined;
}

/** Whether `authority` (`host[:port]`) matches `rule` (`host`, `host:port` or `host:*`). */
export function authorityAllowed(rule: string, authority: string): boolean {
  const split = (s: string): [string, string | null] => {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(s.toLowerCase())!;
    return [m[1], m[2] ?? null];
  };
  const [ruleHost, rulePort] = split(rule);
  const [host, port] = split(authority);
  if (ruleHost !== host) return false;
  return rulePort === null || rulePort === "*" || rulePort === port;
}

/** The `wasi:http` interfaces of one instance, keyed by interface name. */
export function httpInterfaces(
  options: boolean | HttpOptions | undefined,
): Record<string, unknown> {
  const granted = options !== undefined && options !== false;
  const allow = typeof options === "object" ? options.allow : undefined;
  const handle = http.outgoingHandler.handle;
  return {
    "wasi:http/types": http.types,
    "wasi:http/outgoing-handler": {
      handle(request: RequestLike, requestOptions?: unknown): unknown {
        const authority = request.authority() ?? "";
        if (
          !granted || (allow !== undefined && !allow.some((r) => authorityAllowed(r, authority)))
        ) {
          throw { tag: "HTTP-request-denied" };
        }
        return handle(request, requestOptions);
      },
    },
  };
}
