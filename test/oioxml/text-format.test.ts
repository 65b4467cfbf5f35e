import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readEmessage, writeEmessage } from '../../src/oioxml/emessage.ts';
import { BREAK, SPACE, type FormattedText } from '../../src/oioxml/formatted-text.ts';
import type { ClinicalEmail } from '../../src/oioxml/xdis91/clinical-email.ts';
import type { Receipt } from '../../src/oioxml/xctl/receipt.ts';
import {
  fromPlainText,
  interpretEscapedMarkup,
  renderBlocks,
  renderPlainText,
  splitIntoBlocks,
} from '../../src/oioxml/text-format.ts';
import { example, testSchemas } from './support.ts';
import { NS_2006 } from '../../src/oioxml/namespaces.ts';

function blocksOf(prefix: string): readonly FormattedText[] {
  const { emessage } = readEmessage(example('xdis91', prefix).bytes, { label: prefix });
  return (emessage.items[0]!.letter as ClinicalEmail).clinicalInformation;
}

describe('OIOXML formatted text → plain text', () => {
  it('renders Break-only text line by line, trailing Break included (DIS91_1)', () => {
    assert.equal(
      renderBlocks(blocksOf('edifact_converter__DIS91_1')),
      'Afdeling A har modtaget en henvisning på ovenstående patient.\n' +
        'Forinden der foretages visitation, bedes følgende undersøgelser foretaget:\n' +
        'Røntgen af hofte i to planer.\nBlodtryksresultat\nSænkningsresultat\n\n' +
        'Resultaterne bedes fremsendt som et "korrespondancebrev".\n\nVenlig hilsen\noverlæge K. Petersen\n15.01.1999\n',
    );
  });

  it('drops FixedFont styling, keeps its Breaks, trims the space at a line end (korr_x9134)', () => {
    const text = renderBlocks(blocksOf('edifact_converter__korr_x9134'));
    assert.ok(text.startsWith('Hej\n\n\n\n\n\nHej, jeg er fast bredde\nAfdeling A'), JSON.stringify(text.slice(0, 60)));
    assert.ok(text.includes('Resultaterne bedes\n\nfremsendt som et "korrespondancebrev".'));
  });

  it('collapses file indentation, keeps Space, puts Center/Right on lines of their own (os2korrespondance)', () => {
    const [formatted, escaped] = blocksOf('os2korrespondance__formattet_text');
    assert.equal(
      renderPlainText(formatted!),
      'Hej, jeg er fast bredde Afdeling A\n' +
        'har modtaget en henvisning på ovenstående patient.\n' +
        'Forinden der foretages visitation\n' +
        '\nVenlig hilsen\n',
    );
    assert.equal(renderPlainText(escaped!), '<Teste><Teste noget mere øæå>');
  });

  it('starts a Center block on a new line and ends it before following text', () => {
    const nodes: FormattedText = ['før ', { kind: 'Center', children: ['midt'] }, ' efter'];
    assert.equal(renderPlainText(nodes), 'før\nmidt\nefter');
    assert.equal(renderPlainText([{ kind: 'Right', children: ['a'] }, BREAK, 'b']), 'a\nb');
  });

  it('renders RefuseText of a negative receipt', () => {
    const { emessage } = readEmessage(example('xctl', 'edifact_converter__CTL02').bytes, { label: 'ctl02' });
    const refusal = (emessage.items[0]!.letter as Receipt).original.letters[0]!.refusal!;
    assert.equal(
      renderPlainText(refusal.text!),
      'EDI-brev med nummeret 1111MAN01095, afsendt 11/11 1999 kl 18.46 har ikke kunnet modtages. Horsens Sygehus, ' +
        'laboratoriet kan ikke modtage sygehushenvisninger.\nMed venlig hilsen\nIT-Hotline. Horsens Sygehus.Telefon 86345678.\n',
    );
  });
});

