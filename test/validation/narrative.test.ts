// The native narrative check must agree with the FHIRPath engine's htmlChecks() (txt-1/txt-2 on Narrative.div):
// on every narrative of the R4 examples package and the MedCom IG examples, and on breaks of each rule.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { InvariantCompiler, type InvariantHooks } from '../../src/validation/invariants.ts';
import { isValidNarrative } from '../../src/validation/narrative.ts';
import { ACK, CC, HN } from '../support/shared.ts';
import { terminologyFor } from './support/hooks.ts';
import { igExamples } from './support/ig-examples.ts';

const txt1 = new InvariantCompiler().compile(
  { key: 'txt-1', severity: 'error', human: 'narrative rules', expression: 'htmlChecks()' },
  'Narrative.div',
)!;
const hooks: InvariantHooks = { bundle: undefined, conformsTo: () => true, terminology: terminologyFor(HN) };
const engine = (div: string): boolean => txt1.evaluate(div, {}, {}, hooks).ok === true;

function narratives(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) narratives(item, into);
  else if (node && typeof node === 'object') {
    const div = (node as { text?: { div?: unknown } }).text?.div;
    if (typeof div === 'string') into.add(div);
    for (const value of Object.values(node)) narratives(value, into);
  }
  return into;
}

test('every narrative of the R4 examples and of the MedCom IG examples: same verdict as htmlChecks()', () => {
  const folder = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
  const divs = new Set<string>();
  for (const file of readdirSync(folder)) {
    if (file.endsWith('.json') && file !== 'package.json')
      narratives(JSON.parse(readFileSync(join(folder, file), 'utf8')), divs);
  }
  for (const ig of [HN, CC, ACK]) for (const { resource } of igExamples(ig)) narratives(resource, divs);
  assert.ok(divs.size > 5000, `${divs.size} narratives`);
  const disagreements = [...divs].filter((div) => isValidNarrative(div) !== engine(div));
  assert.deepEqual(disagreements, []);
});

const DIV = '<div xmlns="http://www.w3.org/1999/xhtml">';
const cases: [string, string, boolean][] = [
  ['plain text', `${DIV}<p>Hello <b>world</b></p></div>`, true],
  ['a script element', `${DIV}<script>x</script></div>`, false],
  ['an event handler', `${DIV}<p onclick="x">a</p></div>`, false],
  ['an unclosed void element', `${DIV}a<br>b</div>`, false],
  ['an HTML entity', `${DIV}a&nbsp;b</div>`, false],
  ['XML entities and character references', `${DIV}&#65;&amp;&#x1F600;</div>`, true],
  ['an illegal character reference', `${DIV}&#0;</div>`, false],
  ['a comment with --', `${DIV}a<!-- c -- d -->b</div>`, false],
  ['a comment inside the root', `${DIV}a<!-- c -->b</div>`, true],
  ['a comment outside the root', `${DIV}a</div><!-- after -->`, false],
  ['a processing instruction', `${DIV}<?pi x?>a</div>`, false],
  ['a CDATA section', `${DIV}<![CDATA[x]]></div>`, false],
  ['another namespace', '<div xmlns="http://other">a</div>', false],
  ['no namespace declaration', '<div>a</div>', true],
  ['a duplicate attribute', `${DIV}<p class="a" class="b">a</p></div>`, false],
  ['an unquoted attribute', `${DIV}<p class=a>a</p></div>`, false],
  ['a prefixed attribute', `${DIV}<p xml:lang="da">a</p></div>`, false],
  ['an element-specific attribute elsewhere', `${DIV}<span href="x">a</span></div>`, false],
  ['table attributes', `${DIV}<table width="1"><tr><td nowrap="x" colspan="2">a</td></tr></table></div>`, true],
  ['text outside the root', `x${DIV}a</div>`, false],
  ['two roots', `${DIV}a</div><div>b</div>`, false],
  ['a root other than div', '<p xmlns="http://www.w3.org/1999/xhtml">a</p>', false],
  ['an empty div', `${DIV}</div>`, false],
  ['only whitespace', `${DIV}   </div>`, false],
  ['only an image', `${DIV}<img src="#x"/></div>`, true],
  ['an image without a source is no content', `${DIV}<img alt="x"/></div>`, false],
  ['a control character', `${DIV}a\u0001</div>`, false],
  ['a lone surrogate', `${DIV}a\ud800b</div>`, false],
  [']]> in text', `${DIV}a]]>b</div>`, false],
  ['mismatched tags', `${DIV}<p>a</b></div>`, false],
  ['< in an attribute value', `${DIV}<p title="a<b">a</p></div>`, false],
  ['truncated', `${DIV}<p>a</p`, false],
];
for (const [name, div, expected] of cases) {
  test(`${name}: ${expected ? 'valid' : 'invalid'}, as htmlChecks() says`, () => {
    assert.equal(engine(div), expected, 'engine');
    assert.equal(isValidNarrative(div), expected, 'native');
  });
}
