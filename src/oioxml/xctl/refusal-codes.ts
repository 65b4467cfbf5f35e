// XCTL RefuseCode ⇄ FHIR Acknowledgement issue details (oioxml.md §9 — a proposal: MedCom publishes no mapping).
import {
  isHl7IssueDetail,
  isMedComIssueDetail,
  type IssueDetail,
  type IssueType,
} from '../../messages/acknowledgement/codes.ts';
import type { RefuseCode } from './receipt.ts';

interface IssueShape {
  readonly detail?: IssueDetail;
  readonly code: IssueType;
}

export const ISSUE_FOR_REFUSE_CODE: Readonly<Record<RefuseCode, IssueShape>> = {
  ukendt_lokationsnummer: { detail: 'MSG_Receiver_Identifier_UNKNOWN', code: 'value' },
  problem_med_modtagerID: { detail: 'MSG_Receiver_Identifier_MISSING', code: 'value' },
  problem_med_version: { detail: 'MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE', code: 'value' },
  syntaksfejl: { detail: 'MSG_BAD_SYNTAX', code: 'structure' },
  // No detail code says "unspecified"; the RefuseText goes to details.text.
  ikke_specificeret: { code: 'value' },
};

const REFUSE_CODE_FOR_DETAIL: Readonly<Record<string, RefuseCode>> = {
  MSG_Receiver_Identifier_UNKNOWN: 'ukendt_lokationsnummer',
  MSG_Receiver_Identifier_MISSING: 'problem_med_modtagerID',
  MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE: 'problem_med_version',
  MSG_BAD_SYNTAX: 'syntaksfejl',
  MSG_BAD_FORMAT: 'syntaksfejl',
  MSG_WRONG_NS: 'syntaksfejl',
  MSG_JSON_OBJECT: 'syntaksfejl',
};

/** The RefuseCode for an issue detail; `ikke_specificeret` for every detail without an OIOXML counterpart. */
export function refuseCodeFor(detail: string | undefined): RefuseCode {
  return (detail && REFUSE_CODE_FOR_DETAIL[detail]) || 'ikke_specificeret';
}

/**
 * Acknowledgement issue details written at the start of a RefuseText line (`MSG_…: text`) — how this gateway keeps
 * a detail that has no RefuseCode (and so the transient/fatal distinction) across an XCTL02 and back.
 */
export function detailInText(line: string): { detail: IssueDetail; text: string } | undefined {
  const match = /^(MSG_[A-Za-z_]+)(?::\s*(.*))?$/s.exec(line);
  if (!match || !(isMedComIssueDetail(match[1]!) || isHl7IssueDetail(match[1]!))) return undefined;
  return { detail: match[1] as IssueDetail, text: match[2] ?? '' };
}

/** Details that name a temporary condition at the receiver: a resend may succeed. */
const TRANSIENT_DETAILS: readonly string[] = ['MSG_Mailbox_Out_Of_Operation', 'MSG_Damaged_durin_transport'];

export function isTransientDetail(detail: string | undefined): boolean {
  return detail !== undefined && TRANSIENT_DETAILS.includes(detail);
}

// XCTL02 cannot say whether an error is temporary; receivers that mean "try again later" say so in words.
const TECHNICAL = /teknisk|midlertidig|ude af drift|nedbrud|prøv igen|forsøg igen|try again|temporar/i;

/** Whether a refusal text describes a technical, temporary problem (→ transient-error instead of fatal-error). */
export function soundsTransient(text: string): boolean {
  return TECHNICAL.test(text);
}
