// XDIS20 NotificationOfAdmission / XDIS17 NotificationOfDischarge → FHIR HospitalNotification 3.0.x (oioxml.md §8).
//
// | letter                                   | notification                                  |
// |------------------------------------------|-----------------------------------------------|
// | XDIS20 nytbrev / rettetbrev / annulleret | STIN / RE_STIN / AN_STIN (STAA… when the admissionClass lookup says EMER) |
// | XDIS20 with `doed`                       | MORS for a patient dead on arrival (RE_/AN_MORS for corrections)          |
// | XDIS17 `udskrevet_til_hjemmet`           | SLHJ / RE_SLHJ / AN_SLHJ                       |
// | XDIS17 `uoplyst` or no status            | SLHJ… (⚠ MedCom does not say; reported)       |
// | XDIS17 `doed`                            | MORS / RE_MORS / AN_MORS                       |
// | XDIS17 `udskrevet_til_andet`, `flyttet_…` | not representable (SLAN withdrawn; transfers send no notification) |
//
// Everything but a start follows an earlier message of the stay: the caller passes the last FHIR notification of the
// same NotificationIdentifier (`previous`), from which the builder carries Encounter, period.start and the Provenance
// chain. XDIS20/17 carry no patient name: the CPR lookup supplies it, else the configured placeholder.
import { buildHospitalNotification } from '../../messages/hospital-notification/builder.ts';
import type { NotificationCode } from '../../messages/hospital-notification/codes.ts';
import type {
  NewStay,
  NotificationRequest,
  ReportOfAdmissionRequest,
} from '../../messages/hospital-notification/requests.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { Cpr, sameParty, type CprPatientInfo, type MessagingParty } from '../../messages/parties.ts';
import type { ConversionContext } from '../convert/context.ts';
import {
  isNotRepresentable,
  LossRecorder,
  notRepresentable,
  type Conversion,
  type NotRepresentable,
} from '../convert/loss.ts';
import { idsForConvertedLetter, withMessageIds } from '../convert/message-ids.ts';
import { buildFhirMessage } from '../convert/message-model.ts';
import { letterPartiesOf, messagingPartyOf } from '../convert/parties.ts';
import { fhirDateTimeOf } from '../convert/wall-clock.ts';
import type { EmessageItem } from '../emessage.ts';
import { episodeOfCareFhirId } from '../id-map/episode-of-care.ts';
import type { Envelope } from '../model.ts';
import type { HospitalNotificationLetter } from '../xdis20-17/notification.ts';

export interface NotificationInput {
  readonly envelope: Envelope;
  readonly letter: HospitalNotificationLetter;
  /** The Local_Elements after the letter, if any (given to the admissionClass lookup). */
  readonly item?: EmessageItem;
  /** The last FHIR HospitalNotification of the same stay; required for everything but a start. */
  readonly previous?: MessageBundle;
  /** XPath of the letter element; default `/Emessage/NotificationOfAdmission` resp. `…/NotificationOfDischarge`. */
  readonly path?: string;
}

type Base = 'STIN' | 'STAA' | 'SLHJ' | 'MORS';

