// Static FHIR typing for compiled expressions, from the same R4 model fhirpath.js navigates with: it decides which
// JSON keys a member name reads (a choice `value` is `valuePeriod`, `valueCoding` …) and what type the result has.
import r4 from 'fhirpath/fhir-context/r4';

type PathType = string | { code?: string } | undefined;

const model = r4 as unknown as {
  path2Type: Record<string, PathType>;
  choiceTypePaths: Record<string, string[]>;
  pathsDefinedElsewhere: Record<string, string>;
  type2Parent: Record<string, string>;
  availableTypes: Set<string>;
};

const DEFINED_ELSEWHERE = Object.keys(model.pathsDefinedElsewhere);

/**
 * The static type of a collection: a model path (`Bundle.entry`, `Coding`, `code`), a resource whose type is only
 * known at run time, a System type of a literal or function result, or unknown (nothing may be derived from it).
 */
export type StaticType =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'resource' }
  | { readonly kind: 'system'; readonly name: 'String' | 'Boolean' | 'Integer' }
  | { readonly kind: 'union'; readonly types: readonly StaticType[] }
  | { readonly kind: 'unknown' };

export const RESOURCE: StaticType = { kind: 'resource' };
export const UNKNOWN: StaticType = { kind: 'unknown' };
export const BOOLEAN: StaticType = { kind: 'system', name: 'Boolean' };
export const INTEGER: StaticType = { kind: 'system', name: 'Integer' };
export const STRING: StaticType = { kind: 'system', name: 'String' };

/** One JSON key a member name reads, with the type its values have. */
export interface MemberKey {
  readonly key: string;
  readonly type: StaticType;
}

/** The type of a base path as fhirpath.js gets it (`Bundle`, `Identifier.value`, `Bundle.entry`). */
export function typeOfBase(base: string | undefined): StaticType {
  if (base === undefined) return UNKNOWN;
  if (!base.includes('.')) return model.availableTypes.has(base) ? { kind: 'path', path: base } : UNKNOWN;
  return childType(base);
}

/** The keys `name` reads on a node of type `parent`; undefined when the model does not say. */
export function memberKeys(parent: StaticType, name: string): MemberKey[] | undefined {
  if (parent.kind !== 'path' || isPrimitive(parent.path)) return undefined;
  const path = definedAt(`${parent.path}.${name}`);
  const choices = model.choiceTypePaths[path];
  if (choices) {
    const stem = path.slice(0, path.length - name.length);
    return choices.map((suffix) => ({ key: name + suffix, type: childType(`${stem}${name}${suffix}`) }));
  }
  if (model.path2Type[path] === undefined) return undefined;
  return [{ key: name, type: childType(path) }];
}

function childType(path: string): StaticType {
  const found = model.path2Type[definedAt(path)];
  const code = typeof found === 'string' ? found : found?.code;
  if (!code) return UNKNOWN;
  if (code === 'BackboneElement' || code === 'Element') return { kind: 'path', path: definedAt(path) };
  if (code === 'Resource' || code === 'DomainResource') return RESOURCE;
  if (code === 'System.String') return STRING;
  if (code === 'System.Boolean') return BOOLEAN;
  if (code.startsWith('System.')) return UNKNOWN;
  return { kind: 'path', path: code };
}

/** A resource type no other type derives from, so `ofType(X)`/`is(X)` is `resourceType = 'X'`. */
export function isLeafResourceType(name: string): boolean {
  if (!model.availableTypes.has(name) || name === 'Resource' || name === 'DomainResource') return false;
  let parent = model.type2Parent[name];
  let isResource = false;
  for (let guard = 0; parent && guard < 16; guard++) {
    if (parent === 'Resource') isResource = true;
    parent = model.type2Parent[parent];
  }
  if (!isResource) return false;
  return !Object.values(model.type2Parent).includes(name);
}

/** A resource type (`Encounter`, `Bundle`, `DomainResource`): an item of it is a holder for resolve(). */
export function isResourceTypeName(name: string): boolean {
  let current: string | undefined = name;
  for (let guard = 0; current && guard < 16; guard++) {
    if (current === 'Resource') return true;
    current = model.type2Parent[current];
  }
  return false;
}

const LEAF_RESOURCE_TYPES = [...model.availableTypes].filter(isLeafResourceType);
const resourceMembers = new Map<string, ReadonlyMap<string, MemberKey[] | undefined>>();

/**
 * The keys `name` reads on a resource whose type is known only at run time, for every concrete resource type
 * (undefined where the model gives that type no such member). fhirpath.js types such an item by its `resourceType`.
 */
export function resourceMemberKeys(name: string): ReadonlyMap<string, MemberKey[] | undefined> {
  let found = resourceMembers.get(name);
  if (!found) {
    found = new Map(LEAF_RESOURCE_TYPES.map((type) => [type, memberKeys({ kind: 'path', path: type }, name)]));
    resourceMembers.set(name, found);
  }
  return found;
}

/** Whether values of `type` are of type `name` or one derived from it (what `ofType(name)` keeps). */
export function isSubtypeOf(type: StaticType, name: string): boolean {
  if (type.kind !== 'path') return type.kind === 'unknown';
  let current: string | undefined = type.path;
  for (let guard = 0; current && guard < 16; guard++) {
    if (current === name) return true;
    current = model.type2Parent[current];
  }
  return false;
}

/** FHIR primitives are spelled lower-case. */
export function isPrimitive(path: string): boolean {
  return /^[a-z]/.test(path);
}

/**
 * Primitive types whose values fhirpath.js keeps as plain JSON values (no date/time or decimal objects), so that
 * `=` and `hasValue()` on them mean what they mean on the JSON.
 */
const PLAIN_PRIMITIVES = new Set([
  'string',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'markdown',
  'boolean',
  'integer',
  'positiveInt',
  'unsignedInt',
]);

export function isPlainValueType(type: StaticType): boolean {
  if (type.kind === 'system') return true;
  return type.kind === 'path' && PLAIN_PRIMITIVES.has(type.path);
}

/**
 * Whether `=` on JSON values of this type agrees with fhirpath.js when the other side is plain: plain primitives
 * compare by value, and a complex value (an object) never equals a primitive in either engine.
 */
export function isComparableType(type: StaticType): boolean {
  if (type.kind === 'union') return type.types.every(isComparableType);
  if (isPlainValueType(type)) return true;
  return type.kind === 'path' && !isPrimitive(type.path);
}

// Recursive structures are modelled once (`Questionnaire.item.item` is `Questionnaire.item`).
function definedAt(path: string): string {
  let current = path;
  for (let guard = 0; guard < 16; guard++) {
    const prefix = DEFINED_ELSEWHERE.find((p) => current === p || current.startsWith(`${p}.`));
    if (!prefix) return current;
    current = model.pathsDefinedElsewhere[prefix] + current.slice(prefix.length);
  }
  return current;
}
