/**
 * Patient flows of HospitalNotifications, built with the library's builders: a stay advances one notification at a
 * time, each built from the previous message (so Provenance chains, episode ids and the Encounter carry over as the
 * builder decides). The fixture set uses flows to make Touchstone's received messages; the library driver uses
 * them to play the sending hospital system. Event times come from a timeline, send times are two minutes after the
 * event (notifications are sent in real time, S.BR13).
 */
import type { BuildContext } from '../../messages/build-context.ts';
import { fixedClock } from '../../messages/clock.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import type { IdGenerator } from '../../messages/ids.ts';
import {
  buildHospitalNotification,
  type EncounterClass,
  type HospitalNotificationOptions,
  type NotificationCode,
  type NotificationRequest,
} from '../../messages/hospital-notification/index.ts';
import type { CprPatientInfo, MessagingParty } from '../../messages/parties.ts';
import { resendMessage } from './resend.ts';

/** A notification to send, with the scenario detail the code alone does not give. */
export interface FlowStep {
  readonly code: NotificationCode;
  /** STIN/STAA: request an admission report (XDIS16)? Default true (S.BR1/S.BR2). */
  readonly reportOfAdmission?: boolean;
  /** MORS as the first message (dead on arrival): the class of the stay. */
  readonly deadOnArrival?: EncounterClass;
  /** RE_STIN/RE_STAA: the stay was registered at the wrong department, the correction names the right one. */
  readonly newDepartment?: MessagingParty;
  /** RE_STIN/RE_STAA: the admission time was wrong. */
  readonly correctArrival?: boolean;
  /** A new stay whose responsible department (serviceProvider) is another unit than the sender. */
  readonly serviceProvider?: MessagingParty;
  /** Not a new notification: the previous message again, unacknowledged, after 30 minutes (GOV 043, MR7). */
  readonly resend?: boolean;
  /** The event time, when it is not the timeline's (e.g. a discharge after the switch to summer time). */
  readonly at?: Date;
}

/** When things happen during the stay (local Danish time, written with the offset of the day). */
export interface Timeline {
  readonly arrival: Date;
  /** Corrected arrival for RE_STIN/RE_STAA with `correctArrival`. */
  readonly correctedArrival: Date;
  /** Time of an emergency → inpatient conversion (STIN after STAA). */
  readonly conversion: Date;
  /** One leave per entry: STOR uses `start`, SLOR `end`, in order. */
  readonly leaves: readonly { readonly start: Date; readonly end: Date }[];
  readonly discharge: Date;
  readonly death: Date;
}

const at = (iso: string) => new Date(iso);

/** An ordinary admission in March 2025 (winter time, +01:00). */
export const ORDINARY_STAY: Timeline = {
  arrival: at('2025-03-03T08:15:00+01:00'),
  correctedArrival: at('2025-03-03T07:50:00+01:00'),
  conversion: at('2025-03-03T14:00:00+01:00'),
  leaves: [
    { start: at('2025-03-05T10:00:00+01:00'), end: at('2025-03-06T18:00:00+01:00') },
    { start: at('2025-03-08T10:00:00+01:00'), end: at('2025-03-09T18:00:00+01:00') },
  ],
  discharge: at('2025-03-12T11:00:00+01:00'),
  death: at('2025-03-10T03:40:00+01:00'),
};

/** Admission on the leap day 2024-02-29 (HN PF-tec-02 / receive tec-05). */
export const LEAP_DAY_STAY: Timeline = {
  ...ORDINARY_STAY,
  arrival: at('2024-02-29T09:30:00+01:00'),
  correctedArrival: at('2024-02-29T09:00:00+01:00'),
};

/** Admitted in winter time (+01:00), discharged after the switch to summer time (+02:00) on 2025-03-30. */
export const ACROSS_DST_STAY: Timeline = {
  ...ORDINARY_STAY,
  arrival: at('2025-03-28T10:00:00+01:00'),
  discharge: at('2025-04-02T12:00:00+02:00'),
};

export interface FlowParties {
  readonly hospital: MessagingParty;
  readonly municipality: MessagingParty;
  readonly patient: CprPatientInfo;
}

const SEND_DELAY_MS = 2 * 60_000;
const RESEND_AFTER_MS = 30 * 60_000;

export class HospitalNotificationFlow {
  readonly messages: MessageBundle[] = [];
  private leavesStarted = 0;
  private leavesEnded = 0;
  private lastSent: Date | undefined;
  private readonly episode: string;

  constructor(
    private readonly parties: FlowParties,
    private readonly timeline: Timeline,
    private readonly ids: IdGenerator,
    private readonly options: HospitalNotificationOptions = {},
  ) {
    this.episode = ids();
  }

