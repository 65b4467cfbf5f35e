// The converter configuration and the conversion history, in-process (the spawned CLI is covered in convert.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, parseConverterConfig } from '../../src/cli/convert/config.ts';
import {
  memoryHistory,
  openSqliteHistory,
  previousInStay,
  type ConversionHistory,
} from '../../src/cli/convert/history.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { DEFAULT_CONVERSION_DEFAULTS } from '../../src/oioxml/convert/context.ts';
import { PARTY_ENTRIES } from '../oioxml/conversion-support.ts';
import { HN, officialExamples } from '../support/shared.ts';

const FILE = join(tmpdir(), 'configs', 'convert.json');

function fails(config: unknown, location: string, pattern: RegExp): void {
  assert.throws(
    () => parseConverterConfig(JSON.stringify(config), FILE),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.label, FILE);
      assert.equal(error.location, location);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('converter config', () => {
  it('an empty object means the documented defaults, in memory', () => {
    assert.deepEqual(parseConverterConfig('{}', FILE), { defaults: DEFAULT_CONVERSION_DEFAULTS, parties: [] });
  });

  it('reads every key; paths are relative to the config file', () => {
    const config = parseConverterConfig(
      JSON.stringify({
        careCommunication: {
          category: 'carecoordination',
          topic: 'Brev',
          author: {
            name: { family: 'Jensen', given: ['Åse'] },
            role: { code: 'nurse', system: 'urn:x', display: 'Sygeplejerske' },
          },
          phone: '12345678',
          emptyText: '(tom)',
        },
        patientFamilyName: 'Ukendt patient',
        parties: PARTY_ENTRIES,
        idMapDatabase: 'state/ids.sqlite',
        xsdDir: '/opt/medcom',
      }),
      FILE,
    );
    assert.equal(config.defaults.careCommunication.category, 'carecoordination');
    assert.deepEqual(config.defaults.careCommunication.author, {
      name: { family: 'Jensen', given: ['Åse'] },
      role: { code: 'nurse', system: 'urn:x', display: 'Sygeplejerske' },
    });
    assert.equal(config.defaults.patientFamilyName, 'Ukendt patient');
    assert.deepEqual(config.parties, PARTY_ENTRIES);
    assert.equal(config.idMapDatabase, join(tmpdir(), 'configs', 'state', 'ids.sqlite'));
    assert.equal(config.xsdDir, '/opt/medcom');
  });

  it('names the key and what was expected', () => {
    fails(
      { careCommunication: { categry: 'other' } },
      'careCommunication.categry',
      /unknown key; expected one of category/,
    );
    fails(
      { careCommunication: { phone: 12345678 } },
      'careCommunication.phone',
      /expected a string, got number 12345678/,
    );
    fails({ careCommunication: { topic: '  ' } }, 'careCommunication.topic', /must not be empty/);
    fails({ careCommunication: { author: { name: { family: 'X' } } } }, 'careCommunication.author.role', /missing/);
    fails(
      { careCommunication: { author: { name: { family: 'X' }, role: { text: 'a', display: 'b' } } } },
      'careCommunication.author.role',
      /"system" and "display" belong to a coded role/,
    );
    fails({ parties: {} }, 'parties', /expected a JSON array, got an object/);
    fails(
      { parties: [{ sor: '311000016009' }] },
      'parties[0].ean',
      /expected a string, got nothing \(the key is missing\)/,
    );
    fails(
      { parties: [{ ean: '5790000143054', gln: '5790000143055', sor: '311000016009' }] },
      'parties[0].gln',
      /not a GLN/,
    );
    fails(
      { parties: [{ ean: '5790000143054', sor: '311000016009', identifierCode: 'kommunenummer' }] },
      'parties[0]',
      /"identifier" and "identifierCode" go together/,
    );
    fails(
      { parties: [{ ean: '5790000143054', sor: '311000016009', identifier: '1', identifierCode: 'cpr' }] },
      'parties[0].identifierCode',
      /expected one of sygehusafdelingsnummer, ydernummer/,
    );
    fails({ parties: [PARTY_ENTRIES[5], PARTY_ENTRIES[5]] }, 'parties[1].ean', /EAN 5790000143054 is configured twice/);
    fails([], '', /expected a JSON object, got an array/);
  });
});

describe('conversion history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medcom-hub-history-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const [first, second] = officialExamples(HN, 'Bundle-').map((e) => e.resource as unknown as MessageBundle);
  const id = (bundle: MessageBundle) => String(bundle.entry[0]!.resource.id);

  function exercise(open: () => ConversionHistory, reopen: boolean): void {
    let history = open();
    history.remember({
      fhirMessages: [first!, second!],
      letters: [{ ean: '5790000143054', letterId: 'L1', bytes: new Uint8Array([0x3c, 0xe6, 0xf8, 0xe5]) }],
      stays: [
        { episode: 'e1', messageHeaderId: id(first!) },
        { episode: 'e1', messageHeaderId: id(second!) },
        { episode: 'e1', messageHeaderId: id(first!) },
      ],
    });
    if (reopen) {
      history.close();
      history = open();
    }
    assert.deepEqual(history.fhirMessage(id(second!)), second);
    assert.deepEqual(history.letter('5790000143054', 'L1'), new Uint8Array([0x3c, 0xe6, 0xf8, 0xe5]));
    assert.equal(history.letter('5790000143055', 'L1'), undefined);
    // A stay lists each message once, in first-seen order; a resend's predecessor is the one before it.
    assert.deepEqual(history.stay('e1'), [id(first!), id(second!)]);
    assert.deepEqual(previousInStay(history, 'e1', 'a-new-message'), second);
    assert.deepEqual(previousInStay(history, 'e1', id(second!)), first);
    assert.equal(previousInStay(history, 'e1', id(first!)), undefined);
    history.close();
  }

  it('in memory', () => exercise(memoryHistory, false));
  it('in SQLite, surviving a reopen', () => exercise(() => openSqliteHistory(join(dir, 'h.sqlite')), true));
});
