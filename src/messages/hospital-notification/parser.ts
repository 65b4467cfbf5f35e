/**
 * Bundle → {@link HospitalNotification}. The notification code is not in the payload; it is read from the current
 * Provenance activity and entity role, and — for death, which has no activity — from Patient.deceased:
 * absent/false → true is MORS, true → true RE_MORS, true → false AN_MORS (medcom-fhir.md §3.2 note 3).
 */
import { asMessageBundle, messageHeaderOf, messageName, requireReference } from '../bundle.ts';
import { MessageModelError } from '../errors.ts';
import type { Encounter, MessageBundle, MessageHeader, Organization, Patient } from '../fhir-types.ts';
import { headerParties, requireEventCode } from '../message-header.ts';
import { careOrganizationFromResource, Cpr, partyFromOrganization, patientFromResource } from '../parties.ts';
import { predecessorOf, provenanceChain, provenanceLink, requireCurrentProvenance } from '../provenance.ts';
import {
  ENCOUNTER_STATUSES,
  eventOfActivity,
  joinCode,
  type EncounterClass,
  type EncounterStatus,
  type NotificationCode,
} from './codes.ts';
import { readEpisodeOfCareIds } from './episode-of-care.ts';
import type { HospitalNotification, NotificationPeriod, ReportOfAdmission } from './notification.ts';
import {
  LEAVE_PERIOD_EXTENSION,
  REPORT_OF_ADMISSION_FLAG_EXTENSION,
  REPORT_OF_ADMISSION_RECIPIENT_EXTENSION,
} from './profiles.ts';

export interface ParseOptions {
  /** Patient.deceased of the previous notification of the stay; settles MORS vs RE_MORS vs AN_MORS. */
  readonly previousDeceased?: boolean;
  /** Names the message in errors (file name, transport id); defaults to `Bundle/<id>`. */
  readonly source?: string;
}

function deathCode(
  deceased: boolean | undefined,
  previousDeceased: boolean | undefined,
  role: string | undefined,
  activityVariant: string | undefined,
  chainLength: number,
): { code: NotificationCode; certain: boolean } | undefined {
  if (previousDeceased !== undefined) {
    if (deceased === true) return { code: previousDeceased ? 'RE_MORS' : 'MORS', certain: true };
    if (deceased === false && previousDeceased) return { code: 'AN_MORS', certain: true };
    return undefined;
  }
  // A single Provenance is a first message: dead on arrival, certainly MORS. Later, RE_MORS looks the same.
  if (deceased === true) return { code: 'MORS', certain: chainLength === 1 };
  // AN_MORS removes the MORS but repeats the stay's current activity — a removal without a cancel-* activity.
  if (deceased === false && role === 'removal' && activityVariant !== 'cancellation') {
    return { code: 'AN_MORS', certain: true };
  }
  return undefined;
}

function readPeriod(
  value: unknown,
  location: string,
  source: string,
  required: boolean,
): NotificationPeriod | undefined {
  const period = value as { start?: unknown; end?: unknown } | undefined;
  if (typeof period?.start !== 'string') {
    if (!required && period === undefined) return undefined;
    throw new MessageModelError('period has no start', `${location}.start`, 'a dateTime with seconds and zone', source);
  }
  return { start: period.start, ...(typeof period.end === 'string' ? { end: period.end } : {}) };
}

