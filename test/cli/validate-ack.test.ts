import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFhirXml } from '../../src/fhir/xml/fhir-xml.ts';
import { Validator } from '../../src/validation/validator.ts';
import { ACK, CC, HN, officialExamples, testStore } from '../support/shared.ts';
import { runCli } from './run-cli.ts';

type MessageJson = { entry: { resource: Record<string, unknown> & { id?: string } }[] };

const hnExample = officialExamples(HN, 'Bundle-a5e5b880')[0]!;
const hnMessage = hnExample.resource as unknown as MessageJson;
const ccExample = officialExamples(CC, 'Bundle-add5e7e2')[0]!;
const ackExample = officialExamples(ACK, 'Bundle-a8c041b8')[0]!;

describe('medcom-hub validate', () => {
  let dir: string;
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medcom-hub-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('official examples are valid; JSON output names file, type and issues', () => {
    const files = [
      file('hn.json', JSON.stringify(hnExample.resource)),
      file('cc.json', JSON.stringify(ccExample.resource)),
      file('ack.json', JSON.stringify(ackExample.resource)),
    ];
    const run = runCli(['validate', '--format', 'json', ...files]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const verdicts = JSON.parse(run.stdout) as {
      file: string;
      valid: boolean;
      messageType: string;
      issues: unknown[];
    }[];
    assert.deepEqual(
      verdicts.map((v) => [v.file, v.valid, v.messageType]),
      [
        [files[0], true, 'hospital-notification-message'],
        [files[1], true, 'care-communication-message'],
        [files[2], true, 'acknowledgement-message'],
      ],
    );
  });

  test('FHIR XML is accepted and judged like its JSON', () => {
    const context = testStore().context(HN);
    const xml = file('hn.xml', writeFhirXml(hnExample.resource, context));
    const run = runCli(['validate', '--format', 'json', xml]);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.equal(
      (JSON.parse(run.stdout) as { messageType: string }[])[0]!.messageType,
      'hospital-notification-message',
    );
  });

  test('a broken message exits 1 and says where and what', () => {
    const broken = structuredClone(hnMessage);
    const encounter = broken.entry.find((e) => e.resource.resourceType === 'Encounter')!.resource;
    encounter.status = 'planned';
    const run = runCli(['validate', '--format', 'json', file('broken.json', JSON.stringify(broken))]);
    assert.equal(run.status, 1);
    const [verdict] = JSON.parse(run.stdout) as {
      valid: boolean;
      issues: { severity: string; expression: string; details?: string }[];
    }[];
    assert.equal(verdict!.valid, false);
    const issue = verdict!.issues.find((i) => i.severity === 'error' && i.expression.endsWith('.status'));
    assert.ok(issue, JSON.stringify(verdict!.issues));
    assert.equal(issue.details, 'MSG_VALUESET_VALUE_UNKNOWN');
    assert.match(runCli(['validate', file('broken2.json', JSON.stringify(broken))]).stdout, /INVALID/);
  });

  test('unparseable content is invalid (1); a missing file or bad option is a usage error (2)', () => {
    const garbage = runCli(['validate', '--format', 'json', file('garbage.json', '{"resourceType": ')]);
    assert.equal(garbage.status, 1);
    assert.equal(
      (JSON.parse(garbage.stdout) as { issues: { details: string }[] }[])[0]!.issues[0]!.details,
      'MSG_BAD_SYNTAX',
    );
    assert.equal(runCli(['validate', join(dir, 'no-such-file.json')]).status, 2);
    assert.equal(runCli(['validate', '--format', 'yaml', file('x.json', '{}')]).status, 2);
    assert.equal(runCli(['validate']).status, 2);
  });
});

describe('medcom-hub ack', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medcom-hub-ack-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('acknowledges a received message with a valid Acknowledgement for each code', () => {
    const received = join(dir, 'hn.json');
    writeFileSync(received, JSON.stringify(hnExample.resource));
    const validator = new Validator(testStore());
    for (const code of ['ok', 'transient-error', 'fatal-error']) {
      const run = runCli(['ack', '--code', code, received]);
      assert.equal(run.status, 0, run.stderr);
      const ack = JSON.parse(run.stdout) as { entry: { resource: Record<string, unknown> }[] };
      const result = validator.validateMessage(ack);
      assert.equal(result.messageType, 'acknowledgement-message');
      assert.deepEqual(
        result.issues.filter((i) => i.severity === 'error'),
        [],
        code,
      );
      const header = ack.entry[0]!.resource as { response: { code: string; identifier: string } };
      assert.equal(header.response.code, code);
      const hnHeader = hnMessage.entry[0]!.resource;
      assert.equal(header.response.identifier, hnHeader.id);
      assert.equal(ack.entry.filter((e) => e.resource.resourceType === 'Provenance').length, 2);
    }
  });

  test('fatal-error carries the validation findings; acks are never acknowledged', () => {
    const broken = structuredClone(hnMessage);
    broken.entry.find((e) => e.resource.resourceType === 'Encounter')!.resource.status = 'planned';
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const run = runCli(['ack', '--code', 'fatal-error', file]);
    assert.equal(run.status, 0, run.stderr);
    const outcome = (JSON.parse(run.stdout) as { entry: { resource: Record<string, unknown> }[] }).entry.find(
      (e) => e.resource.resourceType === 'OperationOutcome',
    )!.resource as { issue: { details?: { coding?: { code: string }[] } }[] };
    assert.ok(outcome.issue.some((i) => i.details?.coding?.[0]?.code === 'MSG_VALUESET_VALUE_UNKNOWN'));

    const ackFile = join(dir, 'ack.json');
    writeFileSync(ackFile, JSON.stringify(ackExample.resource));
    const refused = runCli(['ack', '--code', 'ok', ackFile]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /never acknowledged/);
    assert.equal(runCli(['ack', hnExample.file]).status, 2);
  });
});
