/**
 * What a sender asks for: one request type per notification code, so each code takes exactly the data it needs.
 * A start (STIN/STAA, or MORS for a patient dead on arrival) gets the stay; every other notification gets the
 * previous message of the stay, from which the Encounter, episode-of-care ids, parties and Provenance chain are
 * carried over.
 */
import type { MessageBundle } from '../fhir-types.ts';
import type { CareOrganization, CprPatientInfo, MessagingParty } from '../parties.ts';
import type { EncounterClass } from './codes.ts';
import type { EpisodeOfCare } from './episode-of-care.ts';

/** The parties and patient of a new stay. */
export interface NewStay {
  readonly sender: MessagingParty;
  /** The citizen's home municipality (S.BR15). */
  readonly receiver: MessagingParty;
  /** The department responsible; defaults to the sender. */
  readonly serviceProvider?: CareOrganization;
  readonly patient: CprPatientInfo;
  readonly episodeOfCare: EpisodeOfCare;
}

/** XDIS16 request: `recipient` defaults to the sender, as in every official example. */
export type ReportOfAdmissionRequest =
  { readonly requested: false } | { readonly requested: true; readonly recipient?: MessagingParty };

/** Changes a follow-up may make to the parties (e.g. a correction that moves the stay to another department). */
export interface PartyChanges {
  readonly sender?: MessagingParty;
  readonly receiver?: MessagingParty;
  readonly serviceProvider?: CareOrganization;
}

interface FollowUp extends PartyChanges {
  readonly previous: MessageBundle;
}

/** STIN / STAA for a new stay, or as a conversion (EMER → IMP and back) with a new Encounter after `previous`. */
export type StartRequest = {
  readonly code: 'STIN' | 'STAA';
  /** Physical arrival (period.start); for a conversion, the time of change. */
  readonly start: Date;
  readonly reportOfAdmission: ReportOfAdmissionRequest;
} & ({ readonly stay: NewStay; readonly previous?: never } | (FollowUp & { readonly stay?: never }));

/** MORS: death during the stay (after `previous`), or on arrival (a new stay). */
export type DeathRequest = {
  readonly code: 'MORS';
  /** period.end. */
  readonly timeOfDeath: Date;
} & (
  | (FollowUp & { readonly stay?: never })
  | {
      readonly stay: NewStay;
      readonly encounterClass: EncounterClass;
      /** period.start; defaults to the time of death (IG: start = end for death on arrival). */
      readonly arrival?: Date;
      readonly previous?: never;
    }
);

export interface LeaveStartRequest extends FollowUp {
  readonly code: 'STOR' | 'RE_STOR';
  readonly leaveStart: Date;
}

export interface LeaveEndRequest extends FollowUp {
  readonly code: 'SLOR' | 'RE_SLOR';
  readonly leaveEnd: Date;
}

export interface DischargeRequest extends FollowUp {
  readonly code: 'SLHJ' | 'RE_SLHJ';
  readonly end: Date;
}

export interface StartCorrectionRequest extends FollowUp {
  readonly code: 'RE_STIN' | 'RE_STAA';
  /** Corrected arrival; omitted when only a party changes. */
  readonly start?: Date;
}

export interface DeathCorrectionRequest extends FollowUp {
  readonly code: 'RE_MORS';
  readonly timeOfDeath: Date;
}

export interface CancellationRequest extends FollowUp {
  readonly code: 'AN_STIN' | 'AN_STAA' | 'AN_STOR' | 'AN_SLOR' | 'AN_SLHJ' | 'AN_MORS';
}

export type NotificationRequest =
  | StartRequest
  | DeathRequest
  | LeaveStartRequest
  | LeaveEndRequest
  | DischargeRequest
  | StartCorrectionRequest
  | DeathCorrectionRequest
  | CancellationRequest;
