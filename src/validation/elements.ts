// The walk: one pass over a JSON resource against a compiled profile. Each object is checked for unknown properties
// and required children; each value for its JSON shape, type, cardinality, slicing, fixed/pattern, binding,
// reference and constraints. Locations are linked-list nodes turned into text only when an issue is recorded.
import { structureOf, type SliceItem } from './discriminators.ts';
import { firstDifference } from './fixed-pattern.ts';
import { child, type Location } from './location.ts';
import { quote } from './outcome.ts';
import type { InvariantVerdict } from './invariants.ts';
import { checkPrimitive } from './primitives.ts';
import { checkReference } from './reference-check.ts';
import type { Scope, ValidationRun, Walker } from './run.ts';
import { assignSlices, type SlicingProblem } from './slicing.ts';
import {
  isPrimitiveType,
  type CompiledProfile,
  type ElementConstraint,
  type ElementDef,
  type PropertyRule,
  type TypeRef,
  constraintsFor,
} from './structure.ts';

type JsonObject = Record<string, unknown>;

/** Far beyond any real message (a CareCommunication is about 8 levels deep), well within the stack. */
const MAX_DEPTH = 128;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a resource against a (resource) profile. `parent` is the scope of the containing resource, if any. */
export function validateResource(
  resource: unknown,
  profile: CompiledProfile,
  location: Location,
  run: ValidationRun,
  parent: Scope | undefined,
  fullUrl?: string,
  deferResourceConstraints?: (check: () => void) => void,
): void {
  if (!isObject(resource)) {
    run.report('error', 'structure', location, 'a resource must be a JSON object', 'MSG_Datatype_Wrong');
    return;
  }
  const resourceType = resource.resourceType;
  if (typeof resourceType !== 'string') {
    run.report('error', 'structure', location, 'the resource has no resourceType', 'MSG_UNKNOWN_TYPE');
    return;
  }
  if (resourceType !== profile.type) {
    run.report(
      'error',
      'structure',
      location,
      `a ${resourceType} cannot conform to profile ${profile.label}, which constrains ${profile.type}`,
      'MSG_RESOURCE_TYPE_MISMATCH',
    );
    return;
  }
  if (profile.problems.length > 0) run.unsupported.add(profile);
  const scope: Scope = { resource, root: parent?.root ?? resource, fullUrl: fullUrl ?? parent?.fullUrl };
  walkObject(resource, profile.root, location, run, scope, true);
  if (deferResourceConstraints)
    deferResourceConstraints(() => runConstraints(profile.root.constraints, resource, location, run, scope));
  else runConstraints(profile.root.constraints, resource, location, run, scope);
}

/** Validates a datatype value against a datatype profile's root (conformsTo() and profile discriminators). */
export function validateDatatype(
  value: unknown,
  root: ElementDef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
) {
  validateComplex(value, root, undefined, location, run, scope);
}

/** Validates one slice item against an element definition (slicing without discriminators). */
export function validateItem(
  item: SliceItem,
  element: ElementDef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
) {
  const type = item.type ? element.types.find((t) => t.code === item.type) : element.types[0];
  validateValue(item.value, element, type, location, run, scope, undefined);
}

export const walker: Walker = { resource: validateResource, datatype: validateDatatype, item: validateItem };

