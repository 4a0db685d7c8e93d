/**
 * Component validation (Explainer.md, Binary.md, CanonicalABI.md), in
 * binary order, with wasm-tools' rules and wording (the component-model
 * test suite is written against it). Embedded core modules are compiled by
 * Gannet's core decoder and validator; the compiled modules are returned
 * so that instantiation does not compile them again.
 *
 * Component-model features on: async, threading built-ins, fixed-length
 * lists, maps, `implements`. Off (a validation error says which feature):
 * value imports/exports and `start` (🪙), 64-bit memories and resources,
 * GC options.
 *
 * @module
 */
import type { Features } from "../../binary/features.ts";
import { ALL_FEATURES } from "../../binary/features.ts";
import { CompileError } from "../../errors.ts";
import { compileBytes, type CompiledModule } from "../../api/module.ts";
import type { ComponentModel, CoreModuleBytes, Definition } from "../binary/model.ts";
import { ComponentInvalidError, invalid, withContext } from "./errors.ts";
import { moduleTypeOf } from "./core.ts";
import { ComponentState } from "./state.ts";
import {
  addAlias,
  addCoreInstance,
  addCoreType,
  addInstance,
  addType,
  sortEntity,
  type Stack,
  top,
} from "./definitions.ts";
import { addCanon } from "./canon.ts";
import { entitySubtype } from "./subtype.ts";
import type { ComponentType } from "./types.ts";

/** The result of validating a component. */
export interface ValidatedComponent {
  /** The component's type (imports and exports), as the validator sees it. */
  readonly type: ComponentType;
  /** Every embedded core module (nested components' too), compiled. */
  readonly modules: ReadonlyMap<CoreModuleBytes, CompiledModule>;
}

/**
 * Validates a decoded component. Throws a `CompileError` (with the byte
 * offset of the offending definition, for binaries) if it is invalid.
 *
 * @example
 * ```ts
 * import { validateComponent } from "./validate.ts";
 * import { parseComponentStruct } from "../../text/component/parse_component.ts";
 * import { CompileError } from "../../errors.ts";
 * import assert from "node:assert/strict";
 *
 * const ok = parseComponentStruct(`(component (import "f" (func (param "x" u32))))`);
 * if (ok instanceof Uint8Array) throw new Error("unexpected");
 * assert.deepEqual([...validateComponent(ok).type.imports.keys()], ["f"]);
 *
 * const bad = parseComponentStruct(`(component (type (record)))`);
 * if (bad instanceof Uint8Array) throw new Error("unexpected");
 * assert.throws(() => validateComponent(bad), CompileError);
 * ```
 */
export function validateComponent(
  model: ComponentModel,
  features: Readonly<Features> = ALL_FEATURES,
): ValidatedComponent {
  const modules = new Map<CoreModuleBytes, CompiledModule>();
  const stack: Stack = [];
  try {
    const type = validateScope(stack, model, features, modules);
    return { type, modules };
  } catch (e) {
    if (e instanceof RangeError) {
      // Absurdly deep nesting exhausts the host stack: reject, do not crash.
      throw new CompileError("component nesting is too deep", { offset: model.offset });
    }
    throw e;
  }
}

function validateScope(
  stack: Stack,
  model: ComponentModel,
  features: Readonly<Features>,
  modules: Map<CoreModuleBytes, CompiledModule>,
): ComponentType {
  stack.push(new ComponentState("component"));
  try {
    for (const d of model.definitions) definition(stack, d, features, modules);
    return top(stack).finish(model.end);
  } finally {
    stack.pop();
  }
}

const OFFSET_SUFFIX = / \(at byte offset 0x[0-9a-f]+\)$/;

/** Compiles an embedded core module; its errors get offsets in the component. */
function compileModule(m: CoreModuleBytes, features: Readonly<Features>): CompiledModule {
  try {
    return compileBytes(m.bytes, features);
  } catch (e) {
    if (e instanceof CompileError) {
      const reason = e.message.replace(OFFSET_SUFFIX, "");
      throw new CompileError(reason, { offset: m.offset + (e.offset ?? 0) });
    }
    throw e;
  }
}

function definition(
  stack: Stack,
  d: Definition,
  features: Readonly<Features>,
  modules: Map<CoreModuleBytes, CompiledModule>,
): void {
  const s = top(stack);
  const at = d.offset;
  switch (d.kind) {
    case "coreModule": {
      const compiled = compileModule(d.module, features);
      modules.set(d.module, compiled);
      s.coreModules.push(moduleTypeOf(compiled.struct, at));
      return;
    }
    case "coreInstance":
      return addCoreInstance(s, d.instance, at);
    case "coreType":
      return addCoreType(stack, d.type, at);
    case "component":
      s.components.push(validateScope(stack, d.component, features, modules));
      return;
    case "instance":
      return addInstance(s, d.instance, at);
    case "alias":
      return addAlias(stack, d.alias, at);
    case "type":
      return addType(stack, d.type, at);
    case "canon":
      return addCanon(s, d.canon, at);
    case "start":
    case "value":
      invalid(at, "support for component model `value`s is not enabled");
      break;
    case "import":
      return s.addImport(d.name, s.externEntity(d.desc, at), at);
    case "export": {
      let e = sortEntity(s, d.item.sort, d.item.index, at, true);
      if (d.desc !== null) {
        const ascribed = s.externEntity(d.desc, at);
        const actual = e;
        withContext(
          () => "ascribed type of export is not compatible with item's type",
          () => entitySubtype(actual, ascribed, at),
        );
        e = ascribed;
      }
      return s.addExport(d.name, e, at);
    }
  }
}

export { ComponentInvalidError };
