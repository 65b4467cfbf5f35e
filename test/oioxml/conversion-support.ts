// Shared setup for the OIOXML ⇄ FHIR conversion tests: a conversion context whose configured party entries cover
// every EAN in the shared example letters (several are legacy test EANs with a wrong GS1 check digit, mapped to
// real GLNs of the official MedCom examples), the project's validator, and helpers to read examples.
import assert from 'node:assert/strict';
import {
  DEFAULT_CONVERSION_DEFAULTS,
  type ConversionContext,
  type ConversionLookups,
} from '../../src/oioxml/convert/context.ts';
import { isNotRepresentable, type Conversion, type NotRepresentable } from '../../src/oioxml/convert/loss.ts';
import type { PartyEntry } from '../../src/oioxml/convert/parties.ts';
import { readEmessage, type Emessage, type Letter } from '../../src/oioxml/emessage.ts';
import type { IdMap } from '../../src/oioxml/id-map/id-map.ts';
import { memoryIdMap } from '../../src/oioxml/id-map/memory.ts';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';
import { example, glnFrom, type ExampleKind } from './support.ts';

export const PARTY_ENTRIES: readonly PartyEntry[] = [
  // edifact_converter / OS2korrespondance XDIS91 letters
  {
    ean: '5790000120400',
    gln: '5790000209354',
    sor: '265161000016000',
    identifier: '2001060',
    identifierCode: 'sygehusafdelingsnummer',
  },
  {
    ean: '5790000128700',
    gln: '5790001348120',
    sor: '953741000016009',
    identifier: '291714',
    identifierCode: 'ydernummer',
  },
  { ean: '5790000121526', sor: '1144351000016009', identifier: '200106', identifierCode: 'ydernummer' },
  { ean: '5790000120314', sor: '1042981000016003', identifier: '091034', identifierCode: 'ydernummer' },
  {
    ean: '2220001382432',
    gln: glnFrom('579000013000'),
    sor: '937961000016000',
    identifier: '2220001382432',
    identifierCode: 'lokationsnummer',
  },
  // XDIS20 / XDIS17: Odense Universitetshospital → Lyngby-Taarbæk Kommune
  { ean: '5790000143054', sor: '311000016009', identifier: '4202090', identifierCode: 'sygehusafdelingsnummer' },
  {
    ean: '5790000143055',
    gln: glnFrom('579000099999'),
    sor: '1144361000016001',
    identifier: '173',
    identifierCode: 'kommunenummer',
  },
];

export function conversionContext(options: { idMap?: IdMap; lookups?: ConversionLookups } = {}): ConversionContext {
  return {
    idMap: options.idMap ?? memoryIdMap(),
    parties: { entries: PARTY_ENTRIES },
    defaults: DEFAULT_CONVERSION_DEFAULTS,
    ...(options.lookups ? { lookups: options.lookups } : {}),
  };
}

let validator: Validator | undefined;

export function assertValidFhir(bundle: unknown, label: string): void {
  validator ??= new Validator(testStore());
  const result = validator.validateMessage(bundle);
  const errors = result.issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  assert.deepEqual(
    errors.map((issue) => `${issue.expression}: ${issue.message}`),
    [],
    `${label} must validate with zero errors`,
  );
}

/** The converted value, failing the test with the reason when it is not representable. */
export function converted<T>(conversion: Conversion<T>, label: string): T {
  const { result } = conversion;
  if (isNotRepresentable(result)) assert.fail(`${label}: not representable at ${result.source}: ${result.reason}`);
  return result as T;
}

export function refused<T>(conversion: Conversion<T>): NotRepresentable {
  assert.ok(
    isNotRepresentable(conversion.result),
    `expected a not-representable result, got ${JSON.stringify(conversion.result).slice(0, 200)}`,
  );
  return conversion.result as NotRepresentable;
}

export function readExample(kind: ExampleKind, prefix: string): Emessage {
  const { file, bytes } = example(kind, prefix);
  return readEmessage(bytes, { label: file }).emessage;
}

export function onlyLetter<T extends Letter>(emessage: Emessage): T {
  assert.equal(emessage.items.length, 1);
  return emessage.items[0]!.letter as T;
}
