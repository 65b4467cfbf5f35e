/** Canonical URLs of HospitalNotification 3.0.2, byte-for-byte as published (including the "notifiation" typo). */

export const HN_IG = 'hospitalnotification';

export const HN_MESSAGE_PROFILE =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalNotification-message';
export const HN_HEADER_PROFILE =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalNotification-messageHeader';
export const HN_ENCOUNTER_PROFILE =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalNotification-encounter';

export const REPORT_OF_ADMISSION_FLAG_EXTENSION =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionExtension';
export const REPORT_OF_ADMISSION_RECIPIENT_EXTENSION =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionRecipientExtension';
/** Sic: "hospitalnotifiation". */
export const LEAVE_PERIOD_EXTENSION =
  'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotifiation-leave-period-extension';

export const LPR3_EPISODE_SYSTEM = 'https://www.esundhed.dk/Registre/Landspatientregisteret';
