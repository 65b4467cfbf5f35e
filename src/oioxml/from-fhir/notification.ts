// FHIR HospitalNotification 3.0.x → XDIS20 / XDIS17 (oioxml.md §8.2), for every notification with an OIOXML
// equivalent. The others give a typed "not representable" result, never a letter that would claim something else:
//   STAA and its variants — XDIS20 knows only admitted patients; sending one would announce an admission;
//   STOR/SLOR and their variants — OIOXML has no leave notification.
//
// | notification                   | letter                                                         |
// |--------------------------------|----------------------------------------------------------------|
// | STIN / RE_STIN / AN_STIN       | XDIS20 nytbrev / rettetbrev / annulleretbrev, `indlagt`, Admission = period.start |
// | MORS of a new stay (dead on arrival) | XDIS20 nytbrev, `doed`, Admission = period.start          |
// | SLHJ / RE_SLHJ / AN_SLHJ       | XDIS17 …, `udskrevet_til_hjemmet`, Discharge = period.end     |
// | MORS / RE_MORS / AN_MORS       | XDIS17 …, `doed`, Discharge = period.end (time of death)      |
// A cancellation has no period.end any more; the Discharge time is taken from `previous` (the notification it
// cancels) when given, else from the cancellation's own send time (reported).
import { parseHospitalNotification } from '../../messages/hospital-notification/parser.ts';
import { preferredEpisodeId } from '../../messages/hospital-notification/episode-of-care.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import type { ConversionContext } from '../convert/context.ts';
import {
  isNotRepresentable,
  LossRecorder,
  notRepresentable,
  type Conversion,
  type NotRepresentable,
} from '../convert/loss.ts';
import { readFhirMessage } from '../convert/message-model.ts';
import { oioxmlLetterPartiesOf, oioxmlPartyOf } from '../convert/parties.ts';
import { wallClockOf } from '../convert/wall-clock.ts';
import { singleLetter, type Emessage } from '../emessage.ts';
import { episodeOfCareOioxmlId } from '../id-map/episode-of-care.ts';
import type { OioDateTime, StatusCode } from '../model.ts';
import { NS_2005 } from '../namespaces.ts';
import type {
  AdmissionStatusCode,
  DischargeStatusCode,
  HospitalNotificationLetter,
  NotificationLetter,
} from '../xdis20-17/notification.ts';

export interface NotificationOptions {
  /** The notification this one follows, corrects or cancels (for the Discharge time of AN_SLHJ / AN_MORS). */
  readonly previous?: MessageBundle;
  /** Patient.deceased of the previous notification; settles MORS vs RE_MORS (see parseHospitalNotification). */
  readonly previousDeceased?: boolean;
}

