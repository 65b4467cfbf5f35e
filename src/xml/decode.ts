// Bytes → text for XML documents, deciding the encoding the way MedCom traffic needs it (oioxml.md §2.4):
// byte-order mark, then the XML declaration, then an external hint (e.g. SBDH `BinaryContent encoding=`), then a
// guess — UTF-8 when the bytes are valid UTF-8, otherwise windows-1252 (Region H sends Latin-1 without declaration).
import { charsetForLabel, decodeBytes, firstInvalidUtf8, type XmlCharset } from './charset.ts';
import { XmlError } from './xml-error.ts';

export interface DecodedXml {
  readonly text: string;
  /** The charset the bytes were decoded with. */
  readonly encoding: XmlCharset;
  readonly hadDeclaration: boolean;
  /** The encoding named in the XML declaration, as written, if any. */
  readonly declaredEncoding?: string;
}

// The declaration must be the very first thing after a BOM; its pseudo-attributes are ASCII in every encoding we read.
const DECLARATION = /^<\?xml\s[^?>]*\?>/;
const ENCODING_ATTRIBUTE = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** Reads the encoding named in a leading `<?xml … ?>` declaration of ASCII-compatible bytes or text. */
export function sniffDeclaration(head: string): { hadDeclaration: boolean; encoding?: string } {
  const match = DECLARATION.exec(head);
  if (!match) return { hadDeclaration: false };
  const encoding = ENCODING_ATTRIBUTE.exec(match[0]);
  const value = encoding?.[1] ?? encoding?.[2];
  return value === undefined ? { hadDeclaration: true } : { hadDeclaration: true, encoding: value };
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function latin1Head(bytes: Uint8Array): string {
  // 1 KiB is far more than any real declaration; reading it as Latin-1 keeps every byte as one character.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
}

export function decodeXml(bytes: Uint8Array, label: string, encodingHint?: string): DecodedXml {
  const bom = byteOrderMark(bytes);
  const body = bom ? bytes.subarray(bom.length) : bytes;
  // With a UTF-16 mark the declaration can only be read after decoding; in every other case it is ASCII bytes.
  const utf16 = bom?.charset === 'UTF-16LE' || bom?.charset === 'UTF-16BE';
  const text16 = utf16 ? decodeStrict(body, bom.charset, label, 'byte-order mark') : undefined;
  const declaration = sniffDeclaration(text16 ?? latin1Head(body));
  const result = (text: string, encoding: XmlCharset): DecodedXml => ({
    text,
    encoding,
    hadDeclaration: declaration.hadDeclaration,
    ...(declaration.encoding !== undefined ? { declaredEncoding: declaration.encoding } : {}),
  });

  if (text16 !== undefined) return result(text16, bom!.charset);
  if (bom) return result(decodeStrict(body, bom.charset, label, 'byte-order mark'), bom.charset);
  if (declaration.encoding !== undefined) {
    const charset = supported(declaration.encoding, 'XML declaration', label);
    return result(decodeStrict(body, charset, label, 'XML declaration'), charset);
  }
  if (encodingHint) {
    const charset = supported(encodingHint, 'encoding hint', label);
    return result(decodeStrict(body, charset, label, 'encoding hint'), charset);
  }
  // No statement about the encoding (a declaration without `encoding=` counts as none: senders omit it for Latin-1
  // too). Valid UTF-8 is almost never accidental for Danish text; anything else is read as windows-1252 and reported
  // as ISO-8859-1 when no byte uses the windows-1252-only range 0x80–0x9F.
  if (firstInvalidUtf8(body) < 0) return result(decodeBytes(body, 'UTF-8'), 'UTF-8');
  const charset = body.some((b) => b >= 0x80 && b <= 0x9f) ? 'windows-1252' : 'ISO-8859-1';
  return result(decodeBytes(body, charset), charset);
}

function byteOrderMark(bytes: Uint8Array): { charset: XmlCharset; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'UTF-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'UTF-16LE', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'UTF-16BE', length: 2 };
  return undefined;
}

/** A single-byte or UTF-8 charset for a label from the declaration or the hint; anything else is an error. */
function supported(value: string, source: string, label: string): XmlCharset {
  const charset = charsetForLabel(value);
  if (!charset || charset === 'UTF-16LE' || charset === 'UTF-16BE') {
    throw new XmlError(
      label,
      '/',
      `unsupported character encoding '${value}' (${source}); expected UTF-8, ISO-8859-1 or windows-1252`,
      1,
    );
  }
  return charset;
}

function decodeStrict(bytes: Uint8Array, charset: XmlCharset, label: string, source: string): string {
  try {
    return decodeBytes(bytes, charset);
  } catch (cause) {
    if (charset === 'UTF-8') {
      const offset = firstInvalidUtf8(bytes);
      const byte = bytes[offset] ?? 0;
      throw new XmlError(
        label,
        '/',
        `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset} is not valid UTF-8 (encoding from ${source}); ` +
          `expected UTF-8 or a declaration such as <?xml version="1.0" encoding="ISO-8859-1"?>`,
        lineAt(bytes, offset),
        { cause },
      );
    }
    throw new XmlError(label, '/', `the bytes are not valid ${charset} (encoding from ${source})`, undefined, {
      cause,
    });
  }
}
