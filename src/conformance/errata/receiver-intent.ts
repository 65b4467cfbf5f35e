/**
 * Intent checks for receive scripts. MedCom's receive scripts only check that the system under test can fetch each
 * message (conformance.md §3.4); what a receiver must then do — acknowledge — is checked nowhere. As intended, every
 * fetch is followed by the system's Acknowledgement, judged with the asserts of MedCom's own Ack send scripts
 * (acknowledgement-send-ok-hospitalnotification, in their corrected form) plus the link to the fetched message.
 */
import { ACK_PROFILE, acknowledgementAsserts } from '../intent/acknowledgement-checks.ts';
import type { Erratum } from './model.ts';

/** The errata that make a receive script check the Acknowledgement after every fetch. */
export function acknowledgeEveryFetch(idPrefix: string, scripts: readonly string[]): Erratum[] {
  const reason =
    'A receiver must acknowledge every message (GOV 020/040, ACK IG). The receive scripts only check that the message ' +
    'can be fetched; as intended, the system then sends an ok Acknowledgement that passes the Ack send asserts.';
  const source = 'conformance.md §3.3–3.4; acknowledgement-send-ok-hospitalnotification (Ack send asserts)';
  return [
    {
      id: `${idPrefix}-a`,
      title: 'receive scripts: name the fetched message',
      reason: `${reason} The fetch gets a responseId so the checks can refer to the message.`,
      source,
      select: { scripts, kind: 'operation', operationType: 'read', bySystemUnderTest: true },
      change: { kind: 'replace-operation', with: { responseId: 'received-message' } },
    },
    {
      id: `${idPrefix}-b`,
      title: 'receive scripts: declare what the Acknowledgement checks use',
      reason: `${reason} The checks need the fetched MessageHeader id and the Acknowledgement profile.`,
      source,
      select: { scripts },
      change: {
        kind: 'declare',
        variables: [
          { name: 'received-header-id', expression: 'Bundle.entry[0].resource.id', sourceId: 'received-message' },
        ],
        profiles: [{ id: 'acknowledgement', reference: ACK_PROFILE }],
      },
    },
    {
      id: `${idPrefix}-c`,
      title: 'receive scripts: the system acknowledges every fetched message',
      reason,
      source,
      select: { scripts, kind: 'operation', operationType: 'read', bySystemUnderTest: true },
      change: {
        kind: 'insert-after',
        actions: [
          {
            operation: {
              type: { code: 'create' },
              resource: 'Bundle',
              description: 'The system under test sends the Acknowledgement of the fetched message.',
              origin: 1,
              destination: 1,
              requestId: 'acknowledgement',
            },
          },
          ...acknowledgementAsserts('ok', 'received-header-id'),
        ],
      },
    },
  ];
}
