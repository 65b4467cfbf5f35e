// Compile once: a StructureDefinition snapshot becomes a tree of ElementDefs that the walker can follow without any
// look-up by string. Slicing discriminators are compiled in a second phase (slicing-compile.ts) because they may need
// other profiles (an extension slice's url lives in the extension's own definition).
import type { FhirResource } from '../fhir/packages/context.ts';
import type { CompiledInvariant } from './invariants.ts';
import type { SliceMatcher } from './discriminators.ts';

export interface TypeRef {
  /** FHIR type name: `string`, `uri`, `Coding`, `Reference`, `BackboneElement`, `Resource`, `Patient` … */
  readonly code: string;
  readonly profiles: readonly string[];
  readonly targetProfiles: readonly string[];
  /** `bundled` / `contained` / `referenced`; undefined when the profile does not restrict it. */
  readonly aggregation: readonly string[] | undefined;
  /** Element ids and extension urls: FHIRPath system types, which carry no `_name` extension part in JSON. */
  readonly system: boolean;
}

export interface FixedValue {
  readonly kind: 'fixed' | 'pattern';
  readonly value: unknown;
}

export interface Binding {
  readonly strength: 'required' | 'extensible' | 'preferred' | 'example';
  readonly valueSet: string;
}

/** A constraint ready to run at an element: the published invariant or an intent check from the errata table. */
export interface ElementConstraint {
  readonly invariant: CompiledInvariant;
  /** What issues carry as `rule`: the key, or `<key>#intent` for an errata intent check. */
  readonly rule: string;
  /** Canonical of the profile that declared it, for messages. */
  readonly profile: string;
  /** Index of an earlier constraint of the same element with the same expression (txt-1/txt-2), else -1. */
  readonly sameAs: number;
}

export interface SlicingDef {
  readonly rules: 'open' | 'closed' | 'openAtEnd';
  readonly ordered: boolean;
  readonly discriminators: readonly { type: string; path: string }[];
  readonly slices: ElementDef[];
  /** The `@default` slice that takes every item no other slice matches, if the profile declares one. */
  defaultSlice: ElementDef | undefined;
}

/** One JSON property an object may carry at an element: `valueCoding` → (value[x], Coding). */
export interface PropertyRule {
  readonly element: ElementDef;
  /** The concrete type for a choice property; the element's single type otherwise. */
  readonly type: TypeRef | undefined;
  /** `_name`: the id/extension half of a primitive. */
  readonly primitivePart: boolean;
  /** The value property (`valueCoding`) and its `_` twin for primitives; precomputed so the walk builds no strings. */
  readonly key: string;
  readonly partKey: string | undefined;
  /** FHIRPath step for locations: `identifier`, `value.ofType(Period)`. */
  readonly step: string;
}

export interface ElementDef {
  readonly id: string;
  readonly path: string;
  /** JSON name without `[x]`. */
  readonly name: string;
  readonly choice: boolean;
  readonly min: number;
  readonly max: number;
  /** Whether JSON carries a list: decided by the base definition's max, not the profile's. */
  readonly array: boolean;
  readonly types: readonly TypeRef[];
  readonly sliceName: string | undefined;
  readonly fixed: FixedValue | undefined;
  readonly binding: Binding | undefined;
  readonly maxLength: number | undefined;
  readonly constraints: readonly ElementConstraint[];
  /**
   * For a choice element with several types: the constraints compiled per concrete type, so that FHIRPath knows
   * the node's type (`($this as dateTime)` in vs-1 on `effective[x]`).
   */
  readonly choiceConstraints: ReadonlyMap<string, readonly ElementConstraint[]> | undefined;
  readonly owner: CompiledProfile;
  /** Children spelled out in the snapshot (excluding slices); empty when the type's definition applies. */
  readonly children: ElementDef[];
  /** Property name → rule, for elements whose children are in the snapshot. */
  properties: Map<string, PropertyRule> | undefined;
  /** Children with min > 0, checked once per object. */
  required: ElementDef[];
  /** Every JSON property that makes this element present (`name`, `_name`, or each `valueX`/`_valueX`). */
  presenceKeys: string[];
  /** Constraints of a type's definition not already listed on this element, per definition root (memo). */
  extraConstraints: Map<ElementDef, readonly ElementConstraint[]> | undefined;
  slicing: SlicingDef | undefined;
  /** The sliced element this slice belongs to. */
  sliceBase: ElementDef | undefined;
  /** Discriminator matchers of a slice (phase 2). */
  matchers: SliceMatcher[] | undefined;
  /** `contentReference` target (`Bundle.entry.link` → `Bundle.link`). */
  contentTarget: ElementDef | undefined;
  readonly contentReference: string | undefined;
}

