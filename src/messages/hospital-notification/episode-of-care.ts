/**
 * Episode-of-care identifiers (forløbs-id, GOV 080): a local UUID per admission (system = the issuer's SOR URL) and/or
 * an LPR3 identifier (`urn:uuid:` + UUIDv5). At least one is required, and follow-ups, corrections, cancellations
 * and replies must repeat them so receivers can link the messages.
 */
import type { Identifier } from '../fhir-types.ts';
import { fromUrnUuid, isUuid, isUuidV5, toUrnUuid } from '../ids.ts';
import { sorUrl, type SorCode } from '../parties.ts';
import { LPR3_EPISODE_SYSTEM } from './profiles.ts';

export interface LocalEpisodeId {
  /** A UUID, written with hyphens. */
  readonly value: string;
  /** Defaults to the sender's SOR URL, as GOV 080 recommends. */
  readonly system?: string;
}

/** At least one identifier; the type makes "none" unrepresentable. */
export type EpisodeOfCare =
  | { readonly lpr3: string; readonly local?: LocalEpisodeId }
  | { readonly local: LocalEpisodeId; readonly lpr3?: string };

export interface EpisodeOfCareId {
  readonly kind: 'lpr3' | 'local';
  readonly system: string;
  readonly value: string;
}

/** Checks the identifiers and writes them LPR3 first (as in the official two-identifier example). */
export function episodeOfCareIdentifiers(episode: EpisodeOfCare, issuer: SorCode): Identifier[] {
  const identifiers: Identifier[] = [];
  if (episode.lpr3 !== undefined) {
    if (!isUuidV5(fromUrnUuid(episode.lpr3))) {
      throw new RangeError(`LPR3 episode-of-care id must be a UUIDv5, got ${JSON.stringify(episode.lpr3)}`);
    }
    identifiers.push({ system: LPR3_EPISODE_SYSTEM, value: toUrnUuid(fromUrnUuid(episode.lpr3).toLowerCase()) });
  }
  if (episode.local !== undefined) {
    if (!isUuid(fromUrnUuid(episode.local.value))) {
      throw new RangeError(`local episode-of-care id must be a UUID, got ${JSON.stringify(episode.local.value)}`);
    }
    identifiers.push({
      system: episode.local.system ?? sorUrl(issuer),
      value: fromUrnUuid(episode.local.value).toLowerCase(),
    });
  }
  return identifiers;
}

/** Reads identifiers as received (values untouched: the examples mix bare and `urn:uuid:` forms). */
export function readEpisodeOfCareIds(identifiers: readonly (Identifier | undefined)[]): EpisodeOfCareId[] {
  const ids: EpisodeOfCareId[] = [];
  for (const identifier of identifiers) {
    if (typeof identifier?.value !== 'string') continue;
    const system = typeof identifier.system === 'string' ? identifier.system : '';
    ids.push({ kind: system === LPR3_EPISODE_SYSTEM ? 'lpr3' : 'local', system, value: identifier.value });
  }
  return ids;
}

/** The identifier to return in follow-up messages: the local one if there are several (GOV 080). */
export function preferredEpisodeId(ids: readonly EpisodeOfCareId[]): EpisodeOfCareId | undefined {
  return ids.find((id) => id.kind === 'local') ?? ids[0];
}
