// The proof: `medcom-hub conformance run --ig all --driver library` passes "as intended" for all 135 published
// scripts, every failure "as published" is explained by an erratum, and the reports are well-formed. Then the same
// runner against a system that sends broken messages: the corrected checks must catch it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import { SaxesParser } from 'saxes';
import { registerConformance } from '../../src/cli/conformance.ts';
import type { CliIo } from '../../src/cli/io.ts';
import type { Delivery, Driver, StepInfo, Submission } from '../../src/conformance/drivers/driver.ts';
import { LibraryDriver } from '../../src/conformance/drivers/library/library-driver.ts';
import { MEDCOM_ERRATA } from '../../src/conformance/errata/medcom-errata.ts';
import { buildMedComFixtures } from '../../src/conformance/fixtures/medcom-fixtures.ts';
import { allActions, isFailure, type ActionResult } from '../../src/conformance/results.ts';
import { runConformance, type ConformanceReport } from '../../src/conformance/runner.ts';
import { SUITES } from '../../src/conformance/testscript/load.ts';
import type { TestScript } from '../../src/conformance/testscript/model.ts';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    setExitCode: (c) => (code = Math.max(code, c)),
  };
  const program = new Command('medcom-hub').exitOverride();
  registerConformance(program, io);
  await program.parseAsync(args, { from: 'user' });
  return { code, out, err };
}

function wellFormedXml(text: string): void {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (e) => (failure = e));
  parser.write(text).close();
  if (failure) throw failure;
}

describe('conformance run --ig all --driver library', () => {
  let folder: string;
  let run: { code: number; out: string[]; err: string[] };
  let report: ConformanceReport;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'medcom-conformance-'));
    run = await cli(['conformance', 'run', '--ig', 'all', '--driver', 'library', '--report', folder, '--quiet']);
    report = JSON.parse(readFileSync(join(folder, 'conformance.json'), 'utf8')) as ConformanceReport;
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('exits 0 and says so', () => {
    assert.equal(run.code, 0, run.out.slice(-40).join('\n'));
    assert.equal(run.out.at(-1), 'RESULT: as intended PASSES');
    assert.ok(
      run.out.some((l) => /^as published: 138 scripts/.test(l)),
      'MedCom’s 135 and the 3 intent scripts',
    );
  });

  test('all 135 published scripts (and the 3 intent scripts) pass as intended', () => {
    assert.equal(report.asIntended.scripts.filter((s) => s.suite !== 'intent').length, 135);
    assert.equal(report.asIntended.scripts.length, 138);
    assert.deepEqual(
      report.asIntended.scripts.filter((s) => s.status !== 'pass').map((s) => s.id),
      [],
    );
    assert.equal(report.asIntended.counts.failed + report.asIntended.counts.errors, 0);
    assert.equal(report.asIntended.counts.warnings, 0);
    assert.ok(report.passed);
  });

  test('as published, every one of the 2076 asserts runs and every failure is explained by an erratum', () => {
    const counts = report.asPublished.counts;
    const medcom = report.asPublished.scripts.filter((s) => s.suite !== 'intent');
    assert.equal(medcom.flatMap((s) => allActions(s)).filter((a) => a.kind === 'assert').length, 2076);
    assert.equal(counts.skipped, 0);
    const failures: ActionResult[] = report.asPublished.scripts.flatMap((s) => allActions(s).filter(isFailure));
    assert.ok(failures.length > 200, 'MedCom’s defects show as published');
    assert.equal(counts.failuresUnexplained, 0);
    assert.deepEqual(report.unexplained, []);
    for (const f of failures) assert.ok(f.errata.length > 0, `${f.key} failed without an erratum`);
  });

  test('no erratum is stale, and each has a count', () => {
    assert.deepEqual(report.stale, []);
    assert.equal(
      report.errata.length,
      [...MEDCOM_ERRATA.values()].reduce((n, o) => n + o.errata.length, 0),
    );
  });

  test('the suites have the published numbers of scripts and the errata are reported with the counts', () => {
    const bySuite = (suite: string) => report.asIntended.scripts.filter((s) => s.suite === suite).length;
    assert.deepEqual(
      [bySuite('hospitalnotification'), bySuite('carecommunication'), bySuite('acknowledgement'), bySuite('intent')],
      [90, 32, 13, 3],
    );
    assert.ok(report.asIntended.counts.errataApplied > 1000);
    assert.ok(run.out.some((l) => /^errata: \d+ in use/.test(l)));
  });

  test('writes well-formed JUnit XML (no failures: explained ones are not failures) and a self-contained HTML report', () => {
    const junit = readFileSync(join(folder, 'conformance.junit.xml'), 'utf8');
    wellFormedXml(junit);
    assert.match(junit, /<testsuites name="medcom-hub conformance" tests="\d+" failures="0">/);
    assert.equal((junit.match(/<testsuite /g) ?? []).length, 8, 'four suites × two modes');
    const html = readFileSync(join(folder, 'conformance.html'), 'utf8');
    assert.match(html, /As intended: PASS/);
    assert.doesNotMatch(html, /<script|<link |src="http/);
    for (const s of report.asIntended.scripts) assert.ok(html.includes(s.id), s.id);
    for (const e of report.errata) assert.ok(html.includes(`<td>${e.id}</td>`), e.id);
  });
});