export function parseHospitalNotification(value: unknown, options: ParseOptions = {}): HospitalNotification {
  const bundle: MessageBundle = asMessageBundle(value, options.source);
  const source = options.source ?? messageName(bundle);
  requireEventCode(
    bundle,
    'hospital-notification-message',
    (event) => `event ${event} is not a HospitalNotification`,
    source,
  );
  const header: MessageHeader = messageHeaderOf(bundle);
  const { sender, receiver } = headerParties(bundle);

  const encounterRef = requireReference<Encounter>(
    bundle,
    header.focus?.[0],
    'Bundle.entry[0].resource.focus[0]',
    'Encounter',
  );
  const enc = encounterRef.resource;
  const encLoc = encounterRef.location;
  const classCode = enc.class?.code;
  if (classCode !== 'IMP' && classCode !== 'EMER') {
    throw new MessageModelError('unknown Encounter class', `${encLoc}.class.code`, "'IMP' or 'EMER'", source);
  }
  const status = enc.status as EncounterStatus;
  if (!ENCOUNTER_STATUSES.includes(status)) {
    throw new MessageModelError(
      'unknown Encounter status',
      `${encLoc}.status`,
      ENCOUNTER_STATUSES.map((s) => `'${s}'`).join(' | '),
      source,
    );
  }
  const period = readPeriod(enc.period, `${encLoc}.period`, source, true)!;
  const leaveIndex = Array.isArray(enc.extension)
    ? enc.extension.findIndex((e) => e?.url === LEAVE_PERIOD_EXTENSION)
    : -1;
  const leavePeriod =
    leaveIndex >= 0
      ? readPeriod(
          enc.extension![leaveIndex]!.valuePeriod,
          `${encLoc}.extension[${leaveIndex}].valuePeriod`,
          source,
          true,
        )
      : undefined;

  const patientRef = requireReference<Patient>(bundle, enc.subject, `${encLoc}.subject`, 'Patient');
  const patientInfo = patientFromResource(patientRef.resource, patientRef.location, source);
  if (!(patientInfo.identifier instanceof Cpr)) {
    throw new MessageModelError(
      'HospitalNotification patient has a replacement CPR',
      `${patientRef.location}.identifier`,
      'a CPR number (HN-4 forbids replacement CPR)',
      source,
    );
  }
  const providerRef = requireReference<Organization>(
    bundle,
    enc.serviceProvider,
    `${encLoc}.serviceProvider`,
    'Organization',
  );
  const serviceProvider = {
    ...careOrganizationFromResource(providerRef.resource, providerRef.location, source),
    organizationId: providerRef.resource.id,
  };

  const episodeOfCare = readEpisodeOfCareIds(
    Array.isArray(enc.episodeOfCare) ? enc.episodeOfCare.map((e) => e?.identifier) : [],
  );
  if (episodeOfCare.length === 0) {
    throw new MessageModelError(
      'Encounter has no episode-of-care identifier',
      `${encLoc}.episodeOfCare.identifier`,
      'a local and/or LPR3 identifier',
      source,
    );
  }

  const current = requireCurrentProvenance(bundle);
  const link = provenanceLink(current.resource);
  if (!link.activity) {
    throw new MessageModelError(
      'current Provenance has no activity code',
      `${current.location}.activity.coding.code`,
      'a code from medcom-hospitalNotification-messageActivities',
      source,
    );
  }
  const predecessor = predecessorOf(link);
  const chain = provenanceChain(bundle);
  const activityEvent = eventOfActivity(link.activity);
  const death = deathCode(
    patientInfo.deceased,
    options.previousDeceased,
    predecessor?.role,
    activityEvent?.variant,
    chain.length,
  );
  let code: NotificationCode;
  if (death) code = death.code;
  else if (activityEvent) code = joinCode(activityEvent.base, activityEvent.variant);
  else {
    throw new MessageModelError(
      `activity ${link.activity} is not a HospitalNotification activity`,
      `${current.location}.activity.coding.code`,
      'a code from medcom-hospitalNotification-messageActivities',
      source,
    );
  }

  return {
    code,
    codeCertain: death ? death.certain : true,
    bundleId: bundle.id,
    timestamp: bundle.timestamp,
    messageHeaderId: header.id,
    sender,
    receiver,
    serviceProvider,
    patient: { ...patientInfo, identifier: patientInfo.identifier, resourceId: patientRef.resource.id },
    encounter: {
      id: enc.id,
      encounterClass: classCode as EncounterClass,
      status,
      period,
      ...(leavePeriod ? { leavePeriod } : {}),
    },
    episodeOfCare,
    ...readReportOfAdmission(bundle, header, source),
    activity: link.activity,
    ...(predecessor ? { predecessor } : {}),
    sentAt: link.time,
    provenance: chain,
  };
}

function readReportOfAdmission(
  bundle: MessageBundle,
  header: MessageHeader,
  source: string,
): { reportOfAdmission?: ReportOfAdmission } {
  const extensions = Array.isArray(header.extension) ? header.extension : [];
  const flag = extensions.find((e) => e?.url === REPORT_OF_ADMISSION_FLAG_EXTENSION);
  const recipientIndex = extensions.findIndex((e) => e?.url === REPORT_OF_ADMISSION_RECIPIENT_EXTENSION);
  if (!flag && recipientIndex < 0) return {};
  let recipient: ReportOfAdmission['recipient'];
  if (recipientIndex >= 0) {
    const location = `Bundle.entry[0].resource.extension[${recipientIndex}].valueReference`;
    const org = requireReference<Organization>(
      bundle,
      extensions[recipientIndex]!.valueReference,
      location,
      'Organization',
    );
    recipient = {
      party: partyFromOrganization(org.resource, org.location, undefined, source),
      organizationId: org.resource.id,
    };
  }
  return {
    reportOfAdmission: {
      requested: flag?.valueBoolean === true,
      ...(recipient ? { recipient } : {}),
    },
  };
}

/**
 * Settles the death code of a notification read without history, once the previous notification of the stay is
 * known (used by the stay state machine).
 */
export function withPreviousDeceased(
  notification: HospitalNotification,
  previousDeceased: boolean,
): HospitalNotification {
  const death = deathCode(
    notification.patient.deceased,
    previousDeceased,
    notification.predecessor?.role,
    eventOfActivity(notification.activity)?.variant,
    notification.provenance.length,
  );
  if (!death) {
    const event = eventOfActivity(notification.activity);
    return event ? { ...notification, code: joinCode(event.base, event.variant), codeCertain: true } : notification;
  }
  return { ...notification, code: death.code, codeCertain: death.certain };
}
