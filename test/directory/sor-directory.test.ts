import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseCsv } from '../../src/directory/csv.ts';
import { sorCodeProblem, verhoeffValid } from '../../src/directory/sor-code-check.ts';
import { importSorCsv, SorCsvError } from '../../src/directory/sor-csv.ts';
import { SorDirectory } from '../../src/directory/sor-directory.ts';
import { importSorXml } from '../../src/directory/sor-xml.ts';
import { toGln } from '../../src/messages/parties.ts';
import { XmlError } from '../../src/xml/xml-error.ts';
import { MEDCOM } from '../support/shared.ts';

const SOR = join(MEDCOM, 'sor');
const SAMPLES = ['ONE_SYGEHUS.xml', 'ONE_PRAKSIS.xml', 'ONE_APOTEK.xml'];

function sample(file: string) {
  return importSorXml(readFileSync(join(SOR, 'sor-xml-v1-samples', file)), file);
}

/** The independent cross-reference table shipped with the data (compiled from the public sources). */
function distinctTable(): Map<string, Record<string, string>> {
  const rows = parseCsv(readFileSync(join(SOR, 'sor_units_distinct.csv'), 'utf8'), ',', 'sor_units_distinct.csv');
  const header = rows.shift()!.fields;
  return new Map(rows.map((r) => [r.fields[0]!, Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? '']))]));
}

describe('SOR XML import (real v1 export samples)', () => {
  test('every sample unit matches the cross-reference table: parent, level, own and effective GLN', () => {
    const table = distinctTable();
    const imports = SAMPLES.map(sample);
    const directory = SorDirectory.from(imports.flatMap((i) => i.units));
    assert.equal(directory.size, 10);
    assert.deepEqual(directory.warnings, []);
    for (const i of imports) assert.deepEqual(i.warnings, [], 'the samples are clean');
    for (const unit of directory.inTreeOrder()) {
      const row = table.get(unit.sorCode);
      assert.ok(row, `${unit.sorCode} is in sor_units_distinct.csv`);
      assert.equal(unit.parent ?? '', row['parent_sor'], `${unit.sorCode} parent`);
      assert.ok(row['level(s)']!.split(' | ').includes(unit.level!), `${unit.sorCode} level ${unit.level}`);
      assert.equal(unit.ownGln ?? '', row['ean_own'], `${unit.sorCode} own GLN`);
      assert.equal(
        directory.effectiveGln(unit.sorCode)?.gln ?? '',
        row['endpoint_or_effective_gln'],
        `${unit.sorCode} effective GLN`,
      );
    }
  });

  test('ONE_PRAKSIS: SI and OE inherit the owner GLN; the GLN lookup returns all three and is ambiguous', () => {
    const { units, snapshotDate } = sample('ONE_PRAKSIS.xml');
    assert.equal(snapshotDate, '2010-01-26');
    const directory = SorDirectory.from(units);
    const gln = directory.effectiveGln('8341000016002')!;
    assert.equal(gln.gln, '5790000141227');
    assert.equal(gln.owner, '8321000016007');
    assert.equal(gln.inherited, true);
    assert.equal(directory.effectiveGln('8321000016007')!.inherited, false);
    const lookup = directory.byGln(toGln('5790000141227'));
    assert.deepEqual(
      lookup.units.map((u) => u.sorCode),
      ['8321000016007', '8331000016009', '8341000016002'],
    );
    assert.deepEqual(
      lookup.owners.map((u) => u.sorCode),
      ['8321000016007'],
    );
    assert.equal(lookup.ambiguous, true);
    assert.equal(directory.unit('8341000016002')!.providerId, '019062');
    assert.equal(directory.unit('8331000016009')!.name, 'Michael Filtenborg & co', 'entity reference decoded');
  });

  test('ONE_SYGEHUS: nested OEs, no GLN anywhere and inheritance switched off', () => {
    const directory = SorDirectory.from(sample('ONE_SYGEHUS.xml').units);
    assert.deepEqual(
      directory.ancestors('347831000016005').map((u) => `${u.level} ${u.sorCode}`),
      ['OE 347821000016008', 'SI 347811000016004', 'IE 347801000016001'],
    );
    assert.equal(directory.effectiveGln('347831000016005'), undefined);
    assert.equal(directory.unit('347831000016005')!.inheritsGln, false);
    assert.equal(directory.unit('347831000016005')!.shakCode, '2529010');
    assert.ok(
      directory.isWithin('347831000016005', '347801000016001'),
      'a subscription on the IE covers the nested OE',
    );
    assert.ok(!directory.isWithin('347801000016001', '347831000016005'));
    assert.equal(directory.byGln(toGln('5790000141227')).units.length, 0);
  });

  test('lookup by name: exact before prefix before all-words; Danish letters kept', () => {
    const directory = SorDirectory.from(SAMPLES.flatMap((f) => sample(f).units));
    const hits = directory.byName('roskilde øjenklinik').map((u) => u.sorCode);
    assert.deepEqual(hits.slice(0, 2).sort(), ['347801000016001', '347811000016004']);
    assert.deepEqual(hits.slice(2).sort(), ['347821000016008', '347831000016005']);
    assert.deepEqual(
      directory.byName('øjenklinik  BEH.').map((u) => u.sorCode),
      ['347831000016005'],
    );
    assert.deepEqual(directory.byName('ojenklinik'), []);
    assert.deepEqual(directory.byName('   '), []);
  });

  test('a document that is not a SOR export is refused with its label and location', () => {
    const vans = readFileSync(join(MEDCOM, 'oioxml', 'examples', 'vans', 'nsp-fhir-gateway__XDIS18_VANSEnvelope.xml'));
    assert.throws(
      () => importSorXml(vans, 'not-sor.xml'),
      (e: unknown) => e instanceof XmlError && e.label === 'not-sor.xml' && e.xpath === '/VANSEnvelope',
    );
  });
});