describe('escaped formatting markup', () => {
  it('leaves text that merely looks like markup alone', () => {
    const [, escaped] = blocksOf('os2korrespondance__formattet_text');
    const { text, interpreted } = interpretEscapedMarkup(escaped!);
    assert.equal(interpreted, false);
    assert.deepEqual(text, escaped);
  });

  it('turns escaped MedCom tags into formatting, as receivers display them', () => {
    const { text, interpreted } = interpretEscapedMarkup(['Se <Bold>vigtigt</Bold><Break/>næste<Space/>linje <Teste>']);
    assert.equal(interpreted, true);
    assert.deepEqual(text, ['Se ', { kind: 'Bold', children: ['vigtigt'] }, BREAK, 'næste', SPACE, 'linje <Teste>']);
    assert.equal(renderPlainText(text), 'Se vigtigt\nnæste linje <Teste>');
  });

  it('respects the schema nesting: a style inside a style is dropped, its text kept', () => {
    const { text } = interpretEscapedMarkup(['<Bold>a<Italic>b</Italic>c</Bold>']);
    assert.deepEqual(text, [{ kind: 'Bold', children: ['abc'] }]);
    const fixed = interpretEscapedMarkup(['<FixedFont>x<Bold>y</Bold></FixedFont>']).text;
    assert.deepEqual(fixed, [{ kind: 'FixedFont', children: ['x', { kind: 'Bold', children: ['y'] }] }]);
  });

  it('closes unbalanced tags at the end and ignores stray closing tags', () => {
    assert.deepEqual(interpretEscapedMarkup(['</Bold>a<Underline>b']).text, [
      'a',
      { kind: 'Underline', children: ['b'] },
    ]);
  });

  it('the interpreted tree is XSD-valid when written', () => {
    const { emessage } = readEmessage(example('xdis91', 'edifact_converter__DIS91_1').bytes, { label: 'dis91' });
    const letter = emessage.items[0]!.letter as ClinicalEmail;
    const { text } = interpretEscapedMarkup([
      '<FixedFont>a<Bold>b<Break/></Bold><Center>c</Center></FixedFont><Right>d',
    ]);
    const written = writeEmessage({ ...emessage, items: [{ letter: { ...letter, clinicalInformation: [text] } }] });
    assert.deepEqual(testSchemas().validate(NS_2006, written, { label: 'interpreted' }).issues, []);
  });
});

describe('plain text → OIOXML formatted text', () => {
  it('one Break per line end; Space where a space would otherwise collapse', () => {
    assert.deepEqual(fromPlainText('Kære  læge\n\n  Mvh\r\nA B '), [
      'Kære',
      SPACE,
      SPACE,
      'læge',
      BREAK,
      BREAK,
      SPACE,
      SPACE,
      'Mvh',
      BREAK,
      'A B',
      SPACE,
    ]);
    assert.deepEqual(fromPlainText(''), []);
    assert.deepEqual(fromPlainText('\ta'), [SPACE, 'a']);
  });

  it('renderPlainText(fromPlainText(s)) === s for any text without tabs and CR', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'ø', ' ', '\n', '<', '&', 'Æ', 'x') }), (s) => {
        assert.equal(renderPlainText(fromPlainText(s)), s);
      }),
      { numRuns: 500 },
    );
  });

  it('splits long text into ≤3150-character blocks at line ends, losslessly', () => {
    const line = 'x'.repeat(99);
    const text = Array.from({ length: 100 }, () => line).join('\n');
    const blocks = splitIntoBlocks(text)!;
    assert.ok(blocks.length > 1);
    assert.ok(blocks.every((b) => b.length <= 3150));
    assert.equal(renderBlocks(blocks.map(fromPlainText)), text);
  });

  it('splits a single long line at a space, and refuses more than 10 blocks', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `ord${i}`).join(' ');
    const blocks = splitIntoBlocks(words, 3150)!;
    assert.ok(blocks.every((b) => b.length <= 3150));
    assert.equal(blocks.join(''), words);
    assert.equal(splitIntoBlocks('y'.repeat(31_501)), undefined);
    assert.equal(splitIntoBlocks('y'.repeat(31_500))!.length, 10);
  });
});
