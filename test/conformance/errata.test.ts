// The errata overlays: well-formed, none stale, every correction compiles, and applying them keeps keys stable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  actionMatches,
  allActions,
  prepareScript,
  scriptMatches,
  touchesActions,
} from '../../src/conformance/errata/apply.ts';
import { MEDCOM_ERRATA } from '../../src/conformance/errata/medcom-errata.ts';
import { FhirPathEngine } from '../../src/conformance/testscript/fhirpath.ts';
import { loadSuite, SUITES, MEDCOM_SUITE_NAMES } from '../../src/conformance/testscript/load.ts';
import { actionKey, type TestScript } from '../../src/conformance/testscript/model.ts';
import { substitute } from '../../src/conformance/testscript/substitution.ts';
import { testStore } from '../support/shared.ts';

const suites = () =>
  MEDCOM_SUITE_NAMES.map((name) => ({
    name,
    scripts: loadSuite(testStore().cache, SUITES[name]),
    overlay: MEDCOM_ERRATA.get(name)!,
  }));

describe('errata overlays', () => {
  test('one versioned overlay per published package; unique ids; every erratum says why and where from', () => {
    const ids = new Set<string>();
    for (const { name, overlay } of suites()) {
      assert.deepEqual(overlay.scripts, SUITES[name].scripts);
      assert.match(overlay.version, /^\d{4}\.\d+$/);
      for (const e of overlay.errata) {
        assert.ok(!ids.has(e.id), `duplicate erratum id ${e.id}`);
        ids.add(e.id);
        assert.ok(
          e.title.length > 5 && e.reason.length > 40 && e.source.length > 5,
          `${e.id} lacks title, reason or source`,
        );
      }
    }
    assert.ok(ids.size >= 40);
  });

  test('no erratum is stale: each touches at least one action, script or variable of its package', () => {
    for (const { scripts, overlay } of suites()) {
      for (const e of overlay.errata) {
        const touched = scripts.reduce((n, s) => {
          if (!scriptMatches(e.select, s.id)) return n;
          if (e.change.kind === 'rewrite-variables') {
            const names = new RegExp(e.change.names);
            return n + s.variables.filter((v) => names.test(v.name)).length;
          }
          if (!touchesActions(e)) return n + 1;
          return n + allActions(s).filter((a) => actionMatches(e.select, s.id, a)).length;
        }, 0);
        assert.ok(touched > 0, `erratum ${e.id} touches nothing`);
      }
    }
  });

  test('as published nothing changes; as intended every corrected or inserted expression compiles', () => {
    const engine = new FhirPathEngine();
    let corrected = 0;
    for (const { scripts, overlay } of suites()) {
      for (const s of scripts) {
        const published = prepareScript(s, overlay, 'as-published');
        assert.equal(published.script, s);
        assert.equal(published.withdrawn.size, 0);
        const intended = prepareScript(s, overlay, 'as-intended');
        for (const action of allActions(intended.script)) {
          const refs = intended.refs.get(actionKey(s.id, action.at)) ?? [];
          if (action.kind !== 'assert' || action.assert.expression === undefined) continue;
          if (!refs.some((r) => r.effect === 'replaced' || r.effect === 'inserted')) continue;
          if (intended.withdrawn.has(actionKey(s.id, action.at))) continue;
          corrected++;
          // Variables are filled with a plausible id so the text is what the engine would compile.
          const text = substitute(action.assert.expression, () => '0b3c5a6e-1d2f-4a7b-8c9d-0e1f2a3b4c5d').text;
          assert.doesNotThrow(() => engine.compile(text), `${actionKey(s.id, action.at)}: ${text}`);
        }
      }
    }
    assert.ok(corrected > 400, `only ${corrected} corrected asserts`);
  });

  test('replacements keep the published key; insertions get +n keys; withdrawals stay in place', () => {
    const overlay = MEDCOM_ERRATA.get('hospitalnotification')!;
    const tec03 = loadSuite(testStore().cache, SUITES.hospitalnotification).find(
      (s) => s.id === 'hospitalnotification-PF-send-tec-03',
    )!;
    const intended = prepareScript(tec03, overlay, 'as-intended');
    const test2 = intended.script.tests.find((t) => t.key === 'hospitalnotification-create-STIN2-02')!;
    const keys = test2.actions.map((a) => actionKey(tec03.id, a.at).split('/').pop());
    assert.deepEqual(keys.slice(0, 6), ['0', '+1', '+2', '+3', '+4', '1']);
    const published2 = tec03.tests.find((t) => t.key === 'hospitalnotification-create-STIN2-02')!;
    assert.equal(test2.actions.length, published2.actions.length + 4);
    const withdrawn = [...intended.withdrawn.keys()].filter((k) => k.includes('STIN2-02'));
    assert.equal(withdrawn.length, 3, 'entity reference, entity role and Provenance count of the resend');
    const target = test2.actions.find(
      (a) =>
        a.kind === 'assert' &&
        a.assert.expression?.endsWith('.exists()') &&
        a.assert.expression.includes('target.reference'),
    );
    assert.ok(target?.kind === 'assert');
    assert.equal(
      target.assert.expression,
      'Bundle.entry.resource.ofType(Provenance).where(target.reference.contains(%resource.entry[0].resource.id)).exists()',
    );
    const stinVar = intended.script.variables.find((v) => v.name === 'messageHeaderid-STIN')!;
    assert.equal(stinVar.expression, 'Bundle.entry[0].resource.id');
    assert.equal(tec03.variables.find((v) => v.name === 'messageHeaderid-STIN')!.expression, 'Bundle.entry[0].fullUrl');
  });

  test('receive scripts get an Acknowledgement check after every fetch', () => {
    const overlay = MEDCOM_ERRATA.get('hospitalnotification')!;
    const receive: TestScript = loadSuite(testStore().cache, SUITES.hospitalnotification).find(
      (s) => s.id === 'hospitalnotification-receive-slor',
    )!;
    const intended = prepareScript(receive, overlay, 'as-intended');
    for (const t of intended.script.tests) {
      const [read, create] = t.actions;
      assert.equal(read?.kind === 'operation' && read.operation.responseId, 'received-message');
      assert.ok(create?.kind === 'operation' && create.operation.type === 'create' && create.operation.origin === 1);
    }
    assert.ok(intended.script.profiles.some((p) => p.id === 'acknowledgement'));
    assert.ok(intended.script.variables.some((v) => v.name === 'received-header-id'));
  });
});
