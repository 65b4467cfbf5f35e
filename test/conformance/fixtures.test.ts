// The generated fixture set: complete for the published scripts, valid (except on purpose), chained, FHIR-XML-able,
// Touchstone placeholders behaving, and its committed documentation current.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fixtureDocumentation } from '../../src/conformance/fixtures/describe.ts';
import type { FixtureSet } from '../../src/conformance/fixtures/fixture-set.ts';
import { buildMedComFixtures } from '../../src/conformance/fixtures/medcom-fixtures.ts';
import {
  MEDCOM_SUITE_NAMES,
  scriptsOf,
  SUITES,
  SUITE_NAMES,
  type SuiteName,
} from '../../src/conformance/testscript/load.ts';
import { TouchstonePlaceholders } from '../../src/conformance/testscript/placeholders.ts';
import { parseFhirXml, writeFhirXml } from '../../src/fhir/xml/fhir-xml.ts';
import { fixedClock } from '../../src/messages/clock.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { Validator } from '../../src/validation/validator.ts';
import { REPO_ROOT, testStore } from '../support/shared.ts';

type Bundle = {
  id: string;
  entry: {
    fullUrl: string;
    resource: { resourceType: string; id: string; entity?: { what?: { reference?: string } }[] };
  }[];
};

const placeholders = (user = 'vendor') =>
  new TouchstonePlaceholders({ user, ids: seededIds(`load:${user}`), clock: fixedClock('2025-03-10T08:00:00Z') });

describe('fixture set', () => {
  let fixtures: FixtureSet;
  before(() => {
    fixtures = buildMedComFixtures();
  });

  test('has exactly the 59 fixture paths the 135 MedCom scripts name, and those of the intent scripts', () => {
    const paths = (suites: readonly SuiteName[]) =>
      new Set(
        suites.flatMap((s) => scriptsOf(testStore().cache, s)).flatMap((s) => s.fixtures.map((f) => f.reference)),
      );
    const medcom = paths(MEDCOM_SUITE_NAMES);
    const named = paths(SUITE_NAMES);
    assert.equal(medcom.size, 59);
    assert.equal(named.size, 62);
    assert.deepEqual(
      [...named].filter((r) => !fixtures.has(r)),
      [],
    );
    assert.deepEqual(
      fixtures
        .entries()
        .map((e) => e.reference)
        .filter((r) => !named.has(r)),
      [],
    );
    assert.ok([...named].filter((r) => !medcom.has(r)).every((r) => r.startsWith('/medcom-hub/')));
  });

  test('is the same for the same seed and different for another', () => {
    const again = buildMedComFixtures();
    const other = buildMedComFixtures('another-seed');
    const stin = '/FHIRSandbox/MedCom/HospitalNotification/v300/Receive/Fixtures/HospitalNotification-fixture-STIN.xml';
    assert.deepEqual(again.entry(stin)!.template, fixtures.entry(stin)!.template);
    assert.notDeepEqual(other.entry(stin)!.template, fixtures.entry(stin)!.template);
  });

  test('every message fixture conforms to its profile, except the one that is invalid on purpose', () => {
    const validator = new Validator(testStore());
    const load = placeholders();
    const failures: string[] = [];
    let messages = 0;
    for (const entry of fixtures.entries()) {
      if (!entry.conforms) continue;
      messages++;
      const result = validator.validateMessage(fixtures.load(entry.reference, load));
      if (!result.valid) {
        const errors = result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
        failures.push(
          `${entry.reference}: ${errors
            .slice(0, 2)
            .map((i) => `${i.expression}: ${i.message}`)
            .join('; ')}`,
        );
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(messages, 60, '62 fixtures minus the invalid STIN and the empty placeholder');
    const invalid = fixtures.entries().filter((e) => !e.conforms && e.kind === 'message');
    assert.deepEqual(
      invalid.map((e) => e.reference.split('/').pop()),
      ['HospitalNotification-fixture-STIN-fatal-error.xml'],
    );
    const verdict = validator.validateMessage(fixtures.load(invalid[0]!.reference, load));
    assert.equal(verdict.valid, false);
    assert.ok(
      verdict.issues.some((i) => i.expression.includes('Encounter') || i.expression.includes('class')),
      'names the missing Encounter.class',
    );
  });

  test('follow-ups cite their predecessor, through the same ${D6} header id', () => {
    let checked = 0;
    for (const entry of fixtures.entries()) {
      if (!entry.follows) continue;
      const previous = fixtures.entry(entry.follows)!.template as unknown as Bundle;
      const previousHeader = previous.entry[0]!.resource.id;
      assert.match(previousHeader, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{6}\$\{D6\}$/);
      const cited = (entry.template as unknown as Bundle).entry
        .flatMap((e) => e.resource.entity ?? [])
        .map((e) => e.what?.reference);
      assert.ok(cited.includes(`MessageHeader/${previousHeader}`), `${entry.reference} does not cite ${entry.follows}`);
      checked++;
    }
    assert.equal(checked, 41);
  });

  test('each load is a new transmission of the same message for one user; another user gets other ids', () => {
    const stin = '/FHIRSandbox/MedCom/HospitalNotification/v300/Receive/Fixtures/HospitalNotification-fixture-STIN.xml';
    const user = placeholders('vendor-a');
    const first = fixtures.load(stin, user) as unknown as Bundle;
    const second = fixtures.load(stin, user) as unknown as Bundle;
    const otherUser = fixtures.load(stin, placeholders('vendor-b')) as unknown as Bundle;
    assert.notEqual(first.id, second.id);
    assert.equal(first.entry[0]!.resource.id, second.entry[0]!.resource.id);
    assert.notEqual(first.entry[0]!.resource.id, otherUser.entry[0]!.resource.id);
    assert.equal(first.entry[0]!.fullUrl.endsWith(first.entry[0]!.resource.id), true);
    assert.doesNotMatch(JSON.stringify(first), /\$\{/);
  });

  test('round-trips through FHIR XML, as Touchstone fixture files are XML', () => {
    const definitions = testStore().context(SUITES.hospitalnotification.ig);
    for (const entry of fixtures.entries()) {
      const xml = writeFhirXml(entry.template, definitions, { label: entry.reference });
      const back = parseFhirXml(xml, entry.reference, definitions);
      assert.deepEqual(back, entry.template, entry.reference);
    }
  });

  test('the committed documentation is current (regenerate with `conformance fixtures --doc`)', () => {
    const scripts = SUITE_NAMES.flatMap((s) => scriptsOf(testStore().cache, s));
    const committed = readFileSync(join(REPO_ROOT, 'docs', 'conformance-fixtures.md'), 'utf8');
    assert.equal(committed, fixtureDocumentation(fixtures, scripts));
    assert.match(committed, /every path the scripts name is in the set/);
  });
});
