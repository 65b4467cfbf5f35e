// Validation issues as plain values, and their OperationOutcome form (the error currency of FHIR and of the MedCom
// Acknowledgement). Issue codes are FHIR `issue-type` codes; `details` carries the MedCom ack issue-details code.

import { maskCprNumbers } from '../fhir/cpr-mask.ts';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** FHIR R4 issue types used by the validator (a subset of http://hl7.org/fhir/issue-type). */
export type IssueCode =
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'too-long'
  | 'processing'
  | 'not-found'
  | 'not-supported'
  | 'invalid'
  | 'business-rule'
  | 'informational';

/**
 * The issue-details codes of VS `medcom-acknowledgement-issue-details` the validator emits, spelled exactly as
 * published (medcom-fhir.md §5) — including MedCom's own casing.
 */
export type IssueDetail =
  | 'MSG_BAD_FORMAT'
  | 'MSG_BAD_SYNTAX'
  | 'MSG_DATE_FORMAT'
  | 'MSG_ID_INVALID'
  | 'MSG_LOCAL_FAIL'
  | 'MSG_RESOURCE_REQUIRED'
  | 'MSG_RESOURCE_TYPE_MISMATCH'
  | 'MSG_UNKNOWN_TYPE'
  | 'MSG_VALUESET_VALUE_UNKNOWN'
  | 'MSG_CodeSystem_VALUE_UNKNOWN'
  | 'MSG_Element_To_Long'
  | 'MSG_Datatype_Wrong';

/** HL7 codes sit in a system that MedCom's value set names by the URL of the HL7 value set (terminology 1.4.0). */
export const HL7_ISSUE_DETAILS_SYSTEM = 'http://hl7.org/fhir/ValueSet/operation-outcome';
export const MEDCOM_ISSUE_DETAILS_SYSTEM =
  'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes';

const MEDCOM_DETAILS: ReadonlySet<IssueDetail> = new Set<IssueDetail>([
  'MSG_VALUESET_VALUE_UNKNOWN',
  'MSG_CodeSystem_VALUE_UNKNOWN',
  'MSG_Element_To_Long',
  'MSG_Datatype_Wrong',
]);

export function issueDetailSystem(detail: IssueDetail): string {
  return MEDCOM_DETAILS.has(detail) ? MEDCOM_ISSUE_DETAILS_SYSTEM : HL7_ISSUE_DETAILS_SYSTEM;
}

export interface ValidationIssue {
  readonly severity: IssueSeverity;
  readonly code: IssueCode;
  /** FHIRPath location in the validated instance, e.g. `Bundle.entry[2].resource.identifier[0].system`. */
  readonly expression: string;
  /** What was expected, what was found, and which profile asked for it. Never contains a CPR number. */
  readonly message: string;
  readonly details?: IssueDetail;
  /** Invariant key (`medcom-hospitalNotification-2`) or rule id (`uuidv5#intent`) when a named rule failed. */
  readonly rule?: string;
}

export function isFailure(issue: ValidationIssue): boolean {
  return issue.severity === 'error' || issue.severity === 'fatal';
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: IssueSeverity;
    code: IssueCode;
    details?: { coding?: { system: string; code: string }[]; text: string };
    diagnostics?: string;
    expression: string[];
  }[];
}

/** An OperationOutcome with one issue per validation issue; an empty list becomes the customary "all OK" issue. */
export function toOperationOutcome(issues: readonly ValidationIssue[]): OperationOutcome {
  if (issues.length === 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', details: { text: 'All OK' }, expression: [] }],
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: issue.severity,
      code: issue.code,
      details: {
        ...(issue.details ? { coding: [{ system: issueDetailSystem(issue.details), code: issue.details }] } : {}),
        text: issue.message,
      },
      ...(issue.rule ? { diagnostics: `rule ${issue.rule}` } : {}),
      expression: issue.expression ? [issue.expression] : [],
    })),
  };
}

/**
 * Quotes an instance value for a message. Anything shaped like a CPR number is masked, because issue messages end
 * up in logs and acknowledgements; long values are shortened.
 */
export function quote(value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) text = String(value);
  text = maskCprNumbers(text);
  return `'${text.length > 120 ? `${text.slice(0, 117)}...` : text}'`;
}
