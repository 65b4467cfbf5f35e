// FHIR text is Unicode; OIOXML letters are ISO-8859-1 (oioxml.md §2.4, §11.10). Characters outside Latin-1 would
// become numeric character references — valid XML, but receivers built for Latin-1 show them as garbage or reject
// the letter — so converters transliterate first and report what they replaced.

/** Typographic characters with a conventional Latin-1 spelling (windows-1252 users type these constantly). */
const SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u201A', "'"],
  ['\u2032', "'"],
  ['\u201C', '"'],
  ['\u201D', '"'],
  ['\u201E', '"'],
  ['\u2033', '"'],
  ['\u2013', '-'],
  ['\u2014', '-'],
  ['\u2011', '-'],
  ['\u2212', '-'],
  ['\u2026', '...'],
  ['\u20AC', 'EUR'],
  ['\u2022', '*'],
  ['\u2122', '(TM)'],
  ['\u2009', ' '],
  ['\u202F', ' '],
  ['\u2002', ' '],
  ['\u2003', ' '],
]);

export interface Latin1Text {
  readonly text: string;
  /** Each replaced character (as U+XXXX) with how often it occurred; empty when the text was Latin-1 already. */
  readonly replaced: readonly { readonly char: string; readonly count: number }[];
}

/**
 * Maps text onto ISO-8859-1: typographic characters get their usual spelling, letters with diacritics outside
 * Latin-1 lose the diacritic (ő → o), anything else becomes '?'. Control characters other than tab and line ends
 * are not allowed in XML and are removed.
 */
export function toLatin1(text: string): Latin1Text {
  const counts = new Map<string, number>();
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff)) {
      out += ch;
      continue;
    }
    const key = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    const spelled = SPELLINGS.get(ch);
    if (spelled !== undefined) {
      out += spelled;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += base.length > 0 && [...base].every((c) => c.codePointAt(0)! <= 0xff) ? base : '?';
  }
  return { text: out, replaced: [...counts].map(([char, count]) => ({ char, count })) };
}
