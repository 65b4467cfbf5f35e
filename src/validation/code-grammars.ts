// Code systems that no package enumerates (MIME types, language tags, UCUM units). Where a cheap check exists it
// decides membership for value sets that include the whole system; otherwise membership stays `unknown`.
import fhirpath from 'fhirpath';

/** `true` = the code belongs to the system, `false` = it cannot, `undefined` = well-formed but not decidable here. */
export type GrammarVerdict = boolean | undefined;

export interface CodeGrammar {
  readonly system: string;
  readonly name: string;
  judge(code: string): GrammarVerdict;
}

// RFC 6838 §4.2 restricted-name; parameters per RFC 2045 §5.1 (token or quoted string).
const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
const PARAMETER = `\\s*;\\s*${RESTRICTED_NAME}=(?:"[^"]*"|[A-Za-z0-9!#$%&'*+.^_\`{|}~-]+)`;
const MIME = new RegExp(`^(${RESTRICTED_NAME})/${RESTRICTED_NAME}(?:${PARAMETER})*$`);
// The IANA top-level media types; anything else is not a registrable MIME type (RFC 6838 §4.2.7 forbids `x-` trees).
const TOP_LEVEL_TYPES = new Set([
  'application',
  'audio',
  'example',
  'font',
  'haptics',
  'image',
  'message',
  'model',
  'multipart',
  'text',
  'video',
]);

const mimeType: CodeGrammar = {
  system: 'urn:ietf:bcp:13',
  name: 'MIME type (type/subtype)',
  judge(code) {
    const match = MIME.exec(code);
    return match !== null && TOP_LEVEL_TYPES.has(match[1]!.toLowerCase());
  },
};

// RFC 5646 §2.1 langtag, plus private-use tags. Well-formed tags are not necessarily registered, so a match is
// `undefined` (cannot tell) rather than `true`; only malformed tags are rejected.
const LANGTAG =
  /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?$|^x(?:-[a-z0-9]{1,8})+$/i;

const languageTag: CodeGrammar = {
  system: 'urn:ietf:bcp:47',
  name: 'BCP 47 language tag',
  judge: (code) => (LANGTAG.test(code) ? undefined : false),
};

// fhirpath ships the UCUM library it uses for quantity arithmetic; its validator is a real check, not a grammar.
const ucumUnit: CodeGrammar = {
  system: 'http://unitsofmeasure.org',
  name: 'UCUM unit',
  judge(code) {
    const result = fhirpath.ucumUtils.validateUnitString(code) as { status?: string };
    if (result.status === 'valid') return true;
    if (result.status === 'invalid') return false;
    return undefined;
  },
};

const GRAMMARS: ReadonlyMap<string, CodeGrammar> = new Map(
  [mimeType, languageTag, ucumUnit].map((grammar) => [grammar.system, grammar]),
);

export function grammarFor(system: string): CodeGrammar | undefined {
  return GRAMMARS.get(system);
}
