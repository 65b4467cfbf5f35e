// Identifiers of converted messages. OIOXML ids are ≤14 characters, FHIR ids UUIDs; the persistent id map pairs
// Envelope.Identifier ↔ Bundle.id and Letter.Identifier ↔ MessageHeader.id (oioxml.md §10). Every other id of a
// message converted from a letter (Communication, Patient, thread and segment ids …) comes from a generator seeded
// with the letter's key, so converting the same letter again gives the same UUIDs.
import type { BuildContext } from '../../messages/build-context.ts';
import { fixedClock } from '../../messages/clock.ts';
import type { MessageBundle, MessageHeader, Provenance } from '../../messages/fhir-types.ts';
import { seededIds } from '../../messages/ids.ts';
import type { IdMap } from '../id-map/id-map.ts';
import type { Envelope } from '../model.ts';
import type { LossRecorder } from './loss.ts';

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
 * `idsForLetter` for a letter converted to FHIR, recording in the loss report that both ids come from the id map.
 * `base` is the XPath of the letter element.
 */
export function idsForConvertedLetter(
  idMap: IdMap,
  envelope: Pick<Envelope, 'identifier'>,
  letter: { readonly sender: { readonly ean: string }; readonly letter: { readonly identifier: string } },
  base: string,
  at: string,
  loss: LossRecorder,
): ConvertedIds {
  const ids = idsForLetter(
    idMap,
    { ean: letter.sender.ean, envelopeId: envelope.identifier, letterId: letter.letter.identifier },
    at,
  );
  loss.derived('Bundle.id', 'from the id map (Envelope.Identifier)', '/Emessage/Envelope/Identifier');
  loss.derived('MessageHeader.id', 'from the id map (Letter.Identifier)', `${base}/Letter/Identifier`);
  return ids;
}

/**
 * Gives a freshly built message the Bundle.id and MessageHeader.id the id map decided. The builders draw every id
 * from one generator, so the two are set afterwards: the header entry's id and fullUrl, the narrative that names it,
 * and the references of this message's own Provenance follow. Returns a new Bundle; the input is not changed.
 * Only the objects on the changed paths are copied (not the whole Bundle): a deep clone cost a third of an
 * XDIS91 → CareCommunication conversion (bench/conversion.ts).
 */
export function withMessageIds(bundle: MessageBundle, bundleId: string, messageHeaderId: string): MessageBundle {
  const headerEntry = bundle.entry[0]!;
  const header = headerEntry.resource as MessageHeader;
  const oldId = header.id;
  const oldReference = `MessageHeader/${oldId}`;
  const newReference = `MessageHeader/${messageHeaderId}`;
  const newHeader: MessageHeader = { ...header, id: messageHeaderId };
  // The generated narrative shows the id; a UUID cannot occur anywhere else in it.
  if (header.text) newHeader.text = { ...header.text, div: header.text.div.split(oldId).join(messageHeaderId) };
  const entries = bundle.entry.map((entry, i) => {
    if (i === 0) {
      const fullUrl =
        typeof entry.fullUrl === 'string' && entry.fullUrl.endsWith(oldReference)
          ? `${entry.fullUrl.slice(0, -oldId.length)}${messageHeaderId}`
          : entry.fullUrl;
      return { ...entry, fullUrl, resource: newHeader };
    }
    if (entry.resource.resourceType !== 'Provenance') return entry;
    const provenance = entry.resource as Provenance;
    if (!provenance.target.some((target) => target.reference === oldReference)) return entry;
    const target = provenance.target.map((t) => (t.reference === oldReference ? { ...t, reference: newReference } : t));
    return { ...entry, resource: { ...provenance, target } };
  });
  return { ...bundle, id: bundleId, entry: entries };
}
