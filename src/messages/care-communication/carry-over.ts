/**
 * What a reply or forward takes over from the message it answers: earlier segments, earlier Provenances, the patient,
 * and every resource those point to (authors' PractitionerRoles and Practitioners, assigner and agent
 * Organizations, the sender's CareTeam). MedCom requires every reference to resolve inside the Bundle
 * (aggregation `bundled`), so the referenced resources travel along, keeping their ids — as the official examples
 * keep PractitionerRole, Practitioner and Provenance ids across the thread.
 *
 * Organisations are the exception: the parties of the new message get Organization entries built from the caller's
 * `MessagingParty`, but an entry that denotes the same party (same SOR code and GLN) keeps its previous id, so copied
 * Provenance agents, segment assigners and role organisations still resolve — and CC-11/CC-12 compare one entry with
 * itself. References are rewritten to the relative `Type/id` form this project writes, whatever form they arrived in.
 */
import { messageName, parseReference, resolveReference } from '../bundle.ts';
import type { FhirResource, MessageBundle, Organization } from '../fhir-types.ts';
import { partyFromOrganization, sameParty, type MessagingParty } from '../parties.ts';

type IdentifiedResource = FhirResource & { readonly id: string };

/** The id of an Organization entry of `bundle` that denotes `party`, if any. */
export function organizationIdFor(bundle: MessageBundle, party: MessagingParty): string | undefined {
  for (const [index, entry] of bundle.entry.entries()) {
    if (entry.resource.resourceType !== 'Organization') continue;
    try {
      const found = partyFromOrganization(
        entry.resource,
        `Bundle.entry[${index}].resource`,
        undefined,
        messageName(bundle),
      );
      if (sameParty(found, party)) return (entry.resource as Organization).id;
    } catch {
      // Organisations without SOR/GLN (e.g. a CareTeam's owner) cannot be a messaging party; skip them.
    }
  }
  return undefined;
}

/** Every `reference` string inside `value`, with a setter to rewrite it. */
function* references(value: unknown): Generator<{ text: string; set: (text: string) => void }> {
  if (Array.isArray(value)) {
    for (const item of value) yield* references(item);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'reference' && typeof child === 'string') {
        yield { text: child, set: (text) => (record[key] = text) };
      } else if (typeof child === 'object') {
        yield* references(child);
      }
    }
  }
}

/**
 * Collects the resources of `previous` that `roots` refer to, directly or through each other, as deep copies with
 * references rewritten to `Type/id`. MessageHeaders are never collected (earlier headers are cited, not bundled);
 * entries listed in `provided` (`Type/id`) are left out because the new message supplies them itself (its parties'
 * Organizations, the patient). `roots` are rewritten in place — pass copies.
 */
export function carryReferencedResources(
  previous: MessageBundle,
  roots: readonly object[],
  provided: ReadonlySet<string>,
): IdentifiedResource[] {
  const carried = new Map<string, IdentifiedResource>();
  const pending: object[] = [...roots];
  while (pending.length > 0) {
    const item = pending.pop()!;
    for (const ref of references(item)) {
      const found = resolveReference(previous, ref.text);
      const parsed = found ? undefined : parseReference(ref.text);
      if (!found) {
        // Not in the previous Bundle: a cited earlier MessageHeader, or a dangling reference we cannot repair.
        if (parsed) ref.set(`${parsed.type}/${parsed.id}`);
        continue;
      }
      const resource = found.resource as IdentifiedResource;
      const key = `${resource.resourceType}/${resource.id}`;
      ref.set(key);
      if (resource.resourceType === 'MessageHeader' || provided.has(key) || carried.has(key)) continue;
      const copy = structuredClone(resource);
      carried.set(key, copy);
      pending.push(copy);
    }
  }
  return [...carried.values()];
}
