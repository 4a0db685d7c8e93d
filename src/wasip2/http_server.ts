/**
 * The incoming side of `wasi:http` for `gannet serve`: one request handed to
 * a component's `wasi:http/incoming-handler.handle` and the response it
 * sets, with no I/O worker in between (the host's HTTP server has the
 * request body in memory; the response is collected in memory and sent
 * when `handle` returns).
 *
 * The classes extend the shim's `wasi:http/types` resources, so a component
 * that also makes outgoing requests sees one class per resource type; the
 * served instance's `wasi:http/types` exports subclasses whose
 * `Symbol.hasInstance` accepts the shim's instances too and whose static
 * functions (`outgoing-body.finish`, `response-outparam.set`,
 * `incoming-body.finish`) handle both kinds.
 *
 * @module
 */
import { BufferInput, CapturedOutput } from "../wasi/stdio.ts";
import { http } from "./shim.ts";
import { HostInputStream, HostOutputStream } from "./streams.ts";

/** A request as the host's HTTP server received it. */
export interface ServedRequest {
  /** The method (`GET`, …). */
  method: string;
  /** `http` or `https`. */
  scheme: string;
  /** `host[:port]`. */
  authority: string;
  /** The path and query (`/a?b`). */
  pathWithQuery: string;
  /** Header names and values, in order. */
  headers: [string, string][];
  /** The whole body. */
  body: Uint8Array;
}

/** The response a component set. */
export interface ServedResponse {
  /** The status code. */
  status: number;
  /** Header names and values, in order. */
  headers: [string, string][];
  /** The whole body. */
  body: Uint8Array;
}

// deno-lint-ignore no-explicit-any
type Class = new (...a: any[]) => object;
const shim = http.types as unknown as Record<string, Class> & {
  Fields: Class & { fromList(entries: [string, Uint8Array][]): object };
  IncomingBody: Class & { finish(body: object): unknown };
  OutgoingBody: Class & { finish(body: object, trailers?: object): void };
};
interface FieldsLike {
  entries(): [string, Uint8Array][];
}

/** Fields the component may not change (the shim locks them when a response is made of them). */
function lockedFields(headers: [string, string][]): object {
  const encoder = new TextEncoder();
  const fields = shim.Fields.fromList(
    headers.filter(([k]) => !["connection", "keep-alive", "host"].includes(k.toLowerCase()))
      .map(([k, v]) => [k, encoder.encode(v)]),
  );
  new shim.OutgoingResponse(fields);
  return fields;
}

const METHODS = ["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"];

class ServedIncomingBody extends shim.IncomingBody {
  #stream: object | null;
  constructor(body: Uint8Array) {
    super();
    this.#stream = new HostInputStream(new BufferInput(body));
  }
  stream(): object {
    const s = this.#stream;
    if (s === null) throw undefined;
    this.#stream = null;
    return s;
  }
}

