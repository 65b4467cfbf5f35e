import type { PackageCache } from './cache.ts';
import type { IndexEntry } from './manifest.ts';
import { compareVersions, formatPackageRef, type PackageRef } from './package-ref.ts';
import { isFloatingVersion, notNeededReason, npmProvided } from './substitutes.ts';

/** A FHIR resource as plain JSON. Profiles, ValueSets and CodeSystems are read through this shape. */
export type FhirResource = Record<string, unknown> & { readonly resourceType: string };

/**
 * Reads package indexes and resource files once and shares them between every {@link PackageContext}.
 * Parsed resources are cached per package version, so HN (messaging 2.1.0) and CC (messaging 4.0.2) never share a
 * definition by accident even though they use the same canonical URLs.
 */
export class PackageStore {
  private readonly indexes = new Map<string, readonly IndexEntry[]>();
  private readonly resources = new Map<string, FhirResource>();

  constructor(readonly cache: PackageCache) {}

  entries(ref: PackageRef): readonly IndexEntry[] {
    const key = formatPackageRef(ref);
    let entries = this.indexes.get(key);
    if (!entries) {
      entries = this.cache.index(ref).files;
      this.indexes.set(key, entries);
    }
    return entries;
  }

  read(ref: PackageRef, filename: string): FhirResource {
    const key = `${formatPackageRef(ref)}/${filename}`;
    let resource = this.resources.get(key);
    if (!resource) {
      resource = this.cache.readJson(ref, filename) as FhirResource;
      this.resources.set(key, resource);
    }
    return resource;
  }

  /** Opens the dependency closure of one package (normally an IG) for canonical resolution. */
  context(root: PackageRef): PackageContext {
    return new PackageContext(this, root);
  }
}

/**
 * The R4 core package ranks last: HL7 republishes its code systems and extensions in newer packages
 * (hl7.terminology.r4, hl7.fhir.uv.extensions.r4), and those newer copies are what the HL7 validator uses.
 */
const BASE_PACKAGE = 'hl7.fhir.r4.core';

interface Candidate {
  readonly ref: PackageRef;
  readonly entry: IndexEntry;
  /** Position of the package id in breadth-first dependency order: the IG itself is 0. */
  readonly rank: number;
}

/**
 * Canonical resolution inside one IG's dependency closure. When a URL is defined by several packages, the nearest
 * package id wins (the IG over its dependencies; R4 core last); when one package id is present in several versions (MedCom core
 * 2.0.0 directly and 2.3.0 through messaging 2.1.0), the newest wins, as the HL7 IG Publisher resolves them.
 * A `url|version` canonical picks that business version when the closure has it.
 */
export class PackageContext {
  /** Packages in the closure, in breadth-first order from the root. */
  readonly packages: PackageRef[] = [];
  /** Dependencies that are neither installed nor knowingly skipped. */
  readonly missing: { ref: PackageRef; requiredBy: PackageRef }[] = [];
  private readonly byUrl = new Map<string, Candidate[]>();

  constructor(
    private readonly store: PackageStore,
    readonly root: PackageRef,
  ) {
    if (!store.cache.has(root)) {
      throw new Error(
        `package ${formatPackageRef(root)} is not installed in ${store.cache.root}; run: medcom-hub packages install --from <folder of .tgz>`,
      );
    }
    this.walk();
  }

  resolve(canonical: string): FhirResource | undefined {
    const candidate = this.candidate(canonical);
    return candidate ? this.store.read(candidate.ref, candidate.entry.filename) : undefined;
  }

  /** Which package a canonical resolves to; used in error messages and reports. */
  sourceOf(canonical: string): PackageRef | undefined {
    return this.candidate(canonical)?.ref;
  }

  /** The base definition of a FHIR type or resource (`string`, `HumanName`, `Patient`). */
  typeDefinition(type: string): FhirResource | undefined {
    return this.resolve(`http://hl7.org/fhir/StructureDefinition/${type}`);
  }

  /** Every resource of one type in the closure, e.g. all TestScripts of a test package. */
  *resourcesOfType(resourceType: string, onlyRoot = false): Iterable<FhirResource> {
    for (const ref of onlyRoot ? [this.root] : this.packages) {
      for (const entry of this.store.entries(ref)) {
        if (entry.resourceType === resourceType) yield this.store.read(ref, entry.filename);
      }
    }
  }

  private candidate(canonical: string): Candidate | undefined {
    const bar = canonical.indexOf('|');
    const url = bar < 0 ? canonical : canonical.slice(0, bar);
    const version = bar < 0 ? undefined : canonical.slice(bar + 1);
    const all = this.byUrl.get(url);
    if (!all) return undefined;
    const pinned = version ? all.filter((c) => c.entry.version === version) : [];
    return (pinned.length > 0 ? pinned : all)[0];
  }

  private walk(): void {
    const rankOfId = new Map<string, number>();
    const queue: PackageRef[] = [this.root];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const requested = queue.shift()!;
      const ref = this.installedFor(requested);
      if (!ref || seen.has(formatPackageRef(ref))) continue;
      seen.add(formatPackageRef(ref));
      this.packages.push(ref);
      if (!rankOfId.has(ref.id))
        rankOfId.set(ref.id, ref.id === BASE_PACKAGE ? Number.MAX_SAFE_INTEGER : rankOfId.size);
      for (const [id, version] of Object.entries(this.store.cache.manifest(ref).dependencies ?? {})) {
        const dep = { id, version };
        if (notNeededReason(dep)) continue;
        if (!this.installedFor(dep)) this.missing.push({ ref: dep, requiredBy: ref });
        else queue.push(dep);
      }
    }
    for (const ref of this.packages) {
      const rank = rankOfId.get(ref.id)!;
      for (const entry of this.store.entries(ref)) {
        if (!entry.url) continue;
        let list = this.byUrl.get(entry.url);
        if (!list) this.byUrl.set(entry.url, (list = []));
        list.push({ ref, entry, rank });
      }
    }
    for (const list of this.byUrl.values()) {
      list.sort((a, b) => a.rank - b.rank || compareVersions(b.ref.version, a.ref.version));
    }
  }

  /** The installed package that serves a dependency: itself, or the npm-provided substitute. */
  private installedFor(ref: PackageRef): PackageRef | undefined {
    if (isFloatingVersion(ref.version)) {
      const newest = this.store.cache.versions(ref.id)[0];
      return newest ? { id: ref.id, version: newest } : undefined;
    }
    if (this.store.cache.has(ref)) return ref;
    const provided = npmProvided(ref.id);
    if (!provided) return undefined;
    const served = { id: ref.id, version: provided.installedVersion };
    return this.store.cache.has(served) ? served : undefined;
  }
}
