// One constraint of a profile, turned into the checks the validator runs at its element: the published expression
// (or the HL7 validator's replacement, or nothing) under the constraint key, plus the intent check of its erratum
// under `<key>#intent`. This is the single place where the errata table meets the invariant compiler.
import { erratumFor, intentRule, type Erratum } from './errata.ts';
import type { CompiledInvariant, InvariantCompiler } from './invariants.ts';

export interface ConstraintCheck {
  /** What issues carry as `rule`: the constraint key, or `<key>#intent`. */
  readonly rule: string;
  readonly invariant: CompiledInvariant;
  /** The erratum behind this check, if the constraint has one. */
  readonly erratum: Erratum | undefined;
}

export interface Constraint {
  key: string;
  severity?: string;
  human?: string;
  expression?: string;
}

/**
 * @param contextPath the path (or id) of the element carrying the constraint
 * @param profileUrl canonical of the profile whose snapshot carries it
 */
export function constraintChecks(
  compiler: InvariantCompiler,
  constraint: Constraint,
  contextPath: string,
  profileUrl: string,
): ConstraintCheck[] {
  const erratum =
    constraint.expression === undefined ? undefined : erratumFor(constraint.key, profileUrl, constraint.expression);
  const checks: ConstraintCheck[] = [];
  const published =
    erratum?.published === 'skip'
      ? undefined
      : compiler.compile(
          erratum?.published === 'replace' ? { ...constraint, expression: erratum.replacement } : constraint,
          contextPath,
        );
  if (published) checks.push({ rule: constraint.key, invariant: published, erratum });
  const intent = erratum ? compiler.compileIntent(erratum, contextPath) : undefined;
  if (intent && erratum) checks.push({ rule: intentRule(erratum.key), invariant: intent, erratum });
  return checks;
}