  get last(): MessageBundle | undefined {
    return this.messages[this.messages.length - 1];
  }

  /** Builds the next message of the stay and remembers it as the latest. */
  next(step: FlowStep): MessageBundle {
    const message = step.resend ? this.resend() : this.build(step);
    this.messages.push(message);
    return message;
  }

  private resend(): MessageBundle {
    const previous = this.last;
    if (!previous || !this.lastSent) throw new Error('nothing to resend: the flow has not sent a message yet');
    const sent = new Date(this.lastSent.getTime() + RESEND_AFTER_MS);
    this.lastSent = sent;
    return resendMessage(previous, { clock: fixedClock(sent), ids: this.ids });
  }

  private build(step: FlowStep): MessageBundle {
    const t = this.timeline;
    const previous = this.last;
    let event: Date;
    let request: NotificationRequest;
    const stay = {
      sender: this.parties.hospital,
      receiver: this.parties.municipality,
      patient: this.parties.patient,
      episodeOfCare: { local: { value: this.episode } },
      ...(step.serviceProvider ? { serviceProvider: step.serviceProvider } : {}),
    };
    const reportOfAdmission =
      step.reportOfAdmission === false ? { requested: false as const } : { requested: true as const };
    const follow = previous ? { previous } : undefined;
    switch (step.code) {
      case 'STIN':
      case 'STAA':
        event = follow ? t.conversion : t.arrival;
        request = follow
          ? { code: step.code, start: event, reportOfAdmission, ...follow }
          : { code: step.code, start: event, reportOfAdmission, stay };
        break;
      case 'MORS':
        event = t.death;
        if (!follow || step.deadOnArrival) {
          event = t.arrival;
          request = { code: 'MORS', timeOfDeath: event, stay, encounterClass: step.deadOnArrival ?? 'IMP' };
        } else request = { code: 'MORS', timeOfDeath: event, ...follow };
        break;
      case 'RE_STIN':
      case 'RE_STAA':
        event = t.correctedArrival;
        request = {
          code: step.code,
          ...this.requireFollow(follow, step.code),
          ...(step.newDepartment ? { sender: step.newDepartment, serviceProvider: step.newDepartment } : {}),
          ...(step.newDepartment && !step.correctArrival ? {} : { start: t.correctedArrival }),
        };
        break;
      case 'STOR':
      case 'RE_STOR': {
        const leave = this.leave(step.code === 'STOR' ? this.leavesStarted++ : this.leavesStarted - 1);
        event = step.code === 'STOR' ? leave.start : new Date(leave.start.getTime() - 30 * 60_000);
        request = { code: step.code, leaveStart: event, ...this.requireFollow(follow, step.code) };
        break;
      }
      case 'SLOR':
      case 'RE_SLOR': {
        const leave = this.leave(step.code === 'SLOR' ? this.leavesEnded++ : this.leavesEnded - 1);
        event = step.code === 'SLOR' ? leave.end : new Date(leave.end.getTime() - 30 * 60_000);
        request = { code: step.code, leaveEnd: event, ...this.requireFollow(follow, step.code) };
        break;
      }
      case 'SLHJ':
      case 'RE_SLHJ':
        event = step.at ?? (step.code === 'SLHJ' ? t.discharge : new Date(t.discharge.getTime() - 60 * 60_000));
        request = { code: step.code, end: event, ...this.requireFollow(follow, step.code) };
        break;
      case 'RE_MORS':
        event = new Date((previous ? t.death : t.arrival).getTime() - 20 * 60_000);
        request = { code: 'RE_MORS', timeOfDeath: event, ...this.requireFollow(follow, step.code) };
        break;
      default:
        event = new Date((this.lastSent ?? t.arrival).getTime() + 60 * 60_000);
        request = { code: step.code, ...this.requireFollow(follow, step.code) } as NotificationRequest;
    }
    // A correction or cancellation is sent after the message it corrects, whatever event time it names.
    const sent = new Date(Math.max(event.getTime(), this.lastSent?.getTime() ?? 0) + SEND_DELAY_MS);
    this.lastSent = sent;
    const context: BuildContext = { clock: fixedClock(sent), ids: this.ids };
    return buildHospitalNotification(request, context, this.options);
  }

  private leave(index: number): { start: Date; end: Date } {
    const leave = this.timeline.leaves[Math.max(0, index)];
    if (!leave) throw new Error(`the timeline has no leave number ${index + 1}`);
    return leave;
  }

  private requireFollow(
    follow: { previous: MessageBundle } | undefined,
    code: NotificationCode,
  ): { previous: MessageBundle } {
    if (!follow) throw new Error(`${code} needs a previous notification in the flow`);
    return follow;
  }
}
