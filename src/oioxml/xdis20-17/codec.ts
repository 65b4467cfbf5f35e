// XDIS20 / XDIS17 element codec (NotificationOfAdmission.xsd, NotificationOfDischarge.xsd, 2005/08/07).
import { el, type XmlElement } from '../../xml/element.ts';
import type { ElementReader } from '../codec/element-reader.ts';
import { dateTimeElement, optionalElement, textElement } from '../codec/elements.ts';
import { readParty, writeParty, type PartyShape } from '../codec/party.ts';
import { compact, type OioDateTime } from '../model.ts';
import {
  ADMISSION_STATUS_CODES,
  DISCHARGE_STATUS_CODES,
  NOTIFICATION_STATUS_CODES,
  XDIS17_VERSION_CODE,
  XDIS20_VERSION_CODE,
  type HospitalNotificationLetter,
  type NotificationLetter,
  type NotificationOfAdmission,
  type NotificationOfDischarge,
  type NotificationPatient,
} from './notification.ts';

const SENDER_FIELDS = ['organisationName', 'departmentName', 'unitName', 'telephoneSubscriberIdentifier'] as const;
const ADMISSION_SENDER: PartyShape = { fields: SENDER_FIELDS, required: ['organisationName'], answerTo: 'required' };
const DISCHARGE_SENDER: PartyShape = { fields: SENDER_FIELDS, required: ['organisationName'], answerTo: 'optional' };
const RECEIVER: PartyShape = { fields: ['organisationName'] };

interface Shape {
  readonly element: 'NotificationOfAdmission' | 'NotificationOfDischarge';
  readonly versionCode: string;
  readonly typeCode: 'XDIS20' | 'XDIS17';
  readonly sender: PartyShape;
  readonly statusCodes: readonly string[];
  readonly moment: 'Admission' | 'Discharge';
}

const ADMISSION: Shape = {
  element: 'NotificationOfAdmission',
  versionCode: XDIS20_VERSION_CODE,
  typeCode: 'XDIS20',
  sender: ADMISSION_SENDER,
  statusCodes: ADMISSION_STATUS_CODES,
  moment: 'Admission',
};
const DISCHARGE: Shape = {
  element: 'NotificationOfDischarge',
  versionCode: XDIS17_VERSION_CODE,
  typeCode: 'XDIS17',
  sender: DISCHARGE_SENDER,
  statusCodes: DISCHARGE_STATUS_CODES,
  moment: 'Discharge',
};

export function readNotificationOfAdmission(reader: ElementReader): NotificationOfAdmission {
  const { letter, sender, receiver, patient, moment } = readNotification(reader, ADMISSION);
  return {
    type: 'XDIS20',
    letter,
    sender,
    receiver,
    patient: patient as NotificationOfAdmission['patient'],
    admission: moment,
  };
}

export function readNotificationOfDischarge(reader: ElementReader): NotificationOfDischarge {
  const { letter, sender, receiver, patient, moment } = readNotification(reader, DISCHARGE);
  return {
    type: 'XDIS17',
    letter,
    sender,
    receiver,
    patient: patient as NotificationOfDischarge['patient'],
    discharge: moment,
  };
}

function readNotification(reader: ElementReader, shape: Shape) {
  const letterReader = reader.required('Letter');
  const authorisation = letterReader.required('Authorisation');
  const identifier = letterReader.text('Identifier', { maxLength: 14 });
  letterReader.fixed('VersionCode', shape.versionCode);
  const statisticalCode = letterReader.text('StatisticalCode', { maxLength: 8 });
  const authorised: OioDateTime = { date: authorisation.date('Date'), time: authorisation.time('TimeWithSec', true) };
  authorisation.finish();
  letterReader.fixed('TypeCode', shape.typeCode);
  const letter: NotificationLetter = {
    identifier,
    statisticalCode,
    authorisation: authorised,
    statusCode: letterReader.code('StatusCode', NOTIFICATION_STATUS_CODES),
    notificationIdentifier: letterReader.text('NotificationIdentifier', { maxLength: 35 }),
  };
  letterReader.finish();

  const sender = readParty(reader.required('Sender'), shape.sender);
  const receiver = readParty(reader.required('Receiver'), RECEIVER);

  const patientReader = reader.required('Patient');
  const cpr = patientReader.required('CivilRegistrationNumber');
  const civilRegistrationNumber = cpr.value();
  if (!/^[0-9]{10}$/.test(civilRegistrationNumber)) cpr.fail('CivilRegistrationNumber is not 10 digits');
  const patient: NotificationPatient<string> = compact({
    civilRegistrationNumber,
    episodeOfCareStatusCode: patientReader.optionalCode('EpisodeOfCareStatusCode', shape.statusCodes),
  });
  patientReader.finish();

  const momentReader = reader.required(shape.moment);
  const moment: OioDateTime = { date: momentReader.date('Date'), time: momentReader.time('Time', false) };
  momentReader.finish();
  reader.finish();
  return { letter, sender, receiver, patient, moment };
}

export function writeNotification(notification: HospitalNotificationLetter, ns: string): XmlElement {
  const shape = notification.type === 'XDIS20' ? ADMISSION : DISCHARGE;
  const moment = notification.type === 'XDIS20' ? notification.admission : notification.discharge;
  const { letter, patient } = notification;
  return el(shape.element, ns, undefined, [
    el('Letter', ns, undefined, [
      textElement(ns, 'Identifier', letter.identifier),
      textElement(ns, 'VersionCode', shape.versionCode),
      textElement(ns, 'StatisticalCode', letter.statisticalCode),
      dateTimeElement(ns, 'Authorisation', letter.authorisation, 'TimeWithSec'),
      textElement(ns, 'TypeCode', shape.typeCode),
      textElement(ns, 'StatusCode', letter.statusCode),
      textElement(ns, 'NotificationIdentifier', letter.notificationIdentifier),
    ]),
    writeParty('Sender', notification.sender, shape.sender, ns),
    writeParty('Receiver', notification.receiver, RECEIVER, ns),
    el('Patient', ns, undefined, [
      textElement(ns, 'CivilRegistrationNumber', patient.civilRegistrationNumber),
      ...optionalElement(ns, 'EpisodeOfCareStatusCode', patient.episodeOfCareStatusCode),
    ]),
    dateTimeElement(ns, shape.moment, moment, 'Time'),
  ]);
}
