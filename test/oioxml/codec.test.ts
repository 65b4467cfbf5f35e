import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEmessage, writeEmessage, type Emessage } from '../../src/oioxml/emessage.ts';
import { NS_2005, NS_2006 } from '../../src/oioxml/namespaces.ts';
import type { ClinicalEmail } from '../../src/oioxml/xdis91/clinical-email.ts';
import type { NotificationOfDischarge } from '../../src/oioxml/xdis20-17/notification.ts';
import type { Receipt } from '../../src/oioxml/xctl/receipt.ts';
import { XmlError } from '../../src/xml/xml-error.ts';
import { example, examples, fromLatin1, latin1, testSchemas, type ExampleKind } from './support.ts';

const KINDS: readonly ExampleKind[] = ['xdis91', 'xdis20', 'xdis17', 'xctl'];

/** The document without its XML declaration and surrounding whitespace, as Latin-1 text. */
function body(bytes: Uint8Array): string {
  return latin1(bytes)
    .replace(/^<\?xml[^>]*\?>/, '')
    .trim();
}

function read(bytes: Uint8Array | string, label = 'test'): Emessage {
  return readEmessage(bytes, { label }).emessage;
}

function letterOf<T>(emessage: Emessage): T {
  assert.equal(emessage.items.length, 1);
  return emessage.items[0]!.letter as T;
}

function assertXmlError(fn: () => unknown, xpath: string, message: RegExp): XmlError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof XmlError, `expected XmlError, got ${String(caught)}`);
  assert.equal(caught.xpath, xpath);
  assert.match(caught.message, message);
  return caught;
}

describe('OIOXML codecs on every shared example', () => {
  for (const kind of KINDS) {
    for (const { file, bytes } of examples(kind)) {
      it(`${kind}/${file}: read → write is XSD-valid ISO-8859-1 and reads back to the same model`, () => {
        const { emessage, encoding, hadDeclaration } = readEmessage(bytes, { label: file });
        assert.equal(hadDeclaration, true);
        assert.match(encoding, /^(windows-1252|ISO-8859-1)$/);
        const written = writeEmessage(emessage);
        assert.match(latin1(written), /^<\?xml version="1\.0" encoding="ISO-8859-1"\?>\n<Emessage /);
        const report = testSchemas().validate(emessage.namespace, written, { label: `written ${file}` });
        assert.deepEqual(report.issues, []);
        assert.deepEqual(read(written), emessage);
      });
    }
  }

  // The edifact_converter letters are written on one line without indentation, so our output must match byte for byte.
  for (const kind of KINDS) {
    for (const { file, bytes } of examples(kind).filter(
      (e) => e.file.startsWith('edifact_converter__') && !e.file.includes('korr_x9134'),
    )) {
      it(`${kind}/${file}: the written letter equals the original byte for byte (after the declaration)`, () => {
        assert.equal(body(writeEmessage(read(bytes))), body(bytes));
      });
    }
  }
});

