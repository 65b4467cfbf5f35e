import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { indexEntry, type IndexEntry, type PackageIndex, type PackageManifest } from './manifest.ts';
import { compareVersions, formatPackageRef, parsePackageRef, type PackageRef } from './package-ref.ts';

/** Where the cache lives unless told otherwise: `$MEDCOM_HUB_PACKAGES`, `$FHIR_PACKAGE_CACHE`, else `~/.fhir/packages`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.MEDCOM_HUB_PACKAGES || env.FHIR_PACKAGE_CACHE || join(homedir(), '.fhir', 'packages');
}

/**
 * The on-disk package cache: one `<id>#<version>/package/` folder per package, the layout the HL7 tool chain uses,
 * so a cache filled by us also serves the HL7 validator or SUSHI and vice versa.
 */
export class PackageCache {
  constructor(readonly root: string) {}

  folder(ref: PackageRef): string {
    return join(this.root, formatPackageRef(ref), 'package');
  }

  has(ref: PackageRef): boolean {
    return existsSync(join(this.folder(ref), 'package.json'));
  }

  installed(): PackageRef[] {
    if (!existsSync(this.root)) return [];
    const refs: PackageRef[] = [];
    for (const name of readdirSync(this.root)) {
      if (!name.includes('#') || name.startsWith('.')) continue;
      try {
        const ref = parsePackageRef(name);
        if (this.has(ref)) refs.push(ref);
      } catch {
        // Foreign folders in a shared cache are not ours to judge.
      }
    }
    return refs;
  }

  /** Installed versions of one package id, newest first. */
  versions(id: string): string[] {
    return this.installed()
      .filter((ref) => ref.id === id)
      .map((ref) => ref.version)
      .sort((a, b) => compareVersions(b, a));
  }

  manifest(ref: PackageRef): PackageManifest {
    return JSON.parse(readFileSync(join(this.folder(ref), 'package.json'), 'utf8')) as PackageManifest;
  }

  index(ref: PackageRef): PackageIndex {
    return JSON.parse(readFileSync(join(this.folder(ref), '.index.json'), 'utf8')) as PackageIndex;
  }

  readJson(ref: PackageRef, filename: string): Record<string, unknown> {
    const path = join(this.folder(ref), filename);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new Error(`${path}: cannot read FHIR resource`, { cause });
    }
  }

  /**
   * Writes a whole package at once: files land in a temporary folder that is renamed into place, so a crash
   * never leaves a half-installed package that later looks complete. `.index.json` is made when missing.
   */
  write(ref: PackageRef, files: ReadonlyMap<string, Uint8Array>): void {
    const target = join(this.root, formatPackageRef(ref));
    const staging = `${target}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const entries: IndexEntry[] = [];
    for (const [path, bytes] of files) {
      const file = join(staging, 'package', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      if (!path.includes('/') && path.endsWith('.json') && path !== 'package.json' && path !== '.index.json') {
        const entry = tryIndexEntry(path, bytes);
        if (entry) entries.push(entry);
      }
    }
    if (!files.has('.index.json')) {
      const index: PackageIndex = { 'index-version': 2, files: entries };
      writeFileSync(join(staging, 'package', '.index.json'), JSON.stringify(index));
    }
    rmSync(target, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    renameSync(staging, target);
  }
}

function tryIndexEntry(filename: string, bytes: Uint8Array): IndexEntry | undefined {
  try {
    return indexEntry(filename, JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
