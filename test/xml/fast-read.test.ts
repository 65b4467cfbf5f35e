// The fast reader (src/xml/fast-read.ts) against the full saxes reader: wherever the fast path accepts a document it
// must build exactly the tree saxes builds (line numbers and namespace declarations included), and it must never
// accept a document saxes rejects. Checked on every XML file in ../shared (letters, envelopes, XSDs, SOR exports),
// on generated trees, and on thousands of mutated documents.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeXml } from '../../src/xml/decode.ts';
import { el, XML_NS, type XmlElement } from '../../src/xml/element.ts';
import { readCommonXml } from '../../src/xml/fast-read.ts';
import { parseXmlText, readXml } from '../../src/xml/read.ts';
import { serializeXml } from '../../src/xml/write.ts';
import { MEDCOM } from '../support/shared.ts';

function saxes(text: string, maxDepth = 64): XmlElement | Error {
  try {
    return parseXmlText(text, 't', maxDepth);
  } catch (error) {
    return error as Error;
  }
}

/** The property: fast accepts ⇒ saxes accepts with the identical tree. Returns whether the fast path accepted. */
function agrees(text: string, maxDepth = 64): boolean {
  const fast = readCommonXml(text, maxDepth);
  if (fast === undefined) return false;
  const full = saxes(text, maxDepth);
  assert.ok(
    !(full instanceof Error),
    `fast path accepted what saxes rejects (${String(full)}): ${JSON.stringify(text)}`,
  );
  assert.deepStrictEqual(fast, full, `trees differ for ${JSON.stringify(text.slice(0, 300))}`);
  return true;
}

function xmlFilesBelow(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...xmlFilesBelow(path));
    else if (/\.(xml|xsd)$/i.test(name)) found.push(path);
  }
  return found;
}

const SHARED_XML = xmlFilesBelow(MEDCOM).map((path) => ({
  path,
  text: decodeXml(new Uint8Array(readFileSync(path)), path).text,
}));

