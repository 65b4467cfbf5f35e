// XDIS91 ClinicalEmail element codec (ClinicalEmail.xsd, 2006/07/01). Reads strictly (unknown elements are errors
// naming their XPath) and writes elements in schema order.
import { el, type XmlElement } from '../../xml/element.ts';
import type { ElementReader } from '../codec/element-reader.ts';
import { readParty, writeParty, type PartyShape } from '../codec/party.ts';
import { decodeFormattedText, encodeFormattedText } from '../formatted-text.ts';
import { dateTimeElement, optionalElement, textElement } from '../codec/elements.ts';
import { compact } from '../model.ts';
import {
  CLINICAL_EMAIL_STATUS_CODES,
  EPISODE_OF_CARE_STATUS_CODES,
  PRIORITIES,
  XDIS91_TYPE_CODE,
  XDIS91_VERSION_CODE,
  type ClinicalEmail,
  type ClinicalEmailPatient,
  type LetterReference,
} from './clinical-email.ts';

const SENDER: PartyShape = {
  fields: [
    'organisationName',
    'departmentName',
    'unitName',
    'streetName',
    'suburbName',
    'districtName',
    'postCodeIdentifier',
    'telephoneSubscriberIdentifier',
    'medicalSpecialityCode',
  ],
  required: ['organisationName'],
};

const RECEIVER: PartyShape = {
  fields: [
    'organisationName',
    'departmentName',
    'unitName',
    'streetName',
    'suburbName',
    'districtName',
    'postCodeIdentifier',
  ],
};

export function readClinicalEmail(reader: ElementReader): ClinicalEmail {
  const letterReader = reader.required('Letter');
  const authorisation = letterReader.required('Authorisation');
  const letter = {
    identifier: letterReader.text('Identifier', { maxLength: 14 }),
    versionCode: letterReader.fixed('VersionCode', XDIS91_VERSION_CODE),
    statisticalCode: letterReader.text('StatisticalCode', { maxLength: 8 }),
    authorisation: { date: authorisation.date('Date'), time: authorisation.time('Time', false) },
    typeCode: letterReader.fixed('TypeCode', XDIS91_TYPE_CODE),
    statusCode: letterReader.code('StatusCode', CLINICAL_EMAIL_STATUS_CODES),
    episodeOfCareIdentifier: letterReader.optionalText('EpisodeOfCareIdentifier', { maxLength: 35 }),
  };
  authorisation.finish();
  letterReader.finish();

  const sender = readParty(reader.required('Sender'), SENDER);
  const receiver = readParty(reader.required('Receiver'), RECEIVER);
  const patient = readPatient(reader.required('Patient'));

  const additional = reader.optional('AdditionalInformation');
  const additionalInformation = additional
    ? compact({
        priority: additional.optionalCode('Priority', PRIORITIES),
        subject: additional.optionalText('Subject', { maxLength: 70 }),
      })
    : undefined;
  additional?.finish();

  const clinicalInformation = reader.many('ClinicalInformation', 10).map((block) => {
    const text = block.required('Text01');
    block.finish();
    return decodeFormattedText(text.element, text.path, reader.label, reader.ns);
  });
  const references = reader.many('Reference', 10).map(readReference);
  reader.finish();

  return compact({
    type: 'XDIS91',
    letter: compact({
      identifier: letter.identifier,
      statisticalCode: letter.statisticalCode,
      authorisation: letter.authorisation,
      statusCode: letter.statusCode,
      episodeOfCareIdentifier: letter.episodeOfCareIdentifier,
    }),
    sender,
    receiver,
    patient,
    additionalInformation,
    clinicalInformation,
    references,
  }) as ClinicalEmail;
}

function readPatient(reader: ElementReader): ClinicalEmailPatient {
  const cpr = reader.optional('CivilRegistrationNumber');
  const alternative = reader.optional('AlternativeIdentifier');
  if (cpr && alternative)
    reader.fail('both CivilRegistrationNumber and AlternativeIdentifier are present; expected one');
  if (!cpr && !alternative) reader.fail('CivilRegistrationNumber or AlternativeIdentifier is required');
  let civilRegistrationNumber: string | undefined;
  let alternativeIdentifier: string | undefined;
  if (cpr) {
    civilRegistrationNumber = cpr.value();
    if (!/^[0-9]{10}$/.test(civilRegistrationNumber)) cpr.fail('CivilRegistrationNumber is not 10 digits');
  } else if (alternative) {
    alternativeIdentifier = alternative.value();
    if (alternativeIdentifier.length !== 10) alternative.fail('AlternativeIdentifier must have exactly 10 characters');
  }
  const patient = compact({
    civilRegistrationNumber,
    alternativeIdentifier,
    surname: reader.text('PersonSurnameName', { maxLength: 70, personal: true }),
    givenName: reader.optionalText('PersonGivenName', { maxLength: 70, personal: true }),
    streetName: reader.optionalText('StreetName', { maxLength: 35, personal: true }),
    suburbName: reader.optionalText('SuburbName', { maxLength: 35, personal: true }),
    districtName: reader.optionalText('DistrictName', { maxLength: 35, personal: true }),
    postCodeIdentifier: reader.optional('PostCodeIdentifier')?.value(),
    occupancyText: reader.optionalText('OccupancyText', { maxLength: 35, personal: true }),
    episodeOfCareStatusCode: reader.code('EpisodeOfCareStatusCode', EPISODE_OF_CARE_STATUS_CODES),
  });
  reader.finish();
  return patient as ClinicalEmailPatient;
}

