// The library driver: its receive path (decode, validate, acknowledge; duplicates, transient errors, Acks of Acks)
// on the real fixtures, and scenarios that cover every send script.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CARE_COMMUNICATION_SCENARIOS } from '../../src/conformance/drivers/library/care-communication-scenarios.ts';
import { HOSPITAL_NOTIFICATION_SCENARIOS } from '../../src/conformance/drivers/library/hospital-notification-scenarios.ts';
import { LibraryDriver } from '../../src/conformance/drivers/library/library-driver.ts';
import { Receiver } from '../../src/conformance/drivers/library/receiver.ts';
import type { FixtureSet } from '../../src/conformance/fixtures/fixture-set.ts';
import { buildMedComFixtures } from '../../src/conformance/fixtures/medcom-fixtures.ts';
import { loadSuite, SUITES, MEDCOM_SUITE_NAMES } from '../../src/conformance/testscript/load.ts';
import type { TestScript } from '../../src/conformance/testscript/model.ts';
import { TouchstonePlaceholders } from '../../src/conformance/testscript/placeholders.ts';
import { fixedClock, steppingClock } from '../../src/messages/clock.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';

const SEND = '/FHIRSandbox/MedCom/Acknowledgement/draft/Send/Fixtures/';
const ACK_RECEIVE = '/FHIRSandbox/MedCom/Acknowledgement/draft/Receive/Fixtures/';

type Header = { id: string; response?: { code: string; identifier: string } };
const header = (b: MessageBundle) => b.entry[0]!.resource as unknown as Header;

describe('library receive path', () => {
  let fixtures: FixtureSet;
  let validator: Validator;
  const load = (reference: string) =>
    fixtures.load(
      reference,
      new TouchstonePlaceholders({
        user: 'u',
        ids: seededIds(`l:${reference}`),
        clock: fixedClock('2025-03-10T08:00:00Z'),
      }),
    );
  const receiver = () =>
    new Receiver(validator, { clock: steppingClock('2025-03-14T09:00:00Z', 60_000), ids: seededIds('receiver') });

  before(() => {
    fixtures = buildMedComFixtures();
    validator = new Validator(testStore());
  });

  test('a valid message gets an ok Acknowledgement that conforms to ACK 2.0.3 and names the message', async () => {
    const stin = load(`${SEND}HospitalNotification-fixture-STIN-ok.xml`);
    const receipt = await receiver().receive(stin);
    assert.equal(receipt.kind, 'acknowledged');
    if (receipt.kind !== 'acknowledged') return;
    assert.equal(receipt.code, 'ok');
    assert.equal(receipt.duplicate, false);
    assert.equal(
      header(receipt.acknowledgement).response?.identifier,
      (stin as unknown as MessageBundle).entry[0]!.resource.id,
    );
    const verdict = validator.validateMessage(receipt.acknowledgement);
    assert.equal(verdict.valid, true, JSON.stringify(verdict.issues.filter((i) => i.severity === 'error').slice(0, 3)));
  });

  test('an invalid message gets fatal-error with the validation errors in the OperationOutcome', async () => {
    const receipt = await receiver().receive(load(`${SEND}HospitalNotification-fixture-STIN-fatal-error.xml`));
    assert.ok(receipt.kind === 'acknowledged');
    assert.equal(receipt.code, 'fatal-error');
    const outcome = receipt.acknowledgement.entry.find((e) => e.resource.resourceType === 'OperationOutcome');
    assert.ok(outcome, 'ACK-1: a non-ok Acknowledgement carries an OperationOutcome');
    assert.match(JSON.stringify(outcome.resource), /class/);
    assert.equal(validator.validateMessage(receipt.acknowledgement).valid, true);
  });

  test('a duplicate gets the same answer under a new Bundle.id, MessageHeader.id and time', async () => {
    const r = receiver();
    const first = await r.receive(load(`${SEND}HospitalNotification-fixture-STIN-ok.xml`));
    const again = await r.receive(load(`${SEND}HospitalNotification-fixture-STIN-ok.xml`));
    assert.ok(first.kind === 'acknowledged' && again.kind === 'acknowledged');
    assert.equal(again.duplicate, true);
    assert.equal(again.code, first.code);
    assert.notEqual(again.acknowledgement.id, first.acknowledgement.id);
    assert.notEqual(header(again.acknowledgement).id, header(first.acknowledgement).id);
    assert.notEqual(again.acknowledgement.timestamp, first.acknowledgement.timestamp);
    assert.equal(
      header(again.acknowledgement).response?.identifier,
      header(first.acknowledgement).response?.identifier,
    );
  });

  test('while unavailable it answers transient-error and processes the resend normally', async () => {
    const r = receiver();
    const transient = await r.receive(
      load(`${SEND}HospitalNotification-fixture-STIN-transient-error.xml`),
      'temporarily-unavailable',
    );
    const resend = await r.receive(load(`${SEND}HospitalNotification-fixture-STIN-ok.xml`));
    assert.ok(transient.kind === 'acknowledged' && resend.kind === 'acknowledged');
    assert.equal(transient.code, 'transient-error');
    assert.equal(resend.code, 'ok');
    assert.equal(resend.duplicate, false);
  });

  test('an Acknowledgement is recorded, never acknowledged; a repeated one is a duplicate', async () => {
    const r = receiver();
    const first = await r.receive(load(`${ACK_RECEIVE}Acknowledgement-fixture-ok.xml`));
    const second = await r.receive(load(`${ACK_RECEIVE}Acknowledgement-fixture-ok.xml`));
    assert.deepEqual([first.kind, second.kind], ['acknowledgement-recorded', 'acknowledgement-recorded']);
    assert.deepEqual(
      [
        first.kind === 'acknowledgement-recorded' && first.duplicate,
        second.kind === 'acknowledgement-recorded' && second.duplicate,
      ],
      [false, true],
    );
  });

  test('a message without MessageHeader is refused, not acknowledged', async () => {
    const receipt = await receiver().receive({ resourceType: 'Bundle', type: 'message', entry: [] });
    assert.deepEqual(receipt, { kind: 'refused', problem: 'no MessageHeader id at Bundle.entry[0].resource.id' });
  });
});

