// FHIR CareCommunication 5.0.x → XDIS91 ClinicalEmail (oioxml.md §7, defaults §7.6). XDIS91 has no thread, no segment
// history, no structured author and no category, so:
//   - every text segment becomes text: the segments this message adds first, then the earlier ones, newest first,
//     separated by a line; each followed by a signature line (author, role, phone, time) because MedCom requires
//     the signature to be visible and XDIS91 has no other place for it. Segments written by the configured
//     placeholder author (i.e. converted from OIOXML) already carry their signature in the text and get none;
//   - attachments with a link become Reference/URL; attachments with data would need an XBIN01 letter (not produced);
//   - the topic becomes Subject; the category is lost; reply and forward become `nytbrev`.
// A reply is linked back to the letter it answers through the id map (or its `lokationsnummer#brevid` entity).
import { resolveReference } from '../../messages/bundle.ts';
import { focusedCommunication, parseCareCommunication } from '../../messages/care-communication/parse.ts';
import type { CareCommunicationMessage, ReadAuthor, Segment } from '../../messages/care-communication/model.ts';
import type { MessageBundle, Patient } from '../../messages/fhir-types.ts';
import { asMessageBundle } from '../../messages/bundle.ts';
import { Cpr } from '../../messages/parties.ts';
import type { ConversionContext } from '../convert/context.ts';
import { toLatin1 } from '../convert/latin1.ts';
import {
  isNotRepresentable,
  LossRecorder,
  notRepresentable,
  type Conversion,
  type NotRepresentable,
} from '../convert/loss.ts';
import { readFhirMessage } from '../convert/message-model.ts';
import { oioxmlLetterPartiesOf } from '../convert/parties.ts';
import { wallClockOf } from '../convert/wall-clock.ts';
import { singleLetter, type Emessage } from '../emessage.ts';
import { episodeOfCareOioxmlId } from '../id-map/episode-of-care.ts';
import { parsePrecedingReference } from '../id-map/preceding-reference.ts';
import { compact, type OioDateTime } from '../model.ts';
import { NS_2006 } from '../namespaces.ts';
import { fromPlainText, splitIntoBlocks } from '../text-format.ts';
import type {
  ClinicalEmail,
  ClinicalEmailPatient,
  EpisodeOfCareStatusCode,
  LetterReference,
  Priority,
} from '../xdis91/clinical-email.ts';

export interface ClinicalEmailConversion {
  readonly emessage: Emessage;
  /** The OIOXML letter this message answers, when it is a reply to one (found via the id map or its entity). */
  readonly inReplyTo?: { readonly ean: string; readonly letterId: string };
}

const SEPARATOR = '----------------------------------------';

/** Danish category names (terminology 2.0.x designations), used as Subject when the message has no topic. */
const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'alcohol-and-drug-treatment': 'Rusmiddelbehandling',
  'assistive-devices': 'Hjælpemidler',
  carecoordination: 'Forløbskoordinering',
  decease: 'Dødsfald',
  discharge: 'Udskrivelse',
  'examination-results': 'Undersøgelsessvar',
  healthcare: 'Sundhedspleje',
  'home-care-assessment': 'Visitation',
  medicine: 'Medicin',
  nursing: 'Sygepleje',
  outpatient: 'Ambulant',
  'psychiatry-social-disability': 'Psykiatri, social, handicap',
  'regarding-referral': 'Vedr. henvisning',
  telemedicine: 'Telemedicin',
  training: 'Træning',
  'acute-ambulant': 'Akut ambulant',
  'extended-care-responsibility': 'Udvidet behandlingsansvar',
  other: 'Andet',
};

