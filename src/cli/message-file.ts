import { readFileSync } from 'node:fs';
import { defaultCacheRoot, PackageCache } from '../fhir/packages/cache.ts';
import { PackageStore, type PackageContext } from '../fhir/packages/context.ts';
import { parseFhir } from '../fhir/format.ts';
import { MESSAGE_STANDARDS } from '../validation/message-types.ts';

/** Opens the package cache the commands read definitions from. */
export function openStore(cacheRoot: string = defaultCacheRoot()): PackageStore {
  return new PackageStore(new PackageCache(cacheRoot));
}

/** The R4 base definitions FHIR XML parsing needs; every IG closure has them, HN's is as good as any. */
export function baseContext(store: PackageStore): PackageContext {
  return store.context(MESSAGE_STANDARDS['hospital-notification-message'].ig);
}

export type ReadOutcome =
  | { kind: 'parsed'; resource: unknown }
  | { kind: 'unreadable'; problem: string }
  | { kind: 'unparseable'; problem: string };

/** Reads a FHIR JSON or XML file; a missing file and a malformed one are different failures (exit 2 versus 1). */
export function readMessageFile(file: string, context: PackageContext): ReadOutcome {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { kind: 'unreadable', problem: `${file}: cannot read: ${(error as Error).message}` };
  }
  try {
    return { kind: 'parsed', resource: parseFhir(bytes, file, context).resource };
  } catch (error) {
    return { kind: 'unparseable', problem: (error as Error).message };
  }
}
