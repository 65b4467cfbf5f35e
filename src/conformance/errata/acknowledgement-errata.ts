/**
 * Errata for medcom.fhir.dk.acknowledgementtestscripts#2.0.0. The send scripts share the messaging RuleSets of the
 * HN 3.0.1 scripts, and unlike HN they were never corrected (conformance.md §5 #4).
 */
import { entityRoleErratum, predecessorReferenceErrata, provenanceTargetErratum } from './messaging-errata.ts';
import type { ErrataOverlay, Erratum } from './model.ts';

const SEND = ['acknowledgement-send-*'];

/** After each Ack the system sends: it answers the STIN it fetched before (response.identifier). */
function answersFetched(id: string, tests: string, variable: string): Erratum {
  return {
    id,
    title: 'the Acknowledgement names the acknowledged message',
    reason:
      'No published assert checks MessageHeader.response.identifier, the field that tells the original sender which ' +
      'message is acknowledged. As intended it equals the MessageHeader id of the fetched message.',
    source: 'ACK 2.0.3 IG (MedComAcknowledgementMessageHeader.response.identifier); medcom-fhir.md §5',
    select: { scripts: SEND, tests: [tests], kind: 'operation', operationType: 'create', bySystemUnderTest: true },
    change: {
      kind: 'insert-after',
      actions: [
        {
          assert: {
            direction: 'request',
            warningOnly: false,
            description: 'The Acknowledgement answers the fetched message.',
            expression: `Bundle.entry.resource.ofType(MessageHeader).response.identifier = '\${${variable}}'`,
          },
        },
      ],
    },
  };
}

export const ACKNOWLEDGEMENT_ERRATA: ErrataOverlay = {
  version: '2025.1',
  scripts: { id: 'medcom.fhir.dk.acknowledgementtestscripts', version: '2.0.0' },
  errata: [
    provenanceTargetErratum('ACK-01', SEND),
    ...predecessorReferenceErrata('ACK-02a', 'ACK-02b', SEND),
    entityRoleErratum('ACK-03', SEND),
    {
      id: 'ACK-04',
      defect: 14,
      title: 'exactly two Provenances',
      reason:
        'Provenance.count() = 2 holds because an Acknowledgement copies only the latest Provenance of the acknowledged ' +
        'message (ACK IG); for a HospitalNotification STIN that is also its only one. Kept; noted because the assert ' +
        'reads as if the acknowledged message had one Provenance.',
      source: 'ACK 2.0.3 IG; conformance.md §5 #14',
      select: { scripts: SEND, kind: 'assert', expression: 'Bundle.entry.resource.ofType(Provenance).count() = 2' },
      change: { kind: 'annotate' },
    },
    answersFetched('ACK-05a', 'message-create-*-02', 'messageHeaderid-STIN'),
    answersFetched('ACK-05b', 'message-create-*-04', 'messageHeaderid-STIN2'),
  ],
};