function walkObject(
  object: JsonObject,
  structure: ElementDef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
  resourceRoot: boolean,
): void {
  const properties = structure.properties;
  if (!properties) {
    run.report(
      'warning',
      'not-supported',
      location,
      `no element definitions for ${structure.path}; content not checked`,
    );
    return;
  }
  let choices: Set<ElementDef> | undefined;
  for (const key in object) {
    const rule = properties.get(key);
    if (!rule) {
      if (resourceRoot && key === 'resourceType') continue;
      reportUnknownProperty(object, key, structure, location, run);
      continue;
    }
    if (rule.primitivePart) {
      // `_name` is checked together with `name`; alone it is an extension-only primitive.
      if (object[rule.key] === undefined) validateProperty(object, rule, location, run, scope);
      continue;
    }
    if (rule.element.choice) {
      if (!choices) choices = new Set();
      else if (choices.has(rule.element)) {
        run.report(
          'error',
          'structure',
          child(location, key),
          `${rule.element.path} is a single choice element, but more than one ${rule.element.name}[x] property is present`,
          'MSG_Datatype_Wrong',
        );
        continue;
      }
      choices.add(rule.element);
    }
    validateProperty(object, rule, location, run, scope);
  }
  for (const required of structure.required) {
    if (!isPresent(object, required)) {
      run.report(
        'error',
        'required',
        child(location, required.choice ? `${required.name}[x]` : required.name),
        `${required.path} is required (min ${required.min}) but missing (profile ${required.owner.label})`,
        'MSG_RESOURCE_REQUIRED',
      );
    }
  }
}

/** An unknown key is either a choice element in a type the profile does not allow, or not an element at all. */
function reportUnknownProperty(
  object: JsonObject,
  key: string,
  structure: ElementDef,
  location: Location,
  run: ValidationRun,
): void {
  const name = key.startsWith('_') ? key.slice(1) : key;
  const choice = structure.children.find(
    (c) =>
      c.choice && name.length > c.name.length && name.startsWith(c.name) && /^[A-Z]/.test(name.slice(c.name.length)),
  );
  if (choice) {
    run.report(
      'error',
      'structure',
      child(location, key),
      `${choice.path} does not allow type ${name.slice(choice.name.length)}; allowed: ${choice.types.map((t) => t.code).join(', ')} (profile ${choice.owner.label})`,
      'MSG_Datatype_Wrong',
    );
    return;
  }
  run.report(
    'error',
    'structure',
    child(location, key),
    `unknown property '${key}': ${structure.path} defines no such element (profile ${structure.owner.label})`,
    'MSG_BAD_SYNTAX',
  );
}

function isPresent(object: JsonObject, element: ElementDef): boolean {
  for (const key of element.presenceKeys) if (object[key] !== undefined) return true;
  return false;
}

function validateProperty(
  object: JsonObject,
  rule: PropertyRule,
  location: Location,
  run: ValidationRun,
  scope: Scope,
) {
  const element = rule.element;
  const type = rule.type;
  const value = object[rule.key];
  const part = rule.partKey !== undefined ? object[rule.partKey] : undefined;
  if (element.max === 0) {
    run.report(
      'error',
      'structure',
      child(location, rule.step),
      `${element.path} is not allowed (max 0) in profile ${element.owner.label}`,
    );
    return;
  }
  if (!element.array) {
    if (Array.isArray(value) || Array.isArray(part)) {
      run.report(
        'error',
        'structure',
        child(location, rule.step),
        `${element.path} holds a single value (max 1), so it must not be a JSON array`,
        'MSG_Datatype_Wrong',
      );
      return;
    }
    const at = child(location, rule.step);
    const target = element.slicing
      ? sliceTargets([{ value: value ?? part, type: type?.code }], element, at, run, scope)[0]!
      : element;
    validateValue(value, target, typeIn(target, element, type), at, run, scope, part);
    return;
  }
  const values = value ?? part;
  if (!Array.isArray(values)) {
    run.report(
      'error',
      'structure',
      child(location, rule.step),
      `${element.path} repeats (max ${element.max === Infinity ? '*' : element.max}), so it must be a JSON array`,
      'MSG_Datatype_Wrong',
    );
    return;
  }
  if (values.length === 0) {
    run.report(
      'error',
      'structure',
      child(location, rule.step),
      `${element.path} is an empty array; omit the property instead`,
    );
    return;
  }
  if (value !== undefined && part !== undefined && (!Array.isArray(part) || part.length !== values.length)) {
    run.report(
      'error',
      'structure',
      child(location, rule.partKey!),
      `${rule.partKey} must be an array as long as ${rule.key}, aligning extensions with values`,
    );
    return;
  }
  if (values.length > element.max) {
    run.report(
      'error',
      'structure',
      child(location, rule.step),
      `${element.path} allows at most ${element.max} item(s), found ${values.length} (profile ${element.owner.label})`,
    );
  }
  const items = value !== undefined ? (value as unknown[]) : undefined;
  const parts = part !== undefined ? (part as unknown[]) : undefined;
  const targets = element.slicing
    ? sliceTargets(
        values.map((v, i) => ({ value: v ?? parts?.[i], type: itemType(v, type) })),
        element,
        child(location, rule.step),
        run,
        scope,
      )
    : undefined;
  for (let i = 0; i < values.length; i++) {
    const target = targets?.[i] ?? element;
    validateValue(
      items?.[i],
      target,
      typeIn(target, element, type),
      child(location, rule.step, i),
      run,
      scope,
      parts?.[i],
    );
  }
}

