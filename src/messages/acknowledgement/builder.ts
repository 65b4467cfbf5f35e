/**
 * Builds the Acknowledgement of a received HospitalNotification or CareCommunication (ACK 2.0.3).
 * - destination = the original sender, at its `source.endpoint` (where it wants acks);
 * - sender = the acknowledging organisation, by default the original primary receiver;
 * - exactly two Provenances: the latest one of the acknowledged message, copied unchanged, and our own with activity
 *   `acknowledgement` and entity `revision` → the acknowledged MessageHeader;
 * - an OperationOutcome for every non-ok verdict (ACK-1), optional for ok (e.g. "duplicate").
 * Acknowledgements themselves are never acknowledged (KR2): asking for that returns a typed refusal, not a Bundle.
 */
import { asMessageBundle, assembleMessage, fullUrlBase, messageHeaderOf, type Located } from '../bundle.ts';
import type { BuildContext } from '../build-context.ts';
import { formatInstant } from '../clock.ts';
import { MessageModelError } from '../errors.ts';
import type { MessageBundle, OperationOutcome, Organization, Provenance } from '../fhir-types.ts';
import { eventCodeOf, headerParties, messageHeader, type BundledParty } from '../message-header.ts';
import { tableNarrative } from '../narrative.ts';
import { messagingOrganization, sameParty, type GlnSystem, type MessagingParty } from '../parties.ts';
import { currentProvenance, provenanceResource, provenancesOf, provenanceChain } from '../provenance.ts';
import { isMedComIssueDetail, type AcknowledgementIssue, type AcknowledgementOutcome } from './codes.ts';
import {
  ACK_HEADER_PROFILE,
  ACK_IG,
  ACK_MESSAGE_PROFILE,
  ACK_OPERATION_OUTCOME_PROFILE,
  HL7_ISSUE_SYSTEM_ACK_2_0,
  MEDCOM_ISSUE_SYSTEM,
} from './profiles.ts';

export interface AcknowledgeOptions {
  /** Who acknowledges; defaults to the primary receiver of the acknowledged message. */
  readonly acknowledger?: MessagingParty;
  readonly glnSystem?: GlnSystem;
  /** System written for HL7 `MSG_*` details; defaults to what the ACK 2.0.3 ValueSet includes (see profiles.ts). */
  readonly hl7IssueSystem?: string;
}

export type AcknowledgementRefusal =
  /** The received message is itself an Acknowledgement (KR2: acks are never acknowledged). */
  | 'acknowledgement-of-acknowledgement'
  /** The received message lacks what an ack must cite: MessageHeader id, a sender with SOR and GLN. */
  | 'unaddressable';

export type AcknowledgeResult =
  | { readonly kind: 'acknowledgement'; readonly bundle: MessageBundle }
  | { readonly kind: 'refused'; readonly reason: AcknowledgementRefusal; readonly problem: string };

/** The latest Provenance of a message: the one targeting its MessageHeader, else the newest by time. */
function latestProvenance(bundle: MessageBundle): Located<Provenance> | undefined {
  const current = currentProvenance(bundle);
  if (current) return current;
  const chain = provenanceChain(bundle);
  const last = chain[chain.length - 1];
  return last ? provenancesOf(bundle).find((p) => p.resource.id === last.id) : undefined;
}

function operationOutcome(id: string, issues: readonly AcknowledgementIssue[], hl7System: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id,
    meta: { profile: [ACK_OPERATION_OUTCOME_PROFILE] },
    text: tableNarrative(
      'Acknowledgement issues',
      issues.map((i, n): [string, string] => [
        `Issue ${n + 1} (${i.severity}, ${i.code})`,
        [i.detail, i.text].filter(Boolean).join(': '),
      ]),
    ),
    issue: issues.map((i) => ({
      severity: i.severity,
      code: i.code,
      ...(i.detail || i.text
        ? {
            details: {
              ...(i.detail
                ? {
                    coding: [
                      { system: isMedComIssueDetail(i.detail) ? MEDCOM_ISSUE_SYSTEM : hl7System, code: i.detail },
                    ],
                  }
                : {}),
              ...(i.text ? { text: i.text } : {}),
            },
          }
        : {}),
      ...(i.expression?.length ? { expression: [...i.expression] } : {}),
    })),
  };
}

