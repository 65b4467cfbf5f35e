// Test support: the nodes of an instance where a profile's constraints apply, following the element ids of the
// profile snapshot. Slices are skipped (except the type slice of a choice, `value[x]:valueContactPoint`); the
// tests pick the instance a slice profile applies to themselves (e.g. the LPR3 identifier of an Encounter).
import type { FhirResource, PackageContext } from '../../../src/fhir/packages/context.ts';
import type { Constraint } from './constraint-sites.ts';

export interface ProfileSite {
  readonly profile: string;
  /** Element id of the snapshot element, used as the invariant's context path. */
  readonly contextPath: string;
  readonly node: unknown;
  readonly constraint: Constraint;
}

interface ElementDefinition {
  id: string;
  constraint?: (Constraint & { source?: string })[];
}

export function profileOf(context: PackageContext, canonical: string): FhirResource {
  const profile = context.resolve(canonical);
  if (!profile) throw new Error(`${canonical} does not resolve in ${context.root.id}#${context.root.version}`);
  return profile;
}

/** Every (node, constraint) pair of a profile on one instance; `onlyKeys` narrows to some constraint keys. */
export function profileSites(
  profile: FhirResource,
  instance: unknown,
  onlyKeys?: (key: string) => boolean,
): ProfileSite[] {
  const out: ProfileSite[] = [];
  const elements = (profile.snapshot as { element: ElementDefinition[] }).element;
  for (const element of elements) {
    const constraints = (element.constraint ?? []).filter((c) => !onlyKeys || onlyKeys(c.key));
    if (constraints.length === 0) continue;
    const segments = element.id.split('.');
    if (segments.some((s) => s.includes(':') && !/^[a-z]+\[x\]:[a-z]+[A-Z]\w*$/.test(s))) continue;
    for (const node of nodesAt(instance, segments.slice(1))) {
      for (const constraint of constraints) {
        out.push({ profile: String(profile.url), contextPath: element.id, node, constraint });
      }
    }
  }
  return out;
}

export function nodesAt(root: unknown, segments: string[]): unknown[] {
  let current: unknown[] = [root];
  for (const segment of segments) {
    const [name, slice] = segment.split(':') as [string, string | undefined];
    const next: unknown[] = [];
    for (const item of current) {
      if (!item || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      const keys = name.endsWith('[x]')
        ? slice
          ? [slice]
          : Object.keys(record).filter((k) => k.startsWith(name.slice(0, -3)) && k.length > name.length - 3)
        : [name];
      for (const key of keys) {
        const value = record[key];
        if (value === undefined) continue;
        next.push(...(Array.isArray(value) ? value : [value]));
      }
    }
    current = next;
  }
  return current;
}
