/**
 * The JS face of a component instance's exports, as jco's bindings have
 * it: functions under camelCase names, interfaces as objects (under their
 * full name, their unversioned name and their short camelCase name, the
 * first one wins), resources as classes — `[constructor]x` is `new X(…)`,
 * `[method]x.get-a` is `x.getA(…)`, `[static]x.add` is `X.add(…)`, and
 * `Symbol.dispose` drops an owned instance.
 *
 * @module
 */

import type { ComponentFunc } from "./abi/call.ts";
import { GuestResource } from "./abi/codec_resource.ts";
import { RuntimeResource } from "./abi/resources.ts";
import { splitVersion } from "./instantiate_host.ts";
import { camelCase, shortName, upperCamelCase } from "./js_names.ts";
import type { RuntimeInstance } from "./runtime_values.ts";

/** The JS exports object of a component instance. */
export function jsExports(exports: RuntimeInstance): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const later: [string, unknown][] = [];
  for (const [name, e] of exports) {
    switch (e.sort) {
      case "func":
        out[camelCase(name)] = e.value.js;
        break;
      case "instance": {
        const obj = jsInterface(e.value);
        out[name] = obj;
        later.push([splitVersion(name)[0], obj], [shortName(name), obj]);
        break;
      }
      case "type":
        if (e.value instanceof RuntimeResource) {
          out[upperCamelCase(name)] = resourceClass(e.value, name);
        }
        break;
      default:
        out[name] = e.value;
    }
  }
  for (const [k, v] of later) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** The JS object of an exported interface (instance). */
export function jsInterface(inst: RuntimeInstance): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const classes = new Map<string, new (...a: never[]) => unknown>();
  for (const [name, e] of inst) {
    if (e.sort === "type" && e.value instanceof RuntimeResource) {
      const cls = resourceClass(e.value, name);
      classes.set(name, cls);
      obj[upperCamelCase(name)] = cls;
    }
  }
  for (const [name, e] of inst) {
    if (e.sort === "func") {
      const m = /^\[(constructor|method|static)\]([^.]*)(?:\.(.*))?$/.exec(name);
      const cls = m === null ? undefined : classes.get(m[2]);
      if (m === null || cls === undefined) obj[camelCase(name)] = e.value.js;
      else attach(cls, m[1], camelCase(m[3] ?? ""), e.value);
    } else if (e.sort === "instance") obj[camelCase(name)] = jsInterface(e.value);
  }
  return obj;
}

const constructors = new WeakMap<object, ComponentFunc>();

/** The JS class of resource `rt` (created once; a host resource is its host class). */
function resourceClass(rt: RuntimeResource, name: string): new (...a: never[]) => unknown {
  if (rt.hostClass !== null) return rt.hostClass as new (...a: never[]) => unknown;
  if (rt.jsClass !== null) return rt.jsClass;
  const className = upperCamelCase(name);
  const cls = {
    [className]: class extends GuestResource {
      constructor(...args: unknown[]) {
        super();
        const ctor = constructors.get(cls);
        if (ctor === undefined) throw new TypeError(`resource ${name} has no constructor`);
        const made = ctor.js(...args) as object;
        if (new.target !== cls) Object.setPrototypeOf(made, new.target.prototype);
        return made;
      }
    },
  }[className];
  rt.jsClass = cls as unknown as new (...a: never[]) => unknown;
  return rt.jsClass;
}

function attach(
  cls: new (...a: never[]) => unknown,
  kind: string,
  member: string,
  f: ComponentFunc,
): void {
  if (kind === "constructor") {
    constructors.set(cls, f);
    return;
  }
  const js = f.js;
  const value = kind === "static" ? { [member]: (...args: unknown[]) => js(...args) }[member] : {
    [member](this: unknown, ...args: unknown[]) {
      return js(this, ...args);
    },
  }[member];
  Object.defineProperty(kind === "static" ? cls : cls.prototype, member, {
    value,
    writable: true,
    configurable: true,
  });
}
