// Identifiers of converted messages. OIOXML ids are ≤14 characters, FHIR ids UUIDs; the persistent id map pairs
// Envelope.Identifier ↔ Bundle.id and Letter.Identifier ↔ MessageHeader.id (oioxml.md §10). Every other id of a
// message converted from a letter (Communication, Patient, thread and segment ids …) comes from a generator seeded
// with the letter's key, so converting the same letter again gives the same UUIDs.
import type { BuildContext } from '../../messages/build-context.ts';
import { fixedClock } from '../../messages/clock.ts';
import type { MessageBundle, MessageHeader, Provenance } from '../../messages/fhir-types.ts';
import { seededIds } from '../../messages/ids.ts';
import type { IdMap } from '../id-map/id-map.ts';

export interface LetterKey {
  /** EAN of the letter's sender (ids are unique per issuer). */
  readonly ean: string;
  readonly envelopeId: string;
  readonly letterId: string;
}

export interface ConvertedIds {
  readonly bundleId: string;
  readonly messageHeaderId: string;
  /** For the message builders: ids seeded by the letter, the clock fixed at `at`. */
  readonly build: BuildContext;
}

export function idsForLetter(idMap: IdMap, key: LetterKey, at: string): ConvertedIds {
  return {
    bundleId: idMap.fhirIdFor({ kind: 'envelope', gln: key.ean, id: key.envelopeId }),
    messageHeaderId: idMap.fhirIdFor({ kind: 'letter', gln: key.ean, id: key.letterId }),
    build: { clock: fixedClock(at), ids: seededIds(`oioxml-letter:${key.ean}#${key.letterId}`) },
  };
}

/**
 * Gives a freshly built message the Bundle.id and MessageHeader.id the id map decided. The builders draw every id
 * from one generator, so the two are set afterwards: the header entry's id and fullUrl, the narrative that names it,
 * and the references of this message's own Provenance follow. Returns a new Bundle; the input is not changed.
 */
export function withMessageIds(bundle: MessageBundle, bundleId: string, messageHeaderId: string): MessageBundle {
  const copy = structuredClone(bundle);
  const headerEntry = copy.entry[0]!;
  const header = headerEntry.resource as MessageHeader;
  const oldId = header.id;
  const oldReference = `MessageHeader/${oldId}`;
  copy.id = bundleId;
  header.id = messageHeaderId;
  if (typeof headerEntry.fullUrl === 'string' && headerEntry.fullUrl.endsWith(oldReference)) {
    headerEntry.fullUrl = `${headerEntry.fullUrl.slice(0, -oldId.length)}${messageHeaderId}`;
  }
  const text = header.text;
  // The generated narrative shows the id; a UUID cannot occur anywhere else in it.
  if (text) text.div = text.div.split(oldId).join(messageHeaderId);
  for (const entry of copy.entry) {
    if (entry.resource.resourceType !== 'Provenance') continue;
    for (const target of (entry.resource as Provenance).target) {
      if (target.reference === oldReference) target.reference = `MessageHeader/${messageHeaderId}`;
    }
  }
  return copy;
}
