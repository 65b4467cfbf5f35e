// `medcom-hub convert` as users run it: `node bin/medcom-hub.js` over the compiled dist/ (build first:
// `npx tsc -p tsconfig.build.json`), on every shared OIOXML example and every official MedCom example Bundle.
// Results are checked with the project's Validator (FHIR) and the real MedCom XSDs (OIOXML), not by comparing text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importSorXml } from '../../src/directory/sor-xml.ts';
import { writeFhirXml } from '../../src/fhir/xml/fhir-xml.ts';
import { SorDirectory } from '../../src/directory/sor-directory.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { parseAcknowledgement } from '../../src/messages/acknowledgement/parser.ts';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { parseHospitalNotification } from '../../src/messages/hospital-notification/parser.ts';
import type { Gln } from '../../src/messages/parties.ts';
import { readEmessage, writeEmessage, type Emessage } from '../../src/oioxml/emessage.ts';
import type { Receipt } from '../../src/oioxml/xctl/receipt.ts';
import { Validator } from '../../src/validation/validator.ts';
import { PARTY_ENTRIES } from '../oioxml/conversion-support.ts';
import { OIOXML, testSchemas } from '../oioxml/support.ts';
import { ACK, CC, HN, MEDCOM, officialExamples, REPO_ROOT, testStore } from '../support/shared.ts';

const BIN = join(REPO_ROOT, 'bin', 'medcom-hub.js');
const EXAMPLES = join(OIOXML, 'examples');

