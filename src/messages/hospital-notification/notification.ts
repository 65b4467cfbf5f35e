/** The read model of one HospitalNotification message — what the parser returns and the stay state machine consumes. */
import type { ProvenanceEntityLink, ProvenanceLink } from '../provenance.ts';
import type { BundledParty } from '../message-header.ts';
import type { CareOrganization, CprPatientInfo } from '../parties.ts';
import type { EncounterClass, EncounterStatus, NotificationCode } from './codes.ts';
import type { EpisodeOfCareId } from './episode-of-care.ts';

export interface NotificationPeriod {
  /** As written in the message (with its own zone), so follow-ups can repeat it byte for byte. */
  readonly start: string;
  readonly end?: string;
}

export interface NotificationEncounter {
  readonly id: string;
  readonly encounterClass: EncounterClass;
  readonly status: EncounterStatus;
  readonly period: NotificationPeriod;
  readonly leavePeriod?: NotificationPeriod;
}

export interface ReportOfAdmission {
  readonly requested: boolean;
  readonly recipient?: BundledParty;
}

export interface HospitalNotification {
  readonly code: NotificationCode;
  /**
   * False when the code had to be assumed: a deceased patient reads as MORS, but it is RE_MORS if the previous
   * message of the stay already said deceased — which only the stay history knows.
   */
  readonly codeCertain: boolean;
  readonly bundleId: string;
  readonly timestamp: string;
  readonly messageHeaderId: string;
  readonly sender: BundledParty;
  readonly receiver: BundledParty;
  readonly serviceProvider: CareOrganization & { readonly organizationId: string };
  /** `patient.identifier` is a `Cpr`, so printing the notification never shows the number. */
  readonly patient: CprPatientInfo & { readonly resourceId: string };
  readonly encounter: NotificationEncounter;
  readonly episodeOfCare: readonly EpisodeOfCareId[];
  /** Only start notifications carry it. */
  readonly reportOfAdmission?: ReportOfAdmission;
  /** Activity of the current Provenance. */
  readonly activity: string;
  /** The revision/removal entity of the current Provenance: the message this one follows, corrects or cancels. */
  readonly predecessor?: ProvenanceEntityLink;
  /** Send time of this message (its current Provenance), used to order a stay. */
  readonly sentAt: Date | undefined;
  /** Every Provenance of the message, oldest first. */
  readonly provenance: readonly ProvenanceLink[];
}
