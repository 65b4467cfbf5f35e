/**
 * Time for messages. The clock is injected so builders are deterministic in tests; formatting always writes seconds
 * and a zone because R4 `instant` requires both and MedCom requires a zone on every dateTime (GOV 052.2).
 * Danish systems show local time, so the default zone is Europe/Copenhagen (+01:00 / +02:00 across DST).
 */

/** Returns "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that always returns the same moment. */
export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${JSON.stringify(at)}`);
  return () => new Date(time);
}

/** A clock that starts at `start` and advances `stepMs` on every call — handy for message sequences in tests. */
export function steppingClock(start: Date | string, stepMs = 1000): Clock {
  let time = new Date(start).getTime();
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${JSON.stringify(start)}`);
  return () => {
    const now = new Date(time);
    time += stepMs;
    return now;
  };
}

/** The zones we write timestamps in. */
export type TimeZone = 'Europe/Copenhagen' | 'UTC';

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const HOUR = 3_600_000;
/** From 1900 on, the zone's offset has only ever changed on whole UTC hours (CET since 1894). */
const WHOLE_HOURS_SINCE = Date.UTC(1900, 0, 1);
const MAX_CACHED_HOURS = 10_000;
// Asking Intl is the most expensive step of formatting a timestamp, and its answer is constant within a UTC hour, so
// it is memoised per hour: a cache of a pure function, bounded so a process handling timestamps of all years cannot
// grow it without limit.
const offsetByHour = new Map<number, number>();

/** Offset of Europe/Copenhagen from UTC at `date`, in minutes (60 in winter, 120 in summer). */
export function copenhagenOffsetMinutes(date: Date): number {
  const utcMs = date.getTime();
  if (!(utcMs >= WHOLE_HOURS_SINCE)) return offsetFromIntl(date);
  const hour = Math.floor(utcMs / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
    offset = offsetFromIntl(new Date(hour * HOUR));
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function offsetFromIntl(date: Date): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClockAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const utcSeconds = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((wallClockAsUtc - utcSeconds) / 60000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * FHIR `instant` text: `YYYY-MM-DDThh:mm:ss[.sss]±hh:mm` (or `Z` for UTC). Milliseconds are written only when non-zero,
 * so ordinary timestamps look like the official examples while sub-second ordering is still preserved.
 */
export function formatInstant(date: Date, zone: TimeZone = 'Europe/Copenhagen'): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('cannot format an invalid Date');
  const offset = zone === 'UTC' ? 0 : copenhagenOffsetMinutes(date);
  const local = new Date(date.getTime() + offset * 60000);
  const ms = local.getUTCMilliseconds();
  const body =
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    (ms ? `.${pad(ms, 3)}` : '');
  if (zone === 'UTC') return `${body}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${body}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A `dateTime` with full precision is written exactly like an `instant` (MedCom wants seconds and zone on both). */
export const formatDateTime = formatInstant;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** True for a FHIR `instant`: seconds and zone present. */
export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Reads a full-precision dateTime/instant (with zone) into a Date. Partial dates (`2022-12`) and zone-less times are
 * refused: their moment is ambiguous, and ordering by Provenance time needs a moment.
 */
export function parseInstant(value: string): Date | undefined {
  return isInstant(value) ? new Date(value) : undefined;
}
