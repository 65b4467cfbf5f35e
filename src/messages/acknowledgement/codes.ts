/**
 * Acknowledgement vocabulary: the response codes and the 37 issue-detail codes of VS
 * `medcom-acknowledgement-issue-details` (spellings exactly as published, typos included).
 */

/** MessageHeader.response.code: ok (AA), transient-error (AR, may resend), fatal-error (AE, do not resend unchanged). */
export type AcknowledgementCode = 'ok' | 'transient-error' | 'fatal-error';

export const MEDCOM_ISSUE_DETAILS = [
  'MSG_Receiver_Identifier_UNKNOWN',
  'MSG_Receiver_Identifier_MISSING',
  'MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE',
  'MSG_VALUESET_VALUE_UNKNOWN',
  'MSG_CodeSystem_VALUE_UNKNOWN',
  'MSG_Element_To_Long',
  'MSG_Datatype_Wrong',
  'MSG_Mailbox_Out_Of_Operation',
  'MSG_Damaged_durin_transport',
] as const;

export const HL7_ISSUE_DETAILS = [
  'MSG_ID_INVALID',
  'MSG_ID_TOO_LONG',
  'MSG_BAD_FORMAT',
  'MSG_BAD_SYNTAX',
  'MSG_DATE_FORMAT',
  'MSG_DUPLICATE_ID',
  'MSG_INVALID_ID',
  'MSG_JSON_OBJECT',
  'MSG_LOCAL_FAIL',
  'MSG_NO_MATCH',
  'MSG_NO_EXIST',
  'MSG_NO_SUMMARY',
  'MSG_PARAM_INVALID',
  'MSG_PARAM_NO_REPEAT',
  'MSG_PARAM_UNKNOWN',
  'MSG_RESOURCE_ID_MISMATCH',
  'MSG_RESOURCE_FAIL',
  'MSG_RESOURCE_ID_MISSING',
  'MSG_RESOURCE_NOT_ALLOWED',
  'MSG_RESOURCE_REQUIRED',
  'MSG_RESOURCE_TYPE_MISMATCH',
  'MSG_TRANSACTION_DUPLICATE_ID',
  'MSG_TRANSACTION_MISSING_ID',
  'MSG_UNKNOWN_TYPE',
  'MSG_VERSION_AWARE',
  'MSG_VERSION_AWARE_CONFLICT',
  'MSG_VERSION_AWARE_URL',
  'MSG_WRONG_NS',
] as const;

export type MedComIssueDetail = (typeof MEDCOM_ISSUE_DETAILS)[number];
export type Hl7IssueDetail = (typeof HL7_ISSUE_DETAILS)[number];
export type IssueDetail = MedComIssueDetail | Hl7IssueDetail;

export function isMedComIssueDetail(code: string): code is MedComIssueDetail {
  return (MEDCOM_ISSUE_DETAILS as readonly string[]).includes(code);
}

export function isHl7IssueDetail(code: string): code is Hl7IssueDetail {
  return (HL7_ISSUE_DETAILS as readonly string[]).includes(code);
}

/** OperationOutcome.issue.severity. */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** OperationOutcome.issue.code (FHIR R4 issue-type). */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'security'
  | 'login'
  | 'unknown'
  | 'expired'
  | 'forbidden'
  | 'suppressed'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'multiple-matches'
  | 'not-found'
  | 'deleted'
  | 'too-long'
  | 'code-invalid'
  | 'extension'
  | 'too-costly'
  | 'business-rule'
  | 'conflict'
  | 'transient'
  | 'lock-error'
  | 'no-store'
  | 'exception'
  | 'timeout'
  | 'incomplete'
  | 'throttled'
  | 'informational';

export interface AcknowledgementIssue {
  readonly severity: IssueSeverity;
  readonly code: IssueType;
  /** A code of the required issue-details ValueSet; free text goes to `text` (the IG allows own descriptions). */
  readonly detail?: IssueDetail;
  readonly text?: string;
  /** FHIRPath locations in the acknowledged message. */
  readonly expression?: readonly string[];
}

/** The verdict. Errors must explain themselves (ACK-1: non-ok ⇒ OperationOutcome), so the type demands an issue. */
export type AcknowledgementOutcome =
  | { readonly code: 'ok'; readonly issues?: readonly AcknowledgementIssue[] }
  | {
      readonly code: 'transient-error' | 'fatal-error';
      readonly issues: readonly [AcknowledgementIssue, ...AcknowledgementIssue[]];
    };
