// The SOR directory a hub routes with: the IE → SI → OE tree, every unit's effective GLN, and lookups by SOR code,
// GLN and name. A GLN identifies a mailbox that many units may share (hub.md §7.3), so a GLN lookup returns all
// candidates and says whether the answer is ambiguous; the SOR code in the message decides between them (§7.4).
import type { Gln, SorCode } from '../messages/parties.ts';
import { computeEffectiveGlns, type EffectiveGln } from './effective-gln.ts';
import type { SorImportWarning, SorUnit } from './sor-unit.ts';

export interface GlnLookup {
  readonly gln: Gln;
  /** Every unit whose effective GLN is `gln`, tree order (owners first, then their descendants). */
  readonly units: readonly SorUnit[];
  /** The units that hold `gln` as their own GLN (normally one). */
  readonly owners: readonly SorUnit[];
  /** More than one unit answers to the GLN: the message's SOR code must pick the addressee. */
  readonly ambiguous: boolean;
}

export class SorDirectory {
  private readonly byCode: ReadonlyMap<SorCode, SorUnit>;
  private readonly children = new Map<SorCode, SorUnit[]>();
  private readonly effective: ReadonlyMap<SorCode, EffectiveGln | null>;
  private readonly byEffectiveGln = new Map<Gln, SorUnit[]>();
  /** Problems found while assembling the tree (duplicates, unknown parents, cycles). */
  readonly warnings: readonly SorImportWarning[];

  private constructor(units: ReadonlyMap<SorCode, SorUnit>, warnings: SorImportWarning[]) {
    this.byCode = units;
    for (const unit of units.values()) {
      if (!unit.parent) continue;
      if (!units.has(unit.parent)) {
        warnings.push({
          label: 'directory',
          location: unit.sorCode,
          message: `parent ${unit.parent} is not in the directory; the unit is treated as a root`,
        });
        continue;
      }
      const siblings = this.children.get(unit.parent) ?? [];
      siblings.push(unit);
      this.children.set(unit.parent, siblings);
    }
    for (const unit of units.values()) {
      if (this.ancestorCodes(unit.sorCode).includes(unit.sorCode)) {
        warnings.push({
          label: 'directory',
          location: unit.sorCode,
          message: 'the unit is its own ancestor (cycle in parents)',
        });
      }
    }
    this.effective = computeEffectiveGlns(units);
    for (const unit of this.inTreeOrder()) {
      const gln = this.effective.get(unit.sorCode)?.gln;
      if (!gln) continue;
      const list = this.byEffectiveGln.get(gln) ?? [];
      list.push(unit);
      this.byEffectiveGln.set(gln, list);
    }
    this.warnings = warnings;
  }

  /**
   * Builds a directory from units of one or more imports. A SOR code seen twice keeps its first occurrence (list the
   * authoritative source first) and is reported.
   */
  static from(units: Iterable<SorUnit>): SorDirectory {
    const byCode = new Map<SorCode, SorUnit>();
    const warnings: SorImportWarning[] = [];
    for (const unit of units) {
      if (byCode.has(unit.sorCode)) {
        warnings.push({
          label: 'directory',
          location: unit.sorCode,
          message: 'duplicate SOR code; the first occurrence is kept',
        });
        continue;
      }
      byCode.set(unit.sorCode, unit);
    }
    return new SorDirectory(byCode, warnings);
  }

  get size(): number {
    return this.byCode.size;
  }

  unit(code: string): SorUnit | undefined {
    return this.byCode.get(code as SorCode);
  }

  parentOf(code: string): SorUnit | undefined {
    const parent = this.unit(code)?.parent;
    return parent ? this.byCode.get(parent) : undefined;
  }

  childrenOf(code: string): readonly SorUnit[] {
    return this.children.get(code as SorCode) ?? [];
  }

  /** Ancestors from the parent up to the root (stops at an unknown parent or a cycle). */
  ancestors(code: string): SorUnit[] {
    return this.ancestorCodes(code as SorCode).flatMap((c) => this.byCode.get(c) ?? []);
  }

  /** True when `code` is `ancestor` itself or lies below it — the test a subscription on an SI uses for its OEs. */
  isWithin(code: string, ancestor: string): boolean {
    return code === ancestor || this.ancestorCodes(code as SorCode).includes(ancestor as SorCode);
  }

  /** The GLN the unit is reached at, and where it comes from; undefined when it has none (or is unknown). */
  effectiveGln(code: string): EffectiveGln | undefined {
    return this.effective.get(code as SorCode) ?? undefined;
  }

  byGln(gln: Gln): GlnLookup {
    const units = this.byEffectiveGln.get(gln) ?? [];
    return {
      gln,
      units,
      owners: units.filter((u) => u.ownGln === gln),
      ambiguous: units.length > 1,
    };
  }

  /**
   * Units whose name matches `query`, best first: exact name, then name starting with the query, then names
   * containing every word of it. Case and spacing are ignored; æ, ø and å are letters of their own (no folding to
   * ae/o/a), as in Danish sorting.
   */
  byName(query: string): SorUnit[] {
    const q = normalise(query);
    if (q === '') return [];
    const words = q.split(' ');
    const ranked: { unit: SorUnit; rank: number }[] = [];
    for (const unit of this.byCode.values()) {
      const name = normalise(unit.name);
      const rank = name === q ? 0 : name.startsWith(q) ? 1 : words.every((w) => name.includes(w)) ? 2 : -1;
      if (rank >= 0) ranked.push({ unit, rank });
    }
    return ranked.sort((a, b) => a.rank - b.rank || a.unit.name.localeCompare(b.unit.name, 'da')).map((r) => r.unit);
  }

  /** All units, every parent before its children; roots in insertion order. */
  inTreeOrder(): SorUnit[] {
    const out: SorUnit[] = [];
    const visit = (unit: SorUnit, seen: Set<SorCode>): void => {
      if (seen.has(unit.sorCode)) return;
      seen.add(unit.sorCode);
      out.push(unit);
      for (const child of this.children.get(unit.sorCode) ?? []) visit(child, seen);
    };
    const seen = new Set<SorCode>();
    for (const unit of this.byCode.values()) {
      if (!unit.parent || !this.byCode.has(unit.parent)) visit(unit, seen);
    }
    // Units caught in a parent cycle have no root above them; list them last.
    for (const unit of this.byCode.values()) visit(unit, seen);
    return out;
  }

  private ancestorCodes(code: SorCode): SorCode[] {
    const out: SorCode[] = [];
    let parent = this.byCode.get(code)?.parent;
    while (parent && this.byCode.has(parent) && !out.includes(parent)) {
      out.push(parent);
      parent = this.byCode.get(parent)?.parent;
    }
    return out;
  }
}

function normalise(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('da').replace(/\s+/g, ' ').trim();
}