export function hospitalNotificationToNotification(
  value: unknown,
  context: ConversionContext,
  options: NotificationOptions = {},
): Conversion<Emessage> {
  const loss = new LossRecorder();
  const done = (result: Emessage | NotRepresentable) => loss.conversion(result);
  const hn = readFhirMessage('HospitalNotification', () =>
    parseHospitalNotification(
      value,
      options.previousDeceased === undefined ? {} : { previousDeceased: options.previousDeceased },
    ),
  );
  if (isNotRepresentable(hn)) return done(hn);
  const code = hn.code;
  const variant: StatusCode = code.startsWith('RE_')
    ? 'rettetbrev'
    : code.startsWith('AN_')
      ? 'annulleretbrev'
      : 'nytbrev';
  const event = code.replace(/^(RE|AN)_/, '');
  if (event === 'STAA') {
    return done(
      notRepresentable(
        'Provenance.activity',
        `${code}: XDIS20 knows only admitted patients; a letter would claim an admission`,
      ),
    );
  }
  if (event === 'STOR' || event === 'SLOR') {
    return done(notRepresentable('Provenance.activity', `${code}: OIOXML has no leave notification`));
  }
  if (!hn.codeCertain) {
    loss.changed(
      'Patient.deceased',
      'Letter/StatusCode',
      `${code} assumed: without the previous notification MORS and RE_MORS look alike`,
    );
  }
  const deadOnArrival = code === 'MORS' && hn.provenance.length === 1;
  const type: 'XDIS20' | 'XDIS17' = event === 'STIN' || deadOnArrival ? 'XDIS20' : 'XDIS17';
  const base = type === 'XDIS20' ? '/Emessage/NotificationOfAdmission' : '/Emessage/NotificationOfDischarge';

  // --- parties --------------------------------------------------------------------------------------------------------
  const { sender, receiver } = oioxmlLetterPartiesOf(hn, base, context.parties, loss, 'organisation');
  if (hn.serviceProvider.sor !== hn.sender.party.sor) {
    loss.dropped(
      'Encounter.serviceProvider',
      `the responsible unit (SOR ${hn.serviceProvider.sor}) differs from the sender and has no place in OIOXML`,
    );
  }
  let answerToEan: string | undefined;
  if (type === 'XDIS20') {
    const recipient = hn.reportOfAdmission?.requested ? hn.reportOfAdmission.recipient?.party : undefined;
    answerToEan = recipient
      ? oioxmlPartyOf(
          recipient,
          'MessageHeader.extension(reportOfAdmissionRecipient)',
          context.parties,
          loss,
          `${base}/Sender/AnswerTo`,
          'organisation',
        ).ean
      : sender.ean;
    if (hn.reportOfAdmission?.requested !== true) {
      loss.changed(
        'MessageHeader.extension(reportOfAdmissionFlag)',
        `${base}/Sender/AnswerTo`,
        'XDIS20 requires AnswerTo: "no report of admission wanted" cannot be expressed; the sender is named',
      );
    }
  }

  // --- times ---------------------------------------------------------------------------------------------------------
  const sentClock = wallClockOf(hn.timestamp, false);
  const provenanceTime = hn.sentAt?.toISOString() ?? hn.timestamp;
  const authorisationClock = wallClockOf(provenanceTime, true);
  if (!sentClock || !authorisationClock) return done(notRepresentable('Bundle.timestamp', 'no readable send time'));
  if (sentClock.lost.length)
    loss.changed(
      'Bundle.timestamp',
      '/Emessage/Envelope/Sent',
      `Copenhagen wall-clock time; lost: ${sentClock.lost.join(', ')}`,
    );
  let moment: OioDateTime | undefined;
  const momentTarget = `${base}/${type === 'XDIS20' ? 'Admission' : 'Discharge'}`;
  const fromPeriod = type === 'XDIS20' ? hn.encounter.period.start : hn.encounter.period.end;
  if (fromPeriod) {
    const clock = wallClockOf(fromPeriod, false);
    if (clock?.lost.length)
      loss.changed(
        type === 'XDIS20' ? 'Encounter.period.start' : 'Encounter.period.end',
        momentTarget,
        `lost: ${clock.lost.join(', ')}`,
      );
    moment = clock?.value;
  } else if (options.previous) {
    try {
      const before = parseHospitalNotification(options.previous);
      const end = before.encounter.period.end;
      moment = end ? wallClockOf(end, false)?.value : undefined;
      if (moment)
        loss.derived(momentTarget, 'period.end of the cancelled notification', 'previous.Encounter.period.end');
    } catch {
      moment = undefined;
    }
  }
  if (!moment) {
    moment = { date: authorisationClock.value.date, time: authorisationClock.value.time.slice(0, 5) };
    loss.defaulted(
      momentTarget,
      `${code} has no period.end and the cancelled notification is not known; the send time is used`,
      'Encounter.period.end',
    );
  }

  // --- ids -------------------------------------------------------------------------------------------------------------
  const episode = preferredEpisodeId(hn.episodeOfCare);
  let notificationIdentifier: string;
  try {
    notificationIdentifier = episodeOfCareOioxmlId(context.idMap, episode!.value);
  } catch {
    return done(
      notRepresentable(
        'Encounter.episodeOfCare.identifier',
        'the episode-of-care id is neither a UUID nor mapped before',
      ),
    );
  }
  if (notificationIdentifier.length > 35) {
    return done(
      notRepresentable(
        'Encounter.episodeOfCare.identifier',
        'the episode-of-care id is longer than the 35 characters NotificationIdentifier allows',
      ),
    );
  }
  if (hn.episodeOfCare.length > 1)
    loss.dropped('Encounter.episodeOfCare', `only one episode-of-care id fits; the ${episode!.kind} one is used`);
  const envelopeId = context.idMap.oioxmlIdFor('envelope', sender.ean, hn.bundleId).id;
  const letterId = context.idMap.oioxmlIdFor('letter', sender.ean, hn.messageHeaderId).id;
  loss.derived('/Emessage/Envelope/Identifier', 'from the id map (Bundle.id)', 'Bundle.id');
  loss.derived(`${base}/Letter/Identifier`, 'from the id map (MessageHeader.id)', 'MessageHeader.id');
  loss.defaulted(
    '/Emessage/Envelope/AcknowledgementCode',
    'pluspositivkvitt: the FHIR sender needs the receipt to become its acknowledgement',
  );
  loss.dropped('Patient.name', 'XDIS20/17 carry only the CPR number');
  if (hn.predecessor)
    loss.dropped('Provenance.entity', 'OIOXML links corrections only through the NotificationIdentifier');

  const letter: NotificationLetter = {
    identifier: letterId,
    statisticalCode: type,
    authorisation: authorisationClock.value,
    statusCode: variant,
    notificationIdentifier,
  };
  const cpr = hn.patient.identifier.reveal();
  const result: HospitalNotificationLetter =
    type === 'XDIS20'
      ? {
          type,
          letter,
          sender: { ...sender, answerToEan: answerToEan! },
          receiver,
          patient: {
            civilRegistrationNumber: cpr,
            episodeOfCareStatusCode: (event === 'MORS' ? 'doed' : 'indlagt') as AdmissionStatusCode,
          },
          admission: moment!,
        }
      : {
          type,
          letter,
          sender,
          receiver,
          patient: {
            civilRegistrationNumber: cpr,
            episodeOfCareStatusCode: (event === 'MORS' ? 'doed' : 'udskrevet_til_hjemmet') as DischargeStatusCode,
          },
          discharge: moment!,
        };
  if (hn.encounter.encounterClass === 'EMER')
    loss.dropped('Encounter.class', 'EMER: OIOXML does not distinguish acute ambulant stays');
  return done(
    singleLetter(
      NS_2005,
      { sent: sentClock.value, identifier: envelopeId, acknowledgementCode: 'pluspositivkvitt' },
      result,
    ),
  );
}
