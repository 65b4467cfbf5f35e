// Test access to ../shared (the domain data, never committed) and to the installed FHIR package cache.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheRoot, PackageCache } from '../../src/fhir/packages/cache.ts';
import { PackageStore, type FhirResource } from '../../src/fhir/packages/context.ts';
import type { PackageRef } from '../../src/fhir/packages/package-ref.ts';
import { formatPackageRef } from '../../src/fhir/packages/package-ref.ts';

/** The checkout: the nearest folder above this file with a package.json (`npm run bench` runs a compiled copy in .cache/bench). */
export const REPO_ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));
export const SHARED = process.env.MEDCOM_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
export const MEDCOM = join(SHARED, 'medcom');
export const PACKAGES_FOLDER = join(MEDCOM, 'packages');

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

let store: PackageStore | undefined;

/** One store per test process: packages are read-only, so sharing it across tests is safe. */
export function testStore(): PackageStore {
  if (!store) {
    const cache = new PackageCache(defaultCacheRoot());
    if (!cache.has({ id: 'hl7.fhir.r4.core', version: '4.0.1' })) {
      throw new Error(
        `FHIR packages are not installed in ${cache.root}; run: npx medcom-hub packages install --from ../shared/medcom/packages`,
      );
    }
    store = new PackageStore(cache);
  }
  return store;
}

/** The official example instances of an installed package (files under `package/example/`), by file name. */
export function officialExamples(ref: PackageRef, prefix = ''): { file: string; resource: FhirResource }[] {
  const folder = join(testStore().cache.folder(ref), 'example');
  if (!existsSync(folder)) throw new Error(`${formatPackageRef(ref)} has no example folder`);
  return readdirSync(folder)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.json') && !file.startsWith('.'))
    .sort()
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(folder, file), 'utf8')) as FhirResource }));
}

export const HN = { id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' } as const;
export const CC = { id: 'medcom.fhir.dk.carecommunication', version: '5.0.2' } as const;
export const ACK = { id: 'medcom.fhir.dk.acknowledgement', version: '2.0.3' } as const;