describe('fast XML reader ≡ saxes', () => {
  it(`builds the same tree for the XML files in shared/medcom (${SHARED_XML.length} files)`, () => {
    let accepted = 0;
    for (const { text } of SHARED_XML) if (agrees(text)) accepted++;
    // The fast path must actually carry the real traffic: every letter, envelope and sample, most of the XSDs.
    assert.ok(accepted >= SHARED_XML.length * 0.9, `fast path accepted only ${accepted} of ${SHARED_XML.length}`);
    for (const { path, text } of SHARED_XML.filter((f) => /oioxml[/\\]examples|ehmi-sbdh/.test(f.path))) {
      assert.ok(readCommonXml(text, 64), `fast path declined ${path}`);
    }
  });

  it('agrees on the shapes at the edge of the fast path', () => {
    const accepted = [
      '<a/>',
      '<?xml version="1.0"?><a/>',
      `<?xml version='1.0' encoding='ISO-8859-1' standalone='yes' ?>\n<a/>\n`,
      '<!-- c --><a><!----></a><!-- after -->\n',
      '<a>x<!-- c -->y<![CDATA[<&>]]>z</a>',
      '<a><![CDATA[]]></a>',
      '<a\n  b="1"\n  c = \'2\'\n/>',
      '<p:a xmlns:p="urn:p" p:b="1" b="2"><p:c/><d xmlns="urn:d"><e/></d></p:a>',
      '<a xsi:type="x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
      `<a xml:lang="da" xmlns=""/>`,
      '<a b="&lt;&#65;&#x42;&quot;&apos;&gt;&amp;">&#x1F600;&#13;</a>',
      '<a>\r\nx\ry\r\n</a>',
      '<a>\n<b>\n<c/></b>\n</a >',
      '<a>]]</a>',
    ];
    for (const text of accepted) assert.ok(agrees(text), `fast path should accept ${JSON.stringify(text)}`);

    const declined = [
      '',
      '  ',
      '<a>',
      '<a></b>',
      '<a/><b/>',
      '<a/>x',
      'x<a/>',
      '<!DOCTYPE a><a/>',
      '<?pi x?><a/>',
      '<a><?pi x?></a>',
      ' <?xml version="1.0"?><a/>',
      '<?xml version="1.1"?><a/>',
      '<?xml encoding="UTF-8"?><a/>',
      '<a>&nbsp;</a>',
      '<a>&#0;</a>',
      '<a>&#xD800;</a>',
      '<a>]]></a>',
      '<a>\u0001</a>',
      '<a>\uD800</a>',
      '<a b="1" b="2"/>',
      '<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>',
      '<p:a/>',
      '<a p:b="1"/>',
      '<a xmlns:p=""/>',
      '<xml:a/>',
      '<a xmlns:xml="urn:x"/>',
      '<a b="1"c="2"/>',
      '<a b=1/>',
      '<a b="<"/>',
      '<a b="x\ty"/>',
      '<a b="x\ny"/>',
      '<a><!-- a -- b --></a>',
      '<a><!-- a ---></a>',
      '<ø/>',
      '<a:b:c/>',
      '<a / >',
      '<![CDATA[x]]><a/>',
    ];
    for (const text of declined) {
      assert.equal(readCommonXml(text, 64), undefined, `fast path should decline ${JSON.stringify(text)}`);
    }
  });

  it('leaves the depth limit to the full reader (same error as before)', () => {
    const nested = (depth: number) => '<d>'.repeat(depth) + '</d>'.repeat(depth);
    assert.ok(agrees(nested(3), 3));
    assert.equal(readCommonXml(nested(4), 3), undefined);
    assert.throws(() => readXml(nested(4), { label: 't', maxDepth: 3 }), /deeper than the limit of 3/);
  });

  it('property: generated trees, serialised in every supported way, read back identically by both paths', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,6}$/);
    const content = fc.string({
      unit: fc.constantFrom('a', 'æ', ' ', '\n', '\t', '<', '>', '&', '"', "'", '€', '😀', ']'),
    });
    const tree: fc.Arbitrary<XmlElement> = fc.letrec<{ element: XmlElement }>((tie) => ({
      element: fc
        .record({
          name,
          ns: fc.constantFrom('', 'urn:a', 'urn:b'),
          prefix: fc.constantFrom('', 'p'),
          attributes: fc.dictionary(name, content, { maxKeys: 3 }),
          lang: fc.option(content, { nil: undefined }),
          children: fc.array(fc.oneof({ depthSize: 'small' }, content, tie('element')), { maxLength: 4 }),
        })
        .map(({ name: local, ns, prefix, attributes, lang, children }) =>
          el(
            prefix && ns ? `${prefix}:${local}` : local,
            ns,
            { ...attributes, ...(lang !== undefined ? { [`{${XML_NS}}lang`]: lang } : {}) },
            children,
          ),
        ),
    })).element;
    fc.assert(
      fc.property(
        tree,
        fc.constantFrom('UTF-8', 'ISO-8859-1') as fc.Arbitrary<'UTF-8' | 'ISO-8859-1'>,
        fc.boolean(),
        (root, encoding, indent) => {
          const text = serializeXml(root, { encoding, declaration: true, ...(indent ? { indent: '  ' } : {}) });
          assert.ok(agrees(text), 'written documents are in the fast shape');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: mutated real documents — the fast path never accepts what saxes rejects', () => {
    const sources = SHARED_XML.filter((f) => /oioxml[/\\]examples|ehmi-sbdh[/\\]ehmiSBDH/.test(f.path)).map(
      (f) => f.text,
    );
    // Mostly harmless edits (so that a good share of the mutants stays well-formed), some XML-significant ones.
    const junk = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('x', 'ø', ' ', '\n', '') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          ...['<', '>', '&', '"', "'", '/', '=', ':', '\r', '-', '!', '?', ']', '[', ';', '#', '\u0000', '\t'],
          ...['<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#0;', '&#x41;', 'xmlns:p="urn:p"', 'p:', '</', '/>'],
        ),
      },
    );
    const mutation = fc.record({
      source: fc.nat({ max: sources.length - 1 }),
      edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), cut: fc.nat(2), insert: junk }), {
        minLength: 1,
        maxLength: 2,
      }),
    });
    let declined = 0;
    let accepted = 0;
    fc.assert(
      fc.property(mutation, ({ source, edits }) => {
        let text = sources[source]!;
        for (const { at, cut, insert } of edits) {
          const i = Math.floor(at * text.length);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        if (agrees(text)) accepted++;
        else declined++;
      }),
      // A fixed seed keeps the accepted/declined split (asserted below) reproducible.
      { numRuns: 4000, seed: 20261125 },
    );
    // Both outcomes must occur often, or the property says nothing.
    assert.ok(accepted > 100 && declined > 100, `accepted ${accepted}, declined ${declined}`);
  });
});