export function careCommunicationToClinicalEmail(
  value: unknown,
  context: ConversionContext,
): Conversion<ClinicalEmailConversion> {
  const loss = new LossRecorder();
  const done = (result: ClinicalEmailConversion | NotRepresentable) => loss.conversion(result);
  const read = readFhirMessage('CareCommunication', () => {
    const bundle = asMessageBundle(value);
    return { bundle, message: parseCareCommunication(bundle) };
  });
  if (isNotRepresentable(read)) return done(read);
  const { bundle, message } = read;
  const base = '/Emessage/ClinicalEmail';

  const { sender, receiver } = oioxmlLetterPartiesOf(
    message,
    base,
    context.parties,
    loss,
    'organisation-department-unit',
  );

  // --- times and ids -------------------------------------------------------------------------------------------
  const sent = wallClock(message.timestamp, 'Bundle.timestamp', '/Emessage/Envelope/Sent', loss);
  if (!sent) return done(notRepresentable('Bundle.timestamp', 'no readable send time'));
  const added = message.segments.filter((s) => message.addedSegmentIds.includes(s.id));
  const newest = [...added].reverse().find((s) => s.time) ?? added[0];
  const authorisedAt = newest?.time ?? message.sentAt ?? message.timestamp;
  const authorisation =
    wallClock(authorisedAt, 'Communication.payload.extension(datetime)', `${base}/Letter/Authorisation`, loss) ?? sent;
  const envelopeId = context.idMap.oioxmlIdFor('envelope', sender.ean, message.bundleId).id;
  const letterId = context.idMap.oioxmlIdFor('letter', sender.ean, message.messageHeaderId).id;
  loss.derived('/Emessage/Envelope/Identifier', 'from the id map (Bundle.id)', 'Bundle.id');
  loss.derived(`${base}/Letter/Identifier`, 'from the id map (MessageHeader.id)', 'MessageHeader.id');
  loss.defaulted(
    '/Emessage/Envelope/AcknowledgementCode',
    'pluspositivkvitt: the FHIR sender needs the receipt to become its acknowledgement',
  );

  // --- what it answers -------------------------------------------------------------------------------------------
  let inReplyTo: ClinicalEmailConversion['inReplyTo'];
  if (message.oioxmlReference) {
    const letter = parsePrecedingReference(`${message.oioxmlReference.gln}#${message.oioxmlReference.letterId}`);
    if (letter) inReplyTo = { ean: letter.gln, letterId: letter.letterId };
  } else if (message.previousMessageHeaderId) {
    const original = context.idMap.findOioxmlId('letter', message.previousMessageHeaderId);
    if (original) inReplyTo = { ean: original.gln, letterId: original.id };
  }
  if (message.activity !== 'new-message') {
    loss.changed(
      'Provenance.activity',
      `${base}/Letter/StatusCode`,
      `${message.activity} sent as nytbrev (XDIS91 has no reply or forward status and no reference to the letter answered)`,
    );
  }

  // --- patient -----------------------------------------------------------------------------------------------------
  const patient = patientOf(bundle, message, loss, `${base}/Patient`);
  if ('kind' in patient) return done(patient);

  // --- episode of care ---------------------------------------------------------------------------------------------
  let episodeOfCareIdentifier: string | undefined;
  const episode =
    message.episodeOfCareIds.find((i) => !i.system?.includes('Landspatientregisteret')) ?? message.episodeOfCareIds[0];
  if (episode?.value) {
    try {
      episodeOfCareIdentifier = episodeOfCareOioxmlId(context.idMap, episode.value);
    } catch {
      loss.dropped('Encounter.episodeOfCare.identifier', 'episode-of-care id is neither a UUID nor mapped before');
    }
    if (episodeOfCareIdentifier !== undefined && episodeOfCareIdentifier.length > 35) {
      loss.dropped('Encounter.episodeOfCare.identifier', 'episode-of-care id longer than 35 characters');
      episodeOfCareIdentifier = undefined;
    }
    if (message.episodeOfCareIds.length > 1)
      loss.dropped('Encounter.episodeOfCare', 'only one episode-of-care id fits in XDIS91');
  }

  // --- subject and priority ------------------------------------------------------------------------------------------
  let subject = message.topic ?? CATEGORY_NAMES[message.category] ?? message.category;
  if (message.topic === undefined) {
    loss.changed(
      'Communication.category',
      `${base}/AdditionalInformation/Subject`,
      'no topic: the category name is the Subject',
    );
  } else if (message.category !== 'other') {
    loss.dropped('Communication.category', `category ${message.category} has no place in XDIS91`);
  }
  subject = latin1(subject, 'Communication.topic.text', `${base}/AdditionalInformation/Subject`, loss);
  if (subject.length > 70) {
    loss.changed('Communication.topic.text', `${base}/AdditionalInformation/Subject`, 'cut to 70 characters');
    subject = subject.slice(0, 70);
  }
  const priority: Priority | undefined =
    message.priority === 'asap' ? 'høj_prioritet' : message.priority === 'routine' ? 'rutine' : undefined;

  // --- text and references ---------------------------------------------------------------------------------------------
  const placeholder = context.defaults.careCommunication.author;
  const isPlaceholder = (author: ReadAuthor | undefined): boolean =>
    author?.name.family === placeholder.name.family &&
    ('text' in placeholder.role
      ? author.role.text === placeholder.role.text
      : author.role.code === placeholder.role.code);
  const textSegments = message.segments.filter((s) => s.kind === 'text');
  const ordered = [
    ...textSegments.filter((s) => message.addedSegmentIds.includes(s.id)),
    ...textSegments.filter((s) => !message.addedSegmentIds.includes(s.id)).reverse(),
  ];
  const parts: string[] = [];
  for (const segment of ordered) {
    const signed = !isPlaceholder(segment.author);
    parts.push(signed ? `${segment.text ?? ''}\n${signature(segment)}` : (segment.text ?? ''));
    if (signed)
      loss.changed(
        `Communication.payload[${segment.index}]`,
        `${base}/ClinicalInformation`,
        'author, role, phone and time written as a signature line',
      );
  }
  if (ordered.length > 1) {
    loss.changed(
      'Communication.payload',
      `${base}/ClinicalInformation`,
      `${ordered.length} text segments joined into one text, newest first`,
    );
  }
  let text = parts.join(`\n${SEPARATOR}\n`);
  if (message.recipient) {
    const name = message.recipient.kind === 'careTeam' ? message.recipient.name : personName(message.recipient.author);
    if (name) text = `Att.: ${name}\n${text}`;
    loss.changed(
      'Communication.recipient',
      `${base}/ClinicalInformation`,
      'the addressed person or team written as the first line',
    );
  }
  text = latin1(text, 'Communication.payload.contentString', `${base}/ClinicalInformation/Text01`, loss);
  const blocks = splitIntoBlocks(text);
  if (!blocks) {
    return done(
      notRepresentable(
        'Communication.payload',
        'the text needs more than 10 ClinicalInformation blocks of 3150 characters',
      ),
    );
  }
  if (blocks.length > 1)
    loss.changed(
      'Communication.payload',
      `${base}/ClinicalInformation`,
      `text split into ${blocks.length} blocks of at most 3150 characters`,
    );

  const references: LetterReference[] = [];
  for (const segment of message.segments.filter((s) => s.kind === 'attachment')) {
    const attachment = segment.attachment ?? {};
    const at = `Communication.payload[${segment.index}].contentAttachment`;
    if (attachment.url && attachment.url.length <= 350 && references.length < 10) {
      let description = latin1(attachment.title ?? 'Link', `${at}.title`, `${base}/Reference/RefDescription`, loss);
      if (description.length > 70) {
        loss.changed(`${at}.title`, `${base}/Reference/RefDescription`, 'cut to 70 characters');
        description = description.slice(0, 70);
      }
      references.push({ description, url: attachment.url });
      if (attachment.data)
        loss.dropped(`${at}.data`, 'attachment data needs an XBIN01 letter, which is not produced; the link is kept');
    } else {
      loss.dropped(
        at,
        attachment.url
          ? 'link longer than 350 characters or more than 10 references'
          : 'attachment data needs an XBIN01 letter, which is not produced',
      );
    }
  }

  // --- parties' extras ------------------------------------------------------------------------------------------------
  const phone = newest?.phone;
  const withPhone =
    phone !== undefined && phone !== context.defaults.careCommunication.phone && phone.length <= 25
      ? { ...sender, telephoneSubscriberIdentifier: phone }
      : sender;
  if (message.senderActor)
    loss.dropped('Communication.extension(sender)', 'the sending person or team has no place in XDIS91');

  const letter: ClinicalEmail = {
    type: 'XDIS91',
    letter: compact({
      identifier: letterId,
      statisticalCode: 'XDIS91',
      authorisation,
      statusCode: 'nytbrev' as const,
      episodeOfCareIdentifier,
    }),
    sender: withPhone,
    receiver,
    patient,
    additionalInformation: compact({ priority, subject }),
    clinicalInformation: blocks.map(fromPlainText),
    references,
  };
  const emessage = singleLetter(
    NS_2006,
    { sent, identifier: envelopeId, acknowledgementCode: 'pluspositivkvitt' },
    letter,
  );
  return done(inReplyTo ? { emessage, inReplyTo } : { emessage });
}