interface Run {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function convert(args: readonly string[], env: Record<string, string> = { MEDCOM_HUB_XSD_DIR: MEDCOM }): Run {
  const result = spawnSync(process.execPath, [BIN, 'convert', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

function cli(args: readonly string[]): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

let validator: Validator | undefined;

function assertValidFhir(bundle: unknown, label: string): void {
  validator ??= new Validator(testStore());
  const errors = validator
    .validateMessage(bundle)
    .issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  assert.deepEqual(
    errors.map((issue) => `${issue.expression}: ${issue.message}`),
    [],
    `${label} must validate`,
  );
}

/** Reads a converted letter back and checks it against the MedCom XSD of its namespace. */
function assertValidLetter(bytes: Uint8Array, label: string): Emessage {
  const { emessage, encoding, hadDeclaration } = readEmessage(bytes, { label });
  assert.equal(encoding, 'ISO-8859-1', `${label}: written as ISO-8859-1`);
  assert.ok(hadDeclaration, `${label}: with an XML declaration`);
  assert.deepEqual(testSchemas().validate(emessage.namespace, bytes, { label }).issues, [], `${label}: XSD-valid`);
  return emessage;
}

interface LossReportJson {
  input: string;
  conversion: string;
  result: string;
  reason?: { source?: string; text: string };
  counts: Record<string, number>;
  notCarried: { source: string; detail: string }[];
  defaultsUsed: { target: string; detail: string }[];
  changed: { source: string; target: string; detail: string }[];
  derived: { target: string; detail: string }[];
}

describe('medcom-hub convert (spawned CLI)', () => {
  let dir: string;
  let configFile: string;
  const path = (name: string) => join(dir, name);
  const write = (name: string, content: string | Uint8Array) => {
    writeFileSync(path(name), content);
    return path(name);
  };
  const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
  /** A config file with the party table the conversion tests use (legacy EANs with wrong check digits mapped). */
  const config = (name: string, extra: Record<string, unknown> = {}, parties = PARTY_ENTRIES) =>
    write(name, JSON.stringify({ parties, ...extra }, null, 2));
  const letter = (folder: string, prefix: string) => {
    const file = readdirSync(join(EXAMPLES, folder)).find((f) => f.startsWith(prefix));
    assert.ok(file, `example ${folder}/${prefix}`);
    return join(EXAMPLES, folder, file);
  };

  before(() => {
    assert.ok(
      existsSync(join(REPO_ROOT, 'dist', 'cli', 'convert.js')),
      'dist/ is built (npx tsc -p tsconfig.build.json)',
    );
    dir = mkdtempSync(join(tmpdir(), 'medcom-hub-convert-'));
    configFile = config('config.json');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('OIOXML → FHIR on the shared examples', () => {
    for (const file of readdirSync(join(EXAMPLES, 'xdis91')).sort()) {
      test(`xdis91/${file}`, () => {
        const out = path(`${file}.json`);
        const loss = path(`${file}.loss.json`);
        const run = convert([
          '--to',
          'fhir',
          '--config',
          configFile,
          '--out',
          out,
          '--loss-report',
          loss,
          join(EXAMPLES, 'xdis91', file),
        ]);
        const source = readFileSync(join(EXAMPLES, 'xdis91', file), 'latin1');
        const cpr = /<CivilRegistrationNumber>(\d+)</.exec(source)![1]!;
        assert.ok(!run.stderr.includes(cpr), 'no CPR number on stderr');
        assert.ok(!readFileSync(loss, 'utf8').includes(cpr), 'no CPR number in the loss report');
        const report = json<LossReportJson>(loss);
        assert.equal(report.conversion, 'XDIS91 → CareCommunication');
        if (file.includes('korr_x9134')) {
          // This letter's CPR number has month 22: dk-core rejects it, so FHIR cannot carry the letter.
          assert.equal(run.status, 1, run.stderr);
          assert.match(
            run.stderr,
            /not representable in FHIR: \/Emessage\/ClinicalEmail\/Patient\/CivilRegistrationNumber/,
          );
          assert.ok(!existsSync(out), 'nothing written');
          assert.equal(report.result, 'not-representable');
          assert.equal(report.reason?.source, '/Emessage/ClinicalEmail/Patient/CivilRegistrationNumber');
          return;
        }
        assert.equal(run.status, 0, run.stderr);
        const bundle = json<MessageBundle>(out);
        assertValidFhir(bundle, file);
        const cc = parseCareCommunication(bundle);
        // Danish letters survive the trip from windows-1252/ISO-8859-1 into UTF-8 JSON.
        const subject = /<Subject>([^<]+)</.exec(source)![1]!;
        assert.equal(cc.topic, subject);
        assert.match(subject, /[æøåÆØÅ]/);
        const sender = /<Sender>[\s\S]*?<OrganisationName>([^<]+)</.exec(source)![1]!;
        assert.ok(cc.sender.party.name.startsWith(sender), `${cc.sender.party.name} starts with ${sender}`);
        // The report lists what was made up and what was left behind.
        assert.equal(report.result, 'converted');
        assert.ok(report.defaultsUsed.some((e) => e.target === 'Communication.category'));
        assert.ok(report.defaultsUsed.some((e) => e.target === 'Communication.payload.extension(author)'));
        assert.ok(report.notCarried.some((e) => e.source.endsWith('/Patient/StreetName')));
        assert.equal(report.counts.default, report.defaultsUsed.length);
        assert.match(run.stderr, /XDIS91 → CareCommunication: \d+ field\(s\) not carried, \d+ default\(s\) used/);
      });
    }

    test('the escaped markup and formatting of the OS2korrespondance letter: text kept, æøå intact', () => {
      const out = path('formatted.json');
      const loss = path('formatted.loss.json');
      const run = convert([
        '--to',
        'fhir',
        '--config',
        configFile,
        '--out',
        out,
        '--loss-report',
        loss,
        letter('xdis91', 'os2korrespondance__formattet_text'),
      ]);
      assert.equal(run.status, 0, run.stderr);
      const text = parseCareCommunication(json(out)).segments.find((s) => s.kind === 'text')!.text!;
      assert.match(text, /<Teste noget mere øæå>/);
      assert.match(text, /har modtaget en henvisning på ovenstående patient\./);
      const report = json<LossReportJson>(loss);
      assert.ok(report.changed.some((e) => /formatting .*FixedFont/.test(e.detail)));
    });

    test('XDIS20 → a valid STIN with the placeholder patient name reported', () => {
      const out = path('dis20.json');
      const loss = path('dis20.loss.json');
      const run = convert([
        '--to',
        'fhir',
        '--config',
        configFile,
        '--out',
        out,
        '--loss-report',
        loss,
        letter('xdis20', 'edifact'),
      ]);
      assert.equal(run.status, 0, run.stderr);
      const bundle = json<MessageBundle>(out);
      assertValidFhir(bundle, 'DIS20');
      assert.equal(parseHospitalNotification(bundle).code, 'STIN');
      const report = json<LossReportJson>(loss);
      assert.ok(report.defaultsUsed.some((e) => e.target === 'Patient.name' && /"Ukendt"/.test(e.detail)));
      assert.ok(!readFileSync(loss, 'utf8').includes('2505544849'));
    });

    test('XDIS17 without the stay’s earlier notification is not representable; nothing is written', () => {
      const out = path('dis17.json');
      const run = convert(['--to', 'fhir', '--config', configFile, '--out', out, letter('xdis17', 'edifact')]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stderr,
        /not representable in FHIR: .*NotificationIdentifier: SLHJ follows an earlier notification/,
      );
      assert.ok(!existsSync(out));
    });

    test('XCTL01 is a network receipt; XCTL02/03 for letters never sent from FHIR have no Acknowledgement', () => {
      for (const file of readdirSync(join(EXAMPLES, 'xctl')).sort()) {
        const run = convert(['--to', 'fhir', '--config', configFile, join(EXAMPLES, 'xctl', file)]);
        const seen = `${file}: exit ${run.status}, stderr: ${run.stderr}, stdout: ${run.stdout.toString('utf8')}`;
        assert.equal(run.status, 1, seen);
        assert.match(
          run.stderr,
          file.includes('CTL01')
            ? /VANS network receipt/
            : /none of the receipted letters has a known original FHIR message/,
          seen,
        );
        assert.equal(run.stdout.length, 0, seen);
      }
    });

    test('the VANS example carries a municipal XDIS18, which has no conversion: exit 1 naming it', () => {
      const run = convert(['--to', 'fhir', '--config', configFile, letter('vans', 'nsp')]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /urn:oio:medcom:municipality:1\.0\.3\}Emessage .*XDIS16\/18\/21/);
    });

    test('without the party table, legacy EANs with a wrong check digit are not representable', () => {
      const run = convert(['--to', 'fhir', letter('xdis91', 'edifact_converter__DIS91_1')]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /not representable in FHIR: .*EANIdentifier: EAN 5790000120400 is not a valid GLN/);
    });

    test('an enveloped letter (VANS, SBDH) converts exactly like the bare one; envelope noted on stderr', () => {
      const bare = path('bare.json');
      const source = letter('xdis91', 'edifact_converter__DIS91_2');
      assert.equal(convert(['--to', 'fhir', '--config', configFile, '--out', bare, source]).status, 0);
      for (const type of ['vans', 'sbdh']) {
        const envelope = path(`letter.${type}.xml`);
        const wrapped = cli([
          'envelope',
          'wrap',
          '--type',
          type,
          '--sender',
          '5790000121526',
          '--receiver',
          '5790000120314',
          '--out',
          envelope,
          source,
        ]);
        assert.equal(wrapped.status, 0, wrapped.stderr);
        const out = path(`letter.${type}.json`);
        const run = convert(['--to', 'fhir', '--config', configFile, '--out', out, envelope]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(
          run.stderr,
          new RegExp(`note: ${type} envelope \\S+ from 5790000121526 to 5790000120314 unwrapped`),
        );
        assert.deepEqual(readFileSync(out), readFileSync(bare));
      }
    });

    test('an Emessage with two letters gives a JSON array of two messages, located by letter position', () => {
      const [first, second] = ['edifact_converter__DIS91_1', 'edifact_converter__DIS91_2'].map(
        (prefix) => readEmessage(readFileSync(letter('xdis91', prefix)), { label: prefix }).emessage,
      );
      const both = write('two-letters.xml', writeEmessage({ ...first!, items: [...first!.items, ...second!.items] }));
      const out = path('two-letters.json');
      const loss = path('two-letters.loss.json');
      const run = convert(['--to', 'fhir', '--config', configFile, '--out', out, '--loss-report', loss, both]);
      assert.equal(run.status, 0, run.stderr);
      const bundles = json<MessageBundle[]>(out);
      assert.equal(bundles.length, 2);
      bundles.forEach((bundle, i) => assertValidFhir(bundle, `letter ${i + 1}`));
      assert.notEqual(bundles[0]!.id, bundles[1]!.id);
      const sources = json<LossReportJson>(loss).notCarried.map((e) => e.source);
      assert.ok(sources.some((s) => s.startsWith('/Emessage/ClinicalEmail[1]/')));
      assert.ok(sources.some((s) => s.startsWith('/Emessage/ClinicalEmail[2]/')));
    });

    test('FHIR JSON on standard output without --out', () => {
      const run = convert(['--to', 'fhir', '--config', configFile, letter('xdis91', 'edifact_converter__DIS91_2')]);
      assert.equal(run.status, 0, run.stderr);
      assertValidFhir(JSON.parse(run.stdout.toString('utf8')), 'stdout');
    });
  });

  describe('FHIR → OIOXML on the official examples', () => {
    const notRepresentable = /^(RE_|AN_)?(STAA|STOR|SLOR)$/;
    for (const { file, resource } of officialExamples(HN, 'Bundle-')) {
      test(`HN ${file}`, () => {
        const input = write(file, JSON.stringify(resource));
        const out = path(`${file}.xml`);
        const loss = path(`${file}.loss.json`);
        const run = convert(['--to', 'oioxml', '--out', out, '--loss-report', loss, input]);
        const code = parseHospitalNotification(resource).code;
        if (notRepresentable.test(code)) {
          // Leave and acute-ambulant notifications have no OIOXML letter: refused with a typed reason, no output.
          assert.equal(run.status, 1, run.stderr);
          assert.match(run.stderr, new RegExp(`not representable in OIOXML: Provenance\\.activity: ${code}: `));
          assert.ok(!existsSync(out));
          assert.equal(json<LossReportJson>(loss).result, 'not-representable');
          return;
        }
        assert.equal(run.status, 0, run.stderr);
        const emessage = assertValidLetter(readFileSync(out), file);
        const type = emessage.items[0]!.letter.type;
        assert.equal(
          type,
          code.endsWith('STIN') || (code === 'MORS' && parseHospitalNotification(resource).provenance.length === 1)
            ? 'XDIS20'
            : 'XDIS17',
        );
        const report = json<LossReportJson>(loss);
        assert.equal(report.conversion, `HospitalNotification → ${type}`);
        assert.ok(report.notCarried.some((e) => e.source === 'Patient.name'));
      });
    }

    for (const { file, resource } of officialExamples(CC, 'Bundle-')) {
      test(`CC ${file}`, () => {
        const input = write(file, JSON.stringify(resource));
        const out = path(`${file}.xml`);
        const run = convert(['--to', 'oioxml', '--out', out, input]);
        assert.equal(run.status, 0, run.stderr);
        const emessage = assertValidLetter(readFileSync(out), file);
        const cc = parseCareCommunication(resource);
        const subject = (emessage.items[0]!.letter as { additionalInformation?: { subject?: string } })
          .additionalInformation?.subject;
        // The topic (or the Danish category name) becomes the Subject, æøå as single ISO-8859-1 bytes.
        if (cc.topic && [...cc.topic].every((c) => c.charCodeAt(0) <= 0xff))
          assert.equal(subject, cc.topic.slice(0, 70));
        if (subject && /[æøå]/.test(subject)) {
          const raw = readFileSync(out);
          assert.ok(raw.includes(Buffer.from(subject, 'latin1')), 'Subject written as Latin-1 bytes');
        }
        assert.match(run.stderr, /CareCommunication → XDIS91: /);
      });
    }

    for (const { file, resource } of officialExamples(ACK, 'Bundle-')) {
      test(`ACK ${file}`, () => {
        const input = write(file, JSON.stringify(resource));
        const out = path(`${file}.xml`);
        const run = convert(['--to', 'oioxml', '--out', out, input]);
        // Without the history of the acknowledged message's letter (or, for the empty-message example, without
        // a message type that has an OIOXML twin) no receipt can name the letter and envelope it answers.
        assert.equal(run.status, 1, run.stderr);
        assert.match(
          run.stderr,
          /was not converted from an OIOXML letter known to this converter|not a valid MedCom message/,
        );
        assert.ok(!existsSync(out));
      });
    }

    test('FHIR XML, and FHIR inside a VANSEnvelope or an ehmiSBDH, give the same letter as the bare JSON', () => {
      const cc = officialExamples(CC, 'Bundle-0d5b3c18')[0]!;
      const jsonFile = write('same.json', JSON.stringify(cc.resource));
      const expected = path('same.xml');
      assert.equal(convert(['--to', 'oioxml', '--out', expected, jsonFile]).status, 0);
      const context = testStore().context(CC);
      const inputs = [write('same.fhir.xml', writeFhirXml(cc.resource, context))];
      const { sender, receiver } = parseCareCommunication(cc.resource);
      for (const type of ['vans', 'sbdh']) {
        const envelope = path(`same.${type}.xml`);
        const wrapped = cli([
          'envelope',
          'wrap',
          '--type',
          type,
          '--sender',
          sender.party.gln,
          '--receiver',
          receiver.party.gln,
          '--out',
          envelope,
          jsonFile,
        ]);
        assert.equal(wrapped.status, 0, wrapped.stderr);
        inputs.push(envelope);
      }
      for (const input of inputs) {
        const out = `${input}.letter.xml`;
        const run = convert(['--to', 'oioxml', '--out', out, input]);
        assert.equal(run.status, 0, `${input}: ${run.stderr}`);
        assert.deepEqual(readFileSync(out), readFileSync(expected), input);
      }
    });

    test('an OIOXML letter on standard output is ISO-8859-1 bytes with a declaration', () => {
      const cc = officialExamples(CC, 'Bundle-k7bfbc0c')[0]!;
      const run = convert(['--to', 'oioxml', write('reply.json', JSON.stringify(cc.resource))]);
      assert.equal(run.status, 0, run.stderr);
      assertValidLetter(run.stdout, 'stdout');
      assert.ok(run.stdout.includes(Buffer.from('Forløbskoordinering', 'latin1')));
      assert.match(run.stderr, /note: the message answers OIOXML letter \S+ of \d{13}/);
    });
  });

  describe('state kept between runs (idMapDatabase)', () => {
    test('XDIS20 then XDIS17 of the same stay: the discharge finds its admission', () => {
      const stateConfig = config('stay.json', { idMapDatabase: 'stay.sqlite' });
      const stin = path('stay-stin.json');
      assert.equal(
        convert(['--to', 'fhir', '--config', stateConfig, '--out', stin, letter('xdis20', 'edifact')]).status,
        0,
      );
      // The shared XDIS17 reuses the XDIS20's envelope and letter ids (test data): the converter refuses the clash …
      const clash = convert(['--to', 'fhir', '--config', stateConfig, letter('xdis17', 'edifact')]);
      assert.equal(clash.status, 1, clash.stderr);
      assert.match(
        clash.stderr,
        /letter id 24681012 of sender 5790000143054 was already converted for a different letter \(XDIS20\)/,
      );
      // … and accepts the discharge as its own letter.
      const dis17 = write(
        'dis17.xml',
        Buffer.from(
          readFileSync(letter('xdis17', 'edifact'), 'latin1')
            .replace('<Identifier>123456789</Identifier>', '<Identifier>123456790</Identifier>')
            .replace('<Letter><Identifier>24681012</Identifier>', '<Letter><Identifier>24681013</Identifier>'),
          'latin1',
        ),
      );
      const slhj = path('stay-slhj.json');
      const run = convert(['--to', 'fhir', '--config', stateConfig, '--out', slhj, dis17]);
      assert.equal(run.status, 0, run.stderr);
      const bundle = json<MessageBundle>(slhj);
      assertValidFhir(bundle, 'SLHJ');
      const discharge = parseHospitalNotification(bundle);
      const admission = parseHospitalNotification(json(stin));
      assert.equal(discharge.code, 'SLHJ');
      assert.equal(discharge.encounter.period.start, admission.encounter.period.start);
      assert.deepEqual(discharge.predecessor?.target, { kind: 'message', messageHeaderId: admission.messageHeaderId });
      // Back to OIOXML: the same letter ids come out again (id map).
      const back = path('stay-back.xml');
      assert.equal(convert(['--to', 'oioxml', '--config', stateConfig, '--out', back, slhj]).status, 0);
      const emessage = assertValidLetter(readFileSync(back), 'XDIS17 back');
      assert.equal(emessage.envelope.identifier, '123456790');
      assert.equal(emessage.items[0]!.letter.letter.identifier, '24681013');
    });

    test('CareCommunication → XDIS91; its ok Acknowledgement → XCTL03; that receipt → the Acknowledgement again', () => {
      const stateConfig = config('ack.json', { idMapDatabase: 'ack.sqlite' });
      const cc = officialExamples(CC, 'Bundle-add5e7e2')[0]!;
      const ccFile = write('cc.json', JSON.stringify(cc.resource));
      assert.equal(convert(['--to', 'oioxml', '--config', stateConfig, '--out', path('cc.xml'), ccFile]).status, 0);
      const ack = cli(['ack', '--code', 'ok', ccFile]);
      assert.equal(ack.status, 0, ack.stderr);
      const ackFile = write('cc-ack.json', ack.stdout);
      const receipt = path('cc-ack.xml');
      const toReceipt = convert(['--to', 'oioxml', '--config', stateConfig, '--out', receipt, ackFile]);
      assert.equal(toReceipt.status, 0, toReceipt.stderr);
      const emessage = assertValidLetter(readFileSync(receipt), 'XCTL03');
      const xctl = emessage.items[0]!.letter as Receipt;
      const letterSent = readEmessage(readFileSync(path('cc.xml')), { label: 'cc.xml' }).emessage;
      assert.equal(xctl.type, 'XCTL03');
      assert.equal(xctl.original.envelopeIdentifier, letterSent.envelope.identifier);
      assert.equal(xctl.original.letters[0]!.identifier, letterSent.items[0]!.letter.letter.identifier);

      const back = path('cc-ack-back.json');
      const loss = path('cc-ack-back.loss.json');
      const toAck = convert(['--to', 'fhir', '--config', stateConfig, '--out', back, '--loss-report', loss, receipt]);
      assert.equal(toAck.status, 0, toAck.stderr);
      const bundle = json<MessageBundle>(back);
      assertValidFhir(bundle, 'Acknowledgement from XCTL03');
      const parsed = parseAcknowledgement(bundle);
      assert.equal(parsed.code, 'ok');
      assert.equal(parsed.acknowledgedMessageHeaderId, parseCareCommunication(cc.resource).messageHeaderId);
      assert.equal(json<LossReportJson>(loss).conversion, 'XCTL03 → Acknowledgement');
    });

    test('XDIS91 that asked for no receipt: an ok writes nothing (exit 0); a fatal-error becomes XCTL02', () => {
      const stateConfig = config('receipt.json', { idMapDatabase: 'receipt.sqlite' });
      const ccFile = path('dis91.json');
      assert.equal(
        convert([
          '--to',
          'fhir',
          '--config',
          stateConfig,
          '--out',
          ccFile,
          letter('xdis91', 'edifact_converter__DIS91_1'),
        ]).status,
        0,
      );
      const ok = write('dis91-ok.json', cli(['ack', '--code', 'ok', ccFile]).stdout);
      const none = path('none.xml');
      const loss = path('none.loss.json');
      const run = convert(['--to', 'oioxml', '--config', stateConfig, '--out', none, '--loss-report', loss, ok]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /nothing written: .*asked for no positive receipt \(minuspositivkvitt\)/);
      assert.ok(!existsSync(none));
      assert.equal(json<LossReportJson>(loss).result, 'nothing-to-send');

      const fatal = write(
        'dis91-fatal.json',
        cli(['ack', '--code', 'fatal-error', '--text', 'Ukendt modtager på afdelingen', ccFile]).stdout,
      );
      const xctl02 = path('xctl02.xml');
      const refused = convert(['--to', 'oioxml', '--config', stateConfig, '--out', xctl02, fatal]);
      assert.equal(refused.status, 0, refused.stderr);
      const receipt = assertValidLetter(readFileSync(xctl02), 'XCTL02').items[0]!.letter as Receipt;
      assert.equal(receipt.type, 'XCTL02');
      assert.equal(receipt.original.envelopeIdentifier, 'KuvertNr012234');
      assert.equal(receipt.original.letters[0]!.identifier, 'BrevNr00129');
      assert.ok(readFileSync(xctl02).includes(Buffer.from('på afdelingen', 'latin1')), 'æøå in RefuseText as Latin-1');
    });
  });

  describe('SOR directory (--sor)', () => {
    const withoutEan = (ean: string) => PARTY_ENTRIES.filter((entry) => entry.ean !== ean);

    test('SOR CSV: the receiver’s SOR code comes from the directory, and without it the letter is refused', () => {
      const partial = config('partial.json', {}, withoutEan('5790000120314'));
      const source = letter('xdis91', 'edifact_converter__DIS91_2');
      const refused = convert(['--to', 'fhir', '--config', partial, source]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /no SOR code known for EAN 5790000120314/);

      const out = path('sor-csv.json');
      const loss = path('sor-csv.loss.json');
      const csv = join(MEDCOM, 'sor', 'sor_units_distinct.csv');
      const run = convert([
        '--to',
        'fhir',
        '--config',
        partial,
        '--sor',
        csv,
        '--out',
        out,
        '--loss-report',
        loss,
        source,
      ]);
      assert.equal(run.status, 0, run.stderr);
      const bundle = json<MessageBundle>(out);
      assertValidFhir(bundle, 'SOR CSV');
      const receiver = parseCareCommunication(bundle).receiver.party;
      assert.equal(receiver.gln, '5790000120314');
      const derived = json<LossReportJson>(loss).derived.find((e) => /from the SOR directory/.test(e.detail));
      assert.ok(derived, 'the report says where the SOR code came from');
      assert.match(
        derived.detail,
        new RegExp(`SOR code ${receiver.sor} from the SOR directory \\(GLN 5790000120314\\)`),
      );
    });

    test('SOR XML export: a practice reached by its inherited GLN', () => {
      const gln = '5790000141227';
      const xml = join(MEDCOM, 'sor', 'sor-xml-v1-samples', 'ONE_PRAKSIS.xml');
      const expected = SorDirectory.from(importSorXml(readFileSync(xml), xml).units).byGln(gln as Gln).owners;
      assert.equal(expected.length, 1);
      const source = write(
        'to-practice.xml',
        Buffer.from(
          readFileSync(letter('xdis91', 'edifact_converter__DIS91_2'), 'latin1').replace(
            '<Receiver><EANIdentifier>5790000120314</EANIdentifier>',
            `<Receiver><EANIdentifier>${gln}</EANIdentifier>`,
          ),
          'latin1',
        ),
      );
      const out = path('sor-xml.json');
      const run = convert(['--to', 'fhir', '--config', configFile, '--sor', xml, '--out', out, source]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(parseCareCommunication(json(out)).receiver.party.sor, expected[0]!.sorCode);
    });
  });

  test('run from another directory without MEDCOM_HUB_XSD_DIR: finds shared/medcom beside the checkout', () => {
    const env = { ...process.env };
    delete env.MEDCOM_HUB_XSD_DIR;
    const out = path('elsewhere.json');
    // `dir` is a fresh temporary folder: there is no ../shared/medcom from it.
    assert.ok(!existsSync(join(dir, '..', 'shared', 'medcom')));
    const result = spawnSync(
      process.execPath,
      [
        BIN,
        'convert',
        '--to',
        'fhir',
        '--config',
        configFile,
        '--out',
        out,
        letter('xdis91', 'edifact_converter__DIS91_2'),
      ],
      { cwd: dir, env },
    );
    assert.equal(result.status, 0, result.stderr.toString('utf8'));
    assert.equal(json<{ resourceType: string }>(out).resourceType, 'Bundle');
  });

  describe('usage errors (exit 2) and wrong input (exit 1)', () => {
    const dis91 = () => letter('xdis91', 'edifact_converter__DIS91_2');

    test('unknown or missing --to, missing input file', () => {
      const unknown = convert(['--to', 'pdf', dis91()]);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /--to <format>' argument 'pdf' is invalid/);
      assert.equal(convert([dis91()]).status, 2);
      const missing = convert(['--to', 'fhir', path('no-such-letter.xml')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot read input .*no-such-letter\.xml: ENOENT/);
      assert.equal(convert(['--to', 'fhir', '--sor', path('no-such.csv'), dis91()]).status, 2);
    });

    test('bad configs name the file, the key and what was expected', () => {
      const cases: [string, string, RegExp][] = [
        ['syntax.json', '{ "parties": [ }', /bad config: .*syntax\.json: not valid JSON/],
        [
          'unknown.json',
          '{ "partys": [] }',
          /unknown\.json: partys: unknown key; expected one of careCommunication, patientFamilyName, parties, idMapDatabase, xsdDir/,
        ],
        [
          'category.json',
          '{ "careCommunication": { "category": "gossip" } }',
          /careCommunication\.category: 'gossip' is not a CareCommunication category/,
        ],
        [
          'gln.json',
          '{ "parties": [ { "ean": "5790000120400", "sor": "265161000016000" } ] }',
          /parties\[0\]\.gln: missing: EAN 5790000120400 is not a valid GLN/,
        ],
        [
          'sor.json',
          '{ "parties": [ { "ean": "5790000143054", "sor": "42" } ] }',
          /parties\[0\]\.sor: '42' is not a SOR code/,
        ],
        [
          'role.json',
          '{ "careCommunication": { "author": { "name": { "family": "X" }, "role": { "text": "a", "code": "b" } } } }',
          /careCommunication\.author\.role: expected either "text" or "code"/,
        ],
      ];
      for (const [name, content, pattern] of cases) {
        const run = convert(['--to', 'fhir', '--config', write(name, content), dis91()]);
        assert.equal(run.status, 2, `${name}: ${run.stderr}`);
        assert.match(run.stderr, pattern);
      }
      assert.equal(convert(['--to', 'fhir', '--config', path('absent.json'), dis91()]).status, 2);
    });

    test('XSD folder: --xsd-dir, the environment, or ../shared/medcom from the working directory', () => {
      const wrong = convert(['--to', 'fhir', '--config', configFile, '--xsd-dir', path('nowhere'), dis91()]);
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /the OIOXML XSDs are not in .*nowhere/);
      const byEnv = convert(['--to', 'fhir', '--config', configFile, dis91()], { MEDCOM_HUB_XSD_DIR: path('nowhere') });
      assert.equal(byEnv.status, 2);
      // The default (../shared/medcom relative to the repository) when nothing is set.
      const env = { ...process.env };
      delete env.MEDCOM_HUB_XSD_DIR;
      const result = spawnSync(process.execPath, [BIN, 'convert', '--to', 'fhir', '--config', configFile, dis91()], {
        cwd: REPO_ROOT,
        env,
      });
      assert.equal(result.status, 0, result.stderr.toString());
    });

    test('input of the wrong kind or not a message at all: exit 1', () => {
      const cc = officialExamples(CC, 'Bundle-add5e7e2')[0]!;
      const ccFile = write('wrong-kind.json', JSON.stringify(cc.resource));
      const fhirToFhir = convert(['--to', 'fhir', ccFile]);
      assert.equal(fhirToFhir.status, 1);
      assert.match(fhirToFhir.stderr, /is a FHIR message already; --to fhir converts OIOXML letters/);
      const oioToOio = convert(['--to', 'oioxml', dis91()]);
      assert.equal(oioToOio.status, 1);
      assert.match(oioToOio.stderr, /is an OIOXML letter; --to oioxml converts FHIR messages/);
      const garbage = convert(['--to', 'fhir', write('garbage.txt', 'hello')]);
      assert.equal(garbage.status, 1);
      const broken = convert(['--to', 'fhir', write('broken.xml', readFileSync(dis91(), 'latin1').slice(0, 400))]);
      assert.equal(broken.status, 1);
      assert.match(broken.stderr, /error: /);
    });

    test('an OIOXML letter the reader accepts but the XSD rejects is refused with the XSD’s reason', () => {
      // An unknown MedicalSpecialityCode: a free string to the reader, an enumeration to the schema.
      const bad = write(
        'bad-speciality.xml',
        Buffer.from(
          readFileSync(dis91(), 'latin1').replace(
            '<MedicalSpecialityCode>fysioterapi<',
            '<MedicalSpecialityCode>tryllekunst<',
          ),
          'latin1',
        ),
      );
      const run = convert(['--to', 'fhir', '--config', configFile, bad]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /the input letter is not valid against the MedCom XSD:\n.*MedicalSpecialityCode/);
    });

    test('an invalid FHIR message is refused before conversion, with the validator’s issues', () => {
      const cc = structuredClone(officialExamples(CC, 'Bundle-add5e7e2')[0]!.resource) as unknown as MessageBundle;
      delete (cc as { timestamp?: string }).timestamp;
      const run = convert(['--to', 'oioxml', write('invalid-cc.json', JSON.stringify(cc))]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /not a valid MedCom message:\n {2}error Bundle/);
    });
  });
});
