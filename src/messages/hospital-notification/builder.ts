/**
 * Builds HospitalNotification messages for all 18 codes. Follow-ups are built from the previous message of the stay:
 * the Encounter id and period.start, the episode-of-care identifiers, the parties and the whole Provenance chain
 * travel forward unchanged; only what the code changes (medcom-fhir.md §3.2) is new. Illegal follow-ups (§3.6) are
 * refused unless the caller opts out — conformance tests need to produce them on purpose.
 */
import { asMessageBundle, assembleMessage, fullUrlBase, messageName } from '../bundle.ts';
import type { BuildContext } from '../build-context.ts';
import { formatDateTime, formatInstant } from '../clock.ts';
import { MessageModelError } from '../errors.ts';
import type { Encounter, Extension, Identifier, MessageBundle, Organization, Provenance } from '../fhir-types.ts';
import { messageHeader, type BundledParty } from '../message-header.ts';
import {
  coreOrganization,
  messagingOrganization,
  patientResource,
  sameParty,
  type CareOrganization,
  type CprPatientInfo,
  type GlnSystem,
  type MessagingParty,
} from '../parties.ts';
import { copyProvenances, provenanceResource, type EntityInput } from '../provenance.ts';
import {
  activityFor,
  classOfStart,
  splitCode,
  type EncounterClass,
  type EncounterStatus,
  type NotificationCode,
} from './codes.ts';
import { encounterResource, type EncounterData } from './encounter.ts';
import { episodeOfCareIdentifiers } from './episode-of-care.ts';
import type { HospitalNotification, NotificationPeriod } from './notification.ts';
import { parseHospitalNotification } from './parser.ts';
import {
  HN_HEADER_PROFILE,
  HN_IG,
  HN_MESSAGE_PROFILE,
  REPORT_OF_ADMISSION_FLAG_EXTENSION,
  REPORT_OF_ADMISSION_RECIPIENT_EXTENSION,
} from './profiles.ts';
import type { NewStay, NotificationRequest, PartyChanges, ReportOfAdmissionRequest } from './requests.ts';
import { applyNotification } from './transitions.ts';

export interface HospitalNotificationOptions {
  /**
   * Encounter.status of MORS for a patient dead on arrival. ⚠ The IG text says `finished` (start = end); the published
   * send TestScript S7 expects `in-progress`. Default: the IG.
   */
  readonly deadOnArrivalStatus?: 'finished' | 'in-progress';
  /** Refuse follow-ups §3.6 does not allow (default true). */
  readonly checkTransitions?: boolean;
  /** GLN identifier system; HN 3.0.2 (dk-core 2.0.0) fixes the https form. */
  readonly glnSystem?: GlnSystem;
}

/** Organisations of the message being built, by role, with their entry ids. */
interface Cast {
  readonly sender: BundledParty;
  readonly receiver: BundledParty;
  readonly serviceProviderId: string;
  readonly organizations: Organization[];
}

interface Draft {
  readonly code: NotificationCode;
  readonly cast: Cast;
  readonly patient: CprPatientInfo;
  readonly patientId: string;
  readonly encounter: EncounterData;
  readonly activity: NonNullable<ReturnType<typeof activityFor>>;
  readonly entity?: EntityInput;
  readonly reportOfAdmission?: ReportOfAdmissionRequest;
  readonly carried: { readonly provenances: Provenance[]; readonly organizations: Organization[] };
}

export function buildHospitalNotification(
  request: NotificationRequest,
  context: BuildContext,
  options: HospitalNotificationOptions = {},
): MessageBundle {
  const draft =
    request.previous === undefined ? startDraft(request, context, options) : followUpDraft(request, context, options);
  return assemble(draft, context, options.glnSystem);
}

function time(date: Date, context: BuildContext): string {
  return formatDateTime(date, context.timeZone);
}

/** Organization entries for a cast; the service provider shares the sender's entry when it is the same SOR unit. */
function castFor(
  parties: { sender: MessagingParty; receiver: MessagingParty; serviceProvider: CareOrganization },
  ids: { sender: string; receiver: string; serviceProvider: string },
  glnSystem: GlnSystem | undefined,
): Cast {
  const org = (party: MessagingParty, id: string) =>
    messagingOrganization(party, { id, ...(glnSystem ? { glnSystem } : {}) });
  const organizations = [org(parties.receiver, ids.receiver), org(parties.sender, ids.sender)];
  let serviceProviderId = ids.sender;
  if (parties.serviceProvider.sor !== parties.sender.sor) {
    serviceProviderId = ids.serviceProvider;
    organizations.push(
      coreOrganization(parties.serviceProvider, { id: serviceProviderId, ...(glnSystem ? { glnSystem } : {}) }),
    );
  }
  return {
    sender: { party: parties.sender, organizationId: ids.sender },
    receiver: { party: parties.receiver, organizationId: ids.receiver },
    serviceProviderId,
    organizations,
  };
}