describe('XDIS91 ClinicalEmail model', () => {
  it('reads every field of DIS91_2, including the episode id without hyphens', () => {
    const letter = letterOf<ClinicalEmail>(read(example('xdis91', 'edifact_converter__DIS91_2').bytes));
    assert.equal(letter.type, 'XDIS91');
    assert.deepEqual(letter.letter, {
      identifier: '12152000000203',
      statisticalCode: 'XDIS91',
      authorisation: { date: '2014-01-15', time: '12:02' },
      statusCode: 'nytbrev',
      episodeOfCareIdentifier: '65528acda12c4d85b7016f4b12eec2bc',
    });
    assert.equal(letter.sender.identifierCode, 'ydernummer');
    assert.equal(letter.sender.medicalSpecialityCode, 'fysioterapi');
    assert.equal(letter.receiver.departmentName, 'Lægerne');
    assert.equal(letter.patient.streetName, 'Park Allé 48');
    assert.deepEqual(letter.additionalInformation, {
      priority: 'rutine',
      subject: 'Undtagelsesredegørelse - fortsat individuel behandling',
    });
    assert.equal(letter.clinicalInformation.length, 1);
    assert.deepEqual(letter.references, []);
  });

  it('keeps escaped markup as text and writes it escaped again (os2korrespondance fixture)', () => {
    const { bytes } = example('xdis91', 'os2korrespondance__formattet_text');
    const letter = letterOf<ClinicalEmail>(read(bytes));
    assert.deepEqual(letter.clinicalInformation[1], ['<Teste><Teste noget mere øæå>']);
    assert.ok(
      latin1(writeEmessage(read(bytes))).includes('<Text01>&lt;Teste&gt;&lt;Teste noget mere øæå&gt;</Text01>'),
    );
    assert.equal(letter.receiver.ean, '2220001382432');
    assert.equal(letter.receiver.identifierCode, 'lokationsnummer');
  });

  it('writes æøå as single Latin-1 bytes', () => {
    const written = writeEmessage(read(example('xdis91', 'edifact_converter__DIS91_1').bytes));
    const bytes = Buffer.from(written);
    assert.ok(bytes.includes(Buffer.from('HILLERØD', 'latin1')));
    assert.ok(bytes.includes(Buffer.from('Lægehuset', 'latin1')));
    assert.ok(bytes.includes(Buffer.from('høj_prioritet', 'latin1')));
    assert.equal(bytes.includes(Buffer.from('Ø', 'utf8')), false);
  });

  it('reads the same letter from windows-1252, ISO-8859-1 without declaration, and UTF-8', () => {
    const { bytes } = example('xdis91', 'edifact_converter__DIS91_1');
    const original = read(bytes);
    const text = latin1(bytes);
    const undeclared = fromLatin1(text.replace(/^<\?xml[^>]*\?>/, ''));
    const utf8 = new Uint8Array(Buffer.from(text.replace('windows-1252', 'UTF-8'), 'utf8'));
    const utf8Undeclared = new Uint8Array(Buffer.from(text.replace(/^<\?xml[^>]*\?>/, ''), 'utf8'));
    assert.deepEqual(read(undeclared), original);
    assert.deepEqual(read(utf8), original);
    assert.deepEqual(read(utf8Undeclared), original);
    // An external hint (SBDH BinaryContent encoding=) decides for undeclared bytes.
    assert.deepEqual(readEmessage(undeclared, { label: 'x', encodingHint: 'ISO-8859-1' }).emessage, original);
  });

  it('keeps several letters and their Local_Elements', () => {
    const text = latin1(example('xdis91', 'edifact_converter__DIS91_1').bytes);
    const letter = /<ClinicalEmail>.*<\/ClinicalEmail>/s.exec(text)![0];
    const doubled = text.replace(
      '</ClinicalEmail>',
      `</ClinicalEmail><Local_Elements><caseId>42</caseId></Local_Elements>${letter.replace('BrevNr00129', 'BrevNr00130')}`,
    );
    const emessage = read(fromLatin1(doubled));
    assert.equal(emessage.items.length, 2);
    assert.equal(emessage.items[0]!.localElements?.name, 'Local_Elements');
    assert.equal((emessage.items[1]!.letter as ClinicalEmail).letter.identifier, 'BrevNr00130');
    const written = writeEmessage(emessage);
    assert.deepEqual(testSchemas().validate(NS_2006, written, { label: 'two letters' }).issues, []);
    assert.deepEqual(read(written), emessage);
  });
});

describe('XDIS20 / XDIS17 and XCTL models', () => {
  it('reads XDIS17 with status uoplyst and AnswerTo', () => {
    const letter = letterOf<NotificationOfDischarge>(read(example('xdis17', 'edifact_converter__DIS17').bytes));
    assert.equal(letter.type, 'XDIS17');
    assert.equal(letter.patient.episodeOfCareStatusCode, 'uoplyst');
    assert.equal(letter.sender.answerToEan, '5790000143054');
    assert.deepEqual(letter.discharge, { date: '2000-01-24', time: '21:15' });
    assert.deepEqual(letter.letter.authorisation, { date: '2000-01-24', time: '21:30:00' });
  });

  it('reads the XCTL01 receipt covering two letters from a non-GLN VANS sender', () => {
    const receipt = letterOf<Receipt>(read(example('xctl', 'edifact_converter__CTL01').bytes));
    assert.equal(receipt.type, 'XCTL01');
    assert.equal(receipt.senderEan, 'DKKMDKMDNET');
    assert.equal(receipt.original.refusal?.code, 'ukendt_lokationsnummer');
    assert.deepEqual(
      receipt.original.letters.map((l) => l.identifier),
      ['1111FRE01095', '1111MAN01095'],
    );
  });

  it('reads the letter-level refusal of XCTL02', () => {
    const receipt = letterOf<Receipt>(read(example('xctl', 'edifact_converter__CTL02').bytes));
    assert.equal(receipt.original.refusal, undefined);
    assert.equal(receipt.original.letters[0]!.refusal?.code, 'problem_med_version');
  });

  it('refuses to write refusal data into a positive receipt', () => {
    const emessage = read(example('xctl', 'edifact_converter__CTL03').bytes);
    const receipt = emessage.items[0]!.letter as Receipt;
    const bad: Emessage = {
      ...emessage,
      items: [{ letter: { ...receipt, original: { ...receipt.original, refusal: { code: 'syntaksfejl' } } } }],
    };
    assert.throws(() => writeEmessage(bad), /PositiveReceipt/);
  });
});