describe('conformance run usage', () => {
  test('unknown suite or driver is a usage error (exit 2)', async () => {
    assert.equal((await cli(['conformance', 'run', '--ig', 'oioxml'])).code, 2);
    const http = await cli(['conformance', 'run', '--driver', 'http']);
    assert.equal(http.code, 2);
    assert.match(http.err.join('\n'), /http driver is not implemented yet/);
  });
});

/** A system under test that sends what the library builds, damaged by `tamper`. */
class TamperingDriver implements Driver {
  readonly name = 'tampering';
  constructor(
    private readonly inner: LibraryDriver,
    private readonly tamper: (message: Record<string, unknown>, step: StepInfo) => void,
  ) {}
  supports(script: TestScript) {
    return this.inner.supports(script);
  }
  beginScript(script: TestScript) {
    return this.inner.beginScript(script);
  }
  receive(delivery: Delivery, step: StepInfo) {
    return this.inner.receive(delivery, step);
  }
  async send(step: StepInfo): Promise<Submission> {
    const sent = await this.inner.send(step);
    const copy = structuredClone(sent.resource) as Record<string, unknown>;
    this.tamper(copy, step);
    return { ...sent, resource: copy as Submission['resource'] };
  }
  endScript() {
    return this.inner.endScript();
  }
}

describe('the corrected checks catch a broken system', () => {
  const store = testStore();
  const validator = new Validator(store);
  const fixtures = buildMedComFixtures();
  const definitions = store.context(SUITES.hospitalnotification.ig);
  type Entry = { resource: Record<string, unknown> };

  const runWith = (ids: string[], tamper: (m: Record<string, unknown>, step: StepInfo) => void) =>
    runConformance({
      store,
      suites: ['hospitalnotification', 'acknowledgement'],
      only: (id) => ids.includes(id),
      driver: () => new TamperingDriver(new LibraryDriver({ validator, fixtures, definitions }), tamper),
      fixtures,
      errata: MEDCOM_ERRATA,
      validator,
    });

  const failing = (report: ConformanceReport) =>
    report.asIntended.scripts.flatMap((s) =>
      allActions(s)
        .filter(isFailure)
        .map((a) => a.summary),
    );

  test('a follow-up whose Provenance does not point at the previous message fails', async () => {
    const report = await runWith(['hospitalnotification-send-stor'], (message) => {
      for (const entry of message.entry as Entry[]) {
        if (entry.resource.resourceType === 'Provenance') delete entry.resource.entity;
      }
    });
    assert.equal(report.passed, false);
    const failed = failing(report);
    assert.ok(
      failed.some((s) => s.includes("entity.what.reference.contains('${messageHeaderid-STIN}')")),
      failed.join('\n'),
    );
    assert.ok(
      failed.some((s) => s.endsWith('.entity.role equals "revision"')),
      failed.join('\n'),
    );
  });

  test('an Acknowledgement of the wrong message fails, though every published assert still passes', async () => {
    const report = await runWith(['acknowledgement-send-ok-hospitalnotification'], (message) => {
      const header = (message.entry as Entry[])[0]!.resource as { response: { identifier: string } };
      header.response.identifier = '5b0a1e2c-3d4f-4a5b-8c6d-7e8f9a0b1c2d';
    });
    assert.equal(
      report.asPublished.scripts[0]!.status,
      'fail',
      'validation still passes, but the fullUrl defect fails as published',
    );
    assert.deepEqual(failing(report), [
      "Bundle.entry.resource.ofType(MessageHeader).response.identifier = '${messageHeaderid-STIN}'",
    ]);
  });

  test('a receiver that answers with the wrong code fails the inserted Acknowledgement checks', async () => {
    const report = await runWith(['hospitalnotification-receive-stin'], (message) => {
      const header = (message.entry as Entry[])[0]!.resource as { response: { code: string } };
      header.response.code = 'transient-error';
    });
    const failed = failing(report);
    assert.ok(failed.includes("Bundle.entry.resource.ofType(MessageHeader).response.code = 'ok'"), failed.join('\n'));
    assert.equal(report.asPublished.scripts[0]!.status, 'pass', 'the published receive script checks only the fetch');
  });
});
