// XDIS20 NotificationOfAdmission ("indlæggelsesadvis") and XDIS17 NotificationOfDischarge ("udskrivningsadvis"),
// namespace 2005/08/07 — together "Det gode kommuneadvis", replaced by FHIR HospitalNotification (oioxml.md §4).
import type { OioDateTime, Party, StatusCode } from '../model.ts';

export const XDIS20_VERSION_CODE = 'XD2030C';
export const XDIS17_VERSION_CODE = 'XD1730C';

export const NOTIFICATION_STATUS_CODES: readonly StatusCode[] = ['nytbrev', 'rettetbrev', 'annulleretbrev'];

export type AdmissionStatusCode = 'indlagt' | 'doed';
export const ADMISSION_STATUS_CODES: readonly AdmissionStatusCode[] = ['indlagt', 'doed'];

export type DischargeStatusCode =
  | 'doed'
  | 'udskrevet_til_hjemmet'
  | 'udskrevet_til_andet'
  | 'flyttet_til_sygehusafd'
  | 'uoplyst'
  | 'flyttet_til_sygehus';
export const DISCHARGE_STATUS_CODES: readonly DischargeStatusCode[] = [
  'doed',
  'udskrevet_til_hjemmet',
  'udskrevet_til_andet',
  'flyttet_til_sygehusafd',
  'uoplyst',
  'flyttet_til_sygehus',
];

export interface NotificationLetter {
  readonly identifier: string;
  readonly statisticalCode: string;
  /** Date + hh:mm:ss (TimeWithSec). */
  readonly authorisation: OioDateTime;
  readonly statusCode: StatusCode;
  /** The episode id ("forløbsid"), String_1_35; in practice 32 hex digits (a UUID without hyphens). */
  readonly notificationIdentifier: string;
}

/** Patient of a notification: CPR only, no name or address. */
export interface NotificationPatient<S extends string> {
  readonly civilRegistrationNumber: string;
  readonly episodeOfCareStatusCode?: S;
}

export interface NotificationOfAdmission {
  readonly type: 'XDIS20';
  readonly letter: NotificationLetter;
  /** AnswerTo is required. */
  readonly sender: Party;
  readonly receiver: Party;
  readonly patient: NotificationPatient<AdmissionStatusCode>;
  /** Date + hh:mm of the admission. */
  readonly admission: OioDateTime;
}

export interface NotificationOfDischarge {
  readonly type: 'XDIS17';
  readonly letter: NotificationLetter;
  readonly sender: Party;
  readonly receiver: Party;
  readonly patient: NotificationPatient<DischargeStatusCode>;
  /** Date + hh:mm of the discharge (or death). */
  readonly discharge: OioDateTime;
}

export type HospitalNotificationLetter = NotificationOfAdmission | NotificationOfDischarge;
