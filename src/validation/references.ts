// Bundle-local reference resolution. The entries are indexed once per message (fullUrl and Type/id), so resolving
// every reference of a message is linear, not O(n²). Accepted forms (medcom-fhir.md §2.1): absolute fullUrl,
// `urn:uuid:`/`urn:oid:`, and relative `Type/id` resolved against the referring entry's RESTful base, falling back
// to any entry whose resource is that Type/id.

export interface BundleEntry {
  readonly index: number;
  readonly fullUrl: string | undefined;
  readonly resource: Record<string, unknown> | undefined;
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const RESTFUL_TAIL = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export class EntryIndex {
  readonly entries: BundleEntry[] = [];
  private readonly byFullUrl = new Map<string, BundleEntry>();
  private readonly byTypeId = new Map<string, BundleEntry>();
  private readonly byResource = new Map<unknown, BundleEntry>();
  /** fullUrls used by more than one entry. */
  readonly duplicateFullUrls: BundleEntry[] = [];

  constructor(readonly bundle: Record<string, unknown>) {
    const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
    entries.forEach((raw: unknown, index) => {
      const e = (raw && typeof raw === 'object' ? raw : {}) as { fullUrl?: unknown; resource?: unknown };
      const resource =
        e.resource && typeof e.resource === 'object' && !Array.isArray(e.resource)
          ? (e.resource as Record<string, unknown>)
          : undefined;
      const entry: BundleEntry = { index, fullUrl: typeof e.fullUrl === 'string' ? e.fullUrl : undefined, resource };
      this.entries.push(entry);
      if (entry.fullUrl !== undefined) {
        if (this.byFullUrl.has(entry.fullUrl)) this.duplicateFullUrls.push(entry);
        else this.byFullUrl.set(entry.fullUrl, entry);
      }
      if (resource) {
        this.byResource.set(resource, entry);
        if (typeof resource.resourceType === 'string' && typeof resource.id === 'string') {
          const key = `${resource.resourceType}/${resource.id}`;
          if (!this.byTypeId.has(key)) this.byTypeId.set(key, entry);
        }
      }
    });
  }

  /** The entry holding this resource object, if it is one of the Bundle's entries. */
  entryOf(resource: unknown): BundleEntry | undefined {
    return this.byResource.get(resource);
  }

  /** Resolves a reference string as seen from an entry with the given fullUrl. */
  resolve(reference: string, fromFullUrl: string | undefined): BundleEntry | undefined {
    const history = reference.indexOf('/_history/');
    const ref = history < 0 ? reference : reference.slice(0, history);
    if (ABSOLUTE.test(ref)) return this.byFullUrl.get(ref);
    if (fromFullUrl) {
      const base = restfulBase(fromFullUrl);
      if (base !== undefined) {
        const found = this.byFullUrl.get(`${base}${ref}`);
        if (found) return found;
      }
    }
    return this.byTypeId.get(ref);
  }
}

/** `https://x/fhir/Patient/1` → `https://x/fhir/`; undefined for `urn:` and other non-RESTful fullUrls. */
function restfulBase(fullUrl: string): string | undefined {
  const match = RESTFUL_TAIL.exec(fullUrl);
  return match ? fullUrl.slice(0, match.index + 1) : undefined;
}

/** Whether a RESTful fullUrl names the resource it carries (`…/Type/id`); undefined when not RESTful. */
export function fullUrlMatches(fullUrl: string, resource: Record<string, unknown>): boolean | undefined {
  if (fullUrl.startsWith('urn:')) return undefined;
  const match = RESTFUL_TAIL.exec(fullUrl);
  if (!match) return undefined;
  return match[1] === resource.resourceType && match[2] === resource.id;
}

/** The resource type a literal reference names (`Patient/1`, `https://x/Patient/1`), if it follows the REST form. */
export function referencedType(reference: string): string | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  const history = reference.indexOf('/_history/');
  const ref = history < 0 ? reference : reference.slice(0, history);
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}$/.exec(ref);
  return match?.[1];
}

/** `bundled` without `referenced`: the target must travel in the same Bundle (MedCom sets this on every reference). */
export function mustBeBundled(aggregation: readonly string[] | undefined): boolean {
  return aggregation !== undefined && aggregation.includes('bundled') && !aggregation.includes('referenced');
}
