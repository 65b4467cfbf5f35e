/**
 * What every message builder needs from outside: the time and new ids. Passed in (never module state) so tests,
 * replays and the conformance runner control both.
 */
import { systemClock, type Clock, type TimeZone } from './clock.ts';
import { randomIds, type IdGenerator } from './ids.ts';

export interface BuildContext {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Zone for written timestamps; Europe/Copenhagen unless stated. */
  readonly timeZone?: TimeZone;
}

/** Wall-clock time and random UUIDv4s — for production senders. */
export function liveBuildContext(timeZone?: TimeZone): BuildContext {
  return { clock: systemClock, ids: randomIds, ...(timeZone ? { timeZone } : {}) };
}
