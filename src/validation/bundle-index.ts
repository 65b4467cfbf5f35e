// Bundle-local reference resolution for FHIRPath `resolve()`. A MedCom message must carry every resource it
// references (aggregation `bundled`), so nothing is ever fetched. Built once per Bundle and reused for every call.
//
// Rules (FHIR R4 Bundle §"Resolving references in Bundles", plus what MedCom examples need — medcom-fhir.md §2.1):
// absolute references match `fullUrl` exactly; relative `Type/id` resolves against the base of the referring entry's
// RESTful fullUrl, then falls back to the one entry whose resource has that type and id (entries with `urn:uuid:`
// fullUrls have no base); `#id` resolves among the referring resource's `contained`.

type Resource = { resourceType: string; id?: string; contained?: Resource[] };

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;
const RESTFUL = /^(.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export class BundleIndex {
  private readonly byFullUrl = new Map<string, Resource>();
  private readonly fullUrlOf = new Map<object, string>();
  private readonly byTypeAndId = new Map<string, Resource[]>();

  constructor(bundle: unknown) {
    const entries = (bundle as { entry?: { fullUrl?: unknown; resource?: unknown }[] } | undefined)?.entry;
    for (const entry of Array.isArray(entries) ? entries : []) {
      const resource = entry?.resource as Resource | undefined;
      if (!resource || typeof resource.resourceType !== 'string') continue;
      if (typeof entry.fullUrl === 'string') {
        if (!this.byFullUrl.has(entry.fullUrl)) this.byFullUrl.set(entry.fullUrl, resource);
        this.fullUrlOf.set(resource, entry.fullUrl);
      }
      if (typeof resource.id === 'string') {
        const key = `${resource.resourceType}/${resource.id}`;
        const list = this.byTypeAndId.get(key) ?? [];
        list.push(resource);
        this.byTypeAndId.set(key, list);
      }
    }
  }

  /**
   * The resource a reference points to. `holder` is the resource that contains the reference: it supplies the base
   * for a relative reference and the `contained` list for `#id`.
   */
  resolve(reference: string, holder: unknown): Resource | undefined {
    const from = holder as Resource | undefined;
    if (reference.startsWith('#')) {
      return from?.contained?.find((r) => r && `#${r.id}` === reference);
    }
    const withoutHistory = reference.replace(/\/_history\/[^/]+$/, '');
    if (ABSOLUTE.test(reference)) return this.byFullUrl.get(reference) ?? this.byFullUrl.get(withoutHistory);
    const relative = RESTFUL.exec(withoutHistory);
    if (!relative) return undefined;
    const base = this.baseOf(from);
    if (base !== undefined) {
      const exact = this.byFullUrl.get(base + withoutHistory);
      if (exact) return exact;
    }
    const candidates = this.byTypeAndId.get(`${relative[2]}/${relative[3]}`) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** The base of the holder's entry fullUrl (`https://…/ig/hospitalnotification/`), if it is a RESTful URL. */
  private baseOf(holder: Resource | undefined): string | undefined {
    if (!holder) return undefined;
    let fullUrl = this.fullUrlOf.get(holder);
    // The validator may hand over a copy of the resource; find its entry by type and id.
    if (fullUrl === undefined && typeof holder.id === 'string') {
      const same = this.byTypeAndId.get(`${holder.resourceType}/${holder.id}`);
      if (same?.length === 1) fullUrl = this.fullUrlOf.get(same[0]!);
    }
    const match = fullUrl === undefined ? null : RESTFUL.exec(fullUrl);
    return match ? (match[1] ?? '') : undefined;
  }
}
