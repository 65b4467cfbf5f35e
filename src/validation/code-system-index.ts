// One CodeSystem, indexed once: every concept (nested ones included), its parents and its properties, so value set
// filters (`is-a`, `descendent-of`, `=`, …) become set look-ups.
import type { FhirResource } from '../fhir/packages/context.ts';

interface RawConcept {
  code?: string;
  display?: string;
  concept?: RawConcept[];
  property?: Record<string, unknown>[];
}

export interface Concept {
  readonly code: string;
  readonly display: string | undefined;
  readonly parents: Set<string>;
  /** Property values as strings (codes of `valueCoding`, `true`/`false` for booleans). */
  readonly properties: Map<string, string[]>;
}

export interface ConceptFilter {
  readonly property: string;
  readonly op: string;
  readonly value: string;
}

/** Properties that carry the hierarchy when concepts are listed flat (THO v3 code systems use `subsumedBy`). */
const PARENT_PROPERTIES = new Set(['parent', 'subsumedBy']);
/** Properties that make a concept unusable in instances (v3 `notSelectable`, FHIR `abstract`). */
const NOT_SELECTABLE_PROPERTIES = ['notSelectable', 'abstract'];

export class CodeSystemIndex {
  readonly concepts = new Map<string, Concept>();
  private children: Map<string, Set<string>> | undefined;

  constructor(
    readonly url: string,
    readonly version: string | undefined,
    /** `complete`, `fragment`, `example`, `not-present` or `supplement`. */
    readonly content: string,
  ) {}

  static of(codeSystem: FhirResource): CodeSystemIndex {
    const index = new CodeSystemIndex(
      String(codeSystem.url),
      typeof codeSystem.version === 'string' ? codeSystem.version : undefined,
      typeof codeSystem.content === 'string' ? codeSystem.content : 'complete',
    );
    index.add((codeSystem.concept as RawConcept[] | undefined) ?? [], undefined);
    return index;
  }

  /** Whether the listed concepts are all there is (`complete`), so an unlisted code is known not to exist. */
  get enumerable(): boolean {
    return this.content === 'complete';
  }

  has(code: string): boolean {
    return this.concepts.has(code);
  }

  /** Concepts an instance may carry: abstract/notSelectable grouping codes are left out of whole-system includes. */
  selectableCodes(): Set<string> {
    const out = new Set<string>();
    for (const concept of this.concepts.values()) if (!isNotSelectable(concept)) out.add(concept.code);
    return out;
  }

  /**
   * The codes a filter selects, or `undefined` when the operator or property is one this index cannot evaluate
   * (the caller then treats that part of the value set as not expandable).
   */
  select(filter: ConceptFilter): Set<string> | undefined {
    const { property, op, value } = filter;
    const onConcept = property === 'concept' || property === 'code';
    switch (op) {
      case 'is-a':
        return onConcept ? this.selectable(this.withDescendants(value)) : undefined;
      case 'descendent-of': {
        if (!onConcept) return undefined;
        const set = this.withDescendants(value);
        set.delete(value);
        return this.selectable(set);
      }
      case 'is-not-a': {
        if (!onConcept) return undefined;
        const excluded = this.withDescendants(value);
        return this.selectable(new Set([...this.concepts.keys()].filter((code) => !excluded.has(code))));
      }
      case 'generalizes':
        return onConcept ? this.withAncestors(value) : undefined;
      case '=':
        return this.where((values) => values.includes(value), property);
      case 'in': {
        const wanted = new Set(value.split(',').map((part) => part.trim()));
        return this.where((values) => values.some((v) => wanted.has(v)), property);
      }
      case 'not-in': {
        const unwanted = new Set(value.split(',').map((part) => part.trim()));
        return this.where((values) => !values.some((v) => unwanted.has(v)), property);
      }
      case 'regex': {
        const pattern = new RegExp(`^(?:${value})$`);
        return this.where((values) => values.some((v) => pattern.test(v)), property);
      }
      case 'exists': {
        const wanted = value === 'true';
        return this.where((values) => values.length > 0 === wanted, property);
      }
      default:
        return undefined;
    }
  }

  private where(test: (values: string[]) => boolean, property: string): Set<string> {
    const out = new Set<string>();
    for (const concept of this.concepts.values()) {
      if (test(valuesOf(concept, property))) out.add(concept.code);
    }
    return out;
  }

  private selectable(codes: Set<string>): Set<string> {
    for (const code of codes) {
      const concept = this.concepts.get(code);
      if (concept && isNotSelectable(concept)) codes.delete(code);
    }
    return codes;
  }

  private withDescendants(code: string): Set<string> {
    const out = new Set<string>();
    if (!this.concepts.has(code)) return out;
    const children = this.childMap();
    const stack = [code];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (out.has(next)) continue;
      out.add(next);
      for (const child of children.get(next) ?? []) stack.push(child);
    }
    return out;
  }

  private withAncestors(code: string): Set<string> {
    const out = new Set<string>();
    const stack = [code];
    while (stack.length > 0) {
      const next = stack.pop()!;
      const concept = this.concepts.get(next);
      if (!concept || out.has(next)) continue;
      out.add(next);
      stack.push(...concept.parents);
    }
    return out;
  }

  private childMap(): Map<string, Set<string>> {
    if (!this.children) {
      this.children = new Map();
      for (const concept of this.concepts.values()) {
        for (const parent of concept.parents) {
          let set = this.children.get(parent);
          if (!set) this.children.set(parent, (set = new Set()));
          set.add(concept.code);
        }
      }
    }
    return this.children;
  }

  private add(list: RawConcept[], parent: string | undefined): void {
    for (const raw of list) {
      if (typeof raw.code !== 'string') continue;
      const properties = new Map<string, string[]>();
      for (const property of raw.property ?? []) {
        const name = property.code;
        const value = propertyValue(property);
        if (typeof name !== 'string' || value === undefined) continue;
        const values = properties.get(name) ?? [];
        values.push(value);
        properties.set(name, values);
      }
      const parents = new Set<string>(parent ? [parent] : []);
      for (const name of PARENT_PROPERTIES) for (const value of properties.get(name) ?? []) parents.add(value);
      this.concepts.set(raw.code, { code: raw.code, display: raw.display, parents, properties });
      if (raw.concept) this.add(raw.concept, raw.code);
    }
  }
}

function valuesOf(concept: Concept, property: string): string[] {
  if (property === 'concept' || property === 'code') return [concept.code];
  if (property === 'display') return concept.display === undefined ? [] : [concept.display];
  return concept.properties.get(property) ?? [];
}

function isNotSelectable(concept: Concept): boolean {
  return NOT_SELECTABLE_PROPERTIES.some((name) => concept.properties.get(name)?.includes('true'));
}

function propertyValue(property: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(property)) {
    if (!key.startsWith('value')) continue;
    if (key === 'valueCoding') return (value as { code?: string }).code;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return undefined;
}
