// Slice discriminators: the restricted FHIRPath of `ElementDefinition.slicing.discriminator.path`, compiled once per
// slice into a matcher. The expected side (what the slice fixes at that path) is read from the compiled profiles,
// following type profiles and extension definitions; the instance side walks plain JSON.
import { containsPattern, deepEqual } from './fixed-pattern.ts';
import { capitalize, type ElementDef, type TypeRef } from './structure.ts';

export type Step =
  | { kind: 'this' }
  | { kind: 'name'; name: string }
  | { kind: 'extension'; url: string }
  | { kind: 'resolve' }
  | { kind: 'ofType'; type: string };

/** One value in the instance with its FHIR type when JSON tells it (choice suffix, resourceType). */
export interface SliceItem {
  readonly value: unknown;
  readonly type: string | undefined;
}

/** What a matcher may ask of the validation in progress. */
export interface MatchContext {
  /** Follows a Reference inside the Bundle (or to a contained resource); undefined when it does not resolve. */
  resolve(reference: unknown): Record<string, unknown> | undefined;
  /** Whether a value conforms to a profile (a resource, or a datatype against a datatype profile). */
  conformsTo(value: unknown, profile: string): boolean;
  /** Whether an item conforms to a slice definition (slicing without discriminators). */
  conformsToElement(item: SliceItem, element: ElementDef): boolean;
  /** Whether a code, Coding or CodeableConcept is in a value set (value discriminators on a required binding). */
  inValueSet(value: unknown, valueSet: string): boolean;
}

export type SliceMatcher = (item: SliceItem, context: MatchContext) => boolean;

/** Resolves profiles for navigation; implemented by the ProfileRegistry. */
export interface ProfileLookup {
  root(canonical: string): ElementDef | undefined;
  typeRoot(code: string): ElementDef | undefined;
}

