// Effective GLN (hub.md §7.3, trifork/sdm4-sorimporter): a unit's own GLN, else — if it inherits — its parent's
// effective GLN. Computed once for the whole tree; cycles and dangling parents end the walk instead of looping.
import type { Gln, SorCode } from '../messages/parties.ts';
import type { SorUnit } from './sor-unit.ts';

export interface EffectiveGln {
  readonly gln: Gln;
  /** The unit that owns the GLN: the unit itself, or the ancestor it was inherited from. */
  readonly owner: SorCode;
  readonly inherited: boolean;
}

export function computeEffectiveGlns(units: ReadonlyMap<SorCode, SorUnit>): Map<SorCode, EffectiveGln | null> {
  const result = new Map<SorCode, EffectiveGln | null>();
  const resolve = (code: SorCode, visiting: Set<SorCode>): EffectiveGln | null => {
    const known = result.get(code);
    if (known !== undefined) return known;
    const unit = units.get(code);
    let found: EffectiveGln | null = null;
    if (unit?.ownGln) {
      found = { gln: unit.ownGln, owner: unit.sorCode, inherited: false };
    } else if (unit?.inheritsGln && unit.parent && !visiting.has(unit.parent)) {
      visiting.add(code);
      const fromParent = resolve(unit.parent, visiting);
      visiting.delete(code);
      found = fromParent ? { ...fromParent, inherited: true } : null;
    }
    result.set(code, found);
    return found;
  };
  for (const code of units.keys()) resolve(code, new Set([code]));
  return result;
}
