import type { PackageRef } from './package-ref.ts';

/**
 * HL7 packages that are not published in the MedCom package folders. They come from npm dependencies of this
 * project instead, and some are served in another version than the one a MedCom package asks for.
 * Each row says why, because a substitution is a decision a reviewer must be able to see.
 */
export interface NpmProvidedPackage {
  readonly id: string;
  /** The npm package (in node_modules) the files come from. */
  readonly npmName: string;
  /** The version the cache folder is named after. */
  readonly installedVersion: string;
  /** When set, only conformance resources are copied (the npm package also holds thousands of examples). */
  readonly conformanceOnly: boolean;
  readonly why: string;
}

export const NPM_PROVIDED: readonly NpmProvidedPackage[] = [
  {
    id: 'hl7.fhir.r4.core',
    npmName: 'hl7.fhir.r4.examples',
    installedVersion: '4.0.1',
    conformanceOnly: true,
    why: 'hl7.fhir.r4.core has no versions on npm; hl7.fhir.r4.examples@4.0.1 holds a superset of its conformance resources and is re-packed under the core name',
  },
  {
    id: 'hl7.terminology.r4',
    npmName: 'hl7.terminology.r4',
    installedVersion: '7.0.1',
    conformanceOnly: false,
    why: 'current MedCom IGs pin 7.0.1; older packages ask for 3.1.0 … 6.x, which are served by 7.0.1 (code systems only grow)',
  },
  {
    id: 'hl7.fhir.uv.extensions.r4',
    npmName: 'hl7.fhir.uv.extensions.r4',
    installedVersion: '5.3.0-ballot-tc1',
    conformanceOnly: false,
    why: 'MedCom pins 5.2.0 (older packages 1.0.0/5.1.0), but npm only has 5.3.0-ballot-tc1; MedCom uses it only for a few extension definitions such as address-official',
  },
];

/** Dependencies that hl7.fhir.dk.core declares but that no MedCom message needs, and that are not obtainable offline. */
export const NOT_NEEDED: readonly { readonly test: RegExp; readonly why: string }[] = [
  { test: /^hl7\.fhir\.uv\.ipa$/, why: 'International Patient Access profiles; not used by MedCom messages' },
  { test: /^ihe\.iti\.mhd$/, why: 'IHE MHD document profiles; not used by MedCom messages' },
  { test: /^hl7\.fhir\.uv\.phd$/, why: 'Personal Health Device profiles; not used by MedCom messages' },
  { test: /^hl7\.fhir\.uv\.xver/, why: 'cross-version extensions; not used by MedCom messages' },
  {
    test: /^net\.aegis\.touchstone\./,
    why: "Touchstone's own TestScript extensions; the offline conformance runner does not need them",
  },
];

/** Versions that name a moving target rather than a release; they resolve to the newest version at hand. */
export function isFloatingVersion(version: string): boolean {
  return version === 'current' || version === 'latest' || version === 'dev';
}

export function npmProvided(id: string): NpmProvidedPackage | undefined {
  return NPM_PROVIDED.find((row) => row.id === id);
}

export function notNeededReason(ref: PackageRef): string | undefined {
  return NOT_NEEDED.find((row) => row.test.test(ref.id))?.why;
}

/** Resource types that make up a package's conformance content, as opposed to examples. */
export const CONFORMANCE_TYPES: ReadonlySet<string> = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'NamingSystem',
  'SearchParameter',
  'OperationDefinition',
  'CompartmentDefinition',
  'CapabilityStatement',
  'StructureMap',
  'ImplementationGuide',
]);
