// A FHIR message that answers an OIOXML letter points at it with Provenance.entity.what.identifier.value =
// `[lokationsnummer]#[brevid]` (messaging Provenance profile, oioxml.md §10 step 4). MedCom's own CareCommunication
// example writes `brevid#lokationsnummer` (oioxml.md §11.2), so both orders are read; the 13-digit part is the EAN.
import type { IdMap, OioxmlId } from './id-map.ts';

export interface PrecedingLetter {
  /** EAN of the party that issued the letter id (the original OIOXML sender). */
  readonly gln: string;
  readonly letterId: string;
}

const GLN = /^\d{13}$/;

export function formatPrecedingReference(letter: PrecedingLetter): string {
  return `${letter.gln}#${letter.letterId}`;
}

/** Reads `gln#letterId` or `letterId#gln`; undefined when the value has no '#' or no side looks like a GLN. */
export function parsePrecedingReference(value: string): PrecedingLetter | undefined {
  const parts = value.trim().split('#');
  if (parts.length !== 2) return undefined;
  const [left, right] = parts as [string, string];
  if (left === '' || right === '') return undefined;
  if (GLN.test(left)) return { gln: left, letterId: right };
  if (GLN.test(right)) return { gln: right, letterId: left };
  return undefined;
}

function letterKey(letter: PrecedingLetter): OioxmlId {
  return { kind: 'letter', gln: letter.gln, id: letter.letterId };
}

/**
 * The MessageHeader.id a reply should reference for an OIOXML letter given as `gln#letterId` (either order).
 * Uses the stored pair when the letter was converted before, else the deterministic id the converter would give it.
 */
export function messageHeaderIdForReference(map: IdMap, reference: string): string | undefined {
  const letter = parsePrecedingReference(reference);
  return letter ? map.fhirIdFor(letterKey(letter)) : undefined;
}

/** The `gln#letterId` reference for a MessageHeader.id that came from (or went out as) an OIOXML letter. */
export function referenceForMessageHeader(map: IdMap, messageHeaderId: string): string | undefined {
  const oioxml = map.findOioxmlId('letter', messageHeaderId);
  return oioxml ? formatPrecedingReference({ gln: oioxml.gln, letterId: oioxml.id }) : undefined;
}
