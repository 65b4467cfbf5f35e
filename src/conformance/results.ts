/**
 * Results of conformance runs, as plain data for reports. One run executes every selected script once in one mode:
 * `as-published` (MedCom's scripts exactly as released) or `as-intended` (with the errata overlay applied). Each
 * action result carries the errata that touch it, so a report can say "failed as published — known defect HN-4".
 */
import type { ActionLocation } from './testscript/model.ts';

export type Mode = 'as-published' | 'as-intended';

export type ActionStatus = 'pass' | 'fail' | 'warning' | 'error' | 'skipped';

export interface ErratumRef {
  readonly id: string;
  readonly title: string;
  /** What the erratum did to this action in this mode. */
  readonly effect: 'replaced' | 'withdrawn' | 'annotated' | 'inserted' | 'variable';
}

export interface ActionResult {
  /** `scriptId/group/index` of the action in the published script; inserted intent actions use `…/+n`. */
  readonly key: string;
  readonly at: ActionLocation;
  readonly kind: 'operation' | 'assert';
  readonly status: ActionStatus;
  readonly description?: string;
  /** For operations: e.g. `POST /Bundle (system under test)`; for asserts: the check in one line. */
  readonly summary: string;
  readonly message?: string;
  readonly evaluated?: readonly string[];
  readonly notes?: readonly string[];
  readonly errata: readonly ErratumRef[];
}

export interface TestResult {
  readonly key: string;
  readonly name?: string;
  readonly actions: readonly ActionResult[];
}

export type ScriptStatus = 'pass' | 'fail' | 'not-applicable';

export interface ScriptResult {
  readonly id: string;
  readonly title?: string;
  readonly suite: string;
  readonly status: ScriptStatus;
  /** Why the script was not run, or why it stopped early. */
  readonly reason?: string;
  readonly setup: readonly ActionResult[];
  readonly tests: readonly TestResult[];
  readonly teardown: readonly ActionResult[];
  readonly durationMs: number;
}

export interface Counts {
  scripts: number;
  scriptsPassed: number;
  scriptsFailed: number;
  scriptsNotApplicable: number;
  asserts: number;
  passed: number;
  failed: number;
  warnings: number;
  errors: number;
  skipped: number;
  /** Asserts whose outcome an erratum changed or explains (replaced, withdrawn, annotated, inserted). */
  errataApplied: number;
  /** As published: failing asserts that an erratum explains. */
  failuresExplained: number;
  /** As published: failing asserts no erratum explains — a defect in our code or an erratum missing. */
  failuresUnexplained: number;
}

export interface RunResult {
  readonly mode: Mode;
  readonly driver: string;
  readonly semantics: string;
  readonly errataVersion?: string;
  readonly scripts: readonly ScriptResult[];
  readonly counts: Counts;
}

export function allActions(script: ScriptResult): ActionResult[] {
  return [...script.setup, ...script.tests.flatMap((t) => t.actions), ...script.teardown];
}

/** True for a failed, erroring or warning-only assert/operation that matters for the verdict. */
export function isFailure(action: ActionResult): boolean {
  return action.status === 'fail' || action.status === 'error';
}

export function explainedBy(action: ActionResult): ErratumRef[] {
  return action.errata.filter((e) => e.effect === 'annotated' || e.effect === 'replaced' || e.effect === 'withdrawn');
}

export function countResults(mode: Mode, scripts: readonly ScriptResult[]): Counts {
  const counts: Counts = {
    scripts: scripts.length,
    scriptsPassed: 0,
    scriptsFailed: 0,
    scriptsNotApplicable: 0,
    asserts: 0,
    passed: 0,
    failed: 0,
    warnings: 0,
    errors: 0,
    skipped: 0,
    errataApplied: 0,
    failuresExplained: 0,
    failuresUnexplained: 0,
  };
  for (const script of scripts) {
    if (script.status === 'pass') counts.scriptsPassed++;
    else if (script.status === 'fail') counts.scriptsFailed++;
    else counts.scriptsNotApplicable++;
    for (const action of allActions(script)) {
      if (action.kind === 'assert') {
        counts.asserts++;
        if (action.status === 'pass') counts.passed++;
        else if (action.status === 'fail') counts.failed++;
        else if (action.status === 'warning') counts.warnings++;
        else if (action.status === 'error') counts.errors++;
        else counts.skipped++;
        if (action.errata.length > 0) counts.errataApplied++;
      }
      if (isFailure(action) && mode === 'as-published') {
        if (explainedBy(action).length > 0) counts.failuresExplained++;
        else counts.failuresUnexplained++;
      } else if (isFailure(action)) {
        counts.failuresUnexplained++;
      }
    }
  }
  return counts;
}
