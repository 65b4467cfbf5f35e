/** The two files every FHIR package carries besides its resources: `package.json` and `.index.json`. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly canonical?: string;
  readonly type?: string;
  readonly fhirVersions?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Set by `packages install` when the folder was filled from another source (npm re-pack, version substitute). */
  readonly 'x-medcom-hub-origin'?: string;
}

export interface IndexEntry {
  readonly filename: string;
  readonly resourceType: string;
  readonly id?: string;
  readonly url?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly type?: string;
}

export interface PackageIndex {
  readonly 'index-version': number;
  readonly files: readonly IndexEntry[];
}

/** Builds the index entry of one resource, as the FHIR package spec defines `.index.json`. */
export function indexEntry(filename: string, resource: Record<string, unknown>): IndexEntry | undefined {
  if (typeof resource.resourceType !== 'string') return undefined;
  const entry: Record<string, string> = { filename, resourceType: resource.resourceType };
  for (const key of ['id', 'url', 'version', 'kind', 'type'] as const) {
    const value = resource[key];
    if (typeof value === 'string') entry[key] = value;
  }
  return entry as unknown as IndexEntry;
}
