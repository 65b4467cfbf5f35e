// The persistent map between OIOXML identifiers (1–14 characters, unique per sending EAN) and FHIR UUIDs
// (oioxml.md §0.3, §10; GOV 052.2):
//   envelope  OIOXML Envelope.Identifier                 ↔ Bundle.id          (new on every transmission)
//   letter    OIOXML Letter.Identifier                   ↔ MessageHeader.id   (stable across resends)
//   episode   NotificationIdentifier / EpisodeOfCareId.  ↔ episodeOfCare UUID (hyphen-less in OIOXML)
// Both directions are deterministic, so converting the same letter twice — in this process or after a restart, with
// or without the stored state — yields the same UUIDs, and a duplicate stays recognisable as a duplicate. The store
// is still needed for the way back (a FHIR reply must find the OIOXML letter it answers) and for ids bound explicitly.
import { createHash } from 'node:crypto';
import { uuidV5 } from '../../messages/ids.ts';

export type IdKind = 'envelope' | 'letter' | 'episode';

/** An OIOXML identifier is only unique per issuer, so the issuer's EAN (lokationsnummer) is part of the key. */
export interface OioxmlId {
  readonly kind: IdKind;
  /** EAN of the party that issued the id (the OIOXML sender); OIOXML also allows non-GLN tokens here. */
  readonly gln: string;
  readonly id: string;
}

export interface IdPair {
  readonly oioxml: OioxmlId;
  readonly fhirId: string;
}

export interface IdMap {
  /** The FHIR UUID for an OIOXML id: the stored one, else a UUIDv5 over kind + EAN + id, which is then stored. */
  fhirIdFor(oioxml: OioxmlId): string;
  /** The OIOXML id for a FHIR UUID issued by `gln`: the stored one, else a 14-character id derived from the UUID. */
  oioxmlIdFor(kind: IdKind, gln: string, fhirId: string): OioxmlId;
  findFhirId(oioxml: OioxmlId): string | undefined;
  findOioxmlId(kind: IdKind, fhirId: string): OioxmlId | undefined;
  /** Records a pair decided elsewhere; throws {@link IdMapConflictError} if either side is bound to something else. */
  bind(oioxml: OioxmlId, fhirId: string): void;
  close(): void;
}

/** Storage primitives behind {@link StoredIdMap}; one implementation per backend, one algorithm above them. */
export interface IdStore {
  byOioxml(oioxml: OioxmlId): string | undefined;
  byFhir(kind: IdKind, fhirId: string): OioxmlId | undefined;
  /** Inserts a pair whose sides are both unbound (the caller checked inside the same transaction). */
  insert(pair: IdPair, origin: IdOrigin): void;
  /** Runs `work` atomically with respect to other writers of the same store. */
  transaction<T>(work: () => T): T;
  close(): void;
}

/** Which side the pair was created from — kept for diagnostics only. */
export type IdOrigin = 'oioxml' | 'fhir' | 'bound';

export class IdMapConflictError extends Error {
  constructor(
    readonly wanted: IdPair,
    readonly existing: IdPair,
  ) {
    super(
      `id map conflict for ${wanted.oioxml.kind} id: wanted ${describe(wanted)}, but ${describe(existing)} is already stored`,
    );
    this.name = 'IdMapConflictError';
  }
}

function describe(pair: IdPair): string {
  return `${pair.oioxml.gln}#${pair.oioxml.id} ↔ ${pair.fhirId}`;
}

/** Lengths from GeneralTypes.xsd: letter and envelope ids are String_1_14, NotificationIdentifier String_1_35. */
const MAX_LENGTH: Readonly<Record<IdKind, number>> = { envelope: 14, letter: 14, episode: 35 };

/** RFC 9562 Appendix A namespace for URLs. */
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** The UUIDv5 namespace of this map; derived from a fixed name so that anyone can re-derive it. */
export const ID_MAP_NAMESPACE = uuidV5('urn:medcom-hub:oioxml-id-map', NAMESPACE_URL);

