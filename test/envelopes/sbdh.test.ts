import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { unwrapAny } from '../../src/envelopes/envelope.ts';
import { EnvelopeError } from '../../src/envelopes/envelope-error.ts';
import { describePayload } from '../../src/envelopes/payload.ts';
import {
  glnOfParticipant,
  patientOf,
  receiptScopeOf,
  scopeValue,
  type SbdhEnvelope,
} from '../../src/envelopes/sbdh/model.ts';
import { parseSbdh } from '../../src/envelopes/sbdh/parse.ts';
import { readSbdhReceipt, sbdhReceiptFor } from '../../src/envelopes/sbdh/receipt.ts';
import { parseSignal } from '../../src/envelopes/sbdh/signal.ts';
import { wrapSbdh } from '../../src/envelopes/sbdh/wrap.ts';
import { Cpr, CPR_SYSTEM } from '../../src/messages/patient.ts';
import { SOR_SYSTEM } from '../../src/messages/parties.ts';
import { firstChild, textOf, childElements } from '../../src/xml/element.ts';
import { readXml } from '../../src/xml/read.ts';
import { MEDCOM } from '../support/shared.ts';
import {
  addressesOf,
  context,
  eventCode,
  headerOf,
  identifierValue,
  oioxmlExamples,
  officialMessages,
  readShared,
  resolveIn,
  sbdhFolderFiles,
  testSchemas,
} from './support.ts';

after(() => testSchemas().dispose());

const SBDH = (file: string) => readShared('ehmi-sbdh', 'ehmiSBDH', file);
const SAMPLE_SENDER = '5790000121526';
const SAMPLE_RECEIVER = '5790000201389';

