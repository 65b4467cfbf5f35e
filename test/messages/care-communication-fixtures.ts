// Parties, patient and authors for CareCommunication tests. SOR codes and GLNs are those of the official CC 5.0.2
// examples (a hospital department, a nursing home, a third municipal unit); the CPR number is the examples' test CPR.
import { fixedClock, steppingClock } from '../../src/messages/clock.ts';
import type { BuildContext } from '../../src/messages/build-context.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { Cpr, toGln, toSorCode, type MessagingParty, type PatientInfo } from '../../src/messages/parties.ts';
import { MUNICIPALITY } from './support.ts';
import type { AttachmentSegmentInput, Author, TextSegmentInput } from '../../src/messages/care-communication/model.ts';

// The hospital department and the nursing home are the same parties as in the HospitalNotification tests.
export { HOSPITAL } from './support.ts';
export const NURSING_HOME: MessagingParty = MUNICIPALITY;

export const THIRD_UNIT: MessagingParty = {
  sor: toSorCode('1042981000016003'),
  gln: toGln('5790001348120'),
  name: 'Visitationen',
};

export const PATIENT: PatientInfo = {
  identifier: Cpr.parse('2509479989'),
  name: { family: 'Elmer', given: ['Bruno'] },
};

export const NURSE: Author = { name: { family: 'Burns', given: ['Michael'] }, role: { code: 'sygeplejerske' } };
export const OTHER_NURSE: Author = { name: { family: 'Waters', given: ['Emma'] }, role: { code: 'sygeplejerske' } };
export const VISITATOR: Author = { name: { family: 'Hansen', given: ['Hans'] }, role: { text: 'Visitator' } };

/** A tiny but real PDF (header, one empty page, trailer), base64. */
export const PDF_BASE64 = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

export function text(body: string, author: Author = NURSE, phone = '38683868'): TextSegmentInput {
  return { kind: 'text', text: body, author, phone };
}

export function pdf(title: string, data = PDF_BASE64): AttachmentSegmentInput {
  return { kind: 'attachment', contentType: 'application/pdf', title, data };
}

export function link(title: string, url: string): AttachmentSegmentInput {
  return { kind: 'attachment', contentType: 'application/pdf', title, url };
}

/** Deterministic context: seeded ids, a clock one minute apart per call. */
export function context(seed: string, start = '2024-05-01T10:00:00Z'): BuildContext {
  return { clock: steppingClock(start, 60_000), ids: seededIds(seed) };
}

export function fixedContext(seed: string, at: string): BuildContext {
  return { clock: fixedClock(at), ids: seededIds(seed) };
}
