// XDIS91 ClinicalEmail ("korrespondancemeddelelse"), namespace 2006/07/01, VersionCode XD9134L (oioxml.md §3).
import type { FormattedText } from '../formatted-text.ts';
import type { OioDateTime, Party } from '../model.ts';

export const XDIS91_VERSION_CODE = 'XD9134L';
export const XDIS91_TYPE_CODE = 'XDIS91';

export type ClinicalEmailStatusCode = 'nytbrev' | 'rettetbrev';
export const CLINICAL_EMAIL_STATUS_CODES: readonly ClinicalEmailStatusCode[] = ['nytbrev', 'rettetbrev'];

export interface ClinicalEmailLetter {
  /** Letter.Identifier ("brevnummer", String_1_14), stable across resends. */
  readonly identifier: string;
  /** Normally XDIS91, but free (a GGOP-derived letter carries GGOP2). */
  readonly statisticalCode: string;
  /** Date + hh:mm. */
  readonly authorisation: OioDateTime;
  readonly statusCode: ClinicalEmailStatusCode;
  /** Episode-of-care id (forløbsid); in practice a UUID without hyphens. */
  readonly episodeOfCareIdentifier?: string;
}

export type EpisodeOfCareStatusCode = 'inaktiv' | 'indlagt' | 'ambulant' | 'doed' | 'ambulant_roentgen';
export const EPISODE_OF_CARE_STATUS_CODES: readonly EpisodeOfCareStatusCode[] = [
  'inaktiv',
  'indlagt',
  'ambulant',
  'doed',
  'ambulant_roentgen',
];

export interface ClinicalEmailPatient {
  /** CPR without hyphen, 10 digits. Exactly one of civilRegistrationNumber / alternativeIdentifier. */
  readonly civilRegistrationNumber?: string;
  /** Replacement CPR, exactly 10 characters, no issuer. */
  readonly alternativeIdentifier?: string;
  readonly surname: string;
  readonly givenName?: string;
  readonly streetName?: string;
  readonly suburbName?: string;
  readonly districtName?: string;
  readonly postCodeIdentifier?: string;
  readonly occupancyText?: string;
  readonly episodeOfCareStatusCode: EpisodeOfCareStatusCode;
}

export type Priority = 'rutine' | 'høj_prioritet';
export const PRIORITIES: readonly Priority[] = ['rutine', 'høj_prioritet'];

export interface AdditionalInformation {
  readonly priority?: Priority;
  /** String_1_70. */
  readonly subject?: string;
}

export type ObjectCode =
  'tekstfil' | 'billede' | 'program' | 'vektor_grafik' | 'biosignaler' | 'multimedie' | 'proprietaert_indhold';

/** Reference: a link (URL), a pointer into a SUP database, or a binary object travelling in an XBIN01 (BIN). */
export type LetterReference =
  | { readonly description: string; readonly url: string }
  | { readonly description: string; readonly sup: true }
  | {
      readonly description: string;
      readonly bin: {
        readonly objectIdentifier: string;
        readonly objectCode: string;
        readonly objectExtensionCode: string;
        readonly originalObjectSize: string;
      };
    };

export interface ClinicalEmail {
  readonly type: 'XDIS91';
  readonly letter: ClinicalEmailLetter;
  readonly sender: Party;
  readonly receiver: Party;
  readonly patient: ClinicalEmailPatient;
  readonly additionalInformation?: AdditionalInformation;
  /** ClinicalInformation/Text01, 0..10 blocks. */
  readonly clinicalInformation: readonly FormattedText[];
  /** 0..10. */
  readonly references: readonly LetterReference[];
}