describe('ehmiSBDH parse: every sample in ehmi-sbdh', () => {
  const files = sbdhFolderFiles();
  const envelopes = files.filter((f) => readXml(f.bytes, { label: f.file }).root.name === 'StandardBusinessDocument');

  test('all seven SBDH samples are found; the bare FHIR payloads are refused as envelopes', () => {
    assert.equal(envelopes.length, 7);
    for (const f of files.filter((x) => !envelopes.includes(x))) {
      assert.throws(
        () => unwrapAny(f.bytes, f.file),
        (e: unknown) => e instanceof EnvelopeError && e.location === '/Bundle' && /neither/.test(e.problem),
        f.file,
      );
    }
  });

  for (const sample of envelopes) {
    test(`${sample.file}: header, scopes and payload are read; drift is reported`, () => {
      const envelope = parseSbdh(sample.bytes, sample.file);
      const { root } = readXml(sample.bytes, { label: sample.file });
      const header = firstChild(root, 'StandardBusinessDocumentHeader')!;
      const ids = firstChild(header, 'DocumentIdentification')!;
      assert.equal(
        envelope.documentIdentification.instanceIdentifier,
        textOf(firstChild(ids, 'InstanceIdentifier')!).trim(),
      );
      assert.equal(envelope.scopes.length, childElements(firstChild(header, 'BusinessScope')!, 'Scope').length);
      assert.ok(envelope.binaryContent.data.byteLength > 0);
      assert.ok(glnOfParticipant(envelope.sender), 'sender is 0088:<GLN>');
      // Our warnings and the XSD agree on which samples deviate (payload-level findings aside).
      const check = testSchemas().checkSbdh(sample.bytes, sample.file);
      assert.equal(
        check.valid,
        envelope.warnings.every((w) => w.code === 'signal-unreadable' || w.code === 'mime-mismatch'),
      );
      for (const w of envelope.warnings) assert.ok(!w.message.includes('0101010227'), 'no CPR in warnings');
    });
  }

  test('the HomeCareObservation sample: ids match its bare payload, PATIENTID is masked', () => {
    const envelope = parseSbdh(SBDH('ehmisbdh_fullsample.xml'), 'fullsample');
    const bare = describePayload(SBDH('ehmiMessage.xml'), 'ehmiMessage.xml');
    const inside = describePayload(envelope.binaryContent.data, 'payload');
    assert.equal(inside.kind, 'fhir');
    assert.equal(bare.kind, 'fhir');
    if (inside.kind !== 'fhir' || bare.kind !== 'fhir') return;
    assert.equal(inside.messageHeaderId, bare.messageHeaderId);
    assert.equal(envelope.documentIdentification.standard, inside.eventCode);
    const patient = patientOf(envelope);
    assert.ok(patient);
    assert.equal(String(patient), '******-****');
    assert.ok(!JSON.stringify(envelope).includes(patient.reveal()), 'CPR masked when serialised');
  });

  test('sor/related/ehmisbdh_hco_full.xml: MESSAGEIDENTIFIER and MESSAGEENVELOPEIDENTIFIER are the bare Bundle’s ids', () => {
    const envelope = parseSbdh(readShared('sor', 'related', 'ehmisbdh_hco_full.xml'), 'hco_full');
    const bare = describePayload(SBDH('ehmiMessage.xml'), 'ehmiMessage.xml');
    assert.equal(bare.kind, 'fhir');
    if (bare.kind !== 'fhir') return;
    assert.equal(scopeValue(envelope, 'MESSAGEIDENTIFIER'), bare.messageHeaderId);
    assert.equal(scopeValue(envelope, 'MESSAGEENVELOPEIDENTIFIER'), bare.bundleId);
    assert.equal(scopeValue(envelope, 'SENDERID'), bare.sender.sor);
    assert.equal(scopeValue(envelope, 'RECEIVERID'), bare.receiver.sor);
  });

  test('the envelope receipt samples: positive from the header, the broken signals reported', () => {
    const sbdhack = unwrapAny(SBDH('ehmisbdh_fullsample_sbdhack.xml'), 'sbdhack');
    assert.equal(sbdhack.receipt?.positive, true);
    assert.ok(
      sbdhack.warnings.some((w) => w.code === 'signal-unreadable' && /attribute/.test(w.message)),
      'typographic quotes',
    );
    const full = join(
      'ehmiSBDH_9a6ff822-08de-5a6f-9670-9fa4b9d2f0dc_examples',
      'ehmiSBDH_9a6ff822-08de-5a6f-9670-9fa4b9d2f0dc_ReceiptAcknowledgement_full.xml',
    );
    const receipt = unwrapAny(SBDH(full), 'full');
    assert.equal(receipt.messageType, 'envelope-receipt');
    assert.equal(receipt.receipt?.originalEnvelopeId, '9a6ff822-08de-5a6f-9670-9fa4b9d2f0dc');
    assert.equal(receipt.receipt?.originalMessageId, '489de4f2-0d8d-4de2-a7ce-ccb93568799f');
    // Its signal uses an element the ebBP schema does not have (RequestionField) instead of OriginalMessageDateTime.
    const signalCheck = testSchemas().checkSignal(receipt.payload!.bytes, 'full signal');
    assert.equal(signalCheck.valid, false);
    assert.ok(signalCheck.errors.some((i) => /RequestionField/.test(i.message)));
  });
});