function wallClock(value: string, source: string, target: string, loss: LossRecorder): OioDateTime | undefined {
  const clock = wallClockOf(value, false);
  if (!clock) return undefined;
  if (clock.lost.length) loss.changed(source, target, `Copenhagen wall-clock time; lost: ${clock.lost.join(', ')}`);
  return clock.value;
}

function latin1(value: string, source: string, target: string, loss: LossRecorder): string {
  const converted = toLatin1(value);
  if (converted.replaced.length) {
    const list = converted.replaced.map((r) => `${r.char}×${r.count}`).join(', ');
    loss.changed(source, target, `characters outside ISO-8859-1 replaced: ${list}`);
  }
  return converted.text;
}

function personName(author: ReadAuthor): string {
  return [...(author.name.given ?? []), author.name.family ?? ''].join(' ').trim();
}

function signature(segment: Segment): string {
  const author = segment.author;
  const role = author?.role.text ?? author?.role.code;
  const time = segment.time ? wallClockOf(segment.time, false)?.value : undefined;
  const when = time
    ? `${time.date.slice(8, 10)}.${time.date.slice(5, 7)}.${time.date.slice(0, 4)} kl. ${time.time}`
    : undefined;
  const parts = [
    author ? personName(author) : undefined,
    role,
    segment.phone ? `tlf. ${segment.phone}` : undefined,
    when,
  ];
  return `-- ${parts.filter((p) => p).join(', ')}`;
}

