// The `envelope` command as users run it: `node bin/medcom-hub.js` over the compiled dist/ (build first:
// `npx tsc -p tsconfig.build.json`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CPR_SYSTEM } from '../../src/messages/patient.ts';
import { MEDCOM, REPO_ROOT } from '../support/shared.ts';
import { addressesOf, eventCode, identifierValue, officialMessages, SBDH_SAMPLES, VANS_EXAMPLE } from './support.ts';

const BIN = join(REPO_ROOT, 'bin', 'medcom-hub.js');

function run(args: string[], env: Record<string, string> = { MEDCOM_HUB_XSD_DIR: MEDCOM }) {
  const result = spawnSync(process.execPath, [BIN, 'envelope', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('medcom-hub envelope (spawned CLI)', () => {
  let dir: string;
  const cc = officialMessages().find((m) => eventCode(m.bundle) === 'care-communication-message')!;
  let ccFile: string;

  before(() => {
    assert.ok(
      existsSync(join(REPO_ROOT, 'dist', 'cli', 'envelope.js')),
      'dist/ is built (npx tsc -p tsconfig.build.json)',
    );
    dir = mkdtempSync(join(tmpdir(), 'medcom-hub-envelope-'));
    ccFile = join(dir, 'cc.json');
    writeFileSync(ccFile, cc.bytes);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const type of ['vans', 'sbdh']) {
    test(`wrap --type ${type} prints the envelope; unwrap --out gives back the exact message`, () => {
      const { sender, receiver } = addressesOf(cc.bundle);
      const wrapped = run(['wrap', '--type', type, '--sender', sender, '--receiver', receiver, ccFile]);
      assert.equal(wrapped.code, 0, wrapped.stderr);
      assert.equal(wrapped.stderr, '');
      assert.match(
        wrapped.stdout,
        type === 'vans' ? /<VANSEnvelope xmlns="urn:oio:medcom:vans-envelope:1.0.4">/ : /<StandardBusinessDocument /,
      );
      const envelopeFile = join(dir, `cc.${type}.xml`);
      writeFileSync(envelopeFile, wrapped.stdout);
      const payloadFile = join(dir, `cc.${type}.payload`);
      const unwrapped = run(['unwrap', '--strict', '--out', payloadFile, envelopeFile]);
      assert.equal(unwrapped.code, 0, unwrapped.stderr);
      assert.deepEqual(readFileSync(payloadFile), Buffer.from(cc.bytes));
      assert.match(
        unwrapped.stderr,
        new RegExp(`^${type} envelope \\S+ from ${sender} to ${receiver}: care-communication-message`),
      );
      const cpr = identifierValue(
        cc.bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource,
        CPR_SYSTEM,
      )!;
      assert.ok(!unwrapped.stderr.includes(cpr) && !wrapped.stderr.includes(cpr), 'no CPR on stderr');
    });
  }

  test('wrap --out writes the file and nothing to stdout', () => {
    const { sender, receiver } = addressesOf(cc.bundle);
    const out = join(dir, 'out.xml');
    const result = run(['wrap', '--type', 'sbdh', '--sender', sender, '--receiver', receiver, '--out', out, ccFile]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /<Type>DOCUMENTID<\/Type>/);
  });

  test('unwrap of the real Region H envelope: payload out, non-UUID ids reported, exit 0', () => {
    const out = join(dir, 'xdis18.xml');
    const result = run(['unwrap', '--out', out, VANS_EXAMPLE]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /EnvelopeIdentifier EPIC394319568 is not a UUID/);
    const data = /<Data>([^<]+)<\/Data>/.exec(readFileSync(VANS_EXAMPLE, 'utf8'))![1]!;
    assert.deepEqual(readFileSync(out), Buffer.from(data, 'base64'));
    // The same envelope passes --strict: its only schema violations are the tolerated UUID patterns.
    assert.equal(run(['unwrap', '--strict', '--out', out, VANS_EXAMPLE]).code, 0);
  });

  test('unwrap of a MedCom SBDH sample: warnings, and with --strict exit 1 for its schema errors', () => {
    const sample = join(SBDH_SAMPLES, 'ehmisbdh_fullsample.xml');
    const lenient = run(['unwrap', '--out', join(dir, 'hco.xml'), sample]);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stderr, /binary-content-namespace/);
    assert.match(lenient.stderr, /warning: schema: /);
    const strict = run(['unwrap', '--strict', '--out', join(dir, 'hco.xml'), sample]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /error: .*BinaryContent/);
    assert.ok(!strict.stderr.includes('0101010227'), 'PATIENTID never printed');
  });

  test('the XSD folder comes from ../shared/medcom relative to the working directory by default', () => {
    if (resolve(REPO_ROOT, '..', 'shared', 'medcom') !== resolve(MEDCOM)) return; // data lives elsewhere on this machine
    const sample = join(SBDH_SAMPLES, 'ehmisbdh_fullsample.xml');
    const result = spawnSync(
      process.execPath,
      [BIN, 'envelope', 'unwrap', '--strict', '--out', join(dir, 'x'), sample],
      {
        cwd: REPO_ROOT,
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MEDCOM_HUB_XSD_DIR')),
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 1, 'schema errors found, so the schemas were found');
    const missing = run(['unwrap', '--out', join(dir, 'x'), sample], { MEDCOM_HUB_XSD_DIR: join(dir, 'nowhere') });
    assert.equal(missing.code, 0);
    assert.match(missing.stderr, /schema check skipped/);
    const viaOption = run(['unwrap', '--strict', '--xsd-dir', join(dir, 'nowhere'), '--out', join(dir, 'x'), sample]);
    assert.equal(viaOption.code, 2, '--strict without schemas is a usage error');
  });

  test('invalid input exits 1 with the reason', () => {
    const notEnvelope = run(['unwrap', ccFile]);
    assert.equal(notEnvelope.code, 1);
    assert.match(notEnvelope.stderr, /not XML; expected a VANSEnvelope or an ehmiSBDH/);
    const patient = join(dir, 'patient.json');
    writeFileSync(patient, '{"resourceType":"Patient"}');
    const notMessage = run([
      'wrap',
      '--type',
      'vans',
      '--sender',
      '5790001348120',
      '--receiver',
      '5790000209354',
      patient,
    ]);
    assert.equal(notMessage.code, 1);
    assert.match(notMessage.stderr, /Bundle of type "message"/);
  });

  test('usage errors exit 2', () => {
    const good = ['--sender', '5790001348120', '--receiver', '5790000209354'];
    assert.equal(run(['wrap', ...good, ccFile]).code, 2, 'missing --type');
    assert.equal(run(['wrap', '--type', 'edifact', ...good, ccFile]).code, 2, 'unknown type');
    assert.equal(
      run(['wrap', '--type', 'vans', '--sender', '5790001348121', '--receiver', '5790000209354', ccFile]).code,
      2,
      'bad GLN',
    );
    assert.equal(run(['wrap', '--type', 'vans', ...good, join(dir, 'missing.json')]).code, 2, 'unreadable file');
    assert.equal(run(['unwrap']).code, 2, 'missing file argument');
  });
});
