import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstChild, textOf, type XmlElement } from '../../src/xml/element.ts';
import { XmlError, readXml } from '../../src/xml/read.ts';
import { writeXml } from '../../src/xml/write.ts';
import { declaredEncoding, example, oioxmlExamples, shape, withoutDeclaration } from './support.ts';

const FORMATTED = 'xdis91/os2korrespondance__formattet_text.xml'; // ISO-8859-1, æøå in text and code values
const DIS91 = 'xdis91/edifact_converter__DIS91_1.xml'; // windows-1252

// 0x80 €, 0x93 “, 0x94 ”, 0x96 – exist only in windows-1252; æ ø å are 0xE6 0xF8 0xE5 in both.
const cp1252Bytes = new Uint8Array([0x93, 0x80, 0x20, 0x31, 0x30, 0x30, 0x94, 0x20, 0x96, 0x20, 0xe6, 0xf8, 0xe5]);
const cp1252Text = '“€ 100” – æøå';

function latin1(bytes: Uint8Array): string {
  // Test oracle independent of the code under test: every byte is one character.
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

function find(root: XmlElement, ...path: string[]): XmlElement {
  let e = root;
  for (const name of path) e = firstChild(e, name)!;
  return e;
}

/** Replaces the text of the first `<tag>…</tag>` in single-byte document bytes with raw bytes. */
function spliceText(bytes: Uint8Array, tag: string, content: Uint8Array): Uint8Array {
  const text = latin1(bytes);
  const start = text.indexOf(`<${tag}>`) + tag.length + 2;
  const end = text.indexOf(`</${tag}>`, start);
  return new Uint8Array([...bytes.subarray(0, start), ...content, ...bytes.subarray(end)]);
}

describe('readXml: encodings of the real OIOXML examples', () => {
  for (const { file, bytes } of oioxmlExamples()) {
    it(`${file}: decodes with its declared encoding`, () => {
      const declared = declaredEncoding(bytes);
      const { root, encoding, hadDeclaration } = readXml(bytes, { label: file });
      assert.equal(hadDeclaration, declared !== undefined);
      assert.equal(encoding.toLowerCase(), declared?.toLowerCase() ?? 'utf-8');
      // Every non-ASCII byte is a Danish letter in these files; none may come out as U+FFFD or a C1 control.
      assert.doesNotMatch(textOf(root), /[\uFFFD\u0080-\u009F]/);
    });
  }

  it('ISO-8859-1 letter: æøå in text and code values', () => {
    const { root } = readXml(example(FORMATTED), { label: FORMATTED });
    const email = find(root, 'ClinicalEmail');
    const raw = latin1(example(FORMATTED));
    const priority = /<Priority>([^<]*)</.exec(raw)![1]!;
    assert.equal(textOf(find(email, 'AdditionalInformation', 'Priority')), priority);
    assert.match(priority, /ø/);
    assert.equal(textOf(find(email, 'Patient', 'DistrictName')), /<DistrictName>([^<]*)</.exec(raw)![1]);
  });

  it('Latin-1 without a declaration (Region H) falls back from UTF-8 and gives the same tree', () => {
    const bytes = example(FORMATTED);
    const bare = withoutDeclaration(bytes);
    assert.notEqual(bare.length, bytes.length);
    const withDecl = readXml(bytes, { label: FORMATTED });
    const without = readXml(bare, { label: FORMATTED });
    assert.equal(without.hadDeclaration, false);
    assert.equal(without.encoding, 'ISO-8859-1');
    assert.deepEqual(shape(without.root), shape(withDecl.root));
  });

  it('the same letter re-encoded as UTF-8 (with and without declaration) gives the same tree', () => {
    const bytes = example(FORMATTED);
    const utf8Text = latin1(bytes).replace('encoding="ISO-8859-1"', 'encoding="UTF-8"');
    const utf8 = new TextEncoder().encode(utf8Text);
    const reference = shape(readXml(bytes, { label: FORMATTED }).root);
    const declared = readXml(utf8, { label: 'utf8' });
    assert.equal(declared.encoding, 'UTF-8');
    assert.deepEqual(shape(declared.root), reference);
    const bare = readXml(withoutDeclaration(utf8), { label: 'utf8-bare' });
    assert.equal(bare.encoding, 'UTF-8');
    assert.deepEqual(shape(bare.root), reference);
    // A UTF-8 byte-order mark is honoured and not part of the text.
    const bom = readXml(new Uint8Array([0xef, 0xbb, 0xbf, ...withoutDeclaration(utf8)]), { label: 'bom' });
    assert.deepEqual(shape(bom.root), reference);
  });

  it('windows-1252-only characters with a declaration (also when mislabelled ISO-8859-1)', () => {
    const letter = spliceText(example(DIS91), 'Identifier', cp1252Bytes);
    const declared = readXml(letter, { label: DIS91 });
    assert.equal(declared.encoding, 'windows-1252');
    assert.equal(textOf(find(declared.root, 'Envelope', 'Identifier')), cp1252Text);
    const text = latin1(letter).replace('encoding="windows-1252"', 'encoding="ISO-8859-1"');
    const mislabelled = readXml(
      Uint8Array.from(text, (c) => c.charCodeAt(0)),
      { label: DIS91 },
    );
    assert.equal(mislabelled.encoding, 'ISO-8859-1');
    assert.equal(textOf(find(mislabelled.root, 'Envelope', 'Identifier')), cp1252Text);
  });

  it('windows-1252-only characters without a declaration', () => {
    const letter = withoutDeclaration(spliceText(example(DIS91), 'Identifier', cp1252Bytes));
    const { root, encoding, hadDeclaration } = readXml(letter, { label: DIS91 });
    assert.equal(hadDeclaration, false);
    assert.equal(encoding, 'windows-1252');
    assert.equal(textOf(find(root, 'Envelope', 'Identifier')), cp1252Text);
  });

  it('an external encoding hint applies only when the document states none', () => {
    const bare = withoutDeclaration(example(FORMATTED));
    assert.equal(readXml(bare, { label: 'x', encodingHint: 'iso-8859-1' }).encoding, 'ISO-8859-1');
    // The document's own declaration wins over the envelope's claim.
    assert.equal(readXml(example(FORMATTED), { label: 'x', encodingHint: 'UTF-8' }).encoding, 'ISO-8859-1');
    // A hint of UTF-8 on Latin-1 bytes is an error that names the byte and line, not silent mojibake.
    assert.throws(
      () => readXml(bare, { label: 'x', encodingHint: 'UTF-8' }),
      (error: unknown) => error instanceof XmlError && /byte 0x[0-9A-F]{2} .* not valid UTF-8/.test(error.message),
    );
  });

  it('declared UTF-8 with Latin-1 bytes is rejected with the line of the bad byte', () => {
    const bytes = example(FORMATTED);
    const lied = Uint8Array.from(latin1(bytes).replace('encoding="ISO-8859-1"', 'encoding="UTF-8"   '), (c) =>
      c.charCodeAt(0),
    );
    const firstHigh = bytes.findIndex((b) => b >= 0x80);
    const expectedLine = latin1(bytes.subarray(0, firstHigh)).split('\n').length;
    assert.throws(
      () => readXml(lied, { label: 'lied.xml' }),
      (error: unknown) => error instanceof XmlError && error.line === expectedLine && error.label === 'lied.xml',
    );
  });

  it('rejects encodings it cannot read', () => {
    assert.throws(
      () => readXml(new TextEncoder().encode('<?xml version="1.0" encoding="EBCDIC-DK"?><a/>'), { label: 'x' }),
      (error: unknown) => error instanceof XmlError && /unsupported character encoding 'EBCDIC-DK'/.test(error.message),
    );
  });

  it('reads UTF-16 with a byte-order mark', () => {
    const source = '<?xml version="1.0" encoding="UTF-16"?><a>æøå €</a>';
    const le = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(source, (c) => c.charCodeAt(0)).buffer)]);
    const { root, encoding } = readXml(le, { label: 'x' });
    assert.equal(encoding, 'UTF-16LE');
    assert.equal(textOf(root), 'æøå €');
  });
});