function patientOf(
  bundle: MessageBundle,
  message: CareCommunicationMessage,
  loss: LossRecorder,
  path: string,
): ClinicalEmailPatient | NotRepresentable {
  const info = message.patient;
  const identifier = info.identifier;
  let identity: Pick<ClinicalEmailPatient, 'civilRegistrationNumber' | 'alternativeIdentifier'>;
  if (identifier instanceof Cpr) identity = { civilRegistrationNumber: identifier.reveal() };
  else {
    const value = identifier.reveal();
    if (value.length !== 10) {
      return notRepresentable(
        'Patient.identifier',
        'replacement CPR does not have the 10 characters AlternativeIdentifier requires (value masked)',
      );
    }
    identity = { alternativeIdentifier: value };
    loss.dropped('Patient.identifier.system', 'AlternativeIdentifier has no issuer');
  }
  const fit = (value: string | undefined, max: number, source: string, element: string): string | undefined => {
    if (value === undefined || value === '') return undefined;
    const text = latin1(value, source, `${path}/${element}`, loss);
    if (text.length <= max) return text;
    loss.changed(source, `${path}/${element}`, `cut to ${max} characters`);
    return text.slice(0, max);
  };
  const family = fit(info.name.family, 70, 'Patient.name.family', 'PersonSurnameName');
  if (family === undefined) return notRepresentable('Patient.name.family', 'PersonSurnameName is required');
  const given = fit(info.name.given?.join(' '), 70, 'Patient.name.given', 'PersonGivenName');

  // The address is read from the Patient resource itself: the message model keeps only identifier and name.
  const { resource: communication } = focusedCommunication(bundle);
  const patientResource = resolveReference<Patient>(bundle, communication.subject)?.resource as
    (Patient & { address?: { line?: string[]; city?: string; district?: string; postalCode?: string }[] }) | undefined;
  const address = patientResource?.address?.[0];
  const status = episodeStatus(bundle, message);
  return compact({
    ...identity,
    surname: family,
    givenName: given,
    streetName: fit(address?.line?.[0], 35, 'Patient.address.line', 'StreetName'),
    suburbName: fit(address?.district, 35, 'Patient.address.district', 'SuburbName'),
    districtName: fit(address?.city, 35, 'Patient.address.city', 'DistrictName'),
    postCodeIdentifier: fit(address?.postalCode, 9, 'Patient.address.postalCode', 'PostCodeIdentifier'),
    episodeOfCareStatusCode: status,
  });
}

/** The reverse of the EpisodeOfCareStatusCode proposal (oioxml.md §7.4); `inaktiv` when nothing applies. */
function episodeStatus(bundle: MessageBundle, message: CareCommunicationMessage): EpisodeOfCareStatusCode {
  if (message.patient.deceased === true) return 'doed';
  const { resource: communication } = focusedCommunication(bundle);
  const encounter = resolveReference<{ resourceType: string; status?: string; class?: { code?: string } }>(
    bundle,
    communication.encounter,
  )?.resource;
  const cls = encounter?.class?.code;
  const status = encounter?.status;
  if (cls === 'IMP' && (status === 'in-progress' || status === 'onleave')) return 'indlagt';
  if ((cls === 'AMB' || cls === 'EMER') && status === 'in-progress') return 'ambulant';
  return 'inaktiv';
}
