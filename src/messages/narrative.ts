/**
 * Minimal XHTML narratives. GOV 050 demands a narrative in the MessageHeader; the other resources get one too because
 * the HL7 validator warns (dom-6) on every resource without. The text is a plain label/value table — receivers render
 * their own views, this only has to be true and safe. Values are escaped; callers must not pass CPR numbers.
 */
import type { Narrative } from './fhir-types.ts';

const XHTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

export function escapeXhtml(text: string): string {
  // Most labels and values need no escaping; testing first spares the replace call and its callback.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => XHTML_ESCAPES[c]!) : text;
}

/** A `generated` narrative: a heading and one row per label/value pair (rows without a value are left out). */
export function tableNarrative(heading: string, rows: readonly (readonly [string, string | undefined])[]): Narrative {
  const body = rows
    .filter((row): row is readonly [string, string] => row[1] !== undefined && row[1] !== '')
    .map(([label, value]) => `<tr><th>${escapeXhtml(label)}</th><td>${escapeXhtml(value)}</td></tr>`)
    .join('');
  return {
    status: 'generated',
    div: `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${escapeXhtml(heading)}</b></p><table>${body}</table></div>`,
  };
}
