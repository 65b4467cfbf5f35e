import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XSI_NS, attributeKey, el, firstChild, type XmlElement, type XmlNode } from '../../src/xml/element.ts';
import { readXml } from '../../src/xml/read.ts';
import { writeXml } from '../../src/xml/write.ts';
import { oioxmlExamples, shape, shapeIgnoringIndentation } from './support.ts';

const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('writeXml: round trip of the real OIOXML examples', () => {
  for (const { file, bytes } of oioxmlExamples()) {
    it(`${file}: read → write → read gives the same tree, in every encoding`, () => {
      const { root } = readXml(bytes, { label: file });
      for (const encoding of ['UTF-8', 'ISO-8859-1', 'windows-1252'] as const) {
        const written = writeXml(root, { encoding, declaration: true });
        const again = readXml(written, { label: `${file} (${encoding})` });
        assert.equal(again.encoding, encoding);
        assert.deepEqual(shape(again.root), shape(root));
        // Writing is deterministic: the re-read tree serialises to the same bytes.
        assert.deepEqual(writeXml(again.root, { encoding, declaration: true }), written);
      }
      const indented = readXml(writeXml(root, { encoding: 'UTF-8', declaration: false, indent: '  ' }), {
        label: file,
      });
      assert.deepEqual(shapeIgnoringIndentation(indented.root), shapeIgnoringIndentation(root));
    });
  }

  it('keeps the xsi declaration and xsi:schemaLocation of the os2korrespondance letter', () => {
    const example = oioxmlExamples().find((e) => e.file.includes('os2korrespondance'))!;
    const out = utf8(
      writeXml(readXml(example.bytes, { label: example.file }).root, { encoding: 'UTF-8', declaration: false }),
    );
    assert.match(
      out,
      /^<Emessage xmlns="[^"]+" xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance" xsi:schemaLocation="/,
    );
  });
});

