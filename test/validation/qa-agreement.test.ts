// Oracle: the HL7 validator's verdicts on every example of HN 3.0.2, CC 5.0.2 and ACK 2.0.3 (IG Publisher QA files).
// Bundles it accepted must pass with zero errors; for every stand-alone example we must report each error it
// reported (all "Reference is external … aggregation (bundled)": a stand-alone resource cannot carry its targets)
// and nothing else — with one explained difference: the IG Publisher resolves references of a stand-alone example
// against the IG's other examples, so invariants that call resolve() (CC-7/-8/-9) pass there; we resolve only inside
// the message, so on a stand-alone Communication they fail, as they would for a message missing those resources.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PackageRef } from '../../src/fhir/packages/package-ref.ts';
import { isFailure } from '../../src/validation/outcome.ts';
import { Validator } from '../../src/validation/validator.ts';
import { ACK, CC, HN, testStore } from '../support/shared.ts';
import { declaredProfile, igExamples } from './support/ig-examples.ts';
import { readQa } from './support/qa-verdicts.ts';

const validator = new Validator(testStore());

const IGS: [string, PackageRef, string][] = [
  ['HospitalNotification', HN, 'hospitalnotification-3.0.2'],
  ['CareCommunication', CC, 'carecommunication-5.0.2'],
  ['Acknowledgement', ACK, 'acknowledgement-2.0.3'],
  // The shared layers have QA verdicts too: their examples exercise the newest generation (core 4.0.0, dk-core 3.5.0).
  ['Messaging', { id: 'medcom.fhir.dk.messaging', version: '4.0.2' }, 'messaging-4.0.2'],
  ['Core', { id: 'medcom.fhir.dk.core', version: '4.0.0' }, 'core-4.0.0'],
];

for (const [name, ig, qaFolder] of IGS) {
  describe(`${name} ${ig.version}: agreement with the HL7 validator's QA verdicts`, () => {
    const qa = readQa(qaFolder);
    const examples = igExamples(ig);

    test('the QA file is read completely (message counts equal the qa.json totals)', () => {
      assert.equal(qa.all.filter((m) => m.severity === 'ERROR').length, qa.totals.errs);
      assert.equal(qa.all.filter((m) => m.severity === 'WARNING').length, qa.totals.warnings);
      assert.equal(qa.all.filter((m) => m.severity === 'INFORMATION').length, qa.totals.hints);
    });

    // R5 ActorDefinitions travel as Basic in an R4 package; the publisher reports them under their R5 name.
    const verdictOf = (file: string) =>
      qa.byFile.get(file) ?? qa.byFile.get(file.replace(/^Basic-/, 'ActorDefinition-'));

    test('every example instance has a QA verdict', () => {
      const missing = examples.filter(({ file }) => !verdictOf(file)).map(({ file }) => file);
      assert.deepEqual(missing, []);
    });

    for (const { file, resource } of examples) {
      test(`${file}: same errors as the HL7 validator`, () => {
        const expected = verdictOf(file)!
          .filter((m) => m.severity === 'ERROR')
          .map((m) => m.path)
          .sort();
        const result = validator.validate(resource, declaredProfile(resource), ig);
        const failures = result.issues.filter(isFailure);
        const resolvesOutside = (i: (typeof failures)[number]) =>
          resource.resourceType !== 'Bundle' && i.code === 'invariant' && /resolve\(\)/.test(i.message);
        const actual = failures
          .filter((i) => !resolvesOutside(i))
          .map((i) => i.expression)
          .sort();
        assert.deepEqual(actual, expected, JSON.stringify(failures, null, 1));
        for (const issue of failures.filter((i) => !resolvesOutside(i))) {
          assert.match(issue.message, /Reference is external which isn't supported by the specified aggregation mode/);
        }
      });
    }

    const messages = examples.filter(
      ({ resource }) =>
        resource.resourceType === 'Bundle' &&
        (resource.entry as { resource?: { eventCoding?: { code?: string } } }[])[0]?.resource?.eventCoding?.code !==
          'empty-message',
    );
    test(
      `validateMessage accepts every ${name} example message (${messages.length})`,
      { skip: messages.length === 0 },
      () => {
        for (const { file, resource } of messages) {
          const result = validator.validateMessage(resource);
          assert.equal(
            result.messageType,
            resource.entry &&
              (resource.entry as { resource: { eventCoding: { code: string } } }[])[0]!.resource.eventCoding.code,
            file,
          );
          assert.deepEqual(result.issues.filter(isFailure), [], file);
          assert.equal(result.valid, true, file);
        }
      },
    );
  });
}