function readReference(reader: ElementReader): LetterReference {
  const description = reader.text('RefDescription', { maxLength: 70 });
  const url = reader.optional('URL');
  const sup = reader.optional('SUP');
  const bin = reader.optional('BIN');
  const count = [url, sup, bin].filter(Boolean).length;
  if (count !== 1) reader.fail(`Reference has ${count} of URL, SUP, BIN; expected exactly one`);
  let reference: LetterReference;
  if (url) reference = { description, url: url.nonEmpty({ maxLength: 350 }) };
  else if (sup) {
    if (sup.value().trim() !== 'true') sup.fail("SUP must be 'true'");
    reference = { description, sup: true };
  } else {
    const b = bin!;
    reference = {
      description,
      bin: {
        objectIdentifier: b.text('ObjectIdentifier', { maxLength: 35 }),
        objectCode: b.text('ObjectCode'),
        objectExtensionCode: b.text('ObjectExtensionCode'),
        originalObjectSize: b.text('OriginalObjectSize'),
      },
    };
    b.finish();
  }
  reader.finish();
  return reference;
}

export function writeClinicalEmail(letter: ClinicalEmail, ns: string): XmlElement {
  const t = (name: string, value: string): XmlElement => textElement(ns, name, value);
  const children: XmlElement[] = [
    el('Letter', ns, undefined, [
      t('Identifier', letter.letter.identifier),
      t('VersionCode', XDIS91_VERSION_CODE),
      t('StatisticalCode', letter.letter.statisticalCode),
      dateTimeElement(ns, 'Authorisation', letter.letter.authorisation, 'Time'),
      t('TypeCode', XDIS91_TYPE_CODE),
      t('StatusCode', letter.letter.statusCode),
      ...optionalElement(ns, 'EpisodeOfCareIdentifier', letter.letter.episodeOfCareIdentifier),
    ]),
    writeParty('Sender', letter.sender, SENDER, ns),
    writeParty('Receiver', letter.receiver, RECEIVER, ns),
    writePatient(letter.patient, ns),
  ];
  const additional = letter.additionalInformation;
  if (additional) {
    children.push(
      el('AdditionalInformation', ns, undefined, [
        ...optionalElement(ns, 'Priority', additional.priority),
        ...optionalElement(ns, 'Subject', additional.subject),
      ]),
    );
  }
  for (const block of letter.clinicalInformation) {
    children.push(
      el('ClinicalInformation', ns, undefined, [el('Text01', ns, undefined, encodeFormattedText(block, ns))]),
    );
  }
  for (const reference of letter.references) children.push(writeReference(reference, ns));
  return el('ClinicalEmail', ns, undefined, children);
}

function writePatient(patient: ClinicalEmailPatient, ns: string): XmlElement {
  const identity =
    patient.civilRegistrationNumber !== undefined
      ? optionalElement(ns, 'CivilRegistrationNumber', patient.civilRegistrationNumber)
      : optionalElement(ns, 'AlternativeIdentifier', patient.alternativeIdentifier);
  return el('Patient', ns, undefined, [
    ...identity,
    el('PersonSurnameName', ns, undefined, [patient.surname]),
    ...optionalElement(ns, 'PersonGivenName', patient.givenName),
    ...optionalElement(ns, 'StreetName', patient.streetName),
    ...optionalElement(ns, 'SuburbName', patient.suburbName),
    ...optionalElement(ns, 'DistrictName', patient.districtName),
    ...optionalElement(ns, 'PostCodeIdentifier', patient.postCodeIdentifier),
    ...optionalElement(ns, 'OccupancyText', patient.occupancyText),
    el('EpisodeOfCareStatusCode', ns, undefined, [patient.episodeOfCareStatusCode]),
  ]);
}

function writeReference(reference: LetterReference, ns: string): XmlElement {
  const children: XmlElement[] = [el('RefDescription', ns, undefined, [reference.description])];
  if ('url' in reference) children.push(el('URL', ns, undefined, [reference.url]));
  else if ('sup' in reference) children.push(el('SUP', ns, undefined, ['true']));
  else {
    const { bin } = reference;
    children.push(
      el('BIN', ns, undefined, [
        el('ObjectIdentifier', ns, undefined, [bin.objectIdentifier]),
        el('ObjectCode', ns, undefined, [bin.objectCode]),
        el('ObjectExtensionCode', ns, undefined, [bin.objectExtensionCode]),
        el('OriginalObjectSize', ns, undefined, [bin.originalObjectSize]),
      ]),
    );
  }
  return el('Reference', ns, undefined, children);
}
