// Test support: where the constraints of the base R4 definitions apply in an instance. A small walk over the
// JSON guided by the base StructureDefinitions of the package context (resource elements, then the definitions of
// complex datatypes), so the invariant tests can run every base invariant at every node of an official example
// without depending on the validator under construction.
import type { FhirResource, PackageContext } from '../../../src/fhir/packages/context.ts';

export interface Constraint {
  key: string;
  severity?: string;
  human?: string;
  expression?: string;
}

export interface ConstraintSite {
  /** Element path of the definition that carries the constraint (the invariant's context path). */
  readonly contextPath: string;
  /** Where the node is in the instance, for failure messages. */
  readonly location: string;
  readonly node: unknown;
  /** FHIR type of the node (the concrete type of a choice element). */
  readonly type: string;
  /** The resource that contains the node (%resource). */
  readonly resource: FhirResource;
  /** %rootResource: the resource itself, or the container of a contained resource (not the Bundle of an entry). */
  readonly rootResource: FhirResource;
  readonly constraint: Constraint;
}

interface ElementDefinition {
  id: string;
  path: string;
  type?: { code?: string }[];
  contentReference?: string;
  constraint?: Constraint[];
}

export function* constraintSites(
  resource: FhirResource,
  context: PackageContext,
  location: string = resource.resourceType,
  rootResource: FhirResource = resource,
): Generator<ConstraintSite> {
  const definition = context.typeDefinition(resource.resourceType);
  if (!definition) return;
  const elements = elementsOf(definition);
  const scope = { resource, rootResource, context };
  yield* walk(resource, resource.resourceType, elements, resource.resourceType, scope, location, new Set());
}

interface Scope {
  readonly resource: FhirResource;
  readonly rootResource: FhirResource;
  readonly context: PackageContext;
}

function elementsOf(definition: FhirResource): Map<string, ElementDefinition> {
  const elements = ((definition.snapshot as { element?: ElementDefinition[] }).element ?? []).filter(
    (e) => !e.id.includes(':'),
  );
  return new Map(elements.map((e) => [e.path, e]));
}

function* walk(
  value: unknown,
  type: string,
  elements: Map<string, ElementDefinition>,
  path: string,
  scope: Scope,
  location: string,
  alreadyRun: Set<string>,
): Generator<ConstraintSite> {
  const element = elements.get(path);
  for (const constraint of element?.constraint ?? []) {
    if (alreadyRun.has(constraint.key)) continue;
    yield { contextPath: path, location, node: value, type, ...site(scope), constraint };
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const child of elements.values()) {
    if (!child.path.startsWith(`${path}.`) || child.path.slice(path.length + 1).includes('.')) continue;
    const name = child.path.slice(path.length + 1);
    for (const [property, type] of properties(record, name, child)) {
      const items = Array.isArray(record[property]) ? (record[property] as unknown[]) : [record[property]];
      for (const [i, item] of items.entries()) {
        if (item === undefined || item === null) continue;
        const at = `${location}.${property}${items.length > 1 ? `[${i}]` : ''}`;
        yield* walkChild(item, child, type, elements, scope, at);
      }
    }
  }
}

function* walkChild(
  item: unknown,
  child: ElementDefinition,
  type: string,
  elements: Map<string, ElementDefinition>,
  scope: Scope,
  location: string,
): Generator<ConstraintSite> {
  if (child.contentReference) {
    // `#Bundle.link`: the referencing element's own constraints, then the target's children.
    for (const constraint of child.constraint ?? []) {
      yield { contextPath: child.path, location, node: item, type, ...site(scope), constraint };
    }
    const target = child.contentReference.slice(child.contentReference.indexOf('#') + 1);
    const keys = new Set((child.constraint ?? []).map((c) => c.key));
    yield* walk(item, type, elements, target, scope, location, keys);
    return;
  }
  const resourceType = (item as { resourceType?: unknown }).resourceType;
  if (typeof resourceType === 'string') {
    for (const constraint of child.constraint ?? []) {
      yield { contextPath: child.path, location, node: item, type: resourceType, ...site(scope), constraint };
    }
    const contained = child.path.endsWith('.contained');
    yield* constraintSites(item as FhirResource, scope.context, location, contained ? scope.rootResource : undefined);
    return;
  }
  if (type === 'BackboneElement' || type === 'Element') {
    yield* walk(item, child.path, elements, child.path, scope, location, new Set());
    return;
  }
  for (const constraint of child.constraint ?? []) {
    yield { contextPath: child.path, location, node: item, type, ...site(scope), constraint };
  }
  const datatype = /^[A-Z]/.test(type) ? scope.context.typeDefinition(type) : undefined;
  if (!datatype) return;
  const keys = new Set((child.constraint ?? []).map((c) => c.key));
  yield* walk(item, type, elementsOf(datatype), type, scope, location, keys);
}

function site(scope: Scope): { resource: FhirResource; rootResource: FhirResource } {
  return { resource: scope.resource, rootResource: scope.rootResource };
}

/** JSON property names an element occupies, with the type each one carries (`value[x]` → `valueString`: string). */
function properties(record: Record<string, unknown>, name: string, child: ElementDefinition): [string, string][] {
  const types = (child.type ?? []).map((t) => t.code ?? '');
  if (!name.endsWith('[x]')) return name in record ? [[name, types[0] ?? 'Element']] : [];
  const stem = name.slice(0, -3);
  const out: [string, string][] = [];
  for (const property of Object.keys(record)) {
    if (!property.startsWith(stem) || property.length === stem.length) continue;
    const suffix = property.slice(stem.length);
    const type = types.find((t) => t.toLowerCase() === suffix.toLowerCase());
    if (type) out.push([property, type]);
  }
  return out;
}
