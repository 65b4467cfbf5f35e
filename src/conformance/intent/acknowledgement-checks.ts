/**
 * What MedCom demands of an Acknowledgement (the asserts of its Ack send scripts, in their corrected form), as
 * TestScript actions that can follow any fetch: used by the receive-script errata and the built-in intent scripts.
 */
import type { ActionJson } from '../errata/model.ts';

/** The Provenance created with the evaluated message: its target is the message's own MessageHeader. */
export const CURRENT_PROVENANCE =
  'Bundle.entry.resource.ofType(Provenance).where(target.reference.contains(%resource.entry[0].resource.id))';

export const ACK_PROFILE =
  'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement';

const request = (assert: Record<string, unknown>): ActionJson => ({
  assert: { direction: 'request', warningOnly: false, ...assert },
});

/** The Ack asserts for an Acknowledgement with `code` of the message whose MessageHeader id is in `headerVariable`. */
export function acknowledgementAsserts(
  code: 'ok' | 'transient-error' | 'fatal-error',
  headerVariable: string,
): ActionJson[] {
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
