/**
 * Which notification may follow which, for one stay (medcom-fhir.md §3.5–3.6, *inference* assembled from the code
 * table and the sender rules S.BR17: correct only the latest notification, never AN before RE). Used by the builder
 * (refuse to send an illegal follow-up) and by `StayState` (flag — never drop — an illegal received one).
 */
import {
  classOfStart,
  isLeaveEvent,
  splitCode,
  type BaseEvent,
  type EncounterClass,
  type EncounterStatus,
  type NotificationCode,
} from './codes.ts';

/** What a stay looks like after a notification. */
export interface StaySnapshot {
  readonly encounterClass: EncounterClass;
  readonly status: EncounterStatus;
  readonly deceased: boolean;
  /** The notification that produced this snapshot. */
  readonly latest: NotificationCode;
  /**
   * The snapshot before the latest *new* notification (RE_ keeps it): an AN_ returns there. Undefined for the start
   * of the stay.
   */
  readonly before?: StaySnapshot;
}

/** Ways a notification can be illegal for the stay it belongs to. */
export type IllegalTransition =
  /** A follow-up for a stay whose start has not been seen. */
  | 'unknown-stay'
  /** RE_/AN_ that does not target the latest notification (S.BR17). */
  | 'correction-of-non-latest'
  /** RE_ of a notification that was already cancelled ("no AN before RE"). */
  | 'correction-after-cancellation'
  /** STOR/SLOR (or their variants) on an acute-ambulant stay: leave codes exist only for admitted patients. */
  | 'leave-on-emergency-stay'
  /** Anything but a new start after the stay was cancelled (entered-in-error). */
  | 'after-cancelled-stay'
  /** The notification's Encounter class differs from the stay's (only STIN/STAA may change it). */
  | 'class-mismatch'
  /** Any other notification that §3.6 does not list for the current status. */
  | 'not-allowed-in-state';

export type TransitionResult =
  | { readonly legal: true; readonly next: StaySnapshot }
  | { readonly legal: false; readonly illegal: IllegalTransition; readonly reason: string };

function allowedNew(state: StaySnapshot, base: BaseEvent): boolean {
  const { encounterClass: cls, status } = state;
  if (state.deceased) return false;
  switch (base) {
    case 'STIN':
      return cls === 'EMER' && status === 'in-progress'; // acute ambulant converted to admitted: new Encounter
    case 'STAA':
      return cls === 'IMP' && status === 'in-progress'; // rare, but a clinical-guideline case
    case 'STOR':
      return status === 'in-progress';
    case 'SLOR':
      return status === 'onleave';
    case 'SLHJ':
    case 'MORS':
      return status === 'in-progress' || status === 'onleave';
  }
}

function statusAfterNew(base: BaseEvent): EncounterStatus {
  switch (base) {
    case 'STIN':
    case 'STAA':
    case 'SLOR':
      return 'in-progress';
    case 'STOR':
      return 'onleave';
    case 'SLHJ':
    case 'MORS':
      return 'finished';
  }
}

/**
 * Applies `code` (with the Encounter class the notification carries) to the stay. `state` undefined = no
 * notification of the stay seen yet.
 */
export function applyNotification(
  state: StaySnapshot | undefined,
  code: NotificationCode,
  encounterClass: EncounterClass,
): TransitionResult {
  const { base, variant } = splitCode(code);
  const refuse = (illegal: IllegalTransition, reason: string): TransitionResult => ({ legal: false, illegal, reason });

  if (!state) {
    if (variant === 'new' && (base === 'STIN' || base === 'STAA' || base === 'MORS')) {
      const cls = base === 'MORS' ? encounterClass : classOfStart(base);
      return {
        legal: true,
        next: { encounterClass: cls, status: statusAfterNew(base), deceased: base === 'MORS', latest: code },
      };
    }
    return refuse('unknown-stay', `${code} for a stay whose start notification has not been seen`);
  }

  if (state.status === 'entered-in-error') {
    if (variant === 'new' && (base === 'STIN' || base === 'STAA')) {
      return {
        legal: true,
        next: { encounterClass: classOfStart(base), status: 'in-progress', deceased: false, latest: code },
      };
    }
    return refuse('after-cancelled-stay', `${code} after the stay was cancelled (${state.latest})`);
  }

  if (isLeaveEvent(base) && (state.encounterClass === 'EMER' || encounterClass === 'EMER')) {
    return refuse('leave-on-emergency-stay', `${code} on an acute-ambulant (EMER) stay`);
  }
  const startsNewEncounter = variant === 'new' && (base === 'STIN' || base === 'STAA');
  if (!startsNewEncounter && encounterClass !== state.encounterClass) {
    return refuse('class-mismatch', `${code} carries class ${encounterClass} but the stay is ${state.encounterClass}`);
  }

  if (variant === 'new') {
    if (!allowedNew(state, base)) {
      return refuse(
        'not-allowed-in-state',
        `${code} is not allowed after ${state.latest} (${state.encounterClass} ${state.status}${state.deceased ? ', deceased' : ''})`,
      );
    }
    const cls = base === 'STIN' || base === 'STAA' ? classOfStart(base) : state.encounterClass;
    return {
      legal: true,
      next: {
        encounterClass: cls,
        status: statusAfterNew(base),
        deceased: base === 'MORS',
        latest: code,
        before: state,
      },
    };
  }

  const latest = splitCode(state.latest);
  if (latest.base !== base) {
    return refuse('correction-of-non-latest', `${code} but the latest notification is ${state.latest}`);
  }
  if (latest.variant === 'cancellation') {
    return variant === 'correction'
      ? refuse('correction-after-cancellation', `${code} after ${state.latest}`)
      : refuse('correction-of-non-latest', `${code} after ${state.latest}: the notification is already cancelled`);
  }
  if (variant === 'correction') return { legal: true, next: { ...state, latest: code } };

  // Cancellation: back to the stay as it was before the cancelled notification; a cancelled start ends the stay.
  if (base === 'STIN' || base === 'STAA') {
    return { legal: true, next: { ...state, status: 'entered-in-error', latest: code, before: undefined } };
  }
  if (!state.before) {
    // Only a dead-on-arrival MORS has no earlier snapshot: cancelling it leaves a living, admitted patient.
    return { legal: true, next: { ...state, status: 'in-progress', deceased: false, latest: code } };
  }
  const restored = state.before;
  return {
    legal: true,
    next: {
      encounterClass: restored.encounterClass,
      status: restored.status,
      deceased: restored.deceased,
      latest: code,
      ...(restored.before ? { before: restored.before } : {}),
    },
  };
}
