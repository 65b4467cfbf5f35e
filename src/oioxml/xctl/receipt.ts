// XCTL receipts ("Den gode CONTRL"), always namespace 2005/08/07 (oioxml.md §5):
//   XCTL03 PositiveReceipt      — the receiving application accepted the letters (sent only when asked for)
//   XCTL02 NegativeReceipt      — the receiving application rejected them
//   XCTL01 NegativeVansReceipt  — the VANS provider could not deliver the envelope: a network-level signal
import type { BreakableText } from '../formatted-text.ts';

export type ReceiptType = 'XCTL01' | 'XCTL02' | 'XCTL03';

export const RECEIPT_ELEMENT: Readonly<Record<ReceiptType, string>> = {
  XCTL03: 'PositiveReceipt',
  XCTL02: 'NegativeReceipt',
  XCTL01: 'NegativeVansReceipt',
};

export const RECEIPT_VERSION_CODE: Readonly<Record<ReceiptType, string>> = {
  XCTL03: 'XC0330Q',
  XCTL02: 'XC0230Q',
  XCTL01: 'XC0130Q',
};

export type RefuseCode =
  'ikke_specificeret' | 'ukendt_lokationsnummer' | 'problem_med_modtagerID' | 'problem_med_version' | 'syntaksfejl';
export const REFUSE_CODES: readonly RefuseCode[] = [
  'ikke_specificeret',
  'ukendt_lokationsnummer',
  'problem_med_modtagerID',
  'problem_med_version',
  'syntaksfejl',
];

/** Why a negative receipt refuses (envelope level or per letter). Absent in positive receipts. */
export interface Refusal {
  readonly code?: RefuseCode;
  readonly text?: BreakableText;
}

export interface OriginalLetter {
  readonly identifier: string;
  /** VersionCode of the receipted letter (XD9134L, XD2030C, or an EDIFACT code such as H0130R); String_1_7. */
  readonly versionCode: string;
  readonly refusal?: Refusal;
}

export interface Receipt {
  readonly type: ReceiptType;
  readonly letter: {
    readonly identifier: string;
    /** Normally equal to the type (XCTL03 …). */
    readonly statisticalCode: string;
  };
  /** EAN of the party sending the receipt (for XCTL01 the VANS provider, possibly not a GLN: `DKKMDKMDNET`). */
  readonly senderEan: string;
  readonly receiverEan: string;
  readonly original: {
    readonly envelopeIdentifier: string;
    readonly senderEan: string;
    readonly receiverEan: string;
    /** Envelope-level refusal (negative receipts only). */
    readonly refusal?: Refusal;
    /** 0..99. */
    readonly letters: readonly OriginalLetter[];
  };
}
