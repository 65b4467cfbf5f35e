// Test support: InvariantHooks for evaluating invariants outside the validator. `conformsTo` belongs to the
// validator (it re-validates against a profile); the invariant module only delegates to it, so these tests use a
// declared stand-in: a resource conforms to a profile when it claims (meta.profile) that profile or one derived
// from it in the IG's closure. Every test that depends on it says so in its name.
import type { FhirResource, PackageContext } from '../../../src/fhir/packages/context.ts';
import type { PackageRef } from '../../../src/fhir/packages/package-ref.ts';
import type { InvariantHooks } from '../../../src/validation/invariants.ts';
import { Terminology } from '../../../src/validation/terminology.ts';
import { testStore } from '../../support/shared.ts';

// Opening a PackageContext walks the whole dependency closure; tests share one per IG (packages are read-only).
const contexts = new Map<string, PackageContext>();
const terminologies = new Map<string, Terminology>();

export function contextFor(ig: PackageRef): PackageContext {
  const key = `${ig.id}#${ig.version}`;
  let context = contexts.get(key);
  if (!context) contexts.set(key, (context = testStore().context(ig)));
  return context;
}

export function terminologyFor(ig: PackageRef): Terminology {
  const key = `${ig.id}#${ig.version}`;
  let terminology = terminologies.get(key);
  if (!terminology) terminologies.set(key, (terminology = new Terminology(contextFor(ig))));
  return terminology;
}

export function claimsConformance(context: PackageContext): (resource: unknown, profile: string) => boolean {
  return (resource, profile) => {
    const claims = (resource as { meta?: { profile?: string[] } } | undefined)?.meta?.profile ?? [];
    const wanted = profile.split('|')[0];
    return claims.some((claim) => {
      let url: string | undefined = claim.split('|')[0];
      for (let depth = 0; url && depth < 20; depth++) {
        if (url === wanted) return true;
        const definition: FhirResource | undefined = context.resolve(url);
        url = typeof definition?.baseDefinition === 'string' ? definition.baseDefinition : undefined;
      }
      return false;
    });
  };
}

export function hooksFor(ig: PackageRef, bundle: unknown): InvariantHooks {
  return {
    bundle,
    conformsTo: claimsConformance(contextFor(ig)),
    terminology: terminologyFor(ig),
  };
}