describe('ehmiSBDH wrap: every official HN, CC and ACK example', () => {
  for (const message of officialMessages().filter((m) => eventCode(m.bundle) !== 'empty-message')) {
    test(`${message.file}: XSD-valid (with the local Standard extension), all scopes from the message`, () => {
      const addresses = addressesOf(message.bundle);
      const wrapped = wrapSbdh(message.bytes, { ...addresses, label: message.file }, context());
      assert.deepEqual(testSchemas().checkSbdh(wrapped.bytes, message.file).errors, []);
      const envelope = parseSbdh(wrapped.bytes, 'wrapped');
      assert.deepEqual(envelope.warnings, []);
      const header = headerOf(message.bundle);
      const event = eventCode(message.bundle);
      assert.equal(envelope.sender, `0088:${addresses.sender}`);
      assert.equal(envelope.documentIdentification.standard, event);
      assert.equal(envelope.documentIdentification.type, 'Bundle');
      assert.equal(scopeValue(envelope, 'MESSAGEIDENTIFIER'), header.id);
      assert.equal(scopeValue(envelope, 'MESSAGEENVELOPEIDENTIFIER'), message.bundle.id);
      assert.equal(
        scopeValue(envelope, 'SENDERID'),
        identifierValue(resolveIn(message.bundle, header.sender.reference), SOR_SYSTEM),
      );
      assert.equal(
        scopeValue(envelope, 'RECEIVERID'),
        identifierValue(resolveIn(message.bundle, header.destination[0]!.receiver.reference), SOR_SYSTEM),
      );
      assert.equal(scopeValue(envelope, 'PROCESSID'), 'urn:ehmi:sdn-emergence');
      assert.equal(
        scopeValue(envelope, 'DOCUMENTID'),
        `urn:dk:healthcare:medcom:messaging:fhir:structuredefinition::${event}##urn:dk:medcom:fhir:${event}::${envelope.documentIdentification.typeVersion}`,
      );
      assert.match(scopeValue(envelope, 'StatisticalInformation')!, new RegExp(`^MCM:${event}#.+`));
      const patient = message.bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource;
      const cpr = identifierValue(patient, CPR_SYSTEM);
      if (event === 'acknowledgement-message') {
        assert.equal(patientOf(envelope), undefined, 'an ack has no patient');
        assert.equal(scopeValue(envelope, 'ORIGINALMESSAGEIDENTIFIER'), header.response!.identifier);
      } else if (cpr) {
        assert.equal(patientOf(envelope)?.reveal(), cpr);
        assert.ok(!JSON.stringify(envelope).includes(cpr));
      }
      const request = receiptScopeOf(envelope)!;
      assert.equal(request.instanceIdentifier, 'Request');
      assert.equal(
        request.correlation?.requestingDocumentInstanceIdentifier,
        envelope.documentIdentification.instanceIdentifier,
      );
      assert.equal(
        Date.parse(request.correlation!.expectedResponseDateTime) -
          Date.parse(envelope.documentIdentification.creationDateAndTime),
        600_000,
      );
      assert.equal(envelope.binaryContent.mimeType, 'application/fhir+json');
      assert.deepEqual(Buffer.from(envelope.binaryContent.data), Buffer.from(message.bytes));
    });
  }

  test('DOCUMENTID and TypeVersion agree with MedCom’s own samples (ACK in XML, HomeCareObservation)', () => {
    const ack = wrapSbdh(
      SBDH('ehmiMessage_Ack.xml'),
      { sender: SAMPLE_SENDER, receiver: SAMPLE_RECEIVER, label: 'ack.xml' },
      context(),
    );
    const ackSample = parseSbdh(SBDH('ehmisbdh_fullsample_ack.xml'), 'sample');
    assert.equal(scopeValue(ack.envelope, 'DOCUMENTID'), scopeValue(ackSample, 'DOCUMENTID'));
    assert.equal(ack.envelope.documentIdentification.typeVersion, ackSample.documentIdentification.typeVersion);
    assert.equal(ack.envelope.binaryContent.mimeType, 'application/fhir+xml');

    const hco = wrapSbdh(
      SBDH('ehmiMessage.xml'),
      { sender: SAMPLE_SENDER, receiver: SAMPLE_RECEIVER, label: 'hco.xml', typeVersion: '1.2' },
      context(),
    );
    const hcoSample = parseSbdh(SBDH('ehmisbdh_fullsample.xml'), 'sample');
    assert.equal(scopeValue(hco.envelope, 'DOCUMENTID'), scopeValue(hcoSample, 'DOCUMENTID'));
    assert.equal(scopeValue(hco.envelope, 'StatisticalInformation'), scopeValue(hcoSample, 'StatisticalInformation'));
    assert.deepEqual(testSchemas().checkSbdh(hco.bytes, 'hco').errors, []);
  });

  test('a HomeCareObservation without a versioned definition needs an explicit TypeVersion', () => {
    assert.throws(
      () =>
        wrapSbdh(
          SBDH('ehmiMessage.xml'),
          { sender: SAMPLE_SENDER, receiver: SAMPLE_RECEIVER, label: 'hco.xml' },
          context(),
        ),
      (e: unknown) => e instanceof EnvelopeError && e.location === 'MessageHeader.definition',
    );
  });

  test('the secondary copy to document sharing carries the DocumentReference in an XDS-METADATA scope', () => {
    const documentReference = JSON.stringify({ resourceType: 'DocumentReference', status: 'current', content: [] });
    const hco = wrapSbdh(
      SBDH('ehmiMessage.xml'),
      {
        sender: SAMPLE_SENDER,
        receiver: SAMPLE_RECEIVER,
        label: 'hco.xml',
        typeVersion: '1.2',
        xdsMetadata: documentReference,
      },
      context(),
    );
    assert.deepEqual(testSchemas().checkSbdh(hco.bytes, 'hco').errors, []);
    const parsed = parseSbdh(hco.bytes, 'hco');
    const xds = parsed.scopes.find((s) => s.type === 'XDS-METADATA')!;
    assert.equal(xds.instanceIdentifier, documentReference);
    assert.equal(xds.identifier, 'dk-medcom-DocumentReference');
  });

  test('participants must be GLNs (the Danish eDelivery scheme allows GLN-13 only)', () => {
    const ack = SBDH('ehmiMessage_Ack.xml');
    assert.throws(
      () => wrapSbdh(ack, { sender: 'DKKMDKMDNET', receiver: SAMPLE_RECEIVER, label: 'x' }, context()),
      /not a GLN/,
    );
  });
});

