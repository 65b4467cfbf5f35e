/**
 * The receiver's view of one hospital stay (key: CPR + episode-of-care id). Notifications may arrive late, twice or in
 * the wrong order (a STIN after its SLHJ is realistic), so a stay orders them by the send time of their current
 * Provenance, replays them in that order to get the current status, and classifies each arrival. Illegal
 * notifications are flagged and kept — never dropped: a receiver still acknowledges them and a human may need them.
 */
import { createHash } from 'node:crypto';
import { toCompactUuid, isUuid, fromUrnUuid } from '../ids.ts';
import type { NotificationCode } from './codes.ts';
import { splitCode } from './codes.ts';
import type { EpisodeOfCareId } from './episode-of-care.ts';
import type { HospitalNotification } from './notification.ts';
import { withPreviousDeceased } from './parser.ts';
import { applyNotification, type IllegalTransition, type StaySnapshot } from './transitions.ts';

export type StayVerdict =
  | 'legal'
  /** The same MessageHeader.id was already received (a resend or a lost ack); never shown twice. */
  | 'duplicate'
  /** Arrived after a notification of the stay with a later Provenance time. */
  | 'out-of-order'
  | IllegalTransition;

export interface Classification {
  readonly verdict: StayVerdict;
  /** The code as settled by the stay history (MORS vs RE_MORS needs it). */
  readonly code: NotificationCode;
  /** Why, for anything but `legal`. */
  readonly reason?: string;
}

export interface StayEntry {
  readonly notification: HospitalNotification;
  /** Verdict at arrival — what the receiver reported then. */
  readonly arrival: Classification;
  /** Verdict in Provenance-time order, as of the latest replay (a late STIN can make an earlier STOR legal). */
  readonly inOrder: Classification;
  /** 0 for the first notification received for the stay, 1 for the next, … */
  readonly received: number;
}

/** Hex SHA-256: keys end up in logs and maps, so they never contain a CPR number in clear. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function episodeKey(id: EpisodeOfCareId): string {
  const value = fromUrnUuid(id.value);
  return isUuid(value) ? toCompactUuid(value) : id.value;
}

/** One key per episode identifier of the notification; a stay is found by any of them. */
export function stayKeys(notification: HospitalNotification): string[] {
  const cpr = notification.patient.identifier.reveal();
  return notification.episodeOfCare.map((id) => digest(`${cpr}|${episodeKey(id)}`));
}

function timeOf(n: HospitalNotification): number {
  return n.sentAt?.getTime() ?? Number.POSITIVE_INFINITY;
}

interface Stored {
  /** As parsed, before the stay history settled its code. */
  readonly original: HospitalNotification;
  notification: HospitalNotification;
  arrival: Classification;
  inOrder: Classification;
  received: number;
}

export class StayState {
  private readonly stored: Stored[] = [];
  private current: StaySnapshot | undefined;

  /** All notifications of the stay, oldest Provenance time first (ties in arrival order). */
  get entries(): readonly StayEntry[] {
    return this.ordered().map(({ notification, arrival, inOrder, received }) => ({
      notification,
      arrival,
      inOrder,
      received,
    }));
  }

  /** The stay after replaying every non-duplicate notification in time order; illegal ones change nothing. */
  get snapshot(): StaySnapshot | undefined {
    return this.current;
  }

  /** Classifies and keeps one received notification. */
  receive(notification: HospitalNotification): Classification {
    const received = this.stored.length;
    if (this.stored.some((s) => s.notification.messageHeaderId === notification.messageHeaderId)) {
      const arrival: Classification = {
        verdict: 'duplicate',
        code: notification.code,
        reason: `MessageHeader ${notification.messageHeaderId} was already received`,
      };
      this.stored.push({ original: notification, notification, arrival, inOrder: arrival, received });
      return arrival;
    }
    const late = this.stored.some(
      (s) => s.arrival.verdict !== 'duplicate' && timeOf(s.notification) > timeOf(notification),
    );
    const placeholder: Classification = { verdict: 'legal', code: notification.code };
    const entry: Stored = {
      original: notification,
      notification,
      arrival: placeholder,
      inOrder: placeholder,
      received,
    };
    this.stored.push(entry);
    this.replay();
    entry.arrival = late
      ? {
          verdict: 'out-of-order',
          code: entry.inOrder.code,
          reason: `sent before a notification of the stay that was received earlier${
            entry.inOrder.verdict === 'legal' ? '' : `; in time order: ${entry.inOrder.verdict}`
          }`,
        }
      : entry.inOrder;
    return entry.arrival;
  }

  private ordered(): Stored[] {
    return [...this.stored].sort((a, b) => timeOf(a.notification) - timeOf(b.notification) || a.received - b.received);
  }

  /** Recomputes every in-order verdict and the current snapshot. */
  private replay(): void {
    let state: StaySnapshot | undefined;
    let latestHeaderId: string | undefined;
    for (const entry of this.ordered()) {
      if (entry.arrival.verdict === 'duplicate') continue;
      // The stay history settles what a lone message cannot: MORS vs RE_MORS, and AN_MORS behind a cancel-* activity.
      const notification = state ? withPreviousDeceased(entry.original, state.deceased) : entry.original;
      entry.notification = notification;
      const code = notification.code;
      const result = applyNotification(state, code, notification.encounter.encounterClass);
      const { variant } = splitCode(code);
      const target = notification.predecessor?.target;
      const targetId = target?.kind === 'message' ? target.messageHeaderId : undefined;
      if (!result.legal) {
        entry.inOrder = { verdict: result.illegal, code, reason: result.reason };
      } else if (variant !== 'new' && targetId !== undefined && targetId !== latestHeaderId) {
        // S.BR17: a correction or cancellation must point at the latest notification of the stay.
        entry.inOrder = {
          verdict: 'correction-of-non-latest',
          code,
          reason: `${code} refers to MessageHeader ${targetId}, but the latest notification is ${latestHeaderId ?? 'none'}`,
        };
      } else {
        entry.inOrder = { verdict: 'legal', code };
        state = result.next;
        latestHeaderId = notification.messageHeaderId;
      }
    }
    this.current = state;
  }
}

/** The stays a receiver tracks, found by CPR + any episode-of-care identifier. One instance per receiver, passed in. */
export class StayRegistry {
  private readonly byKey = new Map<string, StayState>();

  /** The stay of a notification, if one of its episode identifiers is known. */
  stayOf(notification: HospitalNotification): StayState | undefined {
    for (const key of stayKeys(notification)) {
      const stay = this.byKey.get(key);
      if (stay) return stay;
    }
    return undefined;
  }

  receive(notification: HospitalNotification): { stay: StayState; classification: Classification } {
    const stay = this.stayOf(notification) ?? new StayState();
    // Index every identifier, so a later message carrying only one of them still finds the stay.
    for (const key of stayKeys(notification)) if (!this.byKey.has(key)) this.byKey.set(key, stay);
    return { stay, classification: stay.receive(notification) };
  }

  get size(): number {
    return new Set(this.byKey.values()).size;
  }
}
