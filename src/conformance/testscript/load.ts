/**
 * Reads the published MedCom TestScripts from the FHIR package cache. The scripts sit in `package/example/`, which the
 * packages' `.index.json` does not list, so the folder is read directly; the published files are never modified —
 * corrections live in the errata overlay.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageCache } from '../../fhir/packages/cache.ts';
import { MESSAGE_STANDARDS } from '../../validation/message-types.ts';
import { formatPackageRef, type PackageRef } from '../../fhir/packages/package-ref.ts';
import { intentScripts } from '../intent/receiver-scripts.ts';
import type { TestScript } from './model.ts';
import { parseTestScript } from './parse.ts';

/** The three suites MedCom publishes, by the short name the CLI uses. */
export type MedComSuiteName = 'hospitalnotification' | 'carecommunication' | 'acknowledgement';
/** MedCom's suites and our built-in `intent` scripts for receiver duties MedCom does not script. */
export type SuiteName = MedComSuiteName | 'intent';

export const MEDCOM_SUITE_NAMES: readonly MedComSuiteName[] = [
  'hospitalnotification',
  'carecommunication',
  'acknowledgement',
];
export const SUITE_NAMES: readonly SuiteName[] = [...MEDCOM_SUITE_NAMES, 'intent'];

export interface Suite {
  readonly name: MedComSuiteName;
  /** The published TestScript package. */
  readonly scripts: PackageRef;
  /**
   * The IG whose dependency closure `validateProfileId` validates in. CC scripts pin their profile
   * (`…medcom-careCommunication-message|5.0.1`), so CC 5.0.1. HN and ACK scripts name the profile without a
   * version, so Touchstone validates against the IG release it has loaded — the current one (HN 3.0.2, ACK 2.0.3);
   * the HN script package's dependency on HN 3.0.1 is the version it was built with, not a pin.
   */
  readonly ig: PackageRef;
}

export const SUITES: Readonly<Record<MedComSuiteName, Suite>> = {
  hospitalnotification: {
    name: 'hospitalnotification',
    scripts: { id: 'medcom.fhir.dk.hospitalnotificationtestscripts', version: '3.0.1' },
    ig: { id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' },
  },
  carecommunication: {
    name: 'carecommunication',
    scripts: { id: 'medcom.fhir.dk.carecommunicationtestscripts', version: '5.0.0' },
    ig: { id: 'medcom.fhir.dk.carecommunication', version: '5.0.1' },
  },
  acknowledgement: {
    name: 'acknowledgement',
    scripts: { id: 'medcom.fhir.dk.acknowledgementtestscripts', version: '2.0.0' },
    ig: { id: 'medcom.fhir.dk.acknowledgement', version: '2.0.3' },
  },
};

/** Every TestScript of one package, sorted by id so runs and reports are stable. */
export function loadTestScripts(cache: PackageCache, ref: PackageRef): TestScript[] {
  if (!cache.has(ref)) {
    throw new Error(
      `TestScript package ${formatPackageRef(ref)} is not installed in ${cache.root}; run: medcom-hub packages install --from <folder of .tgz>`,
    );
  }
  const folder = join(cache.folder(ref), 'example');
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => f.startsWith('TestScript-') && f.endsWith('.json'));
  } catch (cause) {
    throw new Error(`${folder}: cannot list the TestScripts of ${formatPackageRef(ref)}`, { cause });
  }
  return files
    .map((file) => parseTestScript(cache.readJson(ref, `example/${file}`), { package: ref, file: `example/${file}` }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function loadSuite(cache: PackageCache, suite: Suite): TestScript[] {
  return loadTestScripts(cache, suite.scripts);
}

/** The scripts of a suite: MedCom's from the package cache, the intent scripts from code. */
export function scriptsOf(cache: PackageCache, name: SuiteName): TestScript[] {
  return name === 'intent' ? intentScripts() : loadSuite(cache, SUITES[name]);
}

/** The IG a suite's `validateProfileId` falls back to (intent scripts name only current message profiles). */
export function suiteIg(name: SuiteName): PackageRef {
  return name === 'intent' ? MESSAGE_STANDARDS['care-communication-message'].ig : SUITES[name].ig;
}

/**
 * The IG to validate a `TestScript.profile` reference in: an unversioned MedCom message profile is validated in its
 * current release (as Touchstone would); anything else — a pinned `url|version`, another profile — in the suite's IG.
 * So an erratum may add the Acknowledgement profile to a HospitalNotification script.
 */
export function igForProfile(reference: string, suiteIg: PackageRef): PackageRef {
  const standard = Object.values(MESSAGE_STANDARDS).find((s) => s.profile === reference);
  return standard?.ig ?? suiteIg;
}