export function checkOioxmlId(oioxml: OioxmlId): void {
  const max = MAX_LENGTH[oioxml.kind];
  if (oioxml.id.length < 1 || oioxml.id.length > max) {
    throw new RangeError(
      `OIOXML ${oioxml.kind} identifier must have 1–${max} characters, got ${JSON.stringify(oioxml.id)}`,
    );
  }
  if (oioxml.gln.length < 1 || oioxml.gln.includes('#')) {
    throw new RangeError(`issuer EAN must be non-empty and contain no '#', got ${JSON.stringify(oioxml.gln)}`);
  }
}

/** The deterministic FHIR UUID of an OIOXML id. */
export function deriveFhirId(oioxml: OioxmlId): string {
  return uuidV5(`${oioxml.kind}:${oioxml.gln}#${oioxml.id}`, ID_MAP_NAMESPACE);
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A deterministic 14-character OIOXML id for a FHIR UUID: upper-case base-36 of a SHA-1 over the UUID (and a counter
 * for the practically impossible case that the first candidate is taken). 14 base-36 digits carry ~72 bits.
 */
export function deriveOioxmlId(kind: IdKind, fhirId: string, attempt = 0): string {
  const digest = createHash('sha1').update(`${kind}:${fhirId}:${attempt}`).digest();
  let n = BigInt(`0x${digest.toString('hex')}`);
  let out = '';
  for (let i = 0; i < 14; i++) {
    out += ALPHABET[Number(n % 36n)];
    n /= 36n;
  }
  return out;
}

/** The map algorithm, independent of where pairs are stored. */
export class StoredIdMap implements IdMap {
  constructor(private readonly store: IdStore) {}

  fhirIdFor(oioxml: OioxmlId): string {
    checkOioxmlId(oioxml);
    return this.store.transaction(() => {
      const stored = this.store.byOioxml(oioxml);
      if (stored !== undefined) return stored;
      const fhirId = deriveFhirId(oioxml);
      this.insertChecked({ oioxml, fhirId }, 'oioxml');
      return fhirId;
    });
  }

  oioxmlIdFor(kind: IdKind, gln: string, fhirId: string): OioxmlId {
    if (fhirId.length === 0) throw new RangeError('FHIR id must be non-empty');
    return this.store.transaction(() => {
      const stored = this.store.byFhir(kind, fhirId);
      if (stored !== undefined) return stored;
      for (let attempt = 0; ; attempt++) {
        const oioxml: OioxmlId = { kind, gln, id: deriveOioxmlId(kind, fhirId, attempt) };
        checkOioxmlId(oioxml);
        if (this.store.byOioxml(oioxml) !== undefined) continue;
        this.insertChecked({ oioxml, fhirId }, 'fhir');
        return oioxml;
      }
    });
  }

  findFhirId(oioxml: OioxmlId): string | undefined {
    return this.store.byOioxml(oioxml);
  }

  findOioxmlId(kind: IdKind, fhirId: string): OioxmlId | undefined {
    return this.store.byFhir(kind, fhirId);
  }

  bind(oioxml: OioxmlId, fhirId: string): void {
    checkOioxmlId(oioxml);
    this.store.transaction(() => this.insertChecked({ oioxml, fhirId }, 'bound'));
  }

  close(): void {
    this.store.close();
  }

  private insertChecked(pair: IdPair, origin: IdOrigin): void {
    const fhirOfOioxml = this.store.byOioxml(pair.oioxml);
    if (fhirOfOioxml !== undefined && fhirOfOioxml !== pair.fhirId) {
      throw new IdMapConflictError(pair, { oioxml: pair.oioxml, fhirId: fhirOfOioxml });
    }
    const oioxmlOfFhir = this.store.byFhir(pair.oioxml.kind, pair.fhirId);
    if (oioxmlOfFhir !== undefined && (oioxmlOfFhir.gln !== pair.oioxml.gln || oioxmlOfFhir.id !== pair.oioxml.id)) {
      throw new IdMapConflictError(pair, { oioxml: oioxmlOfFhir, fhirId: pair.fhirId });
    }
    if (fhirOfOioxml === undefined) this.store.insert(pair, origin);
  }
}
