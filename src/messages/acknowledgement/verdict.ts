/**
 * Turns a validation result into the verdict an Acknowledgement carries: `ok` when the message is valid, otherwise
 * `fatal-error` (KR6: validation failures are fatal, "do not resend unchanged") with one issue per validation error.
 * The receive path (CLI `ack`, conformance runner, hub intake) uses this one mapping.
 */
import { isFailure, type ValidationIssue } from '../../validation/outcome.ts';
import type { ValidationResult } from '../../validation/validator.ts';
import type { AcknowledgementIssue, AcknowledgementOutcome } from './codes.ts';

/** The validator's issue types and detail codes are subsets of the acknowledgement's, so they carry over as they are. */
export function acknowledgementIssue(issue: ValidationIssue): AcknowledgementIssue {
  return {
    severity: issue.severity,
    code: issue.code,
    ...(issue.details ? { detail: issue.details } : {}),
    text: issue.message,
    ...(issue.expression ? { expression: [issue.expression] } : {}),
  };
}

export function verdictFor(result: ValidationResult): AcknowledgementOutcome {
  const [first, ...rest] = result.issues.filter(isFailure).map(acknowledgementIssue);
  return first ? { code: 'fatal-error', issues: [first, ...rest] } : { code: 'ok' };
}
