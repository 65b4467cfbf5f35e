import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XML_NS, XSI_NS, attr, childElements, firstChild, isElement, textOf, xpathOf } from '../../src/xml/element.ts';
import { XmlError, readXml } from '../../src/xml/read.ts';
import { example } from './support.ts';

const FORMATTED = 'xdis91/os2korrespondance__formattet_text.xml';
const MEDCOM_2006 = 'http://rep.oio.dk/sundcom.dk/medcom.dk/xml/schemas/2006/07/01/';

function rejects(input: string | Uint8Array, pattern: RegExp, options: Partial<Parameters<typeof readXml>[1]> = {}) {
  assert.throws(
    () => readXml(input, { label: 'letter.xml', ...options }),
    (error: unknown) => {
      assert.ok(error instanceof XmlError, `expected XmlError, got ${String(error)}`);
      assert.equal(error.label, 'letter.xml');
      assert.match(error.message, /^letter\.xml: /);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('readXml: hostile input', () => {
  it('rejects an internal DTD subset with entity declarations', () => {
    rejects('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x>&a;</x>', /DOCTYPE/);
  });

  it('rejects external entities (XXE)', () => {
    rejects('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>', /DOCTYPE/);
  });

  it('rejects an external DTD reference', () => {
    rejects('<!DOCTYPE Emessage SYSTEM "http://example.org/evil.dtd"><Emessage/>', /DOCTYPE/);
  });

  it('rejects the billion-laughs construction', () => {
    const levels = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join('\n');
    rejects(`<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${levels}\n]>\n<lolz>&lol9;</lolz>`, /DOCTYPE/);
  });

  it('rejects entities other than the predefined five, naming the element', () => {
    assert.throws(
      () => readXml('<Emessage>\n<Letter>&nbsp;</Letter></Emessage>', { label: 'letter.xml' }),
      (error: unknown) => error instanceof XmlError && error.xpath === '/Emessage/Letter' && error.line === 2,
    );
  });

  it('decodes the predefined entities and numeric character references', () => {
    const { root } = readXml('<t a="&quot;&apos;">&lt;&gt;&amp;&#8364;&#x20AC;&#248;</t>', { label: 't' });
    assert.equal(textOf(root), '<>&€€ø');
    assert.equal(attr(root, 'a'), `"'`);
  });

  it('enforces the size limit (bytes and strings)', () => {
    const doc = `<a>${'x'.repeat(100)}</a>`;
    rejects(new TextEncoder().encode(doc), /limit is 50/, { maxBytes: 50 });
    rejects(doc, /limit is 50/, { maxBytes: 50 });
    assert.equal(readXml(doc, { label: 't', maxBytes: doc.length }).root.name, 'a');
  });

  it('enforces the depth limit, with the default of 64', () => {
    const nested = (depth: number) => '<d>'.repeat(depth) + '</d>'.repeat(depth);
    assert.equal(readXml(nested(64), { label: 't' }).root.name, 'd');
    rejects(nested(65), /deeper than the limit of 64/);
    rejects(nested(4), /deeper than the limit of 3/, { maxDepth: 3 });
    assert.throws(
      () => readXml(nested(4), { label: 't', maxDepth: 3 }),
      (error: unknown) => error instanceof XmlError && error.xpath === '/d/d/d',
    );
  });

  it('reports malformed XML with label, location and line', () => {
    assert.throws(
      () => readXml('<Emessage>\n  <Envelope>\n    <Sent></Snet>\n</Envelope></Emessage>', { label: 'letter.xml' }),
      (error: unknown) =>
        error instanceof XmlError && error.line === 3 && /^letter\.xml: \/Emessage\/Envelope/.test(error.message),
    );
    rejects('', /must contain a root element/);
    rejects('<a></a><b/>', /./);
    rejects('<a>', /./);
  });

  it('numbers repeated siblings in error locations', () => {
    assert.throws(
      () => readXml('<E><L/><L><x>&bad;</x></L></E>', { label: 'e' }),
      (error: unknown) => error instanceof XmlError && error.xpath === '/E/L[2]/x',
    );
  });
});

describe('readXml: tree', () => {
  it('resolves namespaces of elements and attributes on a real OIOXML letter', () => {
    const bytes = example(FORMATTED);
    const { root } = readXml(bytes, { label: 'formattet_text' });
    assert.equal(root.name, 'Emessage');
    assert.equal(root.ns, MEDCOM_2006);
    assert.equal(root.prefix, '');
    assert.match(attr(root, 'schemaLocation', XSI_NS) ?? '', /Emessage\.xsd$/);
    assert.equal(root.namespaces?.get('xsi'), XSI_NS);
    assert.ok(
      ![...root.attributes.keys()].some((key) => key.includes('xmlns')),
      'xmlns declarations are not attributes',
    );
    const letter = firstChild(firstChild(root, 'ClinicalEmail', MEDCOM_2006)!, 'Letter')!;
    const identifier = /<Letter>\s*<Identifier>([^<]+)</.exec(new TextDecoder('latin1').decode(bytes))?.[1];
    assert.equal(textOf(firstChild(letter, 'Identifier')!), identifier);
    assert.equal(firstChild(root, 'ClinicalEmail', 'urn:other'), undefined);
  });

  it('keeps mixed content in order (FormattedText)', () => {
    const { root } = readXml(example(FORMATTED), { label: 'formattet_text' });
    const email = firstChild(root, 'ClinicalEmail')!;
    const [formatted, escaped] = childElements(email, 'ClinicalInformation').map((c) => firstChild(c, 'Text01')!);
    const center = firstChild(formatted!, 'Center')!;
    assert.deepEqual(
      center.children.map((c) => (isElement(c) ? `<${c.name}/>` : c.text)),
      ['<Break/>', 'Venlig hilsen', '<Break/>'],
    );
    const underline = firstChild(formatted!, 'Underline')!;
    assert.deepEqual(
      underline.children.map((c) => (isElement(c) ? `<${c.name}/>` : c.text)),
      ['Afdeling', '<Space/>', 'A'],
    );
    assert.deepEqual(
      childElements(formatted!).map((c) => c.name),
      ['FixedFont', 'Underline', 'Break', 'Italic', 'Break', 'Right', 'Break', 'Center'],
    );
    // Escaped markup stays text: one text node, no elements.
    assert.equal(escaped!.children.length, 1);
    const raw = /<Text01>(&lt;Teste[^<]*)</.exec(new TextDecoder('latin1').decode(example(FORMATTED)))![1]!;
    assert.equal(textOf(escaped!), raw.replaceAll('&lt;', '<').replaceAll('&gt;', '>'));
    assert.match(textOf(escaped!), /[æøå]{3}/);
  });

  it('records start-tag lines and merges CDATA with adjacent text', () => {
    const { root } = readXml('<a>\n<b\n x="1">one<![CDATA[<two>]]>three</b><!-- c --><?pi x?></a>', { label: 't' });
    const b = firstChild(root, 'b')!;
    assert.equal(root.line, 1);
    assert.equal(b.line, 2);
    assert.deepEqual(b.children, [{ text: 'one<two>three' }]);
    assert.deepEqual(childElements(root), [b], 'comments and processing instructions are dropped');
  });

  it('handles prefixed elements, xml:lang and xpathOf', () => {
    const { root } = readXml(
      '<sh:Doc xmlns:sh="urn:sbdh" xmlns="urn:d"><sh:Part xml:lang="da"/><Body/><Body n="2"/></sh:Doc>',
      { label: 't' },
    );
    assert.equal(root.prefix, 'sh');
    assert.equal(root.ns, 'urn:sbdh');
    const part = firstChild(root, 'Part', 'urn:sbdh')!;
    assert.equal(attr(part, 'lang', XML_NS), 'da');
    const bodies = childElements(root, 'Body', 'urn:d');
    assert.equal(bodies.length, 2);
    assert.equal(xpathOf([root, bodies[1]!], 'n'), '/sh:Doc/Body[2]/@n');
    assert.equal(xpathOf([root, part]), '/sh:Doc/sh:Part');
  });
});
