// Strict base64 for envelope payloads: Node's decoder silently skips invalid characters, which would turn a damaged
// payload into different bytes instead of an error. Whitespace (line breaks in pretty-printed envelopes) is allowed.
import { EnvelopeError } from './envelope-error.ts';

// A flat character class plus a length check: the same language as the grouped RFC 4648 pattern, without a
// regex group per 4 characters (a 100 MB payload would otherwise backtrack through millions of groups).
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeBase64(text: string, label: string, location: string): Uint8Array {
  const compact = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  if (compact.length % 4 !== 0 || !BASE64_CHARS.test(compact)) {
    throw new EnvelopeError(label, location, 'payload is not valid base64 (RFC 4648 alphabet, padded to 4 characters)');
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