export interface CompiledProfile {
  readonly url: string;
  readonly version: string | undefined;
  /** `url|version`, how the profile is named in messages. */
  readonly label: string;
  readonly type: string;
  readonly kind: 'resource' | 'complex-type' | 'primitive-type' | 'logical';
  readonly derivation: 'specialization' | 'constraint';
  /** The canonical this profile constrains (resolved in the same closure). */
  readonly baseDefinition: string | undefined;
  readonly root: ElementDef;
  /** Anchored lexical rule of a primitive type (from the `regex` extension of `<type>.value`). */
  readonly regex: RegExp | undefined;
  /** Constructs the compiler does not support; strict compilation refuses such a profile. */
  readonly problems: string[];
}

export interface ConstraintSource {
  /** `contextPath` is the element id, typed for choice elements (`Observation.effective[x]:effectiveDateTime`). */
  compile(
    element: Record<string, unknown>,
    contextPath: string,
    profileUrl: string,
    problems: string[],
  ): ElementConstraint[];
}

/** The constraints that apply to a value of one type at an element. */
export function constraintsFor(element: ElementDef, typeCode: string | undefined): readonly ElementConstraint[] {
  return (typeCode !== undefined ? element.choiceConstraints?.get(typeCode) : undefined) ?? element.constraints;
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';

interface RawType {
  code?: string;
  profile?: string[];
  targetProfile?: string[];
  aggregation?: string[];
  extension?: { url?: string; valueUrl?: string; valueUri?: string; valueString?: string }[];
}

/** Builds the element tree of one snapshot. Slicing discriminators are left for phase 2. */
export function buildElementTree(sd: FhirResource, constraints: ConstraintSource): CompiledProfile {
  const url = String(sd.url);
  const version = typeof sd.version === 'string' ? sd.version : undefined;
  const elements = (sd.snapshot as { element?: Record<string, unknown>[] } | undefined)?.element;
  const problems: string[] = [];
  if (!elements || elements.length === 0) throw new Error(`StructureDefinition ${url} has no snapshot`);

  const profile = {
    url,
    version,
    label: version ? `${url}|${version}` : url,
    type: String(sd.type),
    kind: sd.kind as CompiledProfile['kind'],
    derivation: (sd.derivation ?? 'specialization') as CompiledProfile['derivation'],
    baseDefinition: typeof sd.baseDefinition === 'string' ? sd.baseDefinition : undefined,
    root: undefined as unknown as ElementDef,
    regex: undefined as RegExp | undefined,
    problems,
  };

  const byId = new Map<string, ElementDef>();
  for (const raw of elements) {
    const element = makeElement(raw, profile, constraints, problems);
    byId.set(element.id, element);
    if (!element.path.includes('.')) {
      if (profile.root) problems.push(`${element.id}: a second root element`);
      else profile.root = element;
      continue;
    }
    if (element.sliceName !== undefined) {
      const base = byId.get(sliceBaseId(element.id, element.sliceName));
      if (!base) {
        problems.push(`${element.id}: slice without a sliced element`);
        continue;
      }
      if (!base.slicing) {
        // A slice below a reslice-less base can only come from a broken snapshot.
        problems.push(`${element.id}: slice of ${base.id}, which declares no slicing`);
        continue;
      }
      element.sliceBase = base;
      if (element.sliceName === '@default' || element.sliceName.endsWith('/@default'))
        base.slicing.defaultSlice = element;
      else base.slicing.slices.push(element);
      continue;
    }
    const parent = byId.get(parentId(element.id, element.path));
    if (!parent) {
      problems.push(`${element.id}: no parent element in the snapshot`);
      continue;
    }
    parent.children.push(element);
    if (profile.kind === 'primitive-type' && element.path === `${profile.type}.value`) {
      profile.regex = primitiveRegex(raw);
    }
  }
  if (!profile.root) throw new Error(`StructureDefinition ${url} has no root element`);
  for (const element of byId.values()) {
    if (element.contentReference) {
      const target = byId.get(element.contentReference.slice(element.contentReference.indexOf('#') + 1));
      if (target) element.contentTarget = target;
      else problems.push(`${element.id}: contentReference ${element.contentReference} not found`);
    }
    indexProperties(element);
  }
  return profile as CompiledProfile;
}

function makeElement(
  raw: Record<string, unknown>,
  owner: Omit<CompiledProfile, 'root'> & { root: ElementDef },
  constraints: ConstraintSource,
  problems: string[],
): ElementDef {
  const id = String(raw.id ?? raw.path);
  const path = String(raw.path);
  const last = path.slice(path.lastIndexOf('.') + 1);
  const choice = last.endsWith('[x]');
  const base = raw.base as { max?: string } | undefined;
  const max = parseMax(raw.max as string | undefined);
  const baseMax = base?.max !== undefined ? parseMax(base.max) : max;
  const slicing = raw.slicing as
    { discriminator?: { type: string; path: string }[]; rules?: string; ordered?: boolean } | undefined;
  let types = ((raw.type as RawType[] | undefined) ?? []).map(typeRef);
  const name = choice ? last.slice(0, -3) : last;
  // R4 types Resource.id as a system string, but its content is an `id` (the HL7 validator checks it as one).
  if (owner.kind === 'resource' && path === `${owner.type}.id`) types = types.map((t) => ({ ...t, code: 'id' }));
  return {
    id,
    path,
    name,
    choice,
    min: typeof raw.min === 'number' ? raw.min : 0,
    max,
    array: baseMax > 1,
    types,
    sliceName: typeof raw.sliceName === 'string' ? raw.sliceName : undefined,
    fixed: fixedValue(raw),
    binding: binding(raw),
    maxLength: typeof raw.maxLength === 'number' ? raw.maxLength : undefined,
    constraints: constraints.compile(raw, id, owner.url, problems),
    choiceConstraints:
      choice && types.length > 1 && Array.isArray(raw.constraint) && raw.constraint.length > 0
        ? new Map(
            types.map((t) => [t.code, constraints.compile(raw, `${id}:${name}${capitalize(t.code)}`, owner.url, [])]),
          )
        : undefined,
    owner: owner as CompiledProfile,
    children: [],
    properties: undefined,
    required: [],
    presenceKeys: [],
    extraConstraints: undefined,
    slicing: slicing
      ? {
          rules: (slicing.rules ?? 'open') as SlicingDef['rules'],
          ordered: slicing.ordered === true,
          discriminators: slicing.discriminator ?? [],
          slices: [],
          defaultSlice: undefined,
        }
      : undefined,
    sliceBase: undefined,
    matchers: undefined,
    contentTarget: undefined,
    contentReference: typeof raw.contentReference === 'string' ? raw.contentReference : undefined,
  };
}

function parseMax(max: string | undefined): number {
  if (max === undefined || max === '*') return Infinity;
  const n = Number(max);
  return Number.isFinite(n) ? n : Infinity;
}

/** Type codes of `id`/`url`/`value` elements are FHIRPath system types; the fhir-type extension names the FHIR type. */
function typeRef(raw: RawType): TypeRef {
  let code = raw.code ?? 'Element';
  const system = code.startsWith('http://hl7.org/fhirpath/System.');
  if (system) {
    const fhirType = raw.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION);
    code = fhirType?.valueUrl ?? fhirType?.valueUri ?? systemTypeName(code);
  }
  return {
    code,
    profiles: raw.profile ?? [],
    targetProfiles: raw.targetProfile ?? [],
    aggregation: raw.aggregation && raw.aggregation.length > 0 ? raw.aggregation : undefined,
    system,
  };
}

