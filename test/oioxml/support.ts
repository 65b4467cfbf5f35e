// Test access to the shared OIOXML schemas and example letters (read at run time from ../shared, never copied).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OioxmlSchemas, type OioxmlSchemaConfig } from '../../src/oioxml/schemas.ts';
import { MEDCOM } from '../support/shared.ts';

export const OIOXML = join(MEDCOM, 'oioxml');
export const XSD = join(OIOXML, 'xsd');

export const SCHEMA_CONFIG: OioxmlSchemaConfig = {
  ns2006: { folder: join(XSD, 'medcom-2006-07-01_edifact_converter') },
  ns2005: { folder: join(XSD, 'medcom-2005-08-07_edifact_converter') },
};

let schemas: OioxmlSchemas | undefined;

/** One compiled schema pair per test process (compiling costs ~0.2 s per set). */
export function testSchemas(): OioxmlSchemas {
  schemas ??= new OioxmlSchemas(SCHEMA_CONFIG);
  return schemas;
}

export type ExampleKind = 'xdis91' | 'xdis20' | 'xdis17' | 'xctl';

export interface Example {
  readonly file: string;
  readonly bytes: Uint8Array;
}

export function examples(kind: ExampleKind): Example[] {
  const folder = join(OIOXML, 'examples', kind);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => ({ file, bytes: new Uint8Array(readFileSync(join(folder, file))) }));
}

export function example(kind: ExampleKind, prefix: string): Example {
  const found = examples(kind).find((e) => e.file.startsWith(prefix));
  if (!found) throw new Error(`no ${kind} example starting with ${prefix}`);
  return found;
}

/** Latin-1 view of example bytes, for building variants in tests (the bytes stay the source of truth). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}
export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** A valid GLN from its first 12 digits (GS1 mod-10), for mapping legacy test EANs whose check digit is wrong. */
export function glnFrom(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}