describe('SOR code check digits', () => {
  test('agrees with the sor_check column of the real cross-reference table', () => {
    const table = distinctTable();
    assert.ok(table.size >= 60);
    for (const [code, row] of table) {
      assert.equal(sorCodeProblem(code) === undefined, row['sor_check'] === 'yes', `${code}: ${sorCodeProblem(code)}`);
    }
    assert.ok(verhoeffValid('2363'), 'the textbook example: 236 has check digit 3');
    assert.ok(!verhoeffValid('2364'));
    assert.ok(verhoeffValid('138875005'), 'SNOMED CT root concept id');
    assert.ok(!verhoeffValid('138875006'));
  });
});

describe('SOR CSV import', () => {
  test('loads the real cross-reference table; rows failing the check digit are kept and reported', () => {
    const table = distinctTable();
    const result = importSorCsv(readFileSync(join(SOR, 'sor_units_distinct.csv')), 'sor_units_distinct.csv');
    assert.equal(result.units.length, table.size);
    const reported = new Set(
      result.warnings
        .filter((w) => /Verhoeff|namespace/.test(w.message))
        .map((w) => /SOR code (\d+)/.exec(w.message)![1]),
    );
    const failing = new Set([...table].filter(([, row]) => row['sor_check'] === 'no').map(([code]) => code));
    assert.deepEqual(reported, failing);
    for (const w of result.warnings) assert.match(w.location, /^line \d+, column \d+$/);
  });

  test('one GLN serving several units (Plejecenter Herlev) is ambiguous; SOR code lookup is exact', () => {
    const directory = SorDirectory.from(importSorCsv(readFileSync(join(SOR, 'sor_units_distinct.csv')), 'csv').units);
    const lookup = directory.byGln(toGln('5790001348120'));
    assert.deepEqual(lookup.units.map((u) => u.sorCode).sort(), ['1042981000016003', '953741000016009']);
    assert.equal(lookup.owners.length, 2);
    assert.equal(lookup.ambiguous, true);
    assert.equal(directory.unit('1053231000016001')!.name, 'Sygehusadviser, Hillerød');
    assert.equal(directory.byGln(toGln('5790002508240')).ambiguous, false);
    assert.equal(directory.unit('672261000016008')!.level, 'IE', 'EER alias IO normalised (first variant "IE")');
  });

  test('the EER Aarhus split: health and social care OEs inherit different GLNs from their SI', () => {
    // Facts from sor/eer-ig-fsh (SI Sundhed og Omsorg → endpoint GLN 5790000123117; the Socialforvaltningen OEs →
    // 5790002508226). In this simple CSV the endpoint GLN is written as the SI's own GLN; one OE opts out.
    const csv = [
      'sor_code;parent;name;own_gln;level;inherits_gln',
      '311000016009;;Aarhus Kommune;;IO;',
      '937961000016000;311000016009;Sundhed og Omsorg;5790000123117;HI;',
      '1144351000016009;937961000016000;"Pleje; Syd";;OU;',
      '1053851000016007;937961000016000;"LÆ- blanketter, suppl. kommunikation";;OU;true',
      '951351000016007;311000016009;Socialforvaltningen;5790002508226;HI;',
      '951361000016005;951351000016007;Sygehusadviser-like OE;;OU;',
      '445351000016009;951351000016007;Bosted uden lokationsnummer;;OU;false',
    ].join('\r\n');
    const result = importSorCsv(csv, 'aarhus.csv');
    assert.deepEqual(result.warnings, []);
    const directory = SorDirectory.from(result.units);
    assert.equal(directory.unit('1144351000016009')!.name, 'Pleje; Syd', 'quoted separator');
    assert.equal(directory.effectiveGln('1144351000016009')!.gln, '5790000123117');
    assert.equal(directory.effectiveGln('951361000016005')!.gln, '5790002508226');
    assert.equal(directory.effectiveGln('445351000016009'), undefined, 'inherits_gln=false stops inheritance');
    assert.equal(directory.effectiveGln('311000016009'), undefined);
    const health = directory.byGln(toGln('5790000123117'));
    assert.deepEqual(
      health.units.map((u) => u.sorCode),
      ['937961000016000', '1144351000016009', '1053851000016007'],
    );
    assert.deepEqual(
      directory.childrenOf('311000016009').map((u) => u.sorCode),
      ['937961000016000', '951351000016007'],
    );
  });

  test('broken trees are reported: unknown parent, cycle, duplicate, bad GLN, bad level', () => {
    const csv = [
      'sor_id,parent_sor,name,ean_own,level',
      '8321000016007,8331000016009,A,,IE',
      '8331000016009,8321000016007,B,,SI',
      '8341000016002,999999999999,C,5790000141228,XX',
      '8341000016002,,C again,,',
      'abc,,not a code,,',
    ].join('\n');
    const result = importSorCsv(csv, 'broken.csv');
    const messages = result.warnings.map((w) => `${w.location}: ${w.message}`);
    assert.ok(
      messages.some((m) => m.startsWith('line 4, column 4') && m.includes('5790000141228')),
      messages.join('\n'),
    );
    assert.ok(messages.some((m) => m.startsWith('line 4, column 5') && m.includes('XX')));
    assert.ok(messages.some((m) => m.startsWith('line 6, column 1') && m.includes('skipped')));
    const directory = SorDirectory.from(result.units);
    const tree = directory.warnings.map((w) => `${w.location}: ${w.message}`);
    assert.ok(tree.some((m) => m.startsWith('8341000016002') && m.includes('duplicate')));
    assert.ok(tree.some((m) => m.startsWith('8341000016002') && m.includes('999999999999')));
    assert.ok(tree.some((m) => m.startsWith('8321000016007') && m.includes('cycle')));
    assert.equal(directory.inTreeOrder().length, 3, 'units in a cycle are still listed');
    assert.equal(directory.effectiveGln('8321000016007'), undefined);
  });

  test('a CSV without a SOR code column is refused, naming the file and line', () => {
    assert.throws(
      () => importSorCsv('code,name\n1,x\n', 'no-sor.csv'),
      (e: unknown) => {
        return (
          e instanceof SorCsvError && e.label === 'no-sor.csv' && /line 1/.test(e.message) && /sor_code/.test(e.message)
        );
      },
    );
  });
});
