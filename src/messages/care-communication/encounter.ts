/**
 * The Encounter a CareCommunication bundles only to return episode-of-care identifiers received earlier (GOV 080):
 * `Communication.encounter` points to it and it must carry at least one `episodeOfCare.identifier` (CC-9). Present
 * exactly when the Communication references it (intent of CC-15).
 */
import { MessageModelError } from '../errors.ts';
import type { Coding, DomainResource, Identifier, Reference } from '../fhir-types.ts';
import { fromUrnUuid, isUuidV5, toUrnUuid } from '../ids.ts';
import { tableNarrative } from '../narrative.ts';
import type { EpisodeOfCareInput } from './model.ts';
import { CC_PROFILE, LPR3_EPISODE_SYSTEM, MEDCOM_ENCOUNTER_CLASS_OTHER } from './vocabulary.ts';

export interface CareCommunicationEncounter extends DomainResource {
  resourceType: 'Encounter';
  status: string;
  class: Coding;
  subject: Reference;
  episodeOfCare: { identifier: Identifier }[];
}

/** R4 encounter-status (required binding). */
const ENCOUNTER_STATUSES = [
  'planned',
  'arrived',
  'triaged',
  'in-progress',
  'onleave',
  'finished',
  'cancelled',
  'entered-in-error',
  'unknown',
];

/**
 * Checks the identifiers and writes them as received, except that an LPR3 value gets its `urn:uuid:` prefix (the
 * core invariant `uuidv5` demands the prefixed form; OIOXML delivers the bare UUID).
 */
function episodeIdentifiers(input: EpisodeOfCareInput): Identifier[] {
  if (input.identifiers.length === 0) {
    throw new MessageModelError(
      'no episode-of-care identifier',
      'Encounter.episodeOfCare',
      'at least one identifier (CC-9)',
    );
  }
  return input.identifiers.map((identifier, i) => {
    const location = `Encounter.episodeOfCare[${i}].identifier`;
    if (typeof identifier.value !== 'string' || identifier.value === '') {
      throw new MessageModelError('episode-of-care identifier has no value', `${location}.value`, 'a value');
    }
    if (identifier.system === LPR3_EPISODE_SYSTEM) {
      if (!isUuidV5(fromUrnUuid(identifier.value))) {
        throw new MessageModelError(
          'LPR3 episode-of-care id is not a UUIDv5',
          `${location}.value`,
          'urn:uuid: + UUIDv5 (uuidv5)',
        );
      }
      return { system: LPR3_EPISODE_SYSTEM, value: toUrnUuid(identifier.value) };
    }
    return { ...(identifier.system ? { system: identifier.system } : {}), value: identifier.value };
  });
}

export function encounterResource(
  input: EpisodeOfCareInput,
  id: string,
  patientId: string,
): CareCommunicationEncounter {
  const status = input.status ?? 'unknown';
  if (!ENCOUNTER_STATUSES.includes(status)) {
    throw new MessageModelError(
      `unknown encounter status ${JSON.stringify(status)}`,
      'Encounter.status',
      'an R4 encounter-status code',
    );
  }
  const identifiers = episodeIdentifiers(input);
  const encounterClass = input.class ?? MEDCOM_ENCOUNTER_CLASS_OTHER;
  return {
    resourceType: 'Encounter',
    id,
    meta: { profile: [CC_PROFILE.encounter] },
    text: tableNarrative('Encounter', [
      ['Status', status],
      ['Class', encounterClass.code],
      ...identifiers.map((i): [string, string] => ['Episode of care', i.value!]),
    ]),
    status,
    class: { system: encounterClass.system, code: encounterClass.code },
    subject: { reference: `Patient/${patientId}` },
    episodeOfCare: identifiers.map((identifier) => ({ identifier })),
  };
}
