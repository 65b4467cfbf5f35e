// Test access to the real envelope schemas, samples and example messages (read from ../shared at run time).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvelopeContext } from '../../src/envelopes/context.ts';
import { EnvelopeSchemas, schemaLocationsIn } from '../../src/envelopes/schemas.ts';
import { steppingClock } from '../../src/messages/clock.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { ACK, CC, HN, MEDCOM, testStore } from '../support/shared.ts';

export const SBDH_SAMPLES = join(MEDCOM, 'ehmi-sbdh', 'ehmiSBDH');
export const VANS_EXAMPLE = join(MEDCOM, 'oioxml', 'examples', 'vans', 'nsp-fhir-gateway__XDIS18_VANSEnvelope.xml');

let schemas: EnvelopeSchemas | undefined;

/** One compiled schema trio per test process. */
export function testSchemas(): EnvelopeSchemas {
  schemas ??= new EnvelopeSchemas(schemaLocationsIn(MEDCOM));
  return schemas;
}

export function context(seed = 'envelopes'): EnvelopeContext {
  return { clock: steppingClock('2025-04-01T14:19:00Z', 1000), newId: seededIds(seed) };
}

export interface ExampleMessage {
  readonly file: string;
  readonly bytes: Uint8Array;
  /** The parsed Bundle, for independent cross-checks in tests. */
  readonly bundle: Bundle;
}

export interface Bundle {
  id: string;
  entry: { fullUrl: string; resource: Record<string, unknown> & { resourceType: string; id: string } }[];
}

/** Every official example Bundle of type message in the current HN, CC and ACK packages, as the raw JSON bytes. */
export function officialMessages(): ExampleMessage[] {
  const out: ExampleMessage[] = [];
  for (const ref of [HN, CC, ACK]) {
    const folder = join(testStore().cache.folder(ref), 'example');
    for (const file of readdirSync(folder)
      .filter((f) => f.startsWith('Bundle-') && f.endsWith('.json'))
      .sort()) {
      const bytes = new Uint8Array(readFileSync(join(folder, file)));
      const bundle = JSON.parse(new TextDecoder().decode(bytes)) as Bundle & { type: string };
      if (bundle.type === 'message') out.push({ file: `${ref.id}/${file}`, bytes, bundle });
    }
  }
  return out;
}

export function eventCode(bundle: Bundle): string {
  return (bundle.entry[0]!.resource.eventCoding as { code: string }).code;
}

/** Resolves a relative reference inside a bundle the simple way the examples use (`Type/id`). */
export function resolveIn(bundle: Bundle, reference: string): Bundle['entry'][number]['resource'] | undefined {
  const [type, id] = reference.split('/').slice(-2);
  return bundle.entry.find((e) => e.resource.resourceType === type && e.resource.id === id)?.resource;
}

export function identifierValue(resource: Record<string, unknown> | undefined, system: string): string | undefined {
  const identifiers = (resource?.identifier ?? []) as { system?: string; value?: string }[];
  return identifiers.find((i) => i.system === system)?.value;
}

export interface OioxmlExample {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export function oioxmlExamples(): OioxmlExample[] {
  const base = join(MEDCOM, 'oioxml', 'examples');
  return ['xdis91', 'xdis20', 'xdis17', 'xctl'].flatMap((kind) =>
    readdirSync(join(base, kind))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({ file: `${kind}/${f}`, bytes: new Uint8Array(readFileSync(join(base, kind, f))) })),
  );
}

/** Every XML file under ehmi-sbdh/ehmiSBDH (samples and bare payloads), relative names. */
export function sbdhFolderFiles(): { file: string; bytes: Uint8Array }[] {
  const out: { file: string; bytes: Uint8Array }[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else if (name.endsWith('.xml')) out.push({ file: `${prefix}${name}`, bytes: new Uint8Array(readFileSync(path)) });
    }
  };
  walk(SBDH_SAMPLES, '');
  return out;
}

export function readShared(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(MEDCOM, ...path)));
}

/** Sender and primary receiver GLN of an example, read straight from its JSON. */
export function addressesOf(bundle: Bundle): { sender: string; receiver: string } {
  const header = bundle.entry[0]!.resource as unknown as {
    sender: { reference: string };
    destination: { receiver: { reference: string } }[];
  };
  const gln = (reference: string) => {
    const org = resolveIn(bundle, reference) as unknown as { identifier: { system: string; value: string }[] };
    return org.identifier.find((i) => i.system.endsWith('gs1.org/gln'))!.value;
  };
  return { sender: gln(header.sender.reference), receiver: gln(header.destination[0]!.receiver.reference) };
}

interface Reference {
  reference: string;
}

/** The MessageHeader fields the tests read. */
export interface HeaderJson {
  id: string;
  focus: Reference[];
  sender: Reference;
  destination: { receiver: Reference }[];
  response?: { code: string; identifier: string };
}

export interface CommunicationJson {
  category: { coding: { code: string }[] }[];
}

export interface ProvenanceJson {
  resourceType: string;
  target: Reference[];
  activity: { coding: { code: string }[] };
}

export function headerOf(bundle: Bundle): HeaderJson {
  return bundle.entry[0]!.resource as unknown as HeaderJson;
}
