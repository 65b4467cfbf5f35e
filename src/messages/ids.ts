/**
 * Identifiers of MedCom messages. Every resource id, Bundle.id and MessageHeader.id is a UUID (HN/ACK IG home pages);
 * CareCommunication thread and segment ids must be lower-case UUIDv4 behind `urn:uuid:` (invariant medcom-uuidv4), so
 * we only ever generate lower-case v4. Generation is injected (`IdGenerator`) so tests and replays are deterministic.
 */
import { createHash, randomUUID } from 'node:crypto';

/** Produces a new lower-case UUIDv4 per call. */
export type IdGenerator = () => string;

export const randomIds: IdGenerator = () => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;
const URN_UUID = 'urn:uuid:';

/** Any RFC 4122 textual UUID, either case (received ids are checked leniently; several official examples are not UUIDs at all). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The form we generate and CareCommunication demands: version 4, RFC variant, lower case. */
export function isLowerCaseUuidV4(value: string): boolean {
  return UUID_V4_LOWER.test(value);
}

/** LPR3 episode-of-care identifiers are name-based UUIDv5 (core invariant `uuidv5`, either case). */
export function isUuidV5(value: string): boolean {
  return UUID_V5.test(value);
}

export function toUrnUuid(uuid: string): string {
  return uuid.startsWith(URN_UUID) ? uuid : `${URN_UUID}${uuid}`;
}

/** Strips a `urn:uuid:` prefix if present; the examples mix both forms for the same episode id. */
export function fromUrnUuid(value: string): string {
  return value.startsWith(URN_UUID) ? value.slice(URN_UUID.length) : value;
}

/**
 * FHIR carries episode-of-care UUIDs with hyphens, OIOXML/EDIFACT the same UUID without (GOV 080). Returns the
 * 32-hex-digit OIOXML form in lower case; accepts a `urn:uuid:` prefix.
 */
export function toCompactUuid(value: string): string {
  const uuid = fromUrnUuid(value);
  if (!isUuid(uuid)) throw new RangeError(`not a UUID: ${JSON.stringify(value)}`);
  return uuid.replaceAll('-', '').toLowerCase();
}

/** Whether `value` is a UUID in the hyphen-less 32-hex-digit OIOXML form (either case). */
export function isCompactUuid(value: string): boolean {
  return COMPACT.test(value);
}

/** The inverse of {@link toCompactUuid}: 32 hex digits → hyphenated lower-case UUID. */
export function fromCompactUuid(value: string): string {
  if (!COMPACT.test(value)) throw new RangeError(`not 32 hexadecimal digits: ${JSON.stringify(value)}`);
  const v = value.toLowerCase();
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}

/** Compares two episode-of-care values regardless of case, hyphens and `urn:uuid:` prefix; non-UUIDs compare as text. */
export function sameEpisodeValue(a: string, b: string): boolean {
  const norm = (v: string) => (isUuid(fromUrnUuid(v)) ? toCompactUuid(v) : v);
  return norm(a) === norm(b);
}

/**
 * Name-based UUIDv5 (RFC 4122 §4.3, SHA-1). LPR3 assigns these to episodes; we need the algorithm to make realistic
 * LPR3 identifiers in tests and to derive stable ids from external keys.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(toCompactUuid(namespace), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return fromCompactUuid(bytes.toString('hex'));
}

/** How many ids one hash of {@link seededIds} yields (16 bytes each). */
const IDS_PER_BLOCK = 16;

/**
 * Deterministic ids for tests, simulations and conversions: valid lower-case UUIDv4s derived from a seed and a
 * counter, so two runs with the same seed produce the same messages. One SHAKE-256 hash yields the next 16 ids: a hash
 * per id was a tenth of an XDIS91 → CareCommunication conversion (bench/conversion.ts), which draws about a dozen.
 */
export function seededIds(seed = 'medcom-hub'): IdGenerator {
  let block = -1;
  let hex = '';
  let counter = 0;
  return () => {
    const slot = counter % IDS_PER_BLOCK;
    if (slot === 0) {
      block += 1;
      hex = createHash('shake256', { outputLength: 16 * IDS_PER_BLOCK })
        .update(`${seed}:${block}`)
        .digest('hex');
    }
    counter += 1;
    const h = hex.slice(slot * 32, slot * 32 + 32);
    // Version nibble 4; variant bits 10xx (one of 8, 9, a, b).
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  };
}
