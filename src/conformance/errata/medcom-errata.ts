/** The errata overlays for the three published MedCom TestScript packages, by suite. */
import type { SuiteName } from '../testscript/load.ts';
import { ACKNOWLEDGEMENT_ERRATA } from './acknowledgement-errata.ts';
import { CARE_COMMUNICATION_ERRATA } from './care-communication-errata.ts';
import { HOSPITAL_NOTIFICATION_ERRATA } from './hospital-notification-errata.ts';
import type { ErrataOverlay } from './model.ts';

export const MEDCOM_ERRATA: ReadonlyMap<SuiteName, ErrataOverlay> = new Map<SuiteName, ErrataOverlay>([
  ['hospitalnotification', HOSPITAL_NOTIFICATION_ERRATA],
  ['carecommunication', CARE_COMMUNICATION_ERRATA],
  ['acknowledgement', ACKNOWLEDGEMENT_ERRATA],
]);
