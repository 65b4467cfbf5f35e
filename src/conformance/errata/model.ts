/**
 * The errata overlay: corrections to MedCom's published TestScripts, kept as data beside the untouched scripts
 * (conformance.md §5, §7.5). Every erratum names the defect, says why, cites where the correction comes from, and
 * selects the actions it concerns. The runner executes each script twice: "as published" (errata only explain
 * failures) and "as intended" (errata applied).
 *
 * Selectors address actions by script id, test key and action index (the key `scriptId/test/index`), optionally
 * narrowed by the assert's expression text, so one erratum can cover the 123 copies of a defective RuleSet while
 * the report still lists every key it touched. An erratum that matches nothing is itself an error (a stale
 * erratum hides nothing and must be removed).
 */
import type { PackageRef } from '../../fhir/packages/package-ref.ts';
import type { AssertOperator, OperationType } from '../testscript/model.ts';

export interface ActionSelector {
  /** Script ids; `*` matches any run of characters. Absent = every script of the suite. */
  readonly scripts?: readonly string[];
  /** Test keys (test ids, `setup`); `*` globbing as for scripts. */
  readonly tests?: readonly string[];
  readonly index?: number;
  readonly kind?: 'assert' | 'operation';
  /** Exact expression text of an assert. */
  readonly expression?: string;
  /** Regular expression (source text) an assert's expression must match. */
  readonly expressionPattern?: string;
  readonly operator?: AssertOperator;
  readonly value?: string;
  readonly validateProfileId?: string;
  readonly operationType?: OperationType;
  /** Operations performed by the system under test (`origin` present). */
  readonly bySystemUnderTest?: boolean;
}

/** A TestScript action in JSON form, as it would appear in `TestScript.test.action`. */
export type ActionJson = { readonly operation: Record<string, unknown> } | { readonly assert: Record<string, unknown> };

export type ErratumChange =
  /** As intended, the selected assert's fields are replaced (others kept). */
  | { readonly kind: 'replace-assert'; readonly with: Readonly<Record<string, unknown>> }
  /**
   * As intended, the selected assert's expression is rewritten: `pattern` (a regular expression) is replaced by
   * `replacement`, where `$1`… name the pattern's groups — for one correction across differently named variables.
   */
  | { readonly kind: 'rewrite-expression'; readonly pattern: string; readonly replacement: string }
  /** As intended, the selected operation's fields are replaced (others kept). */
  | { readonly kind: 'replace-operation'; readonly with: Readonly<Record<string, unknown>> }
  /** As intended, the selected assert is not evaluated: it cannot be made meaningful; `reason` says why. */
  | { readonly kind: 'withdraw' }
  /** A known defect that does not change the verdict (e.g. vacuous but harmless); reported only. */
  | { readonly kind: 'annotate' }
  /** As intended, intent actions run after the selected action. */
  | { readonly kind: 'insert-after'; readonly actions: readonly ActionJson[] }
  /** As intended, variables and profiles are declared (added, or replaced by name/id) in the selected scripts. */
  | {
      readonly kind: 'declare';
      readonly variables?: readonly Readonly<Record<string, unknown>>[];
      readonly profiles?: readonly { readonly id: string; readonly reference: string }[];
    }
  /** As intended, the selected scripts' variables whose name matches `names` (a regular expression) get `with`. */
  | { readonly kind: 'rewrite-variables'; readonly names: string; readonly with: Readonly<Record<string, unknown>> };

export interface Erratum {
  /** Stable id, e.g. `HN-04`; cited in reports. */
  readonly id: string;
  /** Number of the defect in conformance.md §5, when it is one of those. */
  readonly defect?: number;
  readonly title: string;
  /** Why the published form is wrong, and what the correction asserts instead. */
  readonly reason: string;
  /** Where the correction comes from (a later MedCom release, the IG text, governance). */
  readonly source: string;
  readonly select: ActionSelector;
  readonly change: ErratumChange;
  /** Open question for MedCom, when the correction is our decision rather than MedCom's. */
  readonly needsDecision?: string;
}

export interface ErrataOverlay {
  /** Version of this overlay; bump on every change so reports say which corrections applied. */
  readonly version: string;
  /** The TestScript package (id and version) these errata correct. */
  readonly scripts: PackageRef;
  readonly errata: readonly Erratum[];
}
