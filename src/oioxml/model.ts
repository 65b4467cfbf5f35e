// Typed models of the OIOXML frame and parties shared by XDIS91, XDIS20/17 and the XCTL receipts (oioxml.md §2).
// Values are kept exactly as written in the letter (strings, no trimming), so a letter read and written again is the
// same letter. Element names are MedCom's, in camelCase.

/** A Danish wall-clock moment as OIOXML writes it: no zone; `time` is hh:mm, or hh:mm:ss where the schema says so. */
export interface OioDateTime {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly time: string;
}

export type AcknowledgementCode = 'pluspositivkvitt' | 'minuspositivkvitt';
export const ACKNOWLEDGEMENT_CODES: readonly AcknowledgementCode[] = ['pluspositivkvitt', 'minuspositivkvitt'];

/** Emessage/Envelope: the transmission ("kuvert"). */
export interface Envelope {
  readonly sent: OioDateTime;
  /** String_1_14, new on every transmission (resends included). */
  readonly identifier: string;
  readonly acknowledgementCode: AcknowledgementCode;
}

export type IdentifierCode =
  'sygehusafdelingsnummer' | 'ydernummer' | 'lokationsnummer' | 'kommunenummer' | 'amt' | 'sorkode';
export const IDENTIFIER_CODES: readonly IdentifierCode[] = [
  'sygehusafdelingsnummer',
  'ydernummer',
  'lokationsnummer',
  'kommunenummer',
  'amt',
  'sorkode',
];

/**
 * A Sender or Receiver. Which optional fields a letter type allows differs (XDIS20/17 have no address, XDIS91's
 * Receiver no phone); each codec writes only its own and rejects the rest on reading.
 */
export interface Party {
  /** EANIdentifier: the lokationsnummer (GLN in practice; the schema accepts other tokens). */
  readonly ean: string;
  readonly identifier: string;
  readonly identifierCode: IdentifierCode;
  readonly organisationName?: string;
  readonly departmentName?: string;
  readonly unitName?: string;
  readonly streetName?: string;
  readonly suburbName?: string;
  readonly districtName?: string;
  readonly postCodeIdentifier?: string;
  readonly telephoneSubscriberIdentifier?: string;
  /** One of ValueLists.xsd's ~70 values (more in the later revision), kept as written. */
  readonly medicalSpecialityCode?: string;
  /** XDIS20/17 Sender/AnswerTo/EANIdentifier: where the admission report (XDIS16) goes. */
  readonly answerToEan?: string;
}

/** Letter StatusCode; `annulleretbrev` exists only in XDIS20/17. */
export type StatusCode = 'nytbrev' | 'rettetbrev' | 'annulleretbrev';

/** Drops keys whose value is undefined, so models compare equal however their optional fields were built. */
export function compact<T extends object>(value: T): T {
  // A plain loop rather than entries → filter → fromEntries: models are built for every letter read.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