export function parseDiscriminatorPath(path: string): Step[] | string {
  const steps: Step[] = [];
  for (const part of splitPath(path)) {
    let match: RegExpExecArray | null;
    if (part === '$this') steps.push({ kind: 'this' });
    else if (part === 'resolve()') steps.push({ kind: 'resolve' });
    else if ((match = /^extension\((['"])(.*)\1\)$/.exec(part))) steps.push({ kind: 'extension', url: match[2]! });
    else if ((match = /^ofType\(([A-Za-z]+)\)$/.exec(part))) steps.push({ kind: 'ofType', type: match[1]! });
    else if (/^[A-Za-z][A-Za-z0-9_]*$/.test(part)) steps.push({ kind: 'name', name: part });
    else return `unsupported discriminator path step '${part}' in '${path}'`;
  }
  return steps;
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '.' && depth === 0) {
      parts.push(path.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(path.slice(start));
  return parts;
}

// ---------------------------------------------------------------------------------------------------------------
// Expected side

interface Nav {
  readonly element: ElementDef;
  readonly type: TypeRef | undefined;
  /** A value projected from an ancestor's pattern/fixed (patternCoding → its `code`). */
  readonly projected: unknown;
}

/** The element whose children apply to a node: its own, a contentReference target's, or its type's definition. */
export function structureOf(
  element: ElementDef,
  type: TypeRef | undefined,
  lookup: ProfileLookup,
): ElementDef | undefined {
  if (element.children.length > 0) return element;
  if (element.contentTarget) return element.contentTarget;
  if (element.sliceBase && element.sliceBase.children.length > 0 && !hasTypeProfile(element, type)) {
    return element.sliceBase;
  }
  const t = type ?? (element.types.length === 1 ? element.types[0] : undefined);
  if (!t) return undefined;
  return (t.profiles[0] ? lookup.root(t.profiles[0]) : undefined) ?? lookup.typeRoot(t.code);
}

function hasTypeProfile(element: ElementDef, type: TypeRef | undefined): boolean {
  return (type ?? element.types[0])?.profiles.length ? true : false;
}

function navigate(navs: Nav[], step: Step, lookup: ProfileLookup): Nav[] {
  const out: Nav[] = [];
  for (const nav of navs) {
    switch (step.kind) {
      case 'this':
        out.push(nav);
        break;
      case 'ofType': {
        const slice = nav.element.slicing?.slices.find((s) => s.types.length === 1 && s.types[0]!.code === step.type);
        const type = nav.element.types.find((t) => t.code === step.type);
        if (slice) out.push({ element: slice, type: slice.types[0], projected: nav.projected });
        else if (type) out.push({ element: nav.element, type, projected: nav.projected });
        break;
      }
      case 'name': {
        const container = structureOf(nav.element, nav.type, lookup);
        const childElement = container?.children.find((c) => c.name === step.name);
        const projected = projectedChild(nav, step.name);
        if (!childElement) {
          if (projected !== undefined) out.push({ element: nav.element, type: undefined, projected });
          break;
        }
        for (const slice of childElement.slicing?.slices ?? [])
          out.push({ element: slice, type: undefined, projected });
        out.push({ element: childElement, type: undefined, projected });
        break;
      }
      case 'extension': {
        const container = structureOf(nav.element, nav.type, lookup);
        const extension = container?.children.find((c) => c.name === 'extension');
        const slice = extension?.slicing?.slices.find((s) => extensionUrlOf(s, lookup) === step.url);
        if (slice) out.push({ element: slice, type: undefined, projected: undefined });
        else {
          const definition = lookup.root(step.url);
          if (definition) out.push({ element: definition, type: undefined, projected: undefined });
        }
        break;
      }
      case 'resolve': {
        const t = nav.type ?? nav.element.types[0];
        for (const target of t?.targetProfiles ?? []) {
          const root = lookup.root(target);
          if (root) out.push({ element: root, type: undefined, projected: undefined });
        }
        break;
      }
    }
  }
  return out;
}

function projectedChild(nav: Nav, name: string): unknown {
  const from = nav.element.fixed?.value ?? nav.projected;
  if (from && typeof from === 'object' && !Array.isArray(from)) return (from as Record<string, unknown>)[name];
  return undefined;
}

/** The url an extension slice stands for: its type profile (unversioned) or its fixed `url`. */
export function extensionUrlOf(slice: ElementDef, lookup: ProfileLookup): string | undefined {
  const profile = slice.types[0]?.profiles[0];
  if (profile) return stripVersion(profile);
  const url = structureOf(slice, undefined, lookup)?.children.find((c) => c.name === 'url');
  return typeof url?.fixed?.value === 'string' ? url.fixed.value : undefined;
}

export function stripVersion(canonical: string): string {
  const bar = canonical.indexOf('|');
  return bar < 0 ? canonical : canonical.slice(0, bar);
}

// ---------------------------------------------------------------------------------------------------------------
// Instance side

export function evaluateSteps(items: SliceItem[], steps: readonly Step[], context: MatchContext): SliceItem[] {
  let current = items;
  for (const step of steps) {
    const next: SliceItem[] = [];
    for (const item of current) stepInstance(item, step, context, next);
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function stepInstance(item: SliceItem, step: Step, context: MatchContext, out: SliceItem[]): void {
  const value = item.value;
  switch (step.kind) {
    case 'this':
      out.push(item);
      return;
    case 'ofType':
      if (typeOfItem(item) === step.type) out.push(item);
      return;
    case 'resolve': {
      const target = context.resolve(value);
      if (target) out.push({ value: target, type: String(target.resourceType) });
      return;
    }
    case 'extension': {
      const extensions = (value as { extension?: unknown } | null)?.extension;
      if (!Array.isArray(extensions)) return;
      for (const e of extensions) {
        if ((e as { url?: unknown } | null)?.url === step.url) out.push({ value: e, type: 'Extension' });
      }
      return;
    }
    case 'name': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return;
      const object = value as Record<string, unknown>;
      const direct = object[step.name];
      if (direct !== undefined) {
        pushAll(direct, undefined, out);
        return;
      }
      // A choice element: `value` is spelled `valueCoding`, `valueString` … in JSON.
      for (const key in object) {
        if (key.length > step.name.length && key.startsWith(step.name)) {
          const suffix = key.slice(step.name.length);
          if (suffix.charCodeAt(0) >= 65 && suffix.charCodeAt(0) <= 90) pushAll(object[key], choiceType(suffix), out);
        }
      }
      return;
    }
  }
}

function pushAll(value: unknown, type: string | undefined, out: SliceItem[]): void {
  if (Array.isArray(value)) for (const v of value) out.push({ value: v, type });
  else out.push({ value, type });
}

const PRIMITIVE_NAMES = [
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
];
const PRIMITIVE_BY_SUFFIX = new Map(PRIMITIVE_NAMES.map((name) => [capitalize(name), name]));

/** `DateTime` → `dateTime`; `CodeableConcept` stays. */
export function choiceType(suffix: string): string {
  return PRIMITIVE_BY_SUFFIX.get(suffix) ?? suffix;
}

function typeOfItem(item: SliceItem): string | undefined {
  if (item.type) return item.type;
  const resourceType = (item.value as { resourceType?: unknown } | null)?.resourceType;
  return typeof resourceType === 'string' ? resourceType : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Matchers

/**
 * Compiles one discriminator of one slice. Returns a problem text when the slice does not say what to expect:
 * such a slice can never be matched reliably, and the profile is reported as unsupported rather than passed.
 */
export function compileMatcher(
  discriminator: { type: string; path: string },
  slice: ElementDef,
  sliced: ElementDef,
  lookup: ProfileLookup,
): SliceMatcher | string {
  const parsed = parseDiscriminatorPath(discriminator.path);
  if (typeof parsed === 'string') return parsed;
  const steps = parsed;
  const where = `${slice.id} (discriminator ${discriminator.type} '${discriminator.path}')`;
  const start: Nav[] = [{ element: slice, type: undefined, projected: undefined }];

  switch (discriminator.type) {
    case 'value':
    case 'pattern': {
      // `url` on an extension slice is the extension's canonical, whether or not the snapshot repeats it.
      if (discriminator.path === 'url' && slice.types[0]?.code === 'Extension') {
        const url = extensionUrlOf(slice, lookup);
        if (url !== undefined) return (item) => (item.value as { url?: unknown } | null)?.url === url;
      }
      const navs = steps.reduce((acc, step) => navigate(acc, step, lookup), start);
      const expected = expectedValue(navs);
      if (!expected) {
        // "as determined by the applicable fixed value, pattern, or required ValueSet binding" (R4 ElementDefinition)
        const bound = navs.find((nav) => nav.element.binding?.strength === 'required')?.element.binding;
        if (!bound)
          return `${where}: the slice fixes no value and binds no required value set at the discriminator path`;
        const valueSet = bound.valueSet;
        return (item, context) =>
          evaluateSteps([item], steps, context).some((v) => context.inValueSet(v.value, valueSet));
      }
      const pattern = expected.kind === 'pattern' || discriminator.type === 'pattern';
      const value = expected.value;
      return (item, context) =>
        evaluateSteps([item], steps, context).some((v) =>
          pattern ? containsPattern(v.value, value) : deepEqual(v.value, value),
        );
    }
    case 'exists': {
      const navs = steps.reduce((acc, step) => navigate(acc, step, lookup), start);
      const target = navs[navs.length - 1]?.element;
      if (!target) return `${where}: discriminator path not found in the slice`;
      if (target.min < 1 && target.max !== 0) return `${where}: the slice neither requires nor forbids the element`;
      const mustExist = target.min >= 1;
      return (item, context) => evaluateSteps([item], steps, context).length > 0 === mustExist;
    }
    case 'type': {
      const navs = steps.reduce((acc, step) => navigate(acc, step, lookup), start);
      const types = new Set<string>();
      for (const nav of navs) {
        if (nav.type) types.add(nav.type.code);
        else for (const t of nav.element.types) types.add(t.code);
      }
      if (types.size === 0) return `${where}: the slice declares no type`;
      const declared = sliced.types.length === 1 ? sliced.types[0]!.code : undefined;
      return (item, context) =>
        evaluateSteps([item], steps, context).some((v) => {
          const t = typeOfItem(v) ?? (steps.length === 1 && steps[0]!.kind === 'this' ? declared : undefined);
          return t !== undefined && types.has(t);
        });
    }
    case 'profile': {
      const last = steps[steps.length - 1];
      const viaResolve = last?.kind === 'resolve';
      const navs = (viaResolve ? steps.slice(0, -1) : steps).reduce((acc, step) => navigate(acc, step, lookup), start);
      const profiles = new Set<string>();
      for (const nav of navs) {
        for (const t of nav.type ? [nav.type] : nav.element.types) {
          for (const p of viaResolve ? t.targetProfiles : t.profiles) profiles.add(p);
        }
      }
      if (profiles.size === 0) return `${where}: the slice names no profile`;
      const list = [...profiles];
      return (item, context) =>
        evaluateSteps([item], steps, context).some((v) => list.some((p) => context.conformsTo(v.value, p)));
    }
    default:
      return `${where}: unsupported discriminator type`;
  }
}

function expectedValue(navs: Nav[]): { kind: 'fixed' | 'pattern'; value: unknown } | undefined {
  for (const nav of navs) {
    if (nav.element.fixed) return nav.element.fixed;
    if (nav.projected !== undefined) return { kind: 'pattern', value: nav.projected };
  }
  return undefined;
}

/** Matches by full conformance, for slicing that declares no discriminator. */
export function conformanceMatcher(slice: ElementDef): SliceMatcher {
  return (item, context) => context.conformsToElement(item, slice);
}
