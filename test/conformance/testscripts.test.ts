// Loading MedCom's published TestScripts from the package cache, and the parser's refusal of what it cannot run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadSuite, SUITES, MEDCOM_SUITE_NAMES } from '../../src/conformance/testscript/load.ts';
import { parseTestScript, TestScriptError } from '../../src/conformance/testscript/parse.ts';
import type { TestScript } from '../../src/conformance/testscript/model.ts';
import { testStore } from '../support/shared.ts';

const all = (): TestScript[] => MEDCOM_SUITE_NAMES.flatMap((s) => loadSuite(testStore().cache, SUITES[s]));

const actions = (s: TestScript) => [...s.setup, ...s.tests.flatMap((t) => t.actions), ...s.teardown];

describe('TestScript loader', () => {
  test('reads the 135 published scripts from the example folders (90 HN, 32 CC, 13 ACK)', () => {
    const counts = MEDCOM_SUITE_NAMES.map((s) => loadSuite(testStore().cache, SUITES[s]).length);
    assert.deepEqual(counts, [90, 32, 13]);
  });

  test('the model holds every test, operation and assert the packages publish (conformance.md §2.1)', () => {
    const scripts = all();
    const acts = scripts.flatMap(actions);
    const asserts = acts.filter((a) => a.kind === 'assert');
    assert.equal(
      scripts.reduce((n, s) => n + s.tests.length, 0),
      307,
    );
    assert.equal(acts.filter((a) => a.kind === 'operation').length, 666);
    assert.equal(asserts.length, 2076);
    assert.equal(asserts.filter((a) => a.kind === 'assert' && a.assert.expression !== undefined).length, 1305);
    assert.equal(asserts.filter((a) => a.kind === 'assert' && a.assert.validateProfileId !== undefined).length, 157);
    assert.equal(
      scripts.reduce((n, s) => n + s.variables.length, 0),
      759,
    );
    assert.equal(new Set(scripts.flatMap((s) => s.fixtures.map((f) => f.reference))).size, 59);
  });

  test('setup operations are the engine’s, test operations the system under test’s', () => {
    const stor = all().find((s) => s.id === 'hospitalnotification-receive-stor')!;
    assert.ok(stor.setup.every((a) => a.kind !== 'operation' || a.operation.origin === undefined));
    const reads = stor.tests.flatMap((t) => t.actions).filter((a) => a.kind === 'operation');
    assert.deepEqual(
      reads.map((a) => (a.kind === 'operation' ? [a.operation.type, a.operation.origin, a.operation.params] : [])),
      [
        ['read', 1, '/${bundleid-STIN}'],
        ['read', 1, '/${bundleid-STOR}'],
      ],
    );
  });

  test('the one compareToSource assert keeps its source ids and operator', () => {
    const script = all().find((s) => s.id === 'carecommunication-send-reply-changetopic')!;
    const compare = actions(script).find((a) => a.kind === 'assert' && a.assert.compareToSourceId !== undefined);
    assert.ok(compare && compare.kind === 'assert');
    assert.equal(compare.assert.compareToSourceId, 'create-new-message-01');
    assert.equal(compare.assert.sourceId, 'create-reply-message-02');
    assert.equal(compare.assert.operator, 'notEquals');
    assert.equal(compare.assert.direction, undefined);
  });

  test('refuses constructs it cannot execute, naming file and element', () => {
    const json = structuredClone(
      testStore().cache.readJson(
        SUITES.hospitalnotification.scripts,
        'example/TestScript-hospitalnotification-send-stin.json',
      ),
    );
    const test0 = (json.test as { action: { operation?: { type: { code: string } } }[] }[])[0]!;
    test0.action[0]!.operation!.type.code = 'transaction';
    assert.throws(
      () => parseTestScript(json, { file: 'TestScript-hospitalnotification-send-stin.json' }),
      (error: unknown) =>
        error instanceof TestScriptError &&
        error.message.includes('TestScript-hospitalnotification-send-stin.json') &&
        error.message.includes('TestScript.test[0].action[0].operation.type') &&
        error.message.includes('"transaction" is not supported'),
    );
    assert.throws(() => parseTestScript({ resourceType: 'Patient' }, { file: 'x.json' }), /not a TestScript/);
  });
});
