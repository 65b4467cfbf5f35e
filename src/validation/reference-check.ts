// References met during the walk: contained (`#id`), Bundle-local, or external. MedCom marks its references
// `aggregation = bundled`, so outside a Bundle they are errors (as the HL7 validator reports on stand-alone
// examples) and inside one they must resolve. A resolved target adds the reference's targetProfiles to the profiles
// its entry is validated against.
import type { Location } from './location.ts';
import { quote } from './outcome.ts';
import { mustBeBundled, referencedType } from './references.ts';
import type { Scope, ValidationRun } from './run.ts';
import type { TypeRef } from './structure.ts';

export function checkReference(
  value: Record<string, unknown>,
  type: TypeRef,
  location: Location,
  run: ValidationRun,
  scope: Scope,
): void {
  const reference = value.reference;
  if (typeof reference !== 'string') return;
  const registry = run.ig.registry;
  const allowed = registry.targetTypes(type);
  const aggregation = type.aggregation;

  if (reference.startsWith('#')) {
    if (aggregation && !aggregation.includes('contained')) {
      run.report(
        'error',
        'structure',
        location,
        `reference ${quote(reference)} points to a contained resource, which the aggregation mode(s) (${aggregation.join(', ')}) do not allow`,
      );
    }
    const target = run.resolve(value, scope);
    if (!target) {
      run.report('error', 'not-found', location, `contained resource ${quote(reference)} not found`, 'MSG_LOCAL_FAIL');
    } else checkTargetType(String(target.resourceType), allowed, reference, location, run);
    return;
  }

  const bundle = run.bundle;
  const entry = bundle?.index.resolve(reference, scope.fullUrl);
  if (!bundle || !entry?.resource) {
    if (mustBeBundled(aggregation)) {
      run.report(
        'error',
        bundle ? 'not-found' : 'structure',
        location,
        bundle
          ? `reference ${quote(reference)} does not resolve to an entry of the Bundle, but the aggregation mode(s) (${aggregation!.join(', ')}) require the target to be bundled`
          : `Reference is external which isn't supported by the specified aggregation mode(s) for the reference (${aggregation!.join(', ')})`,
        'MSG_LOCAL_FAIL',
      );
    } else if (bundle) {
      run.report('information', 'not-found', location, `Can't find ${quote(reference)} in the bundle`);
    }
    const urlType = referencedType(reference);
    if (urlType) checkTargetType(urlType, allowed, reference, location, run);
    return;
  }
  const resourceType = String(entry.resource.resourceType);
  if (!checkTargetType(resourceType, allowed, reference, location, run)) return;
  if (run.collectRequirements) {
    const profiles = registry.targetProfilesFor(type, resourceType);
    if (profiles.length > 0) bundle.require(entry.index, profiles);
  }
}

function checkTargetType(
  resourceType: string,
  allowed: ReadonlySet<string> | undefined,
  reference: string,
  location: Location,
  run: ValidationRun,
): boolean {
  if (!allowed || allowed.has(resourceType)) return true;
  run.report(
    'error',
    'structure',
    location,
    `reference ${quote(reference)} points to a ${resourceType}, but only ${[...allowed].join(' | ')} is allowed here`,
    'MSG_RESOURCE_TYPE_MISMATCH',
  );
  return false;
}
