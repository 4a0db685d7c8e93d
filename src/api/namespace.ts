/**
 * The `WebAssembly` namespace object over Gannet's API, for the polyfill
 * and for embedders who want one object to hand to glue code.
 *
 * @module
 */

import { CompileError, LinkError, RuntimeError, SuspendError } from "../errors.ts";
import { Global } from "./global.ts";
import { Instance, instantiate, type WebAssemblyInstantiatedSource } from "./instance.ts";
import { promising, Suspending } from "./jspi.ts";
import { Memory } from "./memory.ts";
import { compile, Module, type ModuleOptions, validate } from "./module.ts";
import { Table } from "./table.ts";
import { JSTag, Tag } from "./tag.ts";
import { Exception } from "./exception.ts";

type ResponseLike = { arrayBuffer(): Promise<ArrayBuffer> };

async function bytesOf(source: ResponseLike | PromiseLike<ResponseLike>): Promise<ArrayBuffer> {
  const r = await source;
  if (r === null || typeof r !== "object" || typeof r.arrayBuffer !== "function") {
    throw new TypeError("WebAssembly streaming: the argument must be a Response");
  }
  return await r.arrayBuffer();
}

/** `compileStreaming`: compiles the body of a Response. */
async function compileStreaming(
  source: ResponseLike | PromiseLike<ResponseLike>,
  options?: ModuleOptions,
): Promise<Module> {
  return compile(await bytesOf(source), options);
}

/** `instantiateStreaming`: compiles and instantiates the body of a Response. */
async function instantiateStreaming(
  source: ResponseLike | PromiseLike<ResponseLike>,
  importObject?: object,
  options?: ModuleOptions,
): Promise<WebAssemblyInstantiatedSource> {
  return instantiate(await bytesOf(source), importObject, options);
}

/**
 * The namespace: the JS API's names, implemented by Gannet.
 *
 * @example
 * ```ts
 * import { Instance, parseWat, WebAssemblyNamespace } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * // Glue written against `WebAssembly` can be handed this object instead.
 * const WA = WebAssemblyNamespace as {
 *   instantiate(bytes: Uint8Array): Promise<{ instance: Instance }>;
 * };
 * const { instance } = await WA.instantiate(
 *   parseWat(`(module (func (export "one") (result i32) (i32.const 1)))`),
 * );
 * assert.equal((instance.exports.one as () => number)(), 1);
 * assert.ok(instance instanceof Instance); // Gannet's, not the host's
 * ```
 */
export const WebAssemblyNamespace: Readonly<Record<string, unknown>> = Object.freeze(
  Object.defineProperty(
    {
      Module,
      Instance,
      Memory,
      Table,
      Global,
      Tag,
      Exception,
      JSTag,
      CompileError,
      LinkError,
      RuntimeError,
      SuspendError,
      Suspending,
      promising,
      validate,
      compile,
      instantiate,
      compileStreaming,
      instantiateStreaming,
    },
    Symbol.toStringTag,
    { value: "WebAssembly", configurable: true },
  ),
);