function startDraft(
  request: Extract<NotificationRequest, { stay: NewStay }>,
  context: BuildContext,
  options: HospitalNotificationOptions,
): Draft {
  const stay = request.stay;
  const cast = castFor(
    { sender: stay.sender, receiver: stay.receiver, serviceProvider: stay.serviceProvider ?? stay.sender },
    { sender: context.ids(), receiver: context.ids(), serviceProvider: context.ids() },
    options.glnSystem,
  );
  const episodeOfCare = episodeOfCareIdentifiers(stay.episodeOfCare, stay.sender.sor);
  const patientId = context.ids();
  const base = { id: context.ids(), episodeOfCare, patientId, serviceProviderId: cast.serviceProviderId };
  const noCarry = { provenances: [], organizations: [] };
  if (request.code === 'MORS') {
    const status = options.deadOnArrivalStatus ?? 'finished';
    const end = time(request.timeOfDeath, context);
    const start = request.arrival ? time(request.arrival, context) : end;
    return {
      code: 'MORS',
      cast,
      patient: { ...stay.patient, deceased: true },
      patientId,
      encounter: {
        ...base,
        encounterClass: request.encounterClass,
        status,
        period: status === 'finished' ? { start, end } : { start },
      },
      activity: activityFor(request.encounterClass === 'IMP' ? 'STIN' : 'STAA', 'new', request.encounterClass)!,
      reportOfAdmission: { requested: false },
      carried: noCarry,
    };
  }
  const encounterClass = classOfStart(request.code);
  return {
    code: request.code,
    cast,
    patient: stay.patient,
    patientId,
    encounter: { ...base, encounterClass, status: 'in-progress', period: { start: time(request.start, context) } },
    activity: activityFor(request.code, 'new', encounterClass)!,
    reportOfAdmission: request.reportOfAdmission,
    carried: noCarry,
  };
}

function followUpDraft(
  request: NotificationRequest & { previous: MessageBundle },
  context: BuildContext,
  options: HospitalNotificationOptions,
): Draft {
  const previousBundle = asMessageBundle(request.previous);
  const previous = parseHospitalNotification(previousBundle);
  const source = messageName(previousBundle);
  const { base, variant } = splitCode(request.code);
  const isConversion = variant === 'new' && (base === 'STIN' || base === 'STAA');
  const encounterClass: EncounterClass = isConversion ? classOfStart(base) : previous.encounter.encounterClass;

  if (options.checkTransitions !== false) {
    const result = applyNotification(
      {
        encounterClass: previous.encounter.encounterClass,
        status: previous.encounter.status,
        deceased: previous.patient.deceased === true,
        latest: previous.code,
      },
      request.code,
      encounterClass,
    );
    if (!result.legal) {
      throw new MessageModelError(
        `${request.code} cannot follow ${previous.code} (${result.illegal}): ${result.reason}`,
        'Bundle.entry[0].resource',
        `a notification that medcom-fhir.md §3.6 allows after ${previous.code}`,
        source,
      );
    }
  }

  const cast = followUpCast(previous, request, context, options.glnSystem);
  const previousEncounter = previousBundle.entry.find(
    (e) => e.resource.resourceType === 'Encounter' && (e.resource as Encounter).id === previous.encounter.id,
  )!.resource as Encounter;
  // Identifiers travel byte for byte: receivers match on them (GOV 080), whatever form the first message used.
  const episodeOfCare: Identifier[] = previousEncounter.episodeOfCare.map((e) => ({ ...e.identifier }));
  const carriedEncounter: EncounterData = {
    id: isConversion ? context.ids() : previous.encounter.id,
    encounterClass,
    status: previous.encounter.status,
    period: previous.encounter.period,
    ...(previous.encounter.leavePeriod ? { leavePeriod: previous.encounter.leavePeriod } : {}),
    episodeOfCare,
    patientId: previous.patient.resourceId,
    serviceProviderId: cast.serviceProviderId,
  };
  const { encounter, deceased } = nextEncounter(request, carriedEncounter, context, source);
  const activity =
    base === 'MORS' ? (previous.activity as Draft['activity']) : activityFor(base, variant, encounterClass)!;
  const provenances = copyProvenances(previousBundle);
  const present = new Set(cast.organizations.map((o) => o.id));
  // Copied Provenances keep their agent references, which must resolve inside the Bundle (aggregation = bundled).
  const agentIds = new Set(
    provenances.flatMap((p) => (Array.isArray(p.agent) ? p.agent : [])).map((a) => a.who?.reference?.split('/').pop()),
  );
  const organizations = previousBundle.entry
    .map((e) => e.resource)
    .filter((r): r is Organization => r.resourceType === 'Organization')
    .filter((o) => agentIds.has(o.id) && !present.has(o.id))
    .map((o) => structuredClone(o));
  const { resourceId: _resourceId, ...patientInfo } = previous.patient;
  return {
    code: request.code,
    cast,
    patient: { ...patientInfo, ...(deceased !== undefined ? { deceased } : {}) },
    patientId: previous.patient.resourceId,
    encounter,
    activity,
    entity: {
      role: variant === 'cancellation' ? 'removal' : 'revision',
      what: { kind: 'message', messageHeaderId: previous.messageHeaderId },
    },
    ...(isConversion
      ? { reportOfAdmission: (request as { reportOfAdmission: ReportOfAdmissionRequest }).reportOfAdmission }
      : {}),
    carried: { provenances, organizations },
  };
}

