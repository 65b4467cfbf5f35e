// Turns an element's published constraints into checks: V2's constraintChecks() decides what runs (the published
// expression, the HL7 validator's replacement for a few base invariants, and the errata intent check beside it as
// `<key>#intent`); each resulting expression then runs natively when native-invariants.ts implements exactly that
// text, else as precompiled FHIRPath.
import { constraintChecks } from './constraint-checks.ts';
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

  compile(
    element: Record<string, unknown>,
    contextPath: string,
    profileUrl: string,
    problems: string[],
  ): ElementConstraint[] {
    const raw = element.constraint as RawConstraint[] | undefined;
    if (!raw || raw.length === 0) return NONE;
    const out: ElementConstraint[] = [];
    const sameAs = (expression: string): number => out.findIndex((o) => o.invariant.expression === expression);
    for (const c of raw) {
      if (!c.key) continue;
      if (!c.expression) {
        problems.push(`${contextPath}: constraint ${c.key} has no FHIRPath expression and is not checked`);
        continue;
      }
      const constraint = { key: c.key, severity: c.severity, human: c.human, expression: c.expression };
      for (const check of constraintChecks(this.invariants, constraint, contextPath, profileUrl)) {
        const invariant = nativeInvariant(check.invariant) ?? check.invariant;
        out.push({ invariant, rule: check.rule, profile: profileUrl, sameAs: sameAs(invariant.expression) });
      }
    }
    return out;
  }
}

const NONE: ElementConstraint[] = [];
