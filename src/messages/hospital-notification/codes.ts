/**
 * The 18 HospitalNotification codes (medcom-fhir.md §3.2). The Danish codes are business labels — they never appear in
 * the payload; a message's code follows from its Encounter class/status, its current Provenance activity and entity
 * role, and Patient.deceased. This file is the one table of that correspondence.
 */
import type { HospitalNotificationActivity } from '../provenance.ts';

export const BASE_EVENTS = ['STIN', 'STAA', 'STOR', 'SLOR', 'SLHJ', 'MORS'] as const;
/** The six events; RE_/AN_ variants correct or cancel one of them. */
export type BaseEvent = (typeof BASE_EVENTS)[number];

export const NOTIFICATION_CODES = [
  'STIN',
  'RE_STIN',
  'AN_STIN',
  'STAA',
  'RE_STAA',
  'AN_STAA',
  'STOR',
  'RE_STOR',
  'AN_STOR',
  'SLOR',
  'RE_SLOR',
  'AN_SLOR',
  'SLHJ',
  'RE_SLHJ',
  'AN_SLHJ',
  'MORS',
  'RE_MORS',
  'AN_MORS',
] as const;
export type NotificationCode = (typeof NOTIFICATION_CODES)[number];

export type Variant = 'new' | 'correction' | 'cancellation';

export function isNotificationCode(value: string): value is NotificationCode {
  return (NOTIFICATION_CODES as readonly string[]).includes(value);
}

export function splitCode(code: NotificationCode): { base: BaseEvent; variant: Variant } {
  if (code.startsWith('RE_')) return { base: code.slice(3) as BaseEvent, variant: 'correction' };
  if (code.startsWith('AN_')) return { base: code.slice(3) as BaseEvent, variant: 'cancellation' };
  return { base: code as BaseEvent, variant: 'new' };
}

export function joinCode(base: BaseEvent, variant: Variant): NotificationCode {
  return (variant === 'new' ? base : `${variant === 'correction' ? 'RE' : 'AN'}_${base}`) as NotificationCode;
}

/** Encounter.class (VS medcom-hospitalNotification-encounterClass): admitted or acute ambulant. */
export type EncounterClass = 'IMP' | 'EMER';
export const ENCOUNTER_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/** Encounter.status (VS medcom-hospitalNotification-encounterStatus). */
export type EncounterStatus = 'in-progress' | 'onleave' | 'finished' | 'entered-in-error';
export const ENCOUNTER_STATUSES: readonly EncounterStatus[] = [
  'in-progress',
  'onleave',
  'finished',
  'entered-in-error',
];

/** Leave notifications exist only as `*-inpatient` activities: STOR/SLOR and their variants need class IMP. */
export function isLeaveEvent(base: BaseEvent): boolean {
  return base === 'STOR' || base === 'SLOR';
}

/** The class a start event sets. */
export function classOfStart(base: 'STIN' | 'STAA'): EncounterClass {
  return base === 'STIN' ? 'IMP' : 'EMER';
}

const STEMS: Record<Exclude<BaseEvent, 'MORS' | 'SLHJ'>, string> = {
  STIN: 'admit-inpatient',
  STAA: 'admit-emergency',
  STOR: 'start-leave-inpatient',
  SLOR: 'end-leave-inpatient',
};

/**
 * The Provenance activity a notification writes. MORS (and RE_/AN_MORS) has no activity of its own — it repeats the
 * current activity of the stay — so this returns `undefined` for it.
 */
export function activityFor(
  base: BaseEvent,
  variant: Variant,
  encounterClass: EncounterClass,
): HospitalNotificationActivity | undefined {
  if (base === 'MORS') return undefined;
  const stem =
    base === 'SLHJ' ? `discharge-${encounterClass === 'EMER' ? 'emergency' : 'inpatient'}-home` : STEMS[base];
  const prefix = variant === 'new' ? '' : variant === 'correction' ? 'revise-' : 'cancel-';
  return `${prefix}${stem}` as HospitalNotificationActivity;
}

/** The inverse of {@link activityFor}: which event an activity code names. */
export function eventOfActivity(activity: string): { base: Exclude<BaseEvent, 'MORS'>; variant: Variant } | undefined {
  const variant: Variant = activity.startsWith('revise-')
    ? 'correction'
    : activity.startsWith('cancel-')
      ? 'cancellation'
      : 'new';
  const stem = activity.replace(/^(revise|cancel)-/, '');
  if (stem === 'discharge-emergency-home' || stem === 'discharge-inpatient-home') return { base: 'SLHJ', variant };
  const base = (Object.keys(STEMS) as (keyof typeof STEMS)[]).find((b) => STEMS[b] === stem);
  return base ? { base, variant } : undefined;
}

/**
 * VANSEnvelope `Name` postfix of `MCM:FDIS20#…` (medcom-fhir.md §6; *inference* for RE/AN/MORS: the underlying event).
 */
export function statisticalPostfix(base: BaseEvent, encounterClass: EncounterClass): string {
  switch (base) {
    case 'STIN':
      return 'AdmissionInpatient';
    case 'STAA':
      return 'AcuteAmbulant';
    case 'STOR':
      return 'OnLeave';
    case 'SLOR':
      return 'EndOfLeave';
    case 'SLHJ':
      return 'EndHospitalStay';
    case 'MORS':
      return encounterClass === 'EMER' ? 'AcuteAmbulant' : 'AdmissionInpatient';
  }
}
