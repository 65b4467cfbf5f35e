// The statistics postfix of a FHIR message (medcom-fhir.md §6): VANS Document/Name `MCM:<SOR-EDI type>#<postfix>` and
// ehmiSBDH StatisticalInformation `MCM:<Standard>#<postfix>`. Allowed values are CodeSystem
// `medcom-messaging-statisticalCodes` (terminology 2.0.x).
import { EnvelopeError } from './envelope-error.ts';
import type { FhirPayload } from './payload.ts';

/**
 * ⚠ MedCom's text says the HN postfix comes "from the HN activity value set", but only five CamelCase codes exist.
 * We use the postfix of the underlying event (medcom-fhir.md §6 Inference): corrections and cancellations carry the
 * postfix of what they correct, and a death notification (MORS) keeps the current activity, hence its postfix.
 */
const HN_POSTFIX_BY_ACTIVITY: readonly (readonly [RegExp, string])[] = [
  [/admit-emergency$/, 'AcuteAmbulant'],
  [/admit-inpatient$/, 'AdmissionInpatient'],
  [/start-leave-inpatient$/, 'OnLeave'],
  [/end-leave-inpatient$/, 'EndOfLeave'],
  [/discharge-(emergency|inpatient)-home$/, 'EndHospitalStay'],
];

export function hospitalNotificationPostfix(activity: string): string | undefined {
  return HN_POSTFIX_BY_ACTIVITY.find(([pattern]) => pattern.test(activity))?.[1];
}

/** The postfix for a FHIR message, or an EnvelopeError naming the element that should have supplied it. */
export function statisticalPostfix(message: FhirPayload, label: string): string | undefined {
  switch (message.eventCode) {
    case 'care-communication-message':
      if (!message.category) {
        throw new EnvelopeError(
          label,
          'Communication.category',
          'a CareCommunication needs a category code for the statistics postfix',
        );
      }
      return message.category;
    case 'hospital-notification-message': {
      const postfix = message.activity ? hospitalNotificationPostfix(message.activity) : undefined;
      if (!postfix) {
        throw new EnvelopeError(
          label,
          'Provenance.activity',
          `no statistics postfix for HospitalNotification activity ${JSON.stringify(message.activity ?? '')}; ` +
            'expected an admit-, leave- or discharge- activity of the message’s own Provenance',
        );
      }
      return postfix;
    }
    case 'acknowledgement-message':
      if (!message.responseCode) {
        throw new EnvelopeError(label, 'MessageHeader.response.code', 'an Acknowledgement needs a response code');
      }
      return message.responseCode;
    default:
      return undefined;
  }
}
