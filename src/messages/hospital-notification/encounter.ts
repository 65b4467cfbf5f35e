/** The MedComHospitalNotificationEncounter resource. */
import type { Encounter, Identifier } from '../fhir-types.ts';
import { tableNarrative } from '../narrative.ts';
import { ENCOUNTER_CLASS_SYSTEM, type EncounterClass, type EncounterStatus } from './codes.ts';
import type { NotificationPeriod } from './notification.ts';
import { HN_ENCOUNTER_PROFILE, LEAVE_PERIOD_EXTENSION } from './profiles.ts';

export interface EncounterData {
  readonly id: string;
  readonly encounterClass: EncounterClass;
  readonly status: EncounterStatus;
  readonly period: NotificationPeriod;
  readonly leavePeriod?: NotificationPeriod;
  readonly episodeOfCare: readonly Identifier[];
  readonly patientId: string;
  readonly serviceProviderId: string;
}

export function encounterResource(data: EncounterData): Encounter {
  const period = { start: data.period.start, ...(data.period.end ? { end: data.period.end } : {}) };
  const leave = data.leavePeriod
    ? { start: data.leavePeriod.start, ...(data.leavePeriod.end ? { end: data.leavePeriod.end } : {}) }
    : undefined;
  return {
    resourceType: 'Encounter',
    id: data.id,
    meta: { profile: [HN_ENCOUNTER_PROFILE] },
    text: tableNarrative(`Encounter ${data.id}`, [
      ['Status', data.status],
      ['Class', data.encounterClass],
      ['Period start', period.start],
      ['Period end', period.end],
      ['Leave start', leave?.start],
      ['Leave end', leave?.end],
      ['Episode of care', data.episodeOfCare.map((i) => i.value).join(', ')],
    ]),
    ...(leave ? { extension: [{ url: LEAVE_PERIOD_EXTENSION, valuePeriod: leave }] } : {}),
    status: data.status,
    class: { system: ENCOUNTER_CLASS_SYSTEM, code: data.encounterClass },
    subject: { reference: `Patient/${data.patientId}` },
    episodeOfCare: data.episodeOfCare.map((identifier) => ({ identifier: { ...identifier } })),
    period,
    serviceProvider: { reference: `Organization/${data.serviceProviderId}` },
  };
}