/** A slice declares its own types (with the slice's type profile): use the one for the value's type. */
function typeIn(target: ElementDef, element: ElementDef, type: TypeRef | undefined): TypeRef | undefined {
  if (target === element || !type) return type;
  return target.types.find((t) => t.code === type.code) ?? type;
}

function itemType(value: unknown, type: TypeRef | undefined): string | undefined {
  const resourceType = (value as { resourceType?: unknown } | null)?.resourceType;
  return typeof resourceType === 'string' ? resourceType : type?.code;
}

function sliceTargets(items: SliceItem[], element: ElementDef, at: Location, run: ValidationRun, scope: Scope) {
  const problems: SlicingProblem[] = [];
  const targets = assignSlices(items, element, run.matchContext(scope), problems);
  for (const problem of problems) {
    const where = problem.index < 0 || !element.array ? at : { ...at, index: problem.index };
    const what = problem.index < 0 ? '' : 'this item ';
    run.report(
      'error',
      problem.code,
      where,
      `${what}${problem.message}`,
      problem.code === 'required' ? 'MSG_RESOURCE_REQUIRED' : undefined,
    );
  }
  return targets;
}

function validateValue(
  value: unknown,
  element: ElementDef,
  type: TypeRef | undefined,
  location: Location,
  run: ValidationRun,
  scope: Scope,
  part: unknown,
): void {
  if (type === undefined || !isPrimitiveType(type.code)) {
    if (type && run.ig.registry.isResource(type.code))
      validateNestedResource(value, element, type, location, run, scope);
    else validateComplex(value, element, type, location, run, scope);
    return;
  }
  validatePrimitive(value, part, element, type, location, run, scope);
}

function validatePrimitive(
  value: unknown,
  part: unknown,
  element: ElementDef,
  type: TypeRef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  const code = type.code;
  if (value !== undefined && value !== null) {
    const problem = checkPrimitive(code, value, run.ig.registry.primitiveRule(code));
    if (problem) {
      run.report(
        'error',
        problem.wrongKind ? 'structure' : 'value',
        location,
        `${problem.message} (${element.path})`,
        problem.details,
      );
      return;
    }
    if (element.maxLength !== undefined && typeof value === 'string' && value.length > element.maxLength) {
      run.report(
        'error',
        'too-long',
        location,
        `${element.path} may be at most ${element.maxLength} characters, found ${value.length} (profile ${element.owner.label})`,
        'MSG_Element_To_Long',
      );
    }
    if (element.fixed) checkFixed(value, element, location, run);
    if (element.binding) checkBinding(value, code, element, location, run);
  } else if (part === undefined || part === null) {
    run.report('error', 'structure', location, `${element.path} is null without an extension`, 'MSG_BAD_SYNTAX');
    return;
  }
  if (part !== undefined && part !== null) {
    const root = run.ig.registry.typeRoot(code);
    if (!isObject(part)) {
      run.report(
        'error',
        'structure',
        location,
        `the _ part of ${element.path} must be a JSON object`,
        'MSG_BAD_SYNTAX',
      );
    } else if (root) {
      walkObject(part, root, location, run, scope, false);
    }
  }
  const constraints = constraintsFor(element, code);
  if (constraints.length > 0) runConstraints(constraints, value ?? part, location, run, scope);
}

