// Strict base64 for envelope payloads: Node's decoder silently skips invalid characters, which would turn a damaged
// payload into different bytes instead of an error. Whitespace (line breaks in pretty-printed envelopes) is allowed.
import { EnvelopeError } from './envelope-error.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeBase64(text: string, label: string, location: string): Uint8Array {
  const compact = text.replace(/[\s]+/g, '');
  if (!BASE64.test(compact)) {
    throw new EnvelopeError(label, location, 'payload is not valid base64 (RFC 4648 alphabet, padded to 4 characters)');
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
