import { gunzipSync } from 'node:zlib';

/** Upper bound for one unpacked package; the largest HL7 package we use unpacks to ~200 MB. */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

/**
 * Reads a gzipped tar archive (npm / FHIR package format) into a map of path → bytes.
 * Only regular files are kept; links and devices are ignored so an archive cannot write outside its folder.
 */
export function readTgz(bytes: Uint8Array, label: string): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (cause) {
    throw new Error(`${label}: not a readable .tgz package (${(cause as Error).message})`, { cause });
  }
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = text(header, 345, 155);
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (Number.isNaN(size) || body.length !== size) throw new Error(`${label}: truncated tar entry "${name}"`);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = text(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(body).toString('utf8'))?.[1];
      continue;
    }
    const path = paxPath ?? longName ?? name;
    longName = paxPath = undefined;
    if (type !== '0' && type !== '\0') continue;
    if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`${label}: unsafe path "${path}"`);
    files.set(path, body);
  }
  return files;
}

function text(buf: Uint8Array, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const end = slice.indexOf(0);
  return Buffer.from(end < 0 ? slice : slice.subarray(0, end)).toString('utf8');
}