describe('library driver scenarios', () => {
  const scripts = (): TestScript[] => MEDCOM_SUITE_NAMES.flatMap((s) => loadSuite(testStore().cache, SUITES[s]));
  const sutCreates = (s: TestScript) =>
    s.tests
      .flatMap((t) => t.actions)
      .filter((a) => a.kind === 'operation' && a.operation.type === 'create' && a.operation.origin !== undefined)
      .length;

  test('every HN and CC send script has a scenario with one message per create of the system under test', () => {
    const sendScripts = scripts().filter((s) => /-send-/.test(s.id) && !s.id.startsWith('acknowledgement-'));
    assert.equal(sendScripts.length, 44 + 32);
    for (const s of sendScripts) {
      const steps = HOSPITAL_NOTIFICATION_SCENARIOS[s.id]?.steps ?? CARE_COMMUNICATION_SCENARIOS[s.id];
      assert.ok(steps, `no scenario for ${s.id}`);
      assert.equal(steps.length, sutCreates(s), s.id);
    }
    assert.equal(
      Object.keys(HOSPITAL_NOTIFICATION_SCENARIOS).length + Object.keys(CARE_COMMUNICATION_SCENARIOS).length,
      76,
    );
  });

  test('supports all 135 scripts; a send script without scenario is not applicable', () => {
    const driver = new LibraryDriver({
      validator: new Validator(testStore()),
      fixtures: buildMedComFixtures(),
      definitions: testStore().context(SUITES.hospitalnotification.ig),
    });
    assert.deepEqual(
      scripts()
        .filter((s) => !driver.supports(s).supported)
        .map((s) => s.id),
      [],
    );
    const stin = scripts().find((s) => s.id === 'hospitalnotification-send-stin')!;
    const unknown = driver.supports({ ...stin, id: 'hospitalnotification-send-xyz' });
    assert.deepEqual(unknown, {
      supported: false,
      reason: 'no scenario tells the library what to send in hospitalnotification-send-xyz',
    });
  });
});
