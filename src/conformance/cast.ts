/**
 * The people and organisations of the conformance runs, shared by the fixture set (what Touchstone's side sends)
 * and the library driver's scenarios (what the system under test sends). SOR codes, GLNs and the CPR number are
 * those of MedCom's official examples (the CPR is MedCom's test person); the other units have made-up SOR codes
 * and GLNs with valid GS1 check digits. Attachments are tiny but real files of every MIME type CareCommunication
 * allows, so a receiver that sniffs content sees what the content type promises.
 */
import type { Author } from '../messages/care-communication/model.ts';
import type { AttachmentMimeType } from '../messages/care-communication/vocabulary.ts';
import {
  Cpr,
  ReplacementCpr,
  toGln,
  toSorCode,
  X_ECPR_SYSTEM,
  type CprPatientInfo,
  type MessagingParty,
  type PatientInfo,
} from '../messages/parties.ts';

/** The hospital department: sends HospitalNotifications, receives Acknowledgements and CareCommunications. */
export const HOSPITAL: MessagingParty = {
  sor: toSorCode('265161000016000'),
  gln: toGln('5790000209354'),
  name: 'Hjerteafdelingen på Herlev og Gentofte hospital',
};

/** Another department of the same hospital (PF-05: a correction because the patient was registered at the wrong one). */
export const HOSPITAL_OTHER_DEPARTMENT: MessagingParty = {
  sor: toSorCode('265171000016007'),
  gln: toGln('5790000209361'),
  name: 'Medicinsk afdeling på Herlev og Gentofte hospital',
};

/** The citizen's home municipality (nursing home): receives HospitalNotifications, exchanges CareCommunications. */
export const MUNICIPALITY: MessagingParty = {
  sor: toSorCode('953741000016009'),
  gln: toGln('5790001348120'),
  name: 'Plejecenter Herlev',
};

/** A third unit CareCommunications are forwarded to. */
export const THIRD_UNIT: MessagingParty = {
  sor: toSorCode('1042981000016003'),
  gln: toGln('5790001122331'),
  name: 'Herlev Kommune, Sygeplejen',
};

export const PATIENT: CprPatientInfo = {
  identifier: Cpr.parse('2509479989'),
  name: { family: 'Elmer', given: ['Bruno'] },
};

/** A patient known only by a national replacement CPR (x-ecpr), as in the CC 5.0.2 example. */
export const PATIENT_WITH_REPLACEMENT_CPR: PatientInfo = {
  identifier: ReplacementCpr.parse(X_ECPR_SYSTEM, '0703921VJ4'),
  name: { family: 'Jensen', given: ['Karl'] },
};

export const NURSE: Author = { name: { family: 'Burns', given: ['Michael'] }, role: { code: 'sygeplejerske' } };
export const HOSPITAL_DOCTOR: Author = { name: { family: 'Nielsen', given: ['Anne'] }, role: { code: 'laege' } };
export const PHONE = '38683868';

/** Tiny real files (1×1 or 8×8 pixels, one empty PDF page), base64. */
export const SAMPLE_FILES: Readonly<Record<AttachmentMimeType, string>> = {
  'application/pdf': Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  ).toString('base64'),
  'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IScHAAK2AQU0pnWqAAAAAElFTkSuQmCC',
  'image/gif': 'R0lGODlhAQABAIAAAMgeHgAAACwAAAAAAQABAAACAkQBADs=',
  'image/jpeg':
    '/9j/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAAIAAgBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z',
  'image/bmp': 'Qk06AAAAAAAAADYAAAAoAAAAAQAAAAEAAAABABgAAAAAAAQAAAATCwAAEwsAAAAAAAAAAAAAHh7IAA==',
  'image/tiff':
    'SUkqAAgAAAAJAAABAwABAAAAAQAAAAEBAwABAAAAAQAAAAIBAwABAAAACAAAAAMBAwABAAAAAQAAAAYBAwABAAAAAgAAABEBBAABAAAAegAAABUBAwABAAAAAwAAABYBAwABAAAAAQAAABcBBAABAAAAAwAAAAAAAADIHh4=',
};
