// In-memory id map: for tests, one-shot conversions and the CLI when no database is configured.
import { StoredIdMap, type IdKind, type IdMap, type IdPair, type IdStore, type OioxmlId } from './id-map.ts';

class MemoryIdStore implements IdStore {
  private readonly fromOioxml = new Map<string, string>();
  private readonly fromFhir = new Map<string, OioxmlId>();

  byOioxml(oioxml: OioxmlId): string | undefined {
    return this.fromOioxml.get(oioxmlKey(oioxml));
  }

  byFhir(kind: IdKind, fhirId: string): OioxmlId | undefined {
    return this.fromFhir.get(`${kind}\u0000${fhirId}`);
  }

  insert(pair: IdPair): void {
    this.fromOioxml.set(oioxmlKey(pair.oioxml), pair.fhirId);
    this.fromFhir.set(`${pair.oioxml.kind}\u0000${pair.fhirId}`, { ...pair.oioxml });
  }

  transaction<T>(work: () => T): T {
    // Single-threaded and synchronous: nothing can interleave with `work`.
    return work();
  }

  close(): void {
    this.fromOioxml.clear();
    this.fromFhir.clear();
  }
}

function oioxmlKey(oioxml: OioxmlId): string {
  return `${oioxml.kind}\u0000${oioxml.gln}\u0000${oioxml.id}`;
}

export function memoryIdMap(): IdMap {
  return new StoredIdMap(new MemoryIdStore());
}
