import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PackageCache } from './cache.ts';
import type { PackageManifest } from './manifest.ts';
import { compareVersions, formatPackageRef, samePackage, type PackageRef } from './package-ref.ts';
import type { PackageSource } from './source.ts';
import {
  CONFORMANCE_TYPES,
  isFloatingVersion,
  notNeededReason,
  npmProvided,
  type NpmProvidedPackage,
} from './substitutes.ts';
import { readTgz } from './tar.ts';

export interface InstallReport {
  readonly installed: PackageRef[];
  readonly alreadyPresent: PackageRef[];
  readonly substituted: { requested: PackageRef; served: PackageRef; why: string }[];
  readonly skipped: { ref: PackageRef; why: string }[];
  readonly missing: { ref: PackageRef; requiredBy?: PackageRef }[];
}

export interface InstallOptions {
  readonly cache: PackageCache;
  /** Packages to install; empty means "everything the source lists". */
  readonly requested: readonly PackageRef[];
  readonly source?: PackageSource;
  readonly onProgress?: (line: string) => void;
  /** Finds the folder of an npm package; replaceable so tests can point at another node_modules. */
  readonly npmFolder?: (npmName: string) => string;
}

/** Installs the requested packages and their whole dependency closure into the cache. */
export async function installPackages(options: InstallOptions): Promise<InstallReport> {
  const { cache, source } = options;
  const progress = options.onProgress ?? (() => {});
  const npmFolder = options.npmFolder ?? defaultNpmFolder;
  const report: InstallReport = { installed: [], alreadyPresent: [], substituted: [], skipped: [], missing: [] };
  const listed = options.requested.length > 0 ? [...options.requested] : ((await source?.list()) ?? []);
  if (listed.length === 0)
    throw new Error('nothing to install: name packages as <id>#<version> or give --from a folder');

  const queue: { ref: PackageRef; requiredBy?: PackageRef }[] = listed.map((ref) => ({ ref }));
  const seen = new Set<string>();
  const offered = (await source?.list()) ?? [];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const { requiredBy } = next;
    const ref = pinFloating(next.ref, cache, offered);
    if (seen.has(formatPackageRef(ref))) continue;
    seen.add(formatPackageRef(ref));

    const skip = notNeededReason(ref);
    if (skip) {
      report.skipped.push({ ref, why: skip });
      continue;
    }
    let served = ref;
    const provided = npmProvided(ref.id);
    if (provided) {
      served = { id: ref.id, version: provided.installedVersion };
      if (!samePackage(served, ref)) report.substituted.push({ requested: ref, served, why: provided.why });
      if (seen.has(`served:${formatPackageRef(served)}`)) continue;
      seen.add(`served:${formatPackageRef(served)}`);
    }

    if (cache.has(served)) {
      report.alreadyPresent.push(served);
    } else if (provided) {
      progress(`installing ${formatPackageRef(served)} from npm package ${provided.npmName}`);
      cache.write(served, readNpmPackage(provided, npmFolder(provided.npmName)));
      report.installed.push(served);
    } else {
      const bytes = source ? await source.fetch(ref) : undefined;
      if (!bytes) {
        report.missing.push(requiredBy ? { ref, requiredBy } : { ref });
        progress(`missing ${formatPackageRef(ref)}${requiredBy ? ` (needed by ${formatPackageRef(requiredBy)})` : ''}`);
        continue;
      }
      progress(`installing ${formatPackageRef(ref)} from ${source!.label}`);
      cache.write(ref, unpackPackage(bytes, `${formatPackageRef(ref)}.tgz`, ref));
      report.installed.push(ref);
    }
    for (const [id, version] of Object.entries(cache.manifest(served).dependencies ?? {})) {
      queue.push({ ref: { id, version }, requiredBy: served });
    }
  }
  return report;
}

/** Strips the archive's `package/` prefix and checks that the archive is the package it claims to be. */
function unpackPackage(bytes: Uint8Array, label: string, expected: PackageRef): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const [path, body] of readTgz(bytes, label)) {
    const relative = path.replace(/^package\//, '');
    if (relative !== path) files.set(relative, body);
  }
  const manifestBytes = files.get('package.json');
  if (!manifestBytes) throw new Error(`${label}: no package/package.json inside`);
  const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as PackageManifest;
  if (manifest.name !== expected.id || manifest.version !== expected.version) {
    throw new Error(
      `${label}: archive holds ${manifest.name}#${manifest.version}, expected ${formatPackageRef(expected)}`,
    );
  }
  return files;
}

function readNpmPackage(row: NpmProvidedPackage, folder: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const original = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageManifest;
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.json') || name === 'package.json' || name === '.index.json') continue;
    if (row.conformanceOnly && !CONFORMANCE_TYPES.has(name.slice(0, name.indexOf('-')))) continue;
    const path = join(folder, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path));
  }
  const manifest: PackageManifest = {
    ...original,
    name: row.id,
    version: row.installedVersion,
    'x-medcom-hub-origin': `npm:${row.npmName}@${original.version}: ${row.why}`,
  };
  files.set('package.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  return files;
}

function defaultNpmFolder(npmName: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${npmName}/package.json`));
}

/** `current` (as TestScript packages depend on their IG) means the newest release the cache or the source has. */
function pinFloating(ref: PackageRef, cache: PackageCache, offered: readonly PackageRef[]): PackageRef {
  if (!isFloatingVersion(ref.version)) return ref;
  const versions = [...cache.versions(ref.id), ...offered.filter((o) => o.id === ref.id).map((o) => o.version)];
  const newest = versions.sort((a, b) => compareVersions(b, a))[0];
  return newest ? { id: ref.id, version: newest } : ref;
}