function systemTypeName(code: string): string {
  const name = code.slice('http://hl7.org/fhirpath/System.'.length);
  return name === 'String' ? 'string' : name.charAt(0).toLowerCase() + name.slice(1);
}

function primitiveRegex(raw: Record<string, unknown>): RegExp | undefined {
  const types = (raw.type as RawType[] | undefined) ?? [];
  const regex = types[0]?.extension?.find((e) => e.url === REGEX_EXTENSION)?.valueString;
  return regex ? new RegExp(`^(?:${regex})$`) : undefined;
}

function fixedValue(raw: Record<string, unknown>): FixedValue | undefined {
  for (const key in raw) {
    if (key.startsWith('fixed')) return { kind: 'fixed', value: raw[key] };
    if (key.startsWith('pattern')) return { kind: 'pattern', value: raw[key] };
  }
  return undefined;
}

function binding(raw: Record<string, unknown>): Binding | undefined {
  const b = raw.binding as { strength?: string; valueSet?: string } | undefined;
  if (!b?.valueSet || !b.strength) return undefined;
  return { strength: b.strength as Binding['strength'], valueSet: b.valueSet };
}

/** `A.b:s.c` with path `A.b.c` → `A.b:s`. Slice names may carry dots, so cut at the last `.c`. */
function parentId(id: string, path: string): string {
  const last = path.slice(path.lastIndexOf('.'));
  const at = id.lastIndexOf(last);
  return at > 0 ? id.slice(0, at) : path.slice(0, path.lastIndexOf('.'));
}