describe('writeXml: encodings', () => {
  const { root } = readXml(spliceText(example(DIS91), 'Identifier', cp1252Bytes), { label: DIS91 });

  it('ISO-8859-1: æøå as single bytes, € “ ” – as character references', () => {
    const bytes = writeXml(root, { encoding: 'ISO-8859-1', declaration: true });
    const raw = latin1(bytes);
    assert.match(raw, /^<\?xml version="1.0" encoding="ISO-8859-1"\?>/);
    assert.ok(raw.includes('<Identifier>&#8220;&#8364; 100&#8221; &#8211; \u00e6\u00f8\u00e5</Identifier>'));
    assert.ok(!bytes.some((b) => b >= 0x80 && b <= 0x9f), 'no windows-1252-only bytes in ISO-8859-1 output');
    assert.deepEqual(shape(readXml(bytes, { label: 'out' }).root), shape(root));
  });

  it('windows-1252: € “ ” – stay single bytes', () => {
    const bytes = writeXml(root, { encoding: 'windows-1252', declaration: true });
    assert.ok(latin1(bytes).includes(`<Identifier>${latin1(cp1252Bytes)}</Identifier>`));
    assert.deepEqual(shape(readXml(bytes, { label: 'out' }).root), shape(root));
  });

  it('UTF-8: characters beyond Latin-1 and astral characters written raw', () => {
    const bytes = writeXml({ ...root, children: [{ text: '€ 😀 ø' }] }, { encoding: 'UTF-8', declaration: false });
    assert.ok(new TextDecoder().decode(bytes).includes('>€ 😀 ø<'));
    const latin = writeXml({ ...root, children: [{ text: '€ 😀 ø' }] }, { encoding: 'ISO-8859-1', declaration: false });
    assert.ok(latin1(latin).includes('>&#8364; &#128512; \u00f8<'));
  });
});
