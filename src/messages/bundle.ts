/**
 * Message Bundles: assembling them in the shape MedCom's examples use, and reading them back.
 *
 * fullUrl convention (chosen once, used everywhere): absolute RESTful `https://medcomfhir.dk/ig/<ig>/<Type>/<id>`, as
 * in every official example, with relative `Type/id` references between entries. Relative references resolve against
 * a RESTful base, whereas they would not against `urn:uuid:` fullUrls — so this is the one form in which the examples'
 * references and ours mean the same thing.
 */
import { MessageModelError } from './errors.ts';
import type { BundleEntry, FhirResource, MessageBundle, MessageHeader, Reference } from './fhir-types.ts';

/** Base of the fullUrls for one IG, e.g. `https://medcomfhir.dk/ig/hospitalnotification/`. */
export function fullUrlBase(ig: string): string {
  return `https://medcomfhir.dk/ig/${ig}/`;
}

interface IdentifiedResource extends FhirResource {
  readonly id: string;
}

export function fullUrlOf(base: string, resource: IdentifiedResource): string {
  return `${base}${resource.resourceType}/${resource.id}`;
}

/** A relative reference `Type/id` to a bundled resource. */
export function referenceTo(resource: IdentifiedResource): Reference {
  return { reference: `${resource.resourceType}/${resource.id}` };
}

export interface MessageAssembly {
  /** Bundle.id: new for every transmission, including resends (GOV 052.2). */
  readonly id: string;
  /** The Bundle profile of the message type (meta.profile; CC invariants and Touchstone read it). */
  readonly profile: string;
  /** Bundle.timestamp, an instant. */
  readonly timestamp: string;
  readonly fullUrlBase: string;
  readonly header: MessageHeader;
  /** Every other resource; order is kept but receivers must not depend on it. */
  readonly resources: readonly IdentifiedResource[];
}

/** Builds the message Bundle with the MessageHeader first (GOV 050). Refuses two resources with the same type and id. */
export function assembleMessage(assembly: MessageAssembly): MessageBundle {
  const all: IdentifiedResource[] = [assembly.header, ...assembly.resources];
  const seen = new Set<string>();
  all.forEach((resource, index) => {
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) {
      throw new MessageModelError(
        `two entries are ${key}`,
        `Bundle.entry[${index}].resource.id`,
        'unique resource ids within the message',
        assembly.id,
      );
    }
    seen.add(key);
  });
  return {
    resourceType: 'Bundle',
    id: assembly.id,
    meta: { profile: [assembly.profile] },
    type: 'message',
    timestamp: assembly.timestamp,
    entry: all.map((resource) => ({ fullUrl: fullUrlOf(assembly.fullUrlBase, resource), resource })),
  };
}

/**
 * Checks the outer shape every reader relies on — a `message` Bundle with entries and a MessageHeader first — and
 * returns the value typed. `source` names the message in errors (file name or transport id).
 */
export function asMessageBundle(value: unknown, source?: string): MessageBundle {
  const bundle = value as Partial<MessageBundle> | undefined;
  const name = source ?? (typeof bundle?.id === 'string' ? `Bundle/${bundle.id}` : undefined);
  if (bundle?.resourceType !== 'Bundle') {
    throw new MessageModelError('not a Bundle', 'Bundle.resourceType', "'Bundle'", name);
  }
  if (bundle.type !== 'message') throw new MessageModelError('not a message Bundle', 'Bundle.type', "'message'", name);
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) {
    throw new MessageModelError('message has no entries', 'Bundle.entry', 'a MessageHeader and its resources', name);
  }
  bundle.entry.forEach((entry, index) => {
    const resource = (entry as Partial<BundleEntry> | undefined)?.resource;
    if (typeof resource?.resourceType !== 'string') {
      throw new MessageModelError('entry without a resource', `Bundle.entry[${index}].resource`, 'a resource', name);
    }
  });
  if (bundle.entry[0]!.resource.resourceType !== 'MessageHeader') {
    throw new MessageModelError(
      'first entry is not the MessageHeader',
      'Bundle.entry[0].resource',
      'a MessageHeader',
      name,
    );
  }
  return bundle as MessageBundle;
}

/** Name of a message for error texts. */
export function messageName(bundle: MessageBundle): string {
  return `Bundle/${bundle.id}`;
}

export function messageHeaderOf(bundle: MessageBundle): MessageHeader {
  return bundle.entry[0]!.resource as MessageHeader;
}

export interface Located<T> {
  readonly resource: T;
  /** Index in Bundle.entry. */
  readonly index: number;
  /** FHIRPath of the resource, for error messages. */
  readonly location: string;
}

/** All entries of one resource type, in Bundle order. */
export function entriesOfType<T extends FhirResource = FhirResource>(
  bundle: MessageBundle,
  type: string,
): Located<T>[] {
  const found: Located<T>[] = [];
  bundle.entry.forEach((entry, index) => {
    if (entry.resource.resourceType === type) {
      found.push({ resource: entry.resource as T, index, location: `Bundle.entry[${index}].resource` });
    }
  });
  return found;
}

const TYPE_AND_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Splits `Type/id`, `…/Type/id` or `…/Type/id/_history/v` into type and id. */
export function parseReference(reference: string): { type: string; id: string } | undefined {
  const match = TYPE_AND_ID.exec(reference);
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

/** True when `reference` (absolute fullUrl, `…/Type/id` or `Type/id`) denotes `type`/`id`. */
export function referencePoints(reference: string | undefined, type: string, id: string): boolean {
  if (typeof reference !== 'string') return false;
  const parsed = parseReference(reference);
  return parsed?.type === type && parsed.id === id;
}

/**
 * Resolves a reference inside the Bundle: an exact fullUrl match first (covers `urn:uuid:`), then type and id
 * (covers `Type/id` against any base and absolute URLs ending in `Type/id`).
 */
export function resolveReference<T extends FhirResource = FhirResource>(
  bundle: MessageBundle,
  reference: Reference | string | undefined,
): Located<T> | undefined {
  const text = typeof reference === 'string' ? reference : reference?.reference;
  if (typeof text !== 'string' || text === '') return undefined;
  const exact = bundle.entry.findIndex((entry) => entry.fullUrl === text);
  const parsed = parseReference(text);
  const index =
    exact >= 0
      ? exact
      : parsed
        ? bundle.entry.findIndex(
            (entry) =>
              entry.resource.resourceType === parsed.type && (entry.resource as { id?: unknown }).id === parsed.id,
          )
        : -1;
  if (index < 0) return undefined;
  return { resource: bundle.entry[index]!.resource as T, index, location: `Bundle.entry[${index}].resource` };
}

/** Like {@link resolveReference} but a missing or foreign target is an error naming the referring element. */
export function requireReference<T extends FhirResource = FhirResource>(
  bundle: MessageBundle,
  reference: Reference | undefined,
  location: string,
  expectedType: string,
): Located<T> {
  const found = resolveReference<T>(bundle, reference);
  if (!found || found.resource.resourceType !== expectedType) {
    throw new MessageModelError(
      found ? `reference points at a ${found.resource.resourceType}` : 'reference does not resolve inside the Bundle',
      `${location}.reference`,
      `a bundled ${expectedType}`,
      messageName(bundle),
    );
  }
  return found;
}
