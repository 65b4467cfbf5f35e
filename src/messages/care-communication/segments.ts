/**
 * Payload segments: one `Communication.payload` element each, text (`contentString`) or attachment
 * (`contentAttachment`), with the per-segment extensions of MedCom core — datetime (when the user pressed send),
 * identifier (`urn:uuid:` v4 + assigner = the organisation that first added it), author (PractitionerRole) and
 * phone (§4.3). Written in the extension order of the official examples.
 */
import { messageName, resolveReference } from '../bundle.ts';
import { isInstant } from '../clock.ts';
import { MessageModelError } from '../errors.ts';
import type { Extension, MessageBundle, Organization, Reference } from '../fhir-types.ts';
import { partyFromOrganization } from '../parties.ts';
import { checkAuthor, readAuthor } from './authors.ts';
import type { ReadAttachment, Segment, SegmentInput } from './model.ts';
import { CC_EXTENSION, isAttachmentMimeType } from './vocabulary.ts';

export interface Attachment {
  contentType?: string;
  data?: string;
  url?: string;
  title?: string;
  creation?: string;
}

/** One `Communication.payload` element. */
export interface Payload {
  extension?: Extension[];
  contentString?: string;
  contentAttachment?: Attachment;
  [key: string]: unknown;
}

/** The intent of medcom-core-contact (published unanchored): an optional `+`, then digits (hyphens tolerated). */
const PHONE = /^\+?[0-9][-0-9]*$/;
/**
 * R4 base64Binary without whitespace: whole 4-character groups, `=` padding only at the end. Checked without a
 * repeating regex group, which would backtrack over tens of megabytes.
 */
function isBase64(value: string): boolean {
  if (value.length === 0 || value.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(value)) return false;
  const padding = value.indexOf('=');
  return padding < 0 || (padding >= value.length - 2 && /^=+$/.test(value.slice(padding)));
}
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function refuse(problem: string, location: string, expected: string): never {
  throw new MessageModelError(problem, location, expected);
}

/** Whitespace other than space, tab, CR and LF — outside R4's string grammar `[ \r\n\t\S]+`. */
const EXOTIC_WHITESPACE = /[^\S \t\r\n]/g;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * Text as R4 `string` allows it. Text pasted from word processors often carries non-breaking or other Unicode spaces,
 * which the string grammar rejects; they become plain spaces (the reader sees the same text). Control characters
 * (R4: none below U+0020 except tab, CR, LF) cannot be shown or written as XML, so they are refused.
 */
export function fhirText(value: string, location: string): string {
  if (CONTROL.test(value))
    refuse('text contains control characters', location, 'printable text (tab, CR and LF allowed)');
  return value.replace(EXOTIC_WHITESPACE, ' ');
}

/** Checks a segment the caller wants to add, naming the payload element it would become. */
export function checkSegmentInput(segment: SegmentInput, location: string): void {
  if (segment.time !== undefined && !isInstant(segment.time)) {
    refuse(
      'segment time is not a full date-time with zone',
      `${location}.extension:date.valueDateTime`,
      'YYYY-MM-DDThh:mm:ss±hh:mm',
    );
  }
  if (segment.phone !== undefined && !PHONE.test(segment.phone)) {
    refuse(
      `phone number ${JSON.stringify(segment.phone)} has other characters than digits`,
      `${location}.extension:authorContact.valueContactPoint.value`,
      "digits, optionally starting with '+'",
    );
  }
  if (segment.author) checkAuthor(segment.author, `${location}.extension:author.valueReference.resolve()`);
  if (segment.kind === 'text') {
    if (typeof segment.text !== 'string' || segment.text.trim() === '') {
      refuse('text segment is empty', `${location}.contentString`, 'a non-empty text');
    }
    fhirText(segment.text, `${location}.contentString`);
    if (!segment.author)
      refuse('text segment has no author', `${location}.extension:author`, 'an author (1..1 for text)');
    if (segment.phone === undefined) {
      refuse(
        'text segment has no phone number',
        `${location}.extension:authorContact`,
        'the author’s phone (1..1 for text)',
      );
    }
    return;
  }
  const at = `${location}.contentAttachment`;
  if (!isAttachmentMimeType(segment.contentType)) {
    refuse(
      `attachment type ${JSON.stringify(segment.contentType)} is not allowed`,
      `${at}.contentType`,
      'a code of medcom-core-attachmentMimeTypes (pdf, gif, jpeg, png, tiff, bmp)',
    );
  }
  if (typeof segment.title !== 'string' || segment.title.trim() === '') {
    refuse('attachment has no title', `${at}.title`, 'a title (1..1)');
  }
  fhirText(segment.title, `${at}.title`);
  const hasData = segment.data !== undefined;
  const hasUrl = segment.url !== undefined;
  if (hasData === hasUrl) {
    refuse(
      hasData ? 'attachment has both data and url' : 'attachment has neither data nor url',
      at,
      'either base64 data (a file) or a url (a link)',
    );
  }
  if (hasData && !isBase64(segment.data!)) {
    refuse('attachment data is not base64', `${at}.data`, 'non-empty base64 without line breaks');
  }
  if (hasUrl && !URL.canParse(segment.url!))
    refuse('attachment url is not an absolute URL', `${at}.url`, 'an absolute URL');
  if (segment.creation !== undefined && !isInstant(segment.creation) && !DATE.test(segment.creation)) {
    refuse('attachment creation is not a FHIR dateTime', `${at}.creation`, 'a date or a date-time with zone');
  }
}