export function acknowledge(
  received: unknown,
  outcome: AcknowledgementOutcome,
  context: BuildContext,
  options: AcknowledgeOptions = {},
): AcknowledgeResult {
  let bundle: MessageBundle;
  let event: string;
  let parties: ReturnType<typeof headerParties>;
  try {
    bundle = asMessageBundle(received);
    event = eventCodeOf(bundle);
    if (event === 'acknowledgement-message') {
      return {
        kind: 'refused',
        reason: 'acknowledgement-of-acknowledgement',
        problem: `Bundle/${bundle.id} is an Acknowledgement; acknowledgements are never acknowledged (KR2)`,
      };
    }
    parties = headerParties(bundle);
    if (!parties.sender.party.endpoint) {
      throw new MessageModelError(
        'no source endpoint',
        'Bundle.entry[0].resource.source.endpoint',
        'the endpoint acknowledgements go to',
        `Bundle/${bundle.id}`,
      );
    }
  } catch (error) {
    if (error instanceof MessageModelError) return { kind: 'refused', reason: 'unaddressable', problem: error.message };
    throw error;
  }

  const ackedHeaderId = messageHeaderOf(bundle).id;
  const glnSystem = options.glnSystem;
  const org = (party: MessagingParty, id: string) =>
    messagingOrganization(party, { id, ...(glnSystem ? { glnSystem } : {}) });

  // The original sender keeps its entry id so the copied Provenance's agent still resolves inside the ack.
  const destination: BundledParty = parties.sender;
  const acknowledgerParty = options.acknowledger ?? parties.receiver.party;
  const acknowledger: BundledParty = {
    party: acknowledgerParty,
    organizationId: sameParty(acknowledgerParty, parties.receiver.party)
      ? parties.receiver.organizationId
      : sameParty(acknowledgerParty, destination.party)
        ? destination.organizationId
        : context.ids(),
  };
  const organizations: Organization[] = [org(destination.party, destination.organizationId)];
  if (acknowledger.organizationId !== destination.organizationId) {
    organizations.push(org(acknowledger.party, acknowledger.organizationId));
  }

  const copied = latestProvenance(bundle);
  const copiedProvenance = copied ? structuredClone(copied.resource) : undefined;
  const agentId = copiedProvenance?.agent?.[0]?.who?.reference?.split('/').pop();
  if (agentId && !organizations.some((o) => o.id === agentId)) {
    const agentOrg = bundle.entry.find((e) => e.resource.resourceType === 'Organization' && e.resource.id === agentId);
    if (agentOrg) organizations.push(structuredClone(agentOrg.resource as Organization));
  }

  const sentAt = formatInstant(context.clock(), context.timeZone);
  const headerId = context.ids();
  const issues = outcome.issues ?? [];
  const outcomeResource = issues.length
    ? operationOutcome(context.ids(), issues, options.hl7IssueSystem ?? HL7_ISSUE_SYSTEM_ACK_2_0)
    : undefined;
  const header = messageHeader({
    id: headerId,
    profile: ACK_HEADER_PROFILE,
    event: 'acknowledgement-message',
    sender: acknowledger,
    receiver: destination,
    response: {
      identifier: ackedHeaderId,
      code: outcome.code,
      ...(outcomeResource ? { details: { reference: `OperationOutcome/${outcomeResource.id}` } } : {}),
    },
    narrativeRows: [
      ['Acknowledges', `MessageHeader ${ackedHeaderId} (${event})`],
      ['Response', outcome.code],
    ],
  });
  const own = provenanceResource({
    id: context.ids(),
    messageHeaderId: headerId,
    occurred: sentAt,
    activity: 'acknowledgement',
    agentOrganizationId: acknowledger.organizationId,
    entities: [{ role: 'revision', what: { kind: 'message', messageHeaderId: ackedHeaderId } }],
  });
  return {
    kind: 'acknowledgement',
    bundle: assembleMessage({
      id: context.ids(),
      profile: ACK_MESSAGE_PROFILE,
      timestamp: sentAt,
      fullUrlBase: fullUrlBase(ACK_IG),
      header,
      resources: [
        ...organizations,
        ...(copiedProvenance ? [copiedProvenance] : []),
        own,
        ...(outcomeResource ? [outcomeResource] : []),
      ],
    }),
  };
}

/**
 * The ack for a duplicate of an already acknowledged message: the same content (verdict, issues, parties, copied
 * Provenance) under a new Bundle.id, a new MessageHeader.id and new times (GOV 043; Touchstone's duplicate scripts
 * demand a different Bundle.id and timestamp). Everything that is not an id or a time is copied unchanged.
 */
export function reissueAcknowledgement(previousAck: unknown, context: BuildContext): MessageBundle {
  const previous = asMessageBundle(previousAck);
  if (eventCodeOf(previous) !== 'acknowledgement-message') {
    throw new MessageModelError(
      'not an Acknowledgement',
      'Bundle.entry[0].resource.eventCoding.code',
      "'acknowledgement-message'",
      `Bundle/${previous.id}`,
    );
  }
  const oldHeader = messageHeaderOf(previous);
  const own = currentProvenance(previous);
  const sentAt = formatInstant(context.clock(), context.timeZone);
  const headerId = context.ids();
  const header = { ...structuredClone(oldHeader), id: headerId };
  header.text = tableNarrative(`MessageHeader ${headerId}`, [
    ['Event', 'acknowledgement-message'],
    ['Acknowledges', `MessageHeader ${oldHeader.response?.identifier ?? ''}`],
    ['Response', oldHeader.response?.code],
    ['Destination endpoint', oldHeader.destination[0]?.endpoint],
    ['Source endpoint', oldHeader.source.endpoint],
  ]);
  const resources = previous.entry.slice(1).map((entry) => {
    if (own && entry.resource === own.resource) {
      const copy = structuredClone(own.resource);
      return {
        ...copy,
        id: context.ids(),
        target: [{ reference: `MessageHeader/${headerId}` }],
        occurredDateTime: sentAt,
        recorded: sentAt,
      };
    }
    return structuredClone(entry.resource) as typeof entry.resource & { id: string };
  });
  return assembleMessage({
    id: context.ids(),
    profile: ACK_MESSAGE_PROFILE,
    timestamp: sentAt,
    fullUrlBase: fullUrlBase(ACK_IG),
    header,
    resources,
  });
}