function validateComplex(
  value: unknown,
  element: ElementDef,
  type: TypeRef | undefined,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  if (!isObject(value)) {
    run.report(
      'error',
      'structure',
      location,
      `${element.path} must be a JSON object${type ? ` (type ${type.code})` : ''}, found ${describeJson(value)}`,
      'MSG_Datatype_Wrong',
    );
    return;
  }
  const registry = run.ig.registry;
  const structure = structureOf(element, type, registry);
  if (!structure) {
    run.report(
      'warning',
      'not-supported',
      location,
      `no definition found for type ${type?.code ?? '(none)'} of ${element.path}; content not checked`,
    );
    return;
  }
  if (structure.owner.problems.length > 0) run.unsupported.add(structure.owner);
  // Recursive datatypes (extension in extension, Identifier.assigner.identifier …) must not exhaust the stack.
  if (++run.depth > MAX_DEPTH) {
    run.depth--;
    run.report('fatal', 'structure', location, `content nested deeper than ${MAX_DEPTH} levels is not validated`);
    return;
  }
  walkObject(value, structure, location, run, scope, false);
  run.depth--;

  const t = type ?? (element.types.length === 1 ? element.types[0] : undefined);
  // A type profile applies even where the snapshot spelled the children out (an inlined extension slice).
  for (const profileUrl of t?.profiles ?? []) {
    const profile = registry.profile(profileUrl);
    if (profile && profile.root !== structure)
      validateAgainstTypeProfile(value, profile, element, location, run, scope);
  }
  if (element.fixed) checkFixed(value, element, location, run);
  if (element.binding && t) checkBinding(value, t.code, element, location, run);
  if (t?.code === 'Reference') checkReference(value, t, location, run, scope);
  if (t?.code === 'Extension' && t.profiles.length === 0 && element.sliceName === undefined) {
    checkExtensionDefinition(value, element, location, run, scope);
  }
  runConstraints(constraintsFor(element, t?.code), value, location, run, scope);
  if (structure !== element && structure.constraints.length > 0) {
    runConstraints(extraConstraints(element, structure), value, location, run, scope);
  }
}

function validateAgainstTypeProfile(
  value: JsonObject,
  profile: CompiledProfile,
  element: ElementDef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  if (profile.problems.length > 0) run.unsupported.add(profile);
  walkObject(value, profile.root, location, run, scope, false);
  if (profile.root.fixed) checkFixed(value, profile.root, location, run);
  runConstraints(extraConstraints(element, profile.root), value, location, run, scope);
}

/** An extension in no slice is checked against its own definition when the closure knows its url. */
function checkExtensionDefinition(
  value: JsonObject,
  element: ElementDef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  const url = value.url;
  if (typeof url !== 'string') return;
  const definition = run.ig.registry.profile(url);
  if (!definition || definition.type !== 'Extension') {
    if (element.name === 'modifierExtension') {
      // A modifier changes the meaning of its element: one the receiver cannot know must not be accepted.
      run.report(
        'error',
        'structure',
        location,
        `modifier extension ${url} is not defined in ${run.ig.context.root.id}#${run.ig.context.root.version}, and an unknown modifier extension cannot be ignored`,
      );
      return;
    }
    run.report(
      'information',
      'not-supported',
      location,
      `extension ${url} is not defined in ${run.ig.context.root.id}#${run.ig.context.root.version}; its content was checked only as a generic Extension`,
    );
    return;
  }
  validateAgainstTypeProfile(value, definition, element, location, run, scope);
}

/** Constraints a type definition's root adds beyond those the element already lists (snapshots usually copy them). */
function extraConstraints(element: ElementDef, structure: ElementDef): readonly ElementConstraint[] {
  let memo = element.extraConstraints;
  if (!memo) element.extraConstraints = memo = new Map();
  let extra = memo.get(structure);
  if (!extra) {
    const listed = new Set(element.constraints.map((c) => c.rule));
    extra = structure.constraints.filter((c) => !listed.has(c.rule));
    memo.set(structure, extra);
  }
  return extra;
}