export interface PayloadContext {
  /** Segment identifier value, `urn:uuid:` + lower-case UUIDv4. */
  readonly id: string;
  readonly time: string;
  /** Organization entry id of the organisation adding the segment. */
  readonly assignerOrganizationId: string;
  /** PractitionerRole entry id of the author, when the segment has one. */
  readonly authorRoleId?: string;
}

export function payloadElement(segment: SegmentInput, context: PayloadContext): Payload {
  const extension: Extension[] = [
    { url: CC_EXTENSION.datetime, valueDateTime: segment.time ?? context.time },
    {
      url: CC_EXTENSION.identifier,
      valueIdentifier: { value: context.id, assigner: { reference: `Organization/${context.assignerOrganizationId}` } },
    },
  ];
  if (context.authorRoleId) {
    extension.push({
      url: CC_EXTENSION.practitioner,
      valueReference: { reference: `PractitionerRole/${context.authorRoleId}` },
    });
  }
  if (segment.phone !== undefined) {
    extension.push({ url: CC_EXTENSION.contact, valueContactPoint: { system: 'phone', value: segment.phone } });
  }
  if (segment.kind === 'text')
    return { extension, contentString: fhirText(segment.text, 'Communication.payload.contentString') };
  return {
    extension,
    contentAttachment: {
      contentType: segment.contentType,
      ...(segment.data !== undefined ? { data: segment.data } : {}),
      ...(segment.url !== undefined ? { url: segment.url } : {}),
      title: fhirText(segment.title, 'Communication.payload.contentAttachment.title'),
      ...(segment.creation !== undefined ? { creation: segment.creation } : {}),
    },
  };
}

/**
 * The reply rule (§4.3): earlier attachments are repeated with identifier, date, title and author, but without the
 * file (`data`) or link (`url`). Returns a copy; the input is not touched.
 */
export function withoutAttachmentContent(payload: Payload): Payload {
  const copy = structuredClone(payload);
  if (copy.contentAttachment) {
    delete copy.contentAttachment.data;
    delete copy.contentAttachment.url;
  }
  return copy;
}

function extensionOf(payload: Payload, url: string): Extension | undefined {
  return Array.isArray(payload.extension) ? payload.extension.find((e) => e?.url === url) : undefined;
}

/** The segment identifier value, if the segment carries one. */
export function segmentIdOf(payload: Payload): string | undefined {
  const value = (extensionOf(payload, CC_EXTENSION.identifier)?.valueIdentifier as { value?: unknown } | undefined)
    ?.value;
  return typeof value === 'string' ? value : undefined;
}

/** Reads one payload element into a {@link Segment}. */
export function readSegment(bundle: MessageBundle, payload: Payload, index: number, location: string): Segment {
  const identifier = extensionOf(payload, CC_EXTENSION.identifier)?.valueIdentifier as
    { value?: unknown; assigner?: Reference } | undefined;
  const time = extensionOf(payload, CC_EXTENSION.datetime)?.valueDateTime;
  const phone = (extensionOf(payload, CC_EXTENSION.contact)?.valueContactPoint as { value?: unknown } | undefined)
    ?.value;
  const authorIndex = Array.isArray(payload.extension)
    ? payload.extension.findIndex((e) => e?.url === CC_EXTENSION.practitioner)
    : -1;
  const author =
    authorIndex >= 0
      ? readAuthor(
          bundle,
          payload.extension![authorIndex]!.valueReference,
          `${location}.extension[${authorIndex}].valueReference`,
        )
      : undefined;
  const assignerOrg = resolveReference<Organization>(bundle, identifier?.assigner);
  let assigner;
  if (assignerOrg?.resource.resourceType === 'Organization') {
    try {
      assigner = partyFromOrganization(assignerOrg.resource, assignerOrg.location, undefined, messageName(bundle));
    } catch {
      assigner = undefined;
    }
  }
  const common = {
    id: typeof identifier?.value === 'string' ? identifier.value : '',
    ...(author ? { author } : {}),
    ...(typeof phone === 'string' ? { phone } : {}),
    ...(typeof time === 'string' ? { time } : {}),
    ...(assigner ? { assigner } : {}),
    index,
  };
  if (typeof payload.contentString === 'string') return { ...common, kind: 'text', text: payload.contentString };
  const a = payload.contentAttachment;
  if (a && typeof a === 'object') {
    const attachment: ReadAttachment = {
      ...(typeof a.contentType === 'string' ? { contentType: a.contentType } : {}),
      ...(typeof a.title === 'string' ? { title: a.title } : {}),
      ...(typeof a.creation === 'string' ? { creation: a.creation } : {}),
      ...(typeof a.url === 'string' ? { url: a.url } : {}),
      ...(typeof a.data === 'string' ? { data: a.data } : {}),
    };
    return { ...common, kind: 'attachment', attachment };
  }
  throw new MessageModelError(
    'payload has neither text nor attachment',
    `${location}.content`,
    'contentString or contentAttachment',
    messageName(bundle),
  );
}
