/**
 * Intent checks for receive scripts. MedCom's receive scripts only check that the system under test can fetch each
 * message (conformance.md §3.4); what a receiver must then do — acknowledge — is checked nowhere. As intended, every
 * fetch is followed by the system's Acknowledgement, judged with the asserts of MedCom's own Ack send scripts
 * (acknowledgement-send-ok-hospitalnotification, in their corrected form) plus the link to the fetched message.
 */
import { CURRENT_PROVENANCE } from './messaging-errata.ts';
import type { ActionJson, Erratum } from './model.ts';

const ACK_PROFILE = 'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement';

const request = (assert: Record<string, unknown>): ActionJson => ({
  assert: { direction: 'request', warningOnly: false, ...assert },
});

/** The Ack asserts: what MedCom demands of a positive Acknowledgement of the message held in `received-header-id`. */
export function acknowledgementAsserts(code: 'ok' | 'transient-error' | 'fatal-error', headerVariable: string): ActionJson[] {
  return [
    { assert: { direction: 'response', operator: 'in', responseCode: '200,201', warningOnly: false } },
    request({ resource: 'Bundle', description: 'The system under test answers with a Bundle.' }),
    request({ validateProfileId: 'acknowledgement', description: 'The answer is a MedCom Acknowledgement.' }),
    request({
      description: 'Event acknowledgement-message.',
      expression:
        "Bundle.entry.resource.ofType(MessageHeader).event.as(Coding).select(code = 'acknowledgement-message').allTrue()",
    }),
    request({
      description: `Response code ${code}.`,
      expression: `Bundle.entry.resource.ofType(MessageHeader).response.code = '${code}'`,
    }),
    request({
      description: 'The Acknowledgement answers the message just fetched.',
      expression: `Bundle.entry.resource.ofType(MessageHeader).response.identifier = '\${${headerVariable}}'`,
    }),
    request({
      description: 'Two Provenances: the latest of the acknowledged message and the Acknowledgement own.',
      expression: 'Bundle.entry.resource.ofType(Provenance).count() = 2',
    }),
    request({
      description: 'The own Provenance: activity acknowledgement, entity revision of the acknowledged MessageHeader.',
      expression:
        `${CURRENT_PROVENANCE}.where(activity.coding.code = 'acknowledgement' and ` +
        `entity.where(role = 'revision' and what.reference.contains('\${${headerVariable}}')).exists()).count() = 1`,
    }),
  ];
}

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
        variables: [{ name: 'received-header-id', expression: 'Bundle.entry[0].resource.id', sourceId: 'received-message' }],
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