/** Keeps the previous entry ids for unchanged parties so copied Provenances still point at bundled Organizations. */
function followUpCast(
  previous: HospitalNotification,
  changes: PartyChanges,
  context: BuildContext,
  glnSystem: GlnSystem | undefined,
): Cast {
  const sender = changes.sender ?? previous.sender.party;
  const receiver = changes.receiver ?? previous.receiver.party;
  const { organizationId: previousProviderId, ...previousProvider } = previous.serviceProvider;
  const serviceProvider = changes.serviceProvider ?? previousProvider;
  const reuse = (party: MessagingParty, before: BundledParty) =>
    sameParty(party, before.party) ? before.organizationId : undefined;
  return castFor(
    { sender, receiver, serviceProvider },
    {
      sender: reuse(sender, previous.sender) ?? reuse(sender, previous.receiver) ?? context.ids(),
      receiver: reuse(receiver, previous.receiver) ?? reuse(receiver, previous.sender) ?? context.ids(),
      serviceProvider:
        serviceProvider.sor === previousProvider.sor && previousProviderId !== previous.sender.organizationId
          ? previousProviderId
          : context.ids(),
    },
    glnSystem,
  );
}

/** The Encounter (and Patient.deceased) a follow-up code produces from the previous one (§3.2 table). */
function nextEncounter(
  request: NotificationRequest & { previous: MessageBundle },
  carried: EncounterData,
  context: BuildContext,
  source: string,
): { encounter: EncounterData; deceased?: boolean } {
  const at = (date: Date) => time(date, context);
  const withStatus = (status: EncounterStatus, changes: Partial<EncounterData> = {}): EncounterData => ({
    ...carried,
    ...changes,
    status,
  });
  const withoutLeave = (e: EncounterData): EncounterData => {
    const { leavePeriod: _leave, ...rest } = e;
    void _leave;
    return rest;
  };
  const withoutEnd = (period: NotificationPeriod): NotificationPeriod => ({ start: period.start });
  // A finished leave (SLOR) is history once the stay ends; an open one stays, because a cancellation of the discharge
  // or death returns the patient to that leave.
  const keepOpenLeaveOnly = (e: EncounterData): EncounterData => (e.leavePeriod?.end ? withoutLeave(e) : e);
  const openLeave = (): NotificationPeriod => {
    const leave = carried.leavePeriod;
    if (!leave) {
      throw new MessageModelError(
        `${request.code} needs the leave period of the previous message`,
        'Bundle.entry.resource.ofType(Encounter).extension(leave-period)',
        'a leave period with a start (sent by STOR)',
        source,
      );
    }
    return leave;
  };

  switch (request.code) {
    case 'STIN':
    case 'STAA':
      return { encounter: withoutLeave(withStatus('in-progress', { period: { start: at(request.start) } })) };
    case 'RE_STIN':
    case 'RE_STAA':
      return {
        encounter: request.start
          ? withStatus(carried.status, { period: { ...carried.period, start: at(request.start) } })
          : carried,
      };
    case 'AN_STIN':
    case 'AN_STAA':
      return { encounter: withStatus('entered-in-error') };
    case 'STOR':
    case 'RE_STOR':
      return { encounter: withStatus('onleave', { leavePeriod: { start: at(request.leaveStart) } }) };
    case 'AN_STOR':
      return { encounter: withoutLeave(withStatus('in-progress')) };
    case 'SLOR':
    case 'RE_SLOR':
      return {
        encounter: withStatus('in-progress', { leavePeriod: { start: openLeave().start, end: at(request.leaveEnd) } }),
      };
    case 'AN_SLOR':
      return { encounter: withStatus('onleave', { leavePeriod: withoutEnd(openLeave()) }) };
    case 'SLHJ':
      return {
        encounter: keepOpenLeaveOnly(
          withStatus('finished', { period: { start: carried.period.start, end: at(request.end) } }),
        ),
      };
    case 'RE_SLHJ':
      return { encounter: withStatus('finished', { period: { start: carried.period.start, end: at(request.end) } }) };
    case 'AN_SLHJ':
    case 'AN_MORS': {
      // Back to the status before the discharge or death: on leave if a leave was open (STOR without SLOR), else
      // in-progress (§3.2: AN_SLHJ → in-progress, AN_MORS → status before MORS).
      const onLeave = carried.leavePeriod !== undefined && carried.leavePeriod.end === undefined;
      const encounter = withStatus(onLeave ? 'onleave' : 'in-progress', { period: withoutEnd(carried.period) });
      return request.code === 'AN_MORS' ? { encounter, deceased: false } : { encounter };
    }
    case 'MORS':
      return {
        encounter: keepOpenLeaveOnly(
          withStatus('finished', { period: { start: carried.period.start, end: at(request.timeOfDeath) } }),
        ),
        deceased: true,
      };
    case 'RE_MORS':
      return {
        encounter: withStatus(carried.status, {
          period: { start: carried.period.start, end: at(request.timeOfDeath) },
        }),
        deceased: true,
      };
  }
}

