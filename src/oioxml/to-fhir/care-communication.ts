// XDIS91 ClinicalEmail → FHIR CareCommunication 5.0.x (mapping: oioxml.md §7). A converted letter starts a new thread
// (activity new-message): XDIS91 has no thread and no reference to the letter it answers. What FHIR requires and the
// letter lacks — category, structured author, phone, thread and segment ids, SOR codes — comes from the id map, the
// party resolution and the configured defaults, and every such value is listed in the loss report.
import { buildNewCareCommunication } from '../../messages/care-communication/build.ts';
import type {
  AttachmentSegmentInput,
  EpisodeOfCareInput,
  NewCareCommunication,
} from '../../messages/care-communication/model.ts';
import {
  ENCOUNTER_CLASS_SYSTEM,
  type AttachmentMimeType,
  type CareCommunicationPriority,
} from '../../messages/care-communication/vocabulary.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { Cpr, ReplacementCpr, sorUrl, X_ECPR_SYSTEM, type PatientInfo } from '../../messages/parties.ts';
import type { Conversion, NotRepresentable } from '../convert/loss.ts';
import { isNotRepresentable, LossRecorder, notRepresentable } from '../convert/loss.ts';
import type { ConversionContext } from '../convert/context.ts';
import { isCompactUuid } from '../../messages/ids.ts';
import { episodeOfCareFhirId } from '../id-map/episode-of-care.ts';
import { idsForConvertedLetter, withMessageIds } from '../convert/message-ids.ts';
import { buildFhirMessage } from '../convert/message-model.ts';
import { letterPartiesOf } from '../convert/parties.ts';
import { fhirDateTimeOf } from '../convert/wall-clock.ts';
import { stylesUsed } from '../formatted-text.ts';
import type { Envelope } from '../model.ts';
import { interpretEscapedMarkup, renderBlocks } from '../text-format.ts';
import type { ClinicalEmail, ClinicalEmailPatient, EpisodeOfCareStatusCode } from '../xdis91/clinical-email.ts';

export interface ClinicalEmailInput {
  readonly envelope: Envelope;
  readonly letter: ClinicalEmail;
  /** Whether the letter was followed by Local_Elements (bilateral data FHIR cannot carry). */
  readonly hasLocalElements?: boolean;
  /** XPath of the ClinicalEmail element, for locations in the report; default `/Emessage/ClinicalEmail`. */
  readonly path?: string;
}

const D_ECPR = 'urn:oid:1.2.208.176.1.6.1.3';
// dk-core 3.4.0 invariants x-ecpr / d-ecpr: DDMMYY, two digits, then 1|7 (national) or 0|5|6 (local), 2 letters, a digit.
const DAY_MONTH =
  '((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))|((0[1-9]|1[0-9]|2[0-9]|30)(04|06|09|11))|((0[1-9]|1[0-9]|2[0-9])(02)))';
const X_ECPR_VALUE = new RegExp(`^${DAY_MONTH}[0-9]{2}[17][A-Z]{2}[0-9])$`);
const D_ECPR_VALUE = new RegExp(`^${DAY_MONTH}[0-9]{2}[056][A-Z]{2}[0-9])$`);

/** Encounter status and class an EpisodeOfCareStatusCode stands for (oioxml.md §7.4, a proposal: MedCom has none). */
const STAY: Partial<Record<EpisodeOfCareStatusCode, { status: string; code: string }>> = {
  indlagt: { status: 'in-progress', code: 'IMP' },
  ambulant: { status: 'in-progress', code: 'AMB' },
  ambulant_roentgen: { status: 'unknown', code: 'AMB' },
};

const MIME_BY_EXTENSION: Readonly<Record<string, AttachmentMimeType>> = {
  pdf: 'application/pdf',
  gif: 'image/gif',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
};