describe('writeXml: building documents', () => {
  it('declares the default namespace on the root and switches it locally (FHIR xhtml div)', () => {
    const FHIR = 'http://hl7.org/fhir';
    const XHTML = 'http://www.w3.org/1999/xhtml';
    const doc = el('Bundle', FHIR, {}, [
      el('id', FHIR, { value: 'b1' }),
      el('text', FHIR, {}, [el('div', XHTML, {}, [el('p', XHTML, {}, ['Hej ', el('b', XHTML, {}, ['Jens']), '!'])])]),
    ]);
    const out = utf8(writeXml(doc, { encoding: 'UTF-8', declaration: false }));
    assert.equal(
      out,
      '<Bundle xmlns="http://hl7.org/fhir"><id value="b1"/><text><div xmlns="http://www.w3.org/1999/xhtml"><p>Hej <b>Jens</b>!</p></div></text></Bundle>',
    );
    assert.deepEqual(shape(readXml(out, { label: 'out' }).root), shape(doc));
  });

  it('declares prefixes once at the root, even when first used deep down', () => {
    const SH = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
    const doc = el('sh:StandardBusinessDocument', SH, {}, [
      el('sh:StandardBusinessDocumentHeader', SH, {}, [el('sh:HeaderVersion', SH, {}, ['1.0'])]),
      el('Payload', 'urn:payload', { [attributeKey('type', XSI_NS)]: 'x' }, [el('p:Deep', 'urn:p', {}, ['1'])]),
    ]);
    const out = utf8(writeXml(doc, { encoding: 'UTF-8', declaration: true, indent: '  ' }));
    const rootTag = /<sh:StandardBusinessDocument[^>]*>/.exec(out)![0];
    assert.match(rootTag, /xmlns:sh="http:\/\/www\.unece\.org/);
    assert.match(rootTag, /xmlns:p="urn:p"/);
    assert.equal(out.match(/xmlns:p=/g)!.length, 1);
    assert.match(
      out,
      /<Payload xmlns="urn:payload" xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="x">/,
    );
    assert.match(out, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sh:StandardBusinessDocument/);
    assert.deepEqual(shapeIgnoringIndentation(readXml(out, { label: 'out' }).root), shapeIgnoringIndentation(doc));
  });

  it('re-declares a prefix locally when it is bound to two namespaces', () => {
    const doc = el('r', '', {}, [el('a:x', 'urn:one'), el('a:x', 'urn:two')]);
    const out = utf8(writeXml(doc, { encoding: 'UTF-8', declaration: false }));
    assert.equal(out, '<r><a:x xmlns:a="urn:one"/><a:x xmlns:a="urn:two"/></r>');
    assert.deepEqual(shape(readXml(out, { label: 'out' }).root), shape(doc));
  });

  it('un-declares the default namespace for a no-namespace child', () => {
    const doc = el('r', 'urn:r', {}, [el('plain', '')]);
    const out = utf8(writeXml(doc, { encoding: 'UTF-8', declaration: false }));
    assert.equal(out, '<r xmlns="urn:r"><plain xmlns=""/></r>');
    assert.equal(firstChild(readXml(out, { label: 'out' }).root, 'plain')!.ns, '');
  });

  it('indents element-only content but leaves verbatim elements and mixed content alone', () => {
    const doc = el('r', 'urn:r', {}, [
      el('list', 'urn:r', {}, [el('item', 'urn:r', {}, ['1']), el('item', 'urn:r', {}, ['2'])]),
      el('keep', 'urn:r', {}, [el('a', 'urn:r'), el('b', 'urn:r')]),
      el('mixed', 'urn:r', {}, ['x ', el('b', 'urn:r', {}, ['y']), ' z']),
    ]);
    const out = utf8(
      writeXml(doc, { encoding: 'UTF-8', declaration: false, indent: '\t', verbatim: (e) => e.name === 'keep' }),
    );
    assert.equal(
      out,
      '<r xmlns="urn:r">\n\t<list>\n\t\t<item>1</item>\n\t\t<item>2</item>\n\t</list>\n\t<keep><a/><b/></keep>\n\t<mixed>x <b>y</b> z</mixed>\n</r>\n',
    );
  });

  it('escapes markup and keeps whitespace in attribute values exact', () => {
    const value = 'a<b>&"c\'\td\ne\r\nf';
    const doc = el('r', '', { v: value, skipped: undefined }, ['x < y && z > "w"\r\n]]>']);
    const out = utf8(writeXml(doc, { encoding: 'UTF-8', declaration: false }));
    assert.ok(!out.includes('skipped'));
    const { root } = readXml(out, { label: 'out' });
    assert.equal(root.attributes.get('v'), value);
    assert.deepEqual(root.children, [{ text: 'x < y && z > "w"\r\n]]>' }]);
  });

  it('refuses characters XML cannot carry and invalid names', () => {
    assert.throws(
      () => writeXml(el('r', '', {}, ['bell \u0007']), { encoding: 'UTF-8', declaration: false }),
      /U\+0007/,
    );
    assert.throws(() => writeXml(el('1r', ''), { encoding: 'UTF-8', declaration: false }), /not a valid XML name/);
  });
});

describe('writeXml: property — any tree survives write → read', () => {
  const name = fc.stringMatching(/^[A-Za-zæøå_][A-Za-z0-9æøå_.-]{0,8}$/);
  // Any XML 1.0 character, including astral ones, CR, and characters that need escaping or char refs in Latin-1.
  const content = fc
    .string({ unit: 'grapheme', maxLength: 20 })
    .map((s) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));
  const ns = fc.constantFrom('', 'urn:a', 'urn:b', 'http://hl7.org/fhir');
  const prefix = fc.constantFrom('', 'p', 'q');
  const tree: fc.Arbitrary<XmlElement> = fc.letrec<{ element: XmlElement }>((tie) => ({
    element: fc
      .record({
        name,
        ns,
        prefix,
        attributes: fc.dictionary(name, content, { maxKeys: 3 }),
        nsAttribute: fc.option(fc.tuple(name, content), { nil: undefined }),
        children: fc.array(fc.oneof({ depthSize: 'small' }, content, tie('element')), { maxLength: 4 }),
      })
      .map(({ name, ns, prefix, attributes, nsAttribute, children }) => {
        const attrs: Record<string, string> = { ...attributes };
        if (nsAttribute) attrs[attributeKey(nsAttribute[0], 'urn:attr')] = nsAttribute[1];
        const merged: (XmlNode | string)[] = [];
        for (const child of children as (XmlElement | string)[]) {
          // The reader merges adjacent text and never yields empty text, so the generator does the same.
          if (typeof child === 'string') {
            if (!child) continue;
            const last = merged[merged.length - 1];
            if (typeof last === 'string') merged[merged.length - 1] = last + child;
            else merged.push(child);
          } else merged.push(child);
        }
        return el(prefix && ns ? `${prefix}:${name}` : name, ns, attrs, merged);
      }),
  })).element;

  it('UTF-8 and ISO-8859-1', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('UTF-8', 'ISO-8859-1', 'windows-1252'), (root, encoding) => {
        const bytes = writeXml(root, { encoding, declaration: true });
        assert.deepEqual(shape(readXml(bytes, { label: 'prop', maxDepth: 1000 }).root), shape(root));
      }),
      { numRuns: 300 },
    );
  });
});
