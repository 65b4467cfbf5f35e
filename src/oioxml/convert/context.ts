// Everything a conversion needs from outside, passed in (never module state): the persistent id map, how parties
// resolve (configured entries + SOR directory), the defaults for FHIR data OIOXML does not have, and optional lookups.
import type { IdMap } from '../id-map/id-map.ts';
import type { Author } from '../../messages/care-communication/model.ts';
import type { CareCommunicationCategory } from '../../messages/care-communication/vocabulary.ts';
import type { Cpr, PatientName } from '../../messages/parties.ts';
import type { EmessageItem } from '../emessage.ts';
import type { PartyResolution } from './parties.ts';

/** Values used when the source does not have what the target requires; each use is reported in the LossReport. */
export interface ConversionDefaults {
  readonly careCommunication: {
    /** CC requires a category; XDIS91 has none (oioxml.md §7.5). `other` needs a topic (CC-6). */
    readonly category: CareCommunicationCategory;
    /** Topic when the category needs one and the letter has no Subject. */
    readonly topic: string;
    /**
     * Author of the text of a converted letter: XDIS91 has no structured author (the signature is part of the text).
     * Segments by this author are written back without a generated signature.
     */
    readonly author: Author;
    /** authorContact when the Sender has no TelephoneSubscriberIdentifier; never written back to OIOXML. */
    readonly phone: string;
    /** Text segment for a letter without ClinicalInformation (CC requires one). */
    readonly emptyText: string;
  };
  /** Patient family name when no lookup supplies one (XDIS20/17 carry only the CPR number). */
  readonly patientFamilyName: string;
}

export const DEFAULT_CONVERSION_DEFAULTS: ConversionDefaults = {
  careCommunication: {
    category: 'other',
    topic: 'Korrespondancebrev (XDIS91)',
    author: { name: { family: 'Ukendt' }, role: { text: 'Afsender af OIOXML-korrespondance' } },
    phone: '00000000',
    emptyText: '(brevet har ingen tekst)',
  },
  patientFamilyName: 'Ukendt',
};

/** Lookups a deployment may plug in; each one is optional. */
export interface ConversionLookups {
  /** The CPR register: a patient's name for notifications, which carry only the CPR number. */
  readonly patientName?: (cpr: Cpr) => PatientName | undefined;
  /**
   * Whether an XDIS20 admission is acute ambulant (STAA) rather than admitted (STIN). XDIS20 itself cannot say so;
   * partners that signal it (e.g. in bilaterally agreed Local_Elements) supply this hook.
   */
  readonly admissionClass?: (item: EmessageItem) => 'IMP' | 'EMER' | undefined;
}

export interface ConversionContext {
  readonly idMap: IdMap;
  readonly parties: PartyResolution;
  readonly defaults: ConversionDefaults;
  readonly lookups?: ConversionLookups;
}
