// Turns an element's published constraints into checks: the structural R4 ones natively, the rest as precompiled
// FHIRPath, and — where the errata table says MedCom published a broken rule — the intent check beside (or instead
// of) the published expression, reported as `<key>#intent`.
import { erratumFor } from './errata.ts';
import type { InvariantCompiler } from './invariants.ts';
import { nativeInvariant } from './native-invariants.ts';
import type { ConstraintSource, ElementConstraint } from './structure.ts';

interface RawConstraint {
  key?: string;
  severity?: string;
  human?: string;
  expression?: string;
}

export class ConstraintCompiler implements ConstraintSource {
  constructor(private readonly invariants: InvariantCompiler) {}

  compile(element: Record<string, unknown>, contextPath: string, profileUrl: string, problems: string[]): ElementConstraint[] {
    const raw = element.constraint as RawConstraint[] | undefined;
    if (!raw || raw.length === 0) return NONE;
    const id = contextPath;
    const out: ElementConstraint[] = [];
    const sameAs = (expression: string): number => out.findIndex((o) => o.invariant.expression === expression);
    for (const c of raw) {
      if (!c.key) continue;
      const constraint = { key: c.key, severity: c.severity, human: c.human, expression: c.expression };
      const erratum = erratumFor(c.key, profileUrl, c.expression);
      if (erratum?.published !== 'skip') {
        const invariant = nativeInvariant(constraint) ?? this.invariants.compile(constraint, id);
        if (invariant) out.push({ invariant, rule: c.key, profile: profileUrl, sameAs: sameAs(invariant.expression) });
        else if (!c.expression) problems.push(`${id}: constraint ${c.key} has no FHIRPath expression and is not checked`);
      }
      if (erratum?.intent) {
        const intent = this.invariants.compileIntent(erratum, id);
        if (intent) out.push({ invariant: intent, rule: intent.key, profile: profileUrl, sameAs: sameAs(intent.expression) });
      }
    }
    return out;
  }
}

const NONE: ElementConstraint[] = [];