describe('malformed letters name the XPath and what was expected', () => {
  const dis91 = latin1(example('xdis91', 'edifact_converter__DIS91_1').bytes);
  const dis20 = latin1(example('xdis20', 'edifact_converter__DIS20').bytes);

  it('missing required element', () => {
    const broken = fromLatin1(dis91.replace('<Identifier>BrevNr00129</Identifier>', ''));
    assertXmlError(
      () => read(broken, 'dis91.xml'),
      '/Emessage/ClinicalEmail/Letter',
      /dis91\.xml: .*required element Identifier is missing/,
    );
  });

  it('unknown element', () => {
    const broken = fromLatin1(dis91.replace('</Patient>', '<Shoe>42</Shoe></Patient>'));
    assertXmlError(() => read(broken), '/Emessage/ClinicalEmail/Patient/Shoe', /unexpected element Shoe in Patient/);
  });

  it('wrong fixed code and bad time', () => {
    assertXmlError(
      () => read(fromLatin1(dis91.replace('XD9134L', 'XD9133L'))),
      '/Emessage/ClinicalEmail/Letter/VersionCode',
      /expected 'XD9134L'/,
    );
    assertXmlError(
      () => read(fromLatin1(dis91.replace('<Time>12:02</Time>', '<Time>12:02:00</Time>'))),
      '/Emessage/ClinicalEmail/Letter/Authorisation/Time',
      /expected hh:mm/,
    );
    assertXmlError(
      () => read(fromLatin1(dis20.replace('<TimeWithSec>21:30:00</TimeWithSec>', '<TimeWithSec>21:30</TimeWithSec>'))),
      '/Emessage/NotificationOfAdmission/Letter/Authorisation/TimeWithSec',
      /hh:mm:ss/,
    );
  });

  it('code outside its value list', () => {
    assertXmlError(
      () => read(fromLatin1(dis20.replace('<StatusCode>nytbrev', '<StatusCode>fejl'))),
      '/Emessage/NotificationOfAdmission/Letter/StatusCode',
      /'fejl' is not allowed; expected one of nytbrev, rettetbrev, annulleretbrev/,
    );
  });

  it('a malformed CPR number is reported without echoing it', () => {
    const error = assertXmlError(
      () => read(fromLatin1(dis20.replace('2505544849', '25055448X9'))),
      '/Emessage/NotificationOfAdmission/Patient/CivilRegistrationNumber',
      /not 10 digits/,
    );
    assert.equal(error.message.includes('25055448'), false);
  });

  it('formatting element in a foreign namespace', () => {
    const broken = fromLatin1(dis91.replace('<Break/>', '<Break xmlns="urn:other"/>'));
    assertXmlError(
      () => read(broken),
      '/Emessage/ClinicalEmail/ClinicalInformation/Text01/Break',
      /namespace 'urn:other'/,
    );
  });

  it('nested style the schema forbids', () => {
    const broken = fromLatin1(dis91.replace('<Break/>', '<Bold><Italic>x</Italic></Bold>'));
    assertXmlError(
      () => read(broken),
      '/Emessage/ClinicalEmail/ClinicalInformation/Text01/Bold/Italic',
      /not allowed in Bold/,
    );
  });

  it('unsupported letter type and wrong root', () => {
    const referral = fromLatin1(dis20.replace(/NotificationOfAdmission/g, 'HospitalReferral'));
    assertXmlError(
      () => read(referral),
      '/Emessage/HospitalReferral',
      /not supported here; expected one of NotificationOfAdmission/,
    );
    assertXmlError(() => read('<Bundle xmlns="http://hl7.org/fhir"/>'), '/Bundle', /expected Emessage/);
  });

  it('a DOCTYPE is refused by the XML layer', () => {
    const hostile = dis91.replace('<Emessage', '<!DOCTYPE Emessage [<!ENTITY x "y">]><Emessage');
    assert.throws(
      () => read(fromLatin1(hostile)),
      (e: unknown) => e instanceof XmlError && /DOCTYPE/.test(e.message),
    );
  });

  it('a receipt in the 2006 namespace is refused', () => {
    const ctl = latin1(example('xctl', 'edifact_converter__CTL03').bytes).replace(NS_2005, NS_2006);
    assertXmlError(
      () => read(fromLatin1(ctl)),
      '/Emessage/PositiveReceipt',
      /not supported here; expected one of ClinicalEmail/,
    );
  });
});
