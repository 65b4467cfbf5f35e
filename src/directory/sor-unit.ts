// One unit of Sundhedsvæsenets Organisationsregister (hub.md §7.1): an institution owner (IE), a health institution
// (SI) or an organisational unit (OE, nestable). The SOR code names the organisational addressee; the GLN
// (lokationsnummer) names the electronic mailbox, which a unit may own or inherit from its parent (§7.3).
import type { Gln, SorCode } from '../messages/parties.ts';

/** IE Institutionsejer → SI Sundhedsinstitution → OE Organisatorisk enhed. */
export type SorLevel = 'IE' | 'SI' | 'OE';

export interface SorUnit {
  readonly sorCode: SorCode;
  readonly name: string;
  /** SOR code of the parent unit; absent for an institution owner (or when the source does not say). */
  readonly parent?: SorCode;
  /** Absent when the source does not state it (e.g. a CSV without a level column). */
  readonly level?: SorLevel;
  /** The unit's own GLN (`EanLocationCodeEntity/EanLocationCode`). */
  readonly ownGln?: Gln;
  /**
   * Whether a unit without an own GLN uses its parent's (`OptionalEanLocationCode/EntityInheritedIndicator`).
   * SOR XML states it per SI/OE; where a source is silent we assume inheritance, the SOR default for lokationsnumre.
   */
  readonly inheritsGln: boolean;
  readonly shakCode?: string;
  /** Ydernummer (GP provider number). */
  readonly providerId?: string;
}

/** Accepts the SOR level codes and the EER aliases IO/HI/OU (sor/README.md: "normalise on import"). */
export function parseSorLevel(value: string): SorLevel | undefined {
  switch (value.trim().toUpperCase()) {
    case 'IE':
    case 'IO':
      return 'IE';
    case 'SI':
    case 'HI':
      return 'SI';
    case 'OE':
    case 'OU':
      return 'OE';
    default:
      return undefined;
  }
}

/** Where an import found something questionable; the unit is still imported unless the text says otherwise. */
export interface SorImportWarning {
  /** File or message name. */
  readonly label: string;
  /** XPath (XML) or `line N, column C` (CSV). */
  readonly location: string;
  readonly message: string;
}

export interface SorImport {
  readonly units: readonly SorUnit[];
  readonly warnings: readonly SorImportWarning[];
  /** `SnapshotDate` of a SOR XML export. */
  readonly snapshotDate?: string;
}
