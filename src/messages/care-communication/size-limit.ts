/**
 * How large a CareCommunication may be. MedCom sources conflict: the CC clinical guidelines and use cases say the
 * whole CC message ≤ 50 MB, the network governance allows a VANS-enveloped message ≤ 100 MB (medcom-fhir.md §4.3).
 * We default to the stricter 50 MB, read as 50 000 000 bytes (the smaller reading of "MB"), of the Bundle serialised
 * as JSON in UTF-8 — the size a receiver's parser sees. No per-attachment or attachment-count limit exists.
 */
import { MessageTooLargeError } from './errors.ts';

export interface MessageSizeLimit {
  /** Largest allowed size of the Bundle as UTF-8 JSON, in bytes. */
  readonly maxBytes: number;
}

export const DEFAULT_CC_SIZE_LIMIT: MessageSizeLimit = { maxBytes: 50_000_000 };

export function sizeLimit(maxBytes: number): MessageSizeLimit {
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`a message size limit must be a positive whole number of bytes, got ${maxBytes}`);
  }
  return { maxBytes };
}

/** UTF-8 length of the compact JSON serialisation. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * An upper bound of the UTF-8 JSON size, found without serialising: a UTF-16 code unit takes at most 6 bytes in JSON
 * (a `\u00XX` escape), and every value, key and separator is counted at its largest. Nearly every message is far
 * below the limit, so the exact (and much dearer) serialisation is only needed near it.
 */
function jsonByteUpperBound(value: unknown): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value !== 'object' || value === null) return 24;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += jsonByteUpperBound(item) + 1;
    return bytes;
  }
  for (const key in value) {
    bytes += 6 * key.length + 4 + jsonByteUpperBound((value as Record<string, unknown>)[key]);
  }
  return bytes;
}

/** Throws {@link MessageTooLargeError} when the bundle is over the limit. */
export function enforceSizeLimit(bundle: { readonly id?: string }, limit: MessageSizeLimit): void {
  if (jsonByteUpperBound(bundle) <= limit.maxBytes) return;
  const bytes = jsonByteLength(bundle);
  if (bytes > limit.maxBytes) throw new MessageTooLargeError(bytes, limit.maxBytes, bundle.id);
}
