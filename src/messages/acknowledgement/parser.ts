/** Bundle → {@link Acknowledgement}: what a sender needs to settle the fate of the message it sent. */
import { asMessageBundle, messageHeaderOf, messageName, resolveReference } from '../bundle.ts';
import { MessageModelError } from '../errors.ts';
import type { OperationOutcome } from '../fhir-types.ts';
import { headerParties, requireEventCode, type BundledParty } from '../message-header.ts';
import { currentProvenance, provenanceChain, provenanceLink, type ProvenanceLink } from '../provenance.ts';
import type { AcknowledgementCode } from './codes.ts';
import { HL7_ISSUE_SYSTEM, HL7_ISSUE_SYSTEM_ACK_2_0, MEDCOM_ISSUE_SYSTEM } from './profiles.ts';

export interface ReceivedIssue {
  readonly severity: string;
  readonly code: string;
  /** The issue-detail code, when it comes from the MedCom or HL7 issue system (both HL7 spellings accepted). */
  readonly detail?: string;
  readonly text?: string;
  readonly expression?: readonly string[];
}

export interface Acknowledgement {
  readonly bundleId: string;
  readonly timestamp: string;
  readonly messageHeaderId: string;
  readonly code: AcknowledgementCode;
  /** MessageHeader.id of the acknowledged message (response.identifier). */
  readonly acknowledgedMessageHeaderId: string;
  /** The acknowledging organisation. */
  readonly sender: BundledParty;
  /** The original sender, now receiving the ack. */
  readonly receiver: BundledParty;
  readonly issues: readonly ReceivedIssue[];
  readonly sentAt: Date | undefined;
  readonly provenance: readonly ProvenanceLink[];
}

const CODES: readonly AcknowledgementCode[] = ['ok', 'transient-error', 'fatal-error'];
const DETAIL_SYSTEMS = [MEDCOM_ISSUE_SYSTEM, HL7_ISSUE_SYSTEM, HL7_ISSUE_SYSTEM_ACK_2_0];

export function parseAcknowledgement(value: unknown, source?: string): Acknowledgement {
  const bundle = asMessageBundle(value, source);
  const name = source ?? messageName(bundle);
  requireEventCode(bundle, 'acknowledgement-message', (event) => `event ${event} is not an Acknowledgement`, name);
  const header = messageHeaderOf(bundle);
  const response = header.response;
  if (typeof response?.identifier !== 'string') {
    throw new MessageModelError(
      'no acknowledged message id',
      'Bundle.entry[0].resource.response.identifier',
      'the MessageHeader.id of the acknowledged message',
      name,
    );
  }
  if (!CODES.includes(response.code as AcknowledgementCode)) {
    throw new MessageModelError(
      'unknown response code',
      'Bundle.entry[0].resource.response.code',
      "'ok' | 'transient-error' | 'fatal-error'",
      name,
    );
  }
  const details = resolveReference<OperationOutcome>(bundle, response.details);
  const outcomes =
    details?.resource.resourceType === 'OperationOutcome'
      ? [details.resource]
      : bundle.entry.map((e) => e.resource).filter((r): r is OperationOutcome => r.resourceType === 'OperationOutcome');
  const issues: ReceivedIssue[] = outcomes.flatMap((o) =>
    (Array.isArray(o.issue) ? o.issue : []).map((issue) => {
      const coding = issue.details?.coding?.find(
        (c) => typeof c?.system === 'string' && DETAIL_SYSTEMS.includes(c.system),
      );
      return {
        severity: String(issue.severity),
        code: String(issue.code),
        ...(typeof coding?.code === 'string' ? { detail: coding.code } : {}),
        ...(typeof issue.details?.text === 'string' ? { text: issue.details.text } : {}),
        ...(Array.isArray(issue.expression)
          ? { expression: issue.expression.filter((e) => typeof e === 'string') }
          : {}),
      };
    }),
  );
  const { sender, receiver } = headerParties(bundle);
  const own = currentProvenance(bundle);
  return {
    bundleId: bundle.id,
    timestamp: bundle.timestamp,
    messageHeaderId: header.id,
    code: response.code as AcknowledgementCode,
    acknowledgedMessageHeaderId: response.identifier,
    sender,
    receiver,
    issues,
    sentAt: own ? provenanceLink(own.resource).time : undefined,
    provenance: provenanceChain(bundle),
  };
}