function validateNestedResource(
  value: unknown,
  element: ElementDef,
  type: TypeRef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  if (!isObject(value)) {
    run.report(
      'error',
      'structure',
      location,
      `${element.path} must hold a resource (a JSON object)`,
      'MSG_Datatype_Wrong',
    );
    return;
  }
  if (run.bundle?.claim(value, type.profiles)) return;
  const resourceType = value.resourceType;
  if (typeof resourceType !== 'string') {
    run.report('error', 'structure', location, 'the resource has no resourceType', 'MSG_UNKNOWN_TYPE');
    return;
  }
  const registry = run.ig.registry;
  if (type.code !== 'Resource' && type.code !== 'DomainResource' && type.code !== resourceType) {
    run.report(
      'error',
      'structure',
      location,
      `${element.path} must hold a ${type.code}, found a ${resourceType}`,
      'MSG_RESOURCE_TYPE_MISMATCH',
    );
    return;
  }
  // A contained resource's %rootResource is its container.
  const inner: Scope = { resource: value, root: scope.root, fullUrl: scope.fullUrl };
  const profiles = type.profiles.map((p) => registry.profile(p)).filter((p) => p !== undefined);
  if (profiles.length === 0) {
    const base = registry.profile(`http://hl7.org/fhir/StructureDefinition/${resourceType}`);
    if (!base) {
      run.report('error', 'structure', location, `unknown resource type '${resourceType}'`, 'MSG_UNKNOWN_TYPE');
      return;
    }
    profiles.push(base);
  }
  for (const profile of profiles) validateResource(value, profile, location, run, inner);
}

function checkFixed(value: unknown, element: ElementDef, location: Location, run: ValidationRun): void {
  const fixed = element.fixed!;
  const exact = fixed.kind === 'fixed';
  const difference = firstDifference(value, fixed.value, exact);
  if (difference === undefined) return;
  const at = difference === '' ? '' : ` at ${difference}`;
  run.report(
    'error',
    'value',
    location,
    `${element.path} must ${exact ? 'be exactly' : 'match the pattern'} ${quote(fixed.value)}; found ${quote(value)}${at} (${fixed.kind} value in profile ${element.owner.label})`,
  );
}

function checkBinding(value: unknown, typeCode: string, element: ElementDef, location: Location, run: ValidationRun) {
  const finding = run.ig.bindings.check(value, typeCode, element.binding!, element.owner.label);
  if (finding)
    run.report(finding.severity, finding.code, location, `${element.path}: ${finding.message}`, finding.details);
}

function runConstraints(
  constraints: readonly ElementConstraint[],
  node: unknown,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  // Elements with several constraints keep their verdicts so that a repeated expression (txt-1 and txt-2 are both
  // `htmlChecks()`) is evaluated once.
  const verdicts: InvariantVerdict[] | undefined = constraints.length > 1 ? [] : undefined;
  for (const constraint of constraints) {
    const invariant = constraint.invariant;
    const result =
      constraint.sameAs >= 0 && verdicts
        ? verdicts[constraint.sameAs]!
        : invariant.evaluate(node, scope.resource, scope.root, run.hooks);
    verdicts?.push(result);
    if (result.ok === true) continue;
    if (result.ok === false) {
      run.report(
        invariant.severity,
        'invariant',
        location,
        `constraint ${constraint.rule} failed: ${invariant.human} (expression: ${invariant.expression}; profile ${constraint.profile})`,
        undefined,
        constraint.rule,
      );
    } else {
      run.report(
        'warning',
        'processing',
        location,
        `constraint ${constraint.rule} could not be evaluated: ${result.message} (expression: ${invariant.expression}; profile ${constraint.profile})`,
        undefined,
        constraint.rule,
      );
    }
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a JSON ${typeof value}`;
}