describe('ehmiSBDH wrap: OIOXML letters', () => {
  const codeList = readFileSync(join(MEDCOM, 'sor', 'related', 'DK_EDEL_code_lists_v7.2.txt'), 'utf8');

  test('the VANS network receipt XCTL01 has no eDelivery document type and is refused', () => {
    const ctl01 = oioxmlExamples().find((e) => e.file.includes('CTL01'))!;
    assert.throws(
      () => wrapSbdh(ctl01.bytes, { sender: SAMPLE_SENDER, receiver: SAMPLE_RECEIVER, label: ctl01.file }, context()),
      (e: unknown) =>
        e instanceof EnvelopeError && /NegativeVansReceipt/.test(e.problem) && /eDelivery/.test(e.problem),
    );
  });

  for (const example of oioxmlExamples().filter((e) => !e.file.includes('CTL01'))) {
    test(`${example.file}: Standard, TypeVersion, Type and ids from the letter; XSD-valid`, () => {
      const letter = describePayload(example.bytes, example.file);
      assert.equal(letter.kind, 'oioxml');
      if (letter.kind !== 'oioxml') return;
      const wrapped = wrapSbdh(
        example.bytes,
        { sender: SAMPLE_SENDER, receiver: SAMPLE_RECEIVER, label: example.file },
        context(),
      );
      assert.deepEqual(testSchemas().checkSbdh(wrapped.bytes, example.file).errors, []);
      const envelope = parseSbdh(wrapped.bytes, 'wrapped');
      assert.equal(
        envelope.documentIdentification.standard,
        `urn:dk:healthcare:medcom:oioxml:schema:xsd:${letter.letterType}`,
      );
      assert.equal(envelope.documentIdentification.type, letter.statisticalCode);
      assert.equal(envelope.documentIdentification.typeVersion, letter.versionCode);
      assert.equal(scopeValue(envelope, 'MESSAGEIDENTIFIER'), `${letter.sender.gln}:${letter.letterId}`);
      assert.equal(envelope.binaryContent.mimeType, 'application/xml');
      // The code list names the same DOCUMENTID for the letter types it lists with this version.
      const listed = codeList
        .split('\n')
        .find((line) => line.includes(`| ${letter.statisticalCode} | ${letter.versionCode} |`));
      if (listed)
        assert.ok(
          listed.includes(scopeValue(envelope, 'DOCUMENTID')!),
          `${scopeValue(envelope, 'DOCUMENTID')} in the code list`,
        );
      // These letters address by ydernummer/sygehusafdelingsnummer, not SOR: SENDERID/RECEIVERID are omitted, and said so.
      if (!letter.sender.sor) assert.ok(wrapped.envelope.warnings.some((w) => w.code === 'sor-missing'));
      // PATIENTID carries the letter's CPR when it is a valid one; otherwise it is left out, without echoing the value.
      const cprMatch = /<CivilRegistrationNumber>(\d+)</.exec(new TextDecoder('latin1').decode(example.bytes));
      if (cprMatch && Cpr.isValid(cprMatch[1]!)) assert.equal(patientOf(envelope)?.reveal(), cprMatch[1]);
      else assert.equal(patientOf(envelope), undefined);
      if (cprMatch && !Cpr.isValid(cprMatch[1]!))
        assert.ok(wrapped.envelope.warnings.some((w) => w.code === 'patient-id-invalid'));
      if (cprMatch) assert.ok(!JSON.stringify(wrapped.envelope.warnings).includes(cprMatch[1]!));
    });
  }

  test('the OIOXML letter inside MedCom’s 2025 sample (HospitalReferral, SOR-addressed, Latin-1) re-wraps cleanly', () => {
    const sample = parseSbdh(SBDH('20250429_ehmisbdh_sample.xml'), 'sample');
    const letterBytes = sample.binaryContent.data;
    const wrapped = wrapSbdh(
      letterBytes,
      {
        sender: SAMPLE_SENDER,
        receiver: SAMPLE_RECEIVER,
        label: 'letter',
        encodingHint: sample.binaryContent.encoding,
      },
      context(),
    );
    assert.deepEqual(wrapped.envelope.warnings, []);
    assert.deepEqual(testSchemas().checkSbdh(wrapped.bytes, 'letter').errors, []);
    const envelope = wrapped.envelope;
    assert.equal(scopeValue(envelope, 'SENDERID'), scopeValue(sample, 'SENDERID'));
    assert.equal(scopeValue(envelope, 'RECEIVERID'), scopeValue(sample, 'RECEIVERID'));
    // (The sample's own PATIENTID scope names a different CPR than its letter — another sample slip.)
    const letterCpr = textOf(
      firstChild(
        firstChild(firstChild(readXml(letterBytes, { label: 'l' }).root, 'HospitalReferral')!, 'Patient')!,
        'CivilRegistrationNumber',
      )!,
    );
    assert.equal(patientOf(envelope)?.reveal(), letterCpr);
    assert.equal(envelope.binaryContent.mimeType, 'application/xml', 'labelled as what it is, unlike the sample');
    assert.equal(envelope.binaryContent.encoding, 'ISO-8859-1');
  });
});