class ServedIncomingRequest extends shim.IncomingRequest {
  #request: ServedRequest;
  #headers: object;
  #consumed = false;
  constructor(request: ServedRequest) {
    super();
    this.#request = request;
    this.#headers = lockedFields(request.headers);
  }
  method(): { tag: string; val?: string } {
    const m = this.#request.method.toLowerCase();
    return METHODS.includes(m) ? { tag: m } : { tag: "other", val: this.#request.method };
  }
  pathWithQuery(): string {
    return this.#request.pathWithQuery;
  }
  scheme(): { tag: string; val?: string } {
    const s = this.#request.scheme.toLowerCase();
    return s === "http"
      ? { tag: "HTTP" }
      : s === "https"
      ? { tag: "HTTPS" }
      : { tag: "other", val: s };
  }
  authority(): string {
    return this.#request.authority;
  }
  headers(): object {
    return this.#headers;
  }
  consume(): object {
    if (this.#consumed) throw undefined;
    this.#consumed = true;
    return new ServedIncomingBody(this.#request.body);
  }
}

class ServedOutgoingBody extends shim.OutgoingBody {
  readonly sink: CapturedOutput = new CapturedOutput();
  #written = false;
  finished = false;
  write(): object {
    if (this.#written) throw undefined;
    this.#written = true;
    return new HostOutputStream(this.sink);
  }
}

class ServedOutgoingResponse extends shim.OutgoingResponse {
  #status = 200;
  #headers: FieldsLike;
  servedBody: ServedOutgoingBody | null = null;
  constructor(headers: FieldsLike) {
    super(headers);
    this.#headers = headers;
  }
  statusCode(): number {
    return this.#status;
  }
  setStatusCode(status: number): void {
    if (!(status >= 100 && status <= 999)) throw undefined;
    this.#status = status;
  }
  headers(): FieldsLike {
    return this.#headers;
  }
  body(): object {
    if (this.servedBody !== null) throw undefined;
    this.servedBody = new ServedOutgoingBody();
    return this.servedBody;
  }
}

class ServedResponseOutparam extends shim.ResponseOutparam {
  response: { tag: "ok"; val: ServedOutgoingResponse } | { tag: "err"; val: unknown } | null = null;
}

/** A subclass of `base` that also counts `base`'s own instances as its own. */
function accepting<T extends Class>(base: Class, sub: T): T {
  Object.defineProperty(sub, Symbol.hasInstance, { value: (x: unknown) => x instanceof base });
  return sub;
}

/**
 * The `wasi:http/types` of a served instance: the shim's, with the served
 * request, response, bodies and outparam classes in place.
 */
export function servedHttpTypes(): Record<string, unknown> {
  const IncomingBody = accepting(
    shim.IncomingBody,
    class IncomingBody extends ServedIncomingBody {
      static override finish(body: object): unknown {
        if (body instanceof ServedIncomingBody) return new shim.FutureTrailers();
        return shim.IncomingBody.finish(body);
      }
    },
  );
  const OutgoingBody = accepting(
    shim.OutgoingBody,
    class OutgoingBody extends ServedOutgoingBody {
      static override finish(body: object, trailers?: object): void {
        if (!(body instanceof ServedOutgoingBody)) {
          return shim.OutgoingBody.finish(body, trailers);
        }
        if (trailers !== undefined) throw { tag: "internal-error", val: "trailers unsupported" };
        if (body.finished) throw { tag: "internal-error", val: "body already finished" };
        body.finished = true;
      }
    },
  );
  const ResponseOutparam = accepting(
    ServedResponseOutparam,
    class ResponseOutparam extends ServedResponseOutparam {
      static set(
        param: ServedResponseOutparam,
        response: ServedResponseOutparam["response"],
      ): void {
        if (param.response !== null) throw new Error("response-outparam.set called twice");
        param.response = response;
      }
    },
  );
  return {
    ...http.types,
    IncomingRequest: accepting(shim.IncomingRequest, class extends ServedIncomingRequest {}),
    IncomingBody,
    OutgoingBody,
    OutgoingResponse: accepting(shim.OutgoingResponse, class extends ServedOutgoingResponse {}),
    ResponseOutparam,
  };
}

/** One exchange: the request resource to pass to `handle`, its outparam, and the result. */
export class Exchange {
  /** The `incoming-request` to hand to the component. */
  readonly request: object;
  /** The `response-outparam` to hand to the component. */
  readonly outparam: object;
  /** @param request The request as received. */
  constructor(request: ServedRequest) {
    this.request = new ServedIncomingRequest(request);
    this.outparam = new ServedResponseOutparam();
  }

  /** The response, once `handle` returned (500 if the component set none or an error). */
  response(): ServedResponse {
    const set = (this.outparam as ServedResponseOutparam).response;
    if (set === null || set.tag === "err") {
      const why = set === null ? "no response" : `error ${JSON.stringify(set.val)}`;
      return textResponse(500, `component failed: ${why}\n`);
    }
    const r = set.val;
    const decoder = new TextDecoder();
    return {
      status: r.statusCode(),
      headers: r.headers().entries().map(([k, v]) => [k, decoder.decode(v)]),
      body: r.servedBody?.sink.bytes() ?? new Uint8Array(0),
    };
  }
}

/** A plain-text response the host makes itself (errors). */
export function textResponse(status: number, text: string): ServedResponse {
  return {
    status,
    headers: [["content-type", "text/plain; charset=utf-8"]],
    body: new TextEncoder().encode(text),
  };
}