export function clinicalEmailToCareCommunication(
  input: ClinicalEmailInput,
  context: ConversionContext,
): Conversion<MessageBundle> {
  const loss = new LossRecorder();
  const done = (result: MessageBundle | NotRepresentable) => loss.conversion(result);
  const { envelope, letter } = input;
  const base = input.path ?? '/Emessage/ClinicalEmail';
  const defaults = context.defaults.careCommunication;

  const parties = letterPartiesOf(letter, base, context.parties, loss);
  if (isNotRepresentable(parties)) return done(parties);
  const { sender, receiver } = parties;

  const patient = patientOf(letter.patient, `${base}/Patient`, loss);
  if (isNotRepresentable(patient)) return done(patient);

  // --- episode of care (CC-9: an Encounter only with an episode identifier) ----------------------------------------
  const statusCode = letter.patient.episodeOfCareStatusCode;
  let episodeOfCare: EpisodeOfCareInput | undefined;
  if (letter.letter.episodeOfCareIdentifier !== undefined) {
    const oioxmlId = letter.letter.episodeOfCareIdentifier;
    const value = episodeOfCareFhirId(context.idMap, letter.sender.ean, oioxmlId);
    const stay = STAY[statusCode];
    episodeOfCare = {
      identifiers: [{ system: sorUrl(sender.sor), value }],
      ...(stay ? { status: stay.status, class: { system: ENCOUNTER_CLASS_SYSTEM, code: stay.code } } : {}),
    };
    loss.derived(
      'Encounter.episodeOfCare.identifier',
      isCompactUuid(oioxmlId)
        ? 'EpisodeOfCareIdentifier written as a UUID with hyphens; system = the sender SOR URL'
        : 'EpisodeOfCareIdentifier is no UUID: UUIDv5 from the id map; system = the sender SOR URL',
      `${base}/Letter/EpisodeOfCareIdentifier`,
    );
  } else if (STAY[statusCode]) {
    loss.dropped(
      `${base}/Patient/EpisodeOfCareStatusCode`,
      `${statusCode} needs an Encounter, which CC allows only with an episode-of-care identifier (CC-9)`,
    );
  }

  // --- text ---------------------------------------------------------------------------------------------------
  const blocks = letter.clinicalInformation.map((block, i) => {
    const { text, interpreted } = interpretEscapedMarkup(block);
    if (interpreted) {
      loss.changed(
        `${base}/ClinicalInformation[${i + 1}]/Text01`,
        'Communication.payload.contentString',
        'formatting tags that arrived escaped as text were read as formatting',
      );
    }
    const styles = [...stylesUsed(text)];
    if (styles.length) {
      loss.changed(
        `${base}/ClinicalInformation[${i + 1}]/Text01`,
        'Communication.payload.contentString',
        `formatting ${styles.join(', ')} not carried (FHIR text is plain); the text is kept`,
      );
    }
    return text;
  });
  let text = renderBlocks(blocks);
  if (blocks.length > 1) {
    loss.changed(
      `${base}/ClinicalInformation`,
      'Communication.payload.contentString',
      `${blocks.length} ClinicalInformation blocks joined with a line break into one text segment`,
    );
  }
  if (text.trim() === '') {
    text = defaults.emptyText;
    loss.defaulted(
      'Communication.payload.contentString',
      `the letter has no text; "${text}" used`,
      `${base}/ClinicalInformation`,
    );
  }
  const phone = letter.sender.telephoneSubscriberIdentifier ?? defaults.phone;
  if (letter.sender.telephoneSubscriberIdentifier === undefined) {
    loss.defaulted(
      'Communication.payload.extension(contact)',
      `the Sender has no phone number; configured ${phone} used`,
      `${base}/Sender`,
    );
  } else {
    loss.changed(
      `${base}/Sender/TelephoneSubscriberIdentifier`,
      'Communication.payload.extension(contact)',
      'the Sender phone number is the author contact of the text',
    );
  }
  loss.defaulted(
    'Communication.payload.extension(author)',
    'XDIS91 has no structured author (the signature is in the text); the configured author is used',
    `${base}/ClinicalInformation`,
  );
  const segmentTime = fhirDateTimeOf(letter.letter.authorisation);
  loss.changed(
    `${base}/Letter/Authorisation`,
    'Communication.payload.extension(datetime)',
    'Copenhagen time zone added',
  );

  const attachments: AttachmentSegmentInput[] = [];
  letter.references.forEach((reference, i) => {
    const at = `${base}/Reference[${i + 1}]`;
    if ('url' in reference) {
      const extension = /\.([A-Za-z]{3,4})(?:[?#].*)?$/.exec(reference.url)?.[1]?.toLowerCase();
      const contentType = (extension && MIME_BY_EXTENSION[extension]) || 'application/pdf';
      if (!extension || !MIME_BY_EXTENSION[extension]) {
        loss.defaulted(
          'Communication.payload.contentAttachment.contentType',
          'link of unknown type; application/pdf assumed',
          `${at}/URL`,
        );
      }
      attachments.push({
        kind: 'attachment',
        contentType,
        title: reference.description,
        url: reference.url,
        time: segmentTime,
      });
    } else {
      loss.dropped(
        at,
        'sup' in reference
          ? 'Reference/SUP has no FHIR counterpart'
          : 'Reference/BIN: the object travels in a separate XBIN01 letter, which is not joined here',
      );
    }
  });

  // --- category, topic, priority -------------------------------------------------------------------------------
  const category = defaults.category;
  loss.defaulted('Communication.category', `XDIS91 has no category; configured '${category}' used`);
  const subject = letter.additionalInformation?.subject;
  let topic = subject;
  if (topic === undefined && category === 'other') {
    topic = defaults.topic;
    loss.defaulted(
      'Communication.topic.text',
      `category 'other' needs a topic (CC-6) and the letter has no Subject; "${topic}" used`,
    );
  }
  let priority: CareCommunicationPriority | undefined;
  const oioPriority = letter.additionalInformation?.priority;
  if (oioPriority !== undefined) {
    if (category === 'regarding-referral') priority = oioPriority === 'høj_prioritet' ? 'asap' : 'routine';
    else
      loss.dropped(
        `${base}/AdditionalInformation/Priority`,
        `priority is only allowed with category 'regarding-referral' (CC-5)`,
      );
  }

  // --- letter frame --------------------------------------------------------------------------------------------
  if (letter.letter.statusCode === 'rettetbrev') {
    loss.changed(
      `${base}/Letter/StatusCode`,
      'Provenance.activity',
      'rettetbrev has no CareCommunication activity; sent as new-message',
    );
  }
  if (letter.letter.statisticalCode !== 'XDIS91') {
    loss.dropped(
      `${base}/Letter/StatisticalCode`,
      `StatisticalCode ${letter.letter.statisticalCode} has no FHIR counterpart`,
    );
  }
  if (envelope.acknowledgementCode === 'minuspositivkvitt') {
    loss.changed(
      '/Emessage/Envelope/AcknowledgementCode',
      'MessageHeader',
      'minuspositivkvitt: every FHIR message is acknowledged',
    );
  }
  if (input.hasLocalElements)
    loss.dropped('/Emessage/Local_Elements', 'bilaterally agreed Local_Elements are not carried');
  loss.derived('Communication.identifier', 'new thread id (XDIS91 has no thread)');

  const ids = idsForConvertedLetter(context.idMap, envelope, letter, base, fhirDateTimeOf(envelope.sent), loss);

  const draft: NewCareCommunication = {
    sender,
    receiver,
    patient,
    category,
    ...(priority !== undefined ? { priority } : {}),
    ...(topic !== undefined ? { topic } : {}),
    segments: [{ kind: 'text', text, author: defaults.author, phone, time: segmentTime }, ...attachments],
    ...(episodeOfCare ? { episodeOfCare } : {}),
  };
  const bundle = buildFhirMessage(base, () => buildNewCareCommunication(draft, { context: ids.build }));
  return done(isNotRepresentable(bundle) ? bundle : withMessageIds(bundle, ids.bundleId, ids.messageHeaderId));
}

/** XDIS91 Patient → PatientInfo. The identifier is never echoed into the report. */
export function patientOf(
  patient: ClinicalEmailPatient,
  path: string,
  loss: LossRecorder,
): PatientInfo | NotRepresentable {
  let identifier: PatientInfo['identifier'];
  if (patient.civilRegistrationNumber !== undefined) {
    if (!Cpr.isValid(patient.civilRegistrationNumber)) {
      return notRepresentable(
        `${path}/CivilRegistrationNumber`,
        'not a valid CPR number by the dk-core cpr rule (value masked)',
      );
    }
    identifier = Cpr.parse(patient.civilRegistrationNumber);
  } else {
    const value = patient.alternativeIdentifier!;
    const system = X_ECPR_VALUE.test(value) ? X_ECPR_SYSTEM : D_ECPR_VALUE.test(value) ? D_ECPR : undefined;
    if (!system) {
      return notRepresentable(
        `${path}/AlternativeIdentifier`,
        'replacement CPR fits neither the national (x-ecpr) nor the local (d-ecpr) pattern (value masked)',
      );
    }
    identifier = ReplacementCpr.parse(system, value);
    loss.derived(
      'Patient.identifier',
      `replacement CPR system ${system} chosen from the value's form (OIOXML names no issuer)`,
      `${path}/AlternativeIdentifier`,
    );
  }
  const given = patient.givenName?.split(/\s+/).filter((g) => g !== '');
  for (const [field, element] of [
    ['streetName', 'StreetName'],
    ['suburbName', 'SuburbName'],
    ['districtName', 'DistrictName'],
    ['postCodeIdentifier', 'PostCodeIdentifier'],
    ['occupancyText', 'OccupancyText'],
  ] as const) {
    if (patient[field] !== undefined)
      loss.dropped(`${path}/${element}`, `${element} is not carried (the builder writes no patient address)`);
  }
  return {
    identifier,
    name: { family: patient.surname, ...(given?.length ? { given } : {}) },
    ...(patient.episodeOfCareStatusCode === 'doed' ? { deceased: true } : {}),
  };
}