/** `A.b:s` → `A.b`; a reslice `A.b:s/r` → `A.b:s`. */
function sliceBaseId(id: string, sliceName: string): string {
  const withoutName = id.slice(0, id.length - sliceName.length - 1);
  const slash = sliceName.lastIndexOf('/');
  return slash < 0 ? withoutName : `${withoutName}:${sliceName.slice(0, slash)}`;
}

export function isPrimitiveType(code: string): boolean {
  const first = code.charCodeAt(0);
  return first >= 97 && first <= 122; // FHIR names primitive types in lower case, complex types and resources in upper
}

export function capitalize(code: string): string {
  return code.charAt(0).toUpperCase() + code.slice(1);
}

/** Property rules for elements whose children are spelled out (own children or those of a contentReference). */
function indexProperties(element: ElementDef): void {
  if (element.children.length === 0) return;
  const properties = new Map<string, PropertyRule>();
  const add = (childElement: ElementDef, type: TypeRef | undefined, key: string, step: string): void => {
    const partKey = type && isPrimitiveType(type.code) && !type.system ? `_${key}` : undefined;
    properties.set(key, { element: childElement, type, primitivePart: false, key, partKey, step });
    childElement.presenceKeys.push(key);
    if (partKey) {
      properties.set(partKey, { element: childElement, type, primitivePart: true, key, partKey, step });
      childElement.presenceKeys.push(partKey);
    }
  };
  for (const childElement of element.children) {
    if (childElement.choice) {
      for (const type of childElement.types) {
        add(childElement, type, childElement.name + capitalize(type.code), `${childElement.name}.ofType(${type.code})`);
      }
    } else {
      add(childElement, childElement.types[0], childElement.name, childElement.name);
    }
    if (childElement.min > 0) element.required.push(childElement);
  }
  element.properties = properties;
}