describe('ehmiSBDH envelope receipts (ebBP signals)', () => {
  const cc = officialMessages().find((m) => eventCode(m.bundle) === 'care-communication-message')!;
  const original = parseSbdh(
    wrapSbdh(cc.bytes, { ...addressesOf(cc.bundle), label: cc.file }, context('msg')).bytes,
    'original',
  );

  function checkCommon(receipt: { envelope: SbdhEnvelope; bytes: Uint8Array }) {
    assert.deepEqual(testSchemas().checkSbdh(receipt.bytes, 'receipt').errors, []);
    assert.deepEqual(testSchemas().checkSignal(receipt.envelope.binaryContent.data, 'signal').errors, []);
    const parsed = parseSbdh(receipt.bytes, 'receipt');
    assert.deepEqual(parsed.warnings, []);
    assert.equal(parsed.sender, original.receiver);
    assert.equal(parsed.receiver, original.sender);
    assert.equal(scopeValue(parsed, 'SENDERID'), scopeValue(original, 'RECEIVERID'));
    assert.equal(scopeValue(parsed, 'RECEIVERID'), scopeValue(original, 'SENDERID'));
    assert.equal(scopeValue(parsed, 'ORIGINALENVELOPEIDENTIFIER'), original.documentIdentification.instanceIdentifier);
    assert.equal(scopeValue(parsed, 'ORIGINALMESSAGEIDENTIFIER'), scopeValue(original, 'MESSAGEIDENTIFIER'));
    assert.equal(scopeValue(parsed, 'ORIGINALMESSAGESTANDARD'), original.documentIdentification.standard);
    assert.equal(patientOf(parsed), undefined, 'no CPR in receipts');
    const response = receiptScopeOf(parsed)!;
    assert.equal(response.instanceIdentifier, 'Response');
    assert.deepEqual(response.correlation, receiptScopeOf(original)!.correlation);
    assert.equal(response.businessService?.typeOfServiceTransaction, 'RespondingServiceTransaction');
    const signal = parseSignal(parsed.binaryContent.data, 'signal');
    assert.equal(signal.originalMessageIdentifier, original.documentIdentification.instanceIdentifier);
    assert.equal(signal.originalDocumentIdentifier, scopeValue(original, 'DOCUMENTID'));
    assert.equal(signal.fromParty, original.receiver);
    return { parsed, signal };
  }

  test('ReceiptAcknowledgement', () => {
    const receipt = sbdhReceiptFor(original, { kind: 'ReceiptAcknowledgement' }, context('receipt'));
    const { parsed, signal } = checkCommon(receipt);
    assert.equal(parsed.documentIdentification.type, 'ReceiptAcknowledgement');
    assert.equal(signal.kind, 'ReceiptAcknowledgement');
    const common = unwrapAny(receipt.bytes, 'receipt');
    assert.deepEqual(common.receipt, {
      positive: true,
      kind: 'ReceiptAcknowledgement',
      originalEnvelopeId: original.documentIdentification.instanceIdentifier,
      originalMessageId: scopeValue(original, 'MESSAGEIDENTIFIER'),
    });
  });

  test('ReceiptException (syntax)', () => {
    const receipt = sbdhReceiptFor(
      original,
      {
        kind: 'ReceiptException',
        exceptionType: 'Syntax',
        reason: 'XML Parsing Error: not well-formed',
        message: 'line 3',
      },
      context('receipt'),
    );
    const { parsed, signal } = checkCommon(receipt);
    assert.equal(parsed.documentIdentification.type, 'ReceiptException');
    assert.equal(signal.kind, 'ReceiptException');
    if (signal.kind === 'ReceiptException') assert.equal(signal.exceptionType, 'Syntax');
    const info = readSbdhReceipt(parsed, 'receipt');
    assert.equal(info.positive, false);
    assert.equal(unwrapAny(receipt.bytes, 'receipt').receipt?.reason, 'XML Parsing Error: not well-formed');
  });

  test('a receipt for MedCom’s own message sample is XSD-valid although the sample is not', () => {
    const sample = parseSbdh(SBDH('ehmisbdh_fullsample.xml'), 'sample');
    const receipt = sbdhReceiptFor(sample, { kind: 'ReceiptAcknowledgement' }, context());
    assert.deepEqual(testSchemas().checkSbdh(receipt.bytes, 'receipt').errors, []);
    assert.equal(scopeValue(receipt.envelope, 'ORIGINALMESSAGEVERSION'), '1.2');
  });

  test('receipts are not receipted', () => {
    const receipt = sbdhReceiptFor(original, { kind: 'ReceiptAcknowledgement' }, context());
    assert.throws(
      () => sbdhReceiptFor(receipt.envelope, { kind: 'ReceiptAcknowledgement' }, context()),
      /not receipted/,
    );
  });
});
