// OIOXML times are Danish wall-clock time without zone (and mostly without seconds); FHIR dateTimes carry a zone
// (oioxml.md §2.5). Going to FHIR we attach Europe/Copenhagen's offset for that moment; going back we convert to
// Copenhagen wall-clock time and drop what OIOXML cannot hold. In the autumn hour that occurs twice, the earlier
// (summer time, +02:00) reading is taken; a time in the skipped spring hour is read with the winter offset.
import { copenhagenOffsetMinutes } from '../../messages/clock.ts';
import type { OioDateTime } from '../model.ts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Europe/Copenhagen's offset in minutes at the UTC instant `utcMs`. */
function offsetAt(utcMs: number): number {
  return copenhagenOffsetMinutes(new Date(utcMs));
}

/** `2024-09-23` + `12:02` (or `12:02:30`) → `2024-09-23T12:02:00+02:00`. */
export function fhirDateTimeOf(value: OioDateTime): string {
  const [year, month, day] = value.date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = value.time.split(':').map(Number) as [number, number, number?];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Try summer time first so the repeated autumn hour resolves to its first occurrence.
  let offset = 60;
  for (const candidate of [120, 60]) {
    if (offsetAt(wall - candidate * 60000) === candidate) {
      offset = candidate;
      break;
    }
  }
  const sign = offset < 0 ? '-' : '+';
  return `${value.date}T${pad(hour)}:${pad(minute)}:${pad(second)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

export interface WallClock {
  readonly value: OioDateTime;
  /** What did not fit: seconds, fractions, a date-only value that had no time. Empty when exact. */
  readonly lost: readonly string[];
}

/**
 * A FHIR dateTime/instant → Copenhagen wall clock, `hh:mm` or `hh:mm:ss`. Returns undefined for values without a
 * day (`2024`, `2024-09`). A date without time becomes 00:00 and says so.
 */
export function wallClockOf(fhir: string, seconds: boolean): WallClock | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(fhir)) {
    return {
      value: { date: fhir, time: seconds ? '00:00:00' : '00:00' },
      lost: ['time of day (none given; 00:00 used)'],
    };
  }
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(fhir);
  if (!match) return undefined;
  const lost: string[] = [];
  const zone = match[6];
  let date: Date;
  if (zone) {
    date = new Date(fhir);
  } else {
    // A dateTime with a time but no zone is not valid FHIR; read it as Copenhagen time rather than guess UTC.
    const [, day, hh, mm, ss = '00'] = match;
    return {
      value: { date: day!, time: seconds ? `${hh}:${mm}:${ss}` : `${hh}:${mm}` },
      lost: ['time zone (none given)'],
    };
  }
  if (Number.isNaN(date.getTime())) return undefined;
  const local = new Date(date.getTime() + offsetAt(date.getTime()) * 60000);
  const day = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const hhmm = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  if (!seconds && local.getUTCSeconds() !== 0) lost.push('seconds');
  if (match[5] && Number(match[5]) !== 0) lost.push('fractions of a second');
  return { value: { date: day, time: seconds ? `${hhmm}:${pad(local.getUTCSeconds())}` : hhmm }, lost };
}