export function notificationToHospitalNotification(
  input: NotificationInput,
  context: ConversionContext,
): Conversion<MessageBundle> {
  const loss = new LossRecorder();
  const done = (result: MessageBundle | NotRepresentable) => loss.conversion(result);
  const { envelope, letter } = input;
  const base =
    input.path ??
    (letter.type === 'XDIS20' ? '/Emessage/NotificationOfAdmission' : '/Emessage/NotificationOfDischarge');

  // --- which notification --------------------------------------------------------------------------------------
  const status = letter.patient.episodeOfCareStatusCode;
  let event: Base;
  let encounterClass: 'IMP' | 'EMER' = 'IMP';
  if (letter.type === 'XDIS20') {
    const signalled = context.lookups?.admissionClass?.(input.item ?? { letter });
    if (signalled) {
      encounterClass = signalled;
      loss.derived('Encounter.class', `${signalled} from the admission-class lookup (XDIS20 cannot say)`, base);
    } else {
      loss.defaulted('Encounter.class', 'IMP: XDIS20 cannot signal an acute ambulant stay', base);
    }
    event = status === 'doed' ? 'MORS' : encounterClass === 'IMP' ? 'STIN' : 'STAA';
  } else {
    switch (status) {
      case 'doed':
        event = 'MORS';
        break;
      case 'udskrevet_til_hjemmet':
        event = 'SLHJ';
        break;
      case 'uoplyst':
      case undefined:
        event = 'SLHJ';
        loss.changed(
          `${base}/Patient/EpisodeOfCareStatusCode`,
          'Provenance.activity',
          `${status ?? 'no status'} read as a discharge home (SLHJ): ⚠ MedCom gives no rule`,
        );
        break;
      case 'udskrevet_til_andet':
        return done(
          notRepresentable(
            `${base}/Patient/EpisodeOfCareStatusCode`,
            'udskrevet_til_andet (SLAN) was withdrawn from HospitalNotification; no FHIR code exists',
          ),
        );
      default:
        return done(
          notRepresentable(
            `${base}/Patient/EpisodeOfCareStatusCode`,
            `${status}: transfers send no HospitalNotification (the receiving hospital sends STIN)`,
          ),
        );
    }
  }
  const statusCode = letter.letter.statusCode;
  const code = (
    statusCode === 'nytbrev' ? event : `${statusCode === 'rettetbrev' ? 'RE' : 'AN'}_${event}`
  ) as NotificationCode;
  const isStart =
    statusCode === 'nytbrev' &&
    (event === 'STIN' || event === 'STAA' || (event === 'MORS' && letter.type === 'XDIS20'));
  if (!isStart && !input.previous) {
    return done(
      notRepresentable(
        `${base}/Letter/NotificationIdentifier`,
        `${code} follows an earlier notification of the stay, which is not known for NotificationIdentifier ${letter.letter.notificationIdentifier}`,
      ),
    );
  }

  // --- parties and patient ---------------------------------------------------------------------------------------
  const parties = letterPartiesOf(letter, base, context.parties, loss);
  if (isNotRepresentable(parties)) return done(parties);
  const { sender, receiver } = parties;
  if (!Cpr.isValid(letter.patient.civilRegistrationNumber)) {
    return done(
      notRepresentable(
        `${base}/Patient/CivilRegistrationNumber`,
        'not a valid CPR number by the dk-core cpr rule (value masked)',
      ),
    );
  }
  const cpr = Cpr.parse(letter.patient.civilRegistrationNumber);
  const looked = context.lookups?.patientName?.(cpr);
  if (looked) loss.derived('Patient.name', 'from the CPR lookup (XDIS20/17 carry no name)', `${base}/Patient`);
  else
    loss.defaulted(
      'Patient.name',
      `XDIS20/17 carry no name; "${context.defaults.patientFamilyName}" used`,
      `${base}/Patient`,
    );
  const patient: CprPatientInfo = { identifier: cpr, name: looked ?? { family: context.defaults.patientFamilyName } };

  // --- times --------------------------------------------------------------------------------------------------------
  const authorised = fhirDateTimeOf(letter.letter.authorisation);
  const sent = fhirDateTimeOf(envelope.sent);
  if (authorised.slice(0, 16) !== sent.slice(0, 16)) {
    loss.dropped(
      '/Emessage/Envelope/Sent',
      'Bundle.timestamp and Provenance.occurredDateTime are both Letter.Authorisation; the differing envelope time is not kept',
    );
  }
  const moment = new Date(fhirDateTimeOf(letter.type === 'XDIS20' ? letter.admission : letter.discharge));
  const momentPath = `${base}/${letter.type === 'XDIS20' ? 'Admission' : 'Discharge'}`;
  if (envelope.acknowledgementCode === 'minuspositivkvitt') {
    loss.changed(
      '/Emessage/Envelope/AcknowledgementCode',
      'MessageHeader',
      'minuspositivkvitt: every FHIR message is acknowledged',
    );
  }

  // --- report of admission (XDIS16) ---------------------------------------------------------------------------------
  let reportOfAdmission: ReportOfAdmissionRequest = { requested: false };
  if (letter.type === 'XDIS20') {
    const answer = letter.sender.answerToEan!;
    reportOfAdmission = {
      requested: true,
      ...(answer === letter.sender.ean ? {} : answerTo(answer, sender, `${base}/Sender/AnswerTo`, context, loss)),
    };
    loss.derived(
      'MessageHeader.extension(reportOfAdmissionFlag)',
      'true: XDIS20 always names AnswerTo, so "no report wanted" cannot be expressed',
      `${base}/Sender/AnswerTo`,
    );
  } else if (letter.sender.answerToEan !== undefined) {
    loss.dropped(`${base}/Sender/AnswerTo`, 'only start notifications carry the report-of-admission recipient');
  }

  // --- the request --------------------------------------------------------------------------------------------------
  let request: NotificationRequest;
  if (isStart) {
    const local = episodeOfCareFhirId(context.idMap, letter.sender.ean, letter.letter.notificationIdentifier);
    loss.derived(
      'Encounter.episodeOfCare.identifier',
      'NotificationIdentifier as a local UUID (id map); system = the sender SOR URL',
      `${base}/Letter/NotificationIdentifier`,
    );
    const stay: NewStay = { sender, receiver, patient, episodeOfCare: { local: { value: local } } };
    if (event === 'MORS') {
      request = { code: 'MORS', stay, encounterClass, timeOfDeath: moment, arrival: moment };
      loss.changed(momentPath, 'Encounter.period', 'death on arrival: the admission time is both start and end');
    } else {
      request = { code: event as 'STIN' | 'STAA', stay, start: moment, reportOfAdmission };
    }
  } else {
    const previous = input.previous!;
    const changes = { sender, receiver };
    loss.derived(
      'Encounter',
      'Encounter, period.start, episode-of-care ids and earlier Provenances carried from the previous notification of the stay',
      `${base}/Letter/NotificationIdentifier`,
    );
    switch (code) {
      case 'RE_STIN':
      case 'RE_STAA':
        request = { code, previous, ...changes, start: moment };
        break;
      case 'SLHJ':
      case 'RE_SLHJ':
        request = { code, previous, ...changes, end: moment };
        break;
      case 'MORS':
      case 'RE_MORS':
        request = { code, previous, ...changes, timeOfDeath: moment };
        break;
      default:
        request = { code: code as 'AN_STIN', previous, ...changes };
        loss.dropped(momentPath, `${code} carries no time of its own`);
    }
  }

  const ids = idsForConvertedLetter(context.idMap, envelope, letter, base, authorised, loss);
  const bundle = buildFhirMessage(base, () => buildHospitalNotification(request, ids.build));
  return done(isNotRepresentable(bundle) ? bundle : withMessageIds(bundle, ids.bundleId, ids.messageHeaderId));
}

/** AnswerTo → reportOfAdmissionRecipient: the sender itself (the usual case) or another resolvable party. */
function answerTo(
  ean: string,
  sender: MessagingParty,
  path: string,
  context: ConversionContext,
  loss: LossRecorder,
): { recipient?: MessagingParty } {
  const party = messagingPartyOf(
    { ean, identifier: ean, identifierCode: 'lokationsnummer' },
    path,
    context.parties,
    new LossRecorder(),
    'reportOfAdmissionRecipient',
  );
  if (isNotRepresentable(party)) {
    if (ean !== sender.gln)
      loss.changed(
        path,
        'MessageHeader.extension(reportOfAdmissionRecipient)',
        `AnswerTo ${ean} has no SOR code; the sender is named instead`,
      );
    return {};
  }
  return sameParty(party, sender) ? {} : { recipient: party };
}
