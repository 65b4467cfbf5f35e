// The character encodings MedCom XML actually arrives in, by canonical name, and how to turn bytes into text and back.
// OIOXML letters are ISO-8859-1 or windows-1252 (oioxml.md §2.4); FHIR, VANS and SBDH are UTF-8.

export type XmlCharset = 'UTF-8' | 'ISO-8859-1' | 'windows-1252' | 'US-ASCII' | 'UTF-16LE' | 'UTF-16BE';

const LABELS: ReadonlyMap<string, XmlCharset> = new Map([
  ['utf-8', 'UTF-8'],
  ['utf8', 'UTF-8'],
  ['iso-8859-1', 'ISO-8859-1'],
  ['iso8859-1', 'ISO-8859-1'],
  ['iso_8859-1', 'ISO-8859-1'],
  ['iso-ir-100', 'ISO-8859-1'],
  ['latin1', 'ISO-8859-1'],
  ['latin-1', 'ISO-8859-1'],
  ['l1', 'ISO-8859-1'],
  ['cp819', 'ISO-8859-1'],
  ['windows-1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['x-cp1252', 'windows-1252'],
  ['us-ascii', 'US-ASCII'],
  ['ascii', 'US-ASCII'],
  ['utf-16le', 'UTF-16LE'],
  ['utf-16be', 'UTF-16BE'],
]);

/** Canonical charset for an encoding label (case-insensitive), or undefined when the project does not support it. */
export function charsetForLabel(label: string): XmlCharset | undefined {
  return LABELS.get(label.trim().toLowerCase());
}

// ISO-8859-1 and US-ASCII are decoded as windows-1252, as the WHATWG Encoding Standard (and so every browser) does:
// Danish senders on Windows label cp1252 bytes "ISO-8859-1", and the C1 control characters that a strict Latin-1
// reading would give for 0x80–0x9F (€, “, ”, …) never occur on purpose in a letter. ASCII is a subset either way.
// Single-byte decoding is done here, not with TextDecoder: Node 20's TextDecoder('windows-1252') decodes as plain
// Latin-1 (0x80 → U+0080 instead of €), see nodejs/node#56542.

/** windows-1252 bytes 0x80–0x9F → code points; the five bytes it leaves undefined map to the C1 control of the same value. */
const CP1252_80_9F = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
] as const;

/** Code point → windows-1252 byte, for the characters that differ from ISO-8859-1. */
const CP1252_HIGH: ReadonlyMap<number, number> = new Map(
  CP1252_80_9F.flatMap((cp, i) => (cp === 0x80 + i ? [] : [[cp, 0x80 + i] as [number, number]])),
);

function decodeWindows1252(bytes: Uint8Array): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Fast path: without bytes in 0x80–0x9F, windows-1252 and ISO-8859-1 agree, and Node decodes Latin-1 natively
  // (about 50 times faster than the mapping loop below on a typical letter).
  if (!hasC1Range(bytes)) return view.toString('latin1');
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    units[i] = b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80]! : b;
  }
  let out = '';
  // Chunked: String.fromCharCode with a spread of millions of arguments would overflow the stack.
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

function hasC1Range(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) return true;
  }
  return false;
}

// Decoders are stateless between complete `decode` calls, so one of each serves every call.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });

const decoders = {
  'UTF-8': (bytes) => UTF8.decode(bytes),
  'ISO-8859-1': decodeWindows1252,
  'windows-1252': decodeWindows1252,
  'US-ASCII': decodeWindows1252,
  'UTF-16LE': (bytes) => UTF16LE.decode(bytes),
  'UTF-16BE': (bytes) => UTF16BE.decode(bytes),
} satisfies Record<XmlCharset, (bytes: Uint8Array) => string>;

/** Decodes bytes; throws a TypeError on malformed UTF-8/UTF-16 (callers turn it into an XmlError with a location). */
export function decodeBytes(bytes: Uint8Array, charset: XmlCharset): string {
  return decoders[charset](bytes);
}

/** Byte offset of the first malformed UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Whether a code point can be written as a raw byte in the charset. C1 controls (U+0080–U+009F) are never written raw
 * in the single-byte charsets: a reader following WHATWG would turn them into windows-1252 characters.
 */
export function canEncode(charset: XmlCharset, cp: number): boolean {
  switch (charset) {
    case 'ISO-8859-1':
      return cp < 0x80 || (cp >= 0xa0 && cp <= 0xff);
    case 'windows-1252':
      return cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) || CP1252_HIGH.has(cp);
    case 'US-ASCII':
      return cp < 0x80;
    default:
      return true;
  }
}

/** Encodes text whose characters all satisfy `canEncode` (the writer escapes the others first). */
export function encodeText(text: string, charset: XmlCharset): Uint8Array {
  switch (charset) {
    case 'UTF-8':
      return new TextEncoder().encode(text);
    case 'UTF-16LE':
    case 'UTF-16BE': {
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        const [hi, lo] = [unit >> 8, unit & 0xff];
        out[2 * i] = charset === 'UTF-16LE' ? lo : hi;
        out[2 * i + 1] = charset === 'UTF-16LE' ? hi : lo;
      }
      return out;
    }
    default: {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const cp = text.charCodeAt(i);
        const byte = cp < 0x100 ? cp : CP1252_HIGH.get(cp);
        if (byte === undefined || !canEncode(charset, cp)) {
          throw new RangeError(`U+${cp.toString(16).toUpperCase().padStart(4, '0')} cannot be encoded in ${charset}`);
        }
        out[i] = byte;
      }
      return out;
    }
  }
}
