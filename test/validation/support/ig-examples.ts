// Test support: every example instance an IG package ships — `package/example/*` plus the instances MedCom marks
// `Usage: #definition`, which sit in the package root beside the conformance resources (medcom-fhir.md §9).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FhirResource } from '../../../src/fhir/packages/context.ts';
import type { PackageRef } from '../../../src/fhir/packages/package-ref.ts';
import { officialExamples, testStore } from '../../support/shared.ts';

const CONFORMANCE = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'ImplementationGuide',
  'SearchParameter',
  'CapabilityStatement',
  'ConceptMap',
  'NamingSystem',
  'OperationDefinition',
  'MessageDefinition',
  'ActorDefinition',
  'Requirements',
  'TestScript',
]);

export function igExamples(ref: PackageRef): { file: string; resource: FhirResource }[] {
  const folder = testStore().cache.folder(ref);
  const root = readdirSync(folder)
    .filter((file) => file.endsWith('.json') && !file.startsWith('.') && file !== 'package.json')
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(folder, file), 'utf8')) as FhirResource }))
    .filter(({ resource }) => typeof resource.resourceType === 'string' && !CONFORMANCE.has(resource.resourceType));
  return [...officialExamples(ref), ...root].sort((a, b) => a.file.localeCompare(b.file));
}

/** The profile the IG Publisher validated an example against: its first declared profile, else its base type. */
export function declaredProfile(resource: FhirResource): string {
  const declared = (resource.meta as { profile?: string[] } | undefined)?.profile?.[0];
  return declared ?? `http://hl7.org/fhir/StructureDefinition/${resource.resourceType}`;
}