function reportOfAdmissionExtensions(
  request: ReportOfAdmissionRequest | undefined,
  cast: Cast,
  context: BuildContext,
  glnSystem: GlnSystem | undefined,
): { extensions: Extension[]; organizations: Organization[] } {
  if (!request) return { extensions: [], organizations: [] };
  const extensions: Extension[] = [{ url: REPORT_OF_ADMISSION_FLAG_EXTENSION, valueBoolean: request.requested }];
  const organizations: Organization[] = [];
  if (request.requested) {
    const recipient = request.recipient ?? cast.sender.party;
    let id = [cast.sender, cast.receiver].find((p) => sameParty(p.party, recipient))?.organizationId;
    if (!id) {
      id = context.ids();
      organizations.push(messagingOrganization(recipient, { id, ...(glnSystem ? { glnSystem } : {}) }));
    }
    extensions.push({
      url: REPORT_OF_ADMISSION_RECIPIENT_EXTENSION,
      valueReference: { reference: `Organization/${id}` },
    });
  }
  return { extensions, organizations };
}

function assemble(draft: Draft, context: BuildContext, glnSystem?: GlnSystem): MessageBundle {
  const now = context.clock();
  const sentAt = formatInstant(now, context.timeZone);
  const headerId = context.ids();
  const report = reportOfAdmissionExtensions(draft.reportOfAdmission, draft.cast, context, glnSystem);
  const header = messageHeader({
    id: headerId,
    profile: HN_HEADER_PROFILE,
    event: 'hospital-notification-message',
    sender: draft.cast.sender,
    receiver: draft.cast.receiver,
    focus: [{ reference: `Encounter/${draft.encounter.id}` }],
    extension: report.extensions,
    narrativeRows: [
      ['Activity', draft.activity],
      [
        'Report of admission requested',
        draft.reportOfAdmission ? String(draft.reportOfAdmission.requested) : undefined,
      ],
    ],
  });
  const provenance = provenanceResource({
    id: context.ids(),
    messageHeaderId: headerId,
    occurred: sentAt,
    activity: draft.activity,
    agentOrganizationId: draft.cast.sender.organizationId,
    ...(draft.entity ? { entities: [draft.entity] } : {}),
  });
  return assembleMessage({
    id: context.ids(),
    profile: HN_MESSAGE_PROFILE,
    timestamp: sentAt,
    fullUrlBase: fullUrlBase(HN_IG),
    header,
    resources: [
      patientResource(draft.patient, { id: draft.patientId }),
      encounterResource(draft.encounter),
      ...draft.cast.organizations,
      ...report.organizations,
      ...draft.carried.organizations,
      ...draft.carried.provenances,
      provenance,
    ],
  });
}
