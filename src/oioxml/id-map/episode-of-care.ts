// Episode-of-care ids (forløbs-id) are UUIDs: with hyphens in FHIR, without in OIOXML/EDIFACT, and a receiver SHALL
// return the id it received (GOV 080, medcom-fhir.md §3.4). Converting to FHIR lower-cases and hyphenates; the map
// remembers the original spelling so the way back returns exactly what was received. OIOXML allows any 1–35
// characters, so an id that is not a UUID at all gets a deterministic UUIDv5 instead.
import { fromCompactUuid, fromUrnUuid, isCompactUuid, isUuid, toCompactUuid } from '../../messages/ids.ts';
import type { IdMap } from './id-map.ts';

/** FHIR values appear both bare and as `urn:uuid:<uuid>` (medcom-fhir.md §8); the map keys on the bare lower-case UUID. */
export function bareEpisodeUuid(fhirValue: string): string {
  const bare = fromUrnUuid(fhirValue);
  return isUuid(bare) ? bare.toLowerCase() : bare;
}

/** OIOXML NotificationIdentifier / EpisodeOfCareIdentifier issued by `gln` → FHIR episodeOfCare UUID. */
export function episodeOfCareFhirId(map: IdMap, gln: string, oioxmlId: string): string {
  const key = { kind: 'episode', gln, id: oioxmlId } as const;
  const stored = map.findFhirId(key);
  if (stored !== undefined) return stored;
  if (isCompactUuid(oioxmlId) || isUuid(oioxmlId)) {
    const uuid = isUuid(oioxmlId) ? oioxmlId.toLowerCase() : fromCompactUuid(oioxmlId);
    // The same UUID may already be bound under another spelling (e.g. upper case from one sender, lower from
    // another); the first spelling seen wins and the FHIR value stays the same.
    if (map.findOioxmlId('episode', uuid) === undefined) map.bind(key, uuid);
    return uuid;
  }
  return map.fhirIdFor(key);
}

/** FHIR episodeOfCare identifier value (bare or `urn:uuid:`) → the OIOXML id to send back. */
export function episodeOfCareOioxmlId(map: IdMap, fhirValue: string): string {
  const uuid = bareEpisodeUuid(fhirValue);
  const stored = map.findOioxmlId('episode', uuid);
  if (stored !== undefined) return stored.id;
  if (isUuid(uuid)) return toCompactUuid(uuid);
  throw new RangeError(`episodeOfCare identifier ${JSON.stringify(fhirValue)} is not a UUID and was never mapped`);
}
