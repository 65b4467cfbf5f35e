/**
 * What the hospital system does in each HospitalNotification send script: the notifications of the stay, in the
 * order of the script's `create` tests (conformance.md §3.1). Read with the script titles; the step list is the
 * data, the flow builds the messages.
 */
import { HOSPITAL_OTHER_DEPARTMENT } from '../../cast.ts';
import {
  ACROSS_DST_STAY,
  LEAP_DAY_STAY,
  ORDINARY_STAY,
  type FlowStep,
  type Timeline,
} from '../../flows/hospital-notification-flow.ts';
import type { NotificationCode } from '../../../messages/hospital-notification/index.ts';

export interface HospitalNotificationScenario {
  readonly timeline: Timeline;
  readonly steps: readonly FlowStep[];
}

const steps = (...codes: (NotificationCode | FlowStep)[]): FlowStep[] =>
  codes.map((c) => (typeof c === 'string' ? { code: c } : c));

const ordinary = (...codes: (NotificationCode | FlowStep)[]): HospitalNotificationScenario => ({
  timeline: ORDINARY_STAY,
  steps: steps(...codes),
});

export const HOSPITAL_NOTIFICATION_SCENARIOS: Readonly<Record<string, HospitalNotificationScenario>> = {
  // S1, S1.A1, S2 — start of a stay
  'hospitalnotification-send-stin': ordinary('STIN'),
  'hospitalnotification-send-stin-a1': ordinary({ code: 'STIN', reportOfAdmission: false }),
  'hospitalnotification-send-staa': ordinary('STAA'),
  // S3, S4 — leave
  'hospitalnotification-send-stor': ordinary('STIN', 'STOR'),
  'hospitalnotification-send-slor': ordinary('STIN', 'STOR', 'SLOR'),
  // S6 — discharge
  'hospitalnotification-send-slhj-imp': ordinary('STIN', 'SLHJ'),
  'hospitalnotification-send-slhj-emer': ordinary('STAA', 'SLHJ'),
  // S7 — death (on arrival, during an admission, an acute ambulant stay, a leave)
  'hospitalnotification-send-mors': ordinary({ code: 'MORS', deadOnArrival: 'IMP' }),
  'hospitalnotification-send-mors-imp': ordinary('STIN', 'MORS'),
  'hospitalnotification-send-mors-emer': ordinary('STAA', 'MORS'),
  'hospitalnotification-send-mors-stor': ordinary('STIN', 'STOR', 'MORS'),
  // S.CORR — corrections of the latest notification
  'hospitalnotification-send-re-stin': ordinary('STIN', 'RE_STIN'),
  'hospitalnotification-send-re-staa': ordinary('STAA', 'RE_STAA'),
  'hospitalnotification-send-re-stor': ordinary('STIN', 'STOR', 'RE_STOR'),
  'hospitalnotification-send-re-slor': ordinary('STIN', 'STOR', 'SLOR', 'RE_SLOR'),
  'hospitalnotification-send-re-slhj-imp': ordinary('STIN', 'SLHJ', 'RE_SLHJ'),
  'hospitalnotification-send-re-slhj-emer': ordinary('STAA', 'SLHJ', 'RE_SLHJ'),
  'hospitalnotification-send-re-mors': ordinary({ code: 'MORS', deadOnArrival: 'IMP' }, 'RE_MORS'),
  'hospitalnotification-send-re-mors-imp': ordinary('STIN', 'MORS', 'RE_MORS'),
  'hospitalnotification-send-re-mors-emer': ordinary('STAA', 'MORS', 'RE_MORS'),
  'hospitalnotification-send-re-mors-stor': ordinary('STIN', 'STOR', 'MORS', 'RE_MORS'),
  // S.CANC — cancellations of the latest notification
  'hospitalnotification-send-an-stin': ordinary('STIN', 'AN_STIN'),
  'hospitalnotification-send-an-staa': ordinary('STAA', 'AN_STAA'),
  'hospitalnotification-send-an-stor': ordinary('STIN', 'STOR', 'AN_STOR'),
  'hospitalnotification-send-an-slor': ordinary('STIN', 'STOR', 'SLOR', 'AN_SLOR'),
  'hospitalnotification-send-an-slhj-imp': ordinary('STIN', 'SLHJ', 'AN_SLHJ'),
  'hospitalnotification-send-an-slhj-emer': ordinary('STAA', 'SLHJ', 'AN_SLHJ'),
  'hospitalnotification-send-an-mors': ordinary({ code: 'MORS', deadOnArrival: 'IMP' }, 'AN_MORS'),
  'hospitalnotification-send-an-mors-imp': ordinary('STIN', 'MORS', 'AN_MORS'),
  'hospitalnotification-send-an-mors-emer': ordinary('STAA', 'MORS', 'AN_MORS'),
  'hospitalnotification-send-an-mors-stor': ordinary('STIN', 'STOR', 'MORS', 'AN_MORS'),
  // Patient flows
  'hospitalnotification-PF-send-imp-01': ordinary('STIN', 'STOR', 'SLOR', 'SLHJ'),
  'hospitalnotification-PF-send-imp-02': ordinary('STIN', 'STOR', 'SLHJ'),
  'hospitalnotification-PF-send-imp-03': ordinary('STIN', 'STOR', 'SLOR', 'MORS'),
  'hospitalnotification-PF-send-imp-04': ordinary('STIN', 'STOR', 'SLOR', 'STOR', 'SLOR'),
  'hospitalnotification-PF-send-imp-05': ordinary('STIN', {
    code: 'RE_STIN',
    newDepartment: HOSPITAL_OTHER_DEPARTMENT,
  }),
  'hospitalnotification-PF-send-imp-06': ordinary('STIN', { code: 'RE_STIN', correctArrival: true }),
  'hospitalnotification-PF-send-emer-01': ordinary('STAA', {
    code: 'RE_STAA',
    newDepartment: HOSPITAL_OTHER_DEPARTMENT,
  }),
  'hospitalnotification-PF-send-emer-02': ordinary('STAA', { code: 'RE_STAA', correctArrival: true }),
  'hospitalnotification-PF-send-emer-imp-01': ordinary('STAA', 'STIN', 'SLHJ'),
  'hospitalnotification-PF-send-tec-01': ordinary('STIN', 'RE_STIN', 'AN_STIN'),
  'hospitalnotification-PF-send-tec-02': { timeline: LEAP_DAY_STAY, steps: steps('STIN') },
  // "Admit patient, doesn't get acknowledged, send admit patient": two resends of the unacknowledged STIN.
  'hospitalnotification-PF-send-tec-03': ordinary(
    'STIN',
    { code: 'STIN', resend: true },
    { code: 'STIN', resend: true },
  ),
  'hospitalnotification-PF-send-tec-04': { timeline: ACROSS_DST_STAY, steps: steps('STIN', 'SLHJ') },
};
