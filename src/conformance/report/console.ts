/**
 * Console output: a progress line per script while running, then one line per script with both results, the
 * totals, and — loudly — any failure as published that no erratum explains.
 */
import { allActions, explainedBy, isFailure, type Counts, type Mode, type ScriptResult } from '../results.ts';
import type { ConformanceReport } from '../runner.ts';
import type { ProgressEvent } from '../testscript/execute.ts';

/** A progress callback that prints `[mode] n/total script … status`. */
export function progressPrinter(
  write: (line: string) => void,
  totalPerMode: number,
): (mode: Mode, e: ProgressEvent) => void {
  const done = new Map<Mode, number>();
  return (mode, event) => {
    if (event.type !== 'script-end') return;
    const n = (done.get(mode) ?? 0) + 1;
    done.set(mode, n);
    const r = event.result;
    const asserts = allActions(r).filter((a) => a.kind === 'assert');
    const failed = asserts.filter(isFailure).length;
    write(
      `[${mode}] ${String(n).padStart(3)}/${totalPerMode} ${r.id} ${r.status}` +
        (r.status === 'not-applicable'
          ? ` (${r.reason ?? ''})`
          : ` (${asserts.length - failed}/${asserts.length} asserts)`),
    );
  };
}

export interface ScriptLine {
  readonly id: string;
  readonly published: { status: string; passed: number; failed: number; explained: number };
  readonly intended: { status: string; passed: number; failed: number; errata: number };
}

export function scriptLines(report: ConformanceReport): ScriptLine[] {
  const intended = new Map(report.asIntended.scripts.map((s) => [s.id, s]));
  return report.asPublished.scripts.map((p) => {
    const i = intended.get(p.id);
    return {
      id: p.id,
      published: { status: p.status, ...tally(p) },
      intended: i ? { status: i.status, ...tallyIntended(i) } : { status: 'missing', passed: 0, failed: 0, errata: 0 },
    };
  });
}

function tally(script: ScriptResult) {
  const asserts = allActions(script).filter((a) => a.kind === 'assert');
  const failures = allActions(script).filter(isFailure);
  return {
    passed: asserts.filter((a) => a.status === 'pass').length,
    failed: failures.length,
    explained: failures.filter((a) => explainedBy(a).length > 0).length,
  };
}

function tallyIntended(script: ScriptResult) {
  const actions = allActions(script);
  return {
    passed: actions.filter((a) => a.kind === 'assert' && a.status === 'pass').length,
    failed: actions.filter(isFailure).length,
    errata: actions.filter((a) => a.errata.length > 0).length,
  };
}

export function formatSummary(report: ConformanceReport): string[] {
  const lines: string[] = [];
  const width = Math.max(20, ...report.asPublished.scripts.map((s) => s.id.length));
  lines.push(`${'script'.padEnd(width)}  as published (pass/fail/explained)   as intended (pass/fail/errata)`);
  for (const line of scriptLines(report)) {
    const p = line.published;
    const i = line.intended;
    lines.push(
      `${line.id.padEnd(width)}  ${p.status.padEnd(14)} ${String(p.passed).padStart(3)}/${String(p.failed).padStart(3)}/${String(p.explained).padStart(3)}` +
        `          ${i.status.padEnd(14)} ${String(i.passed).padStart(3)}/${String(i.failed).padStart(3)}/${String(i.errata).padStart(3)}`,
    );
  }
  lines.push('');
  lines.push(`as published: ${formatCounts(report.asPublished.counts)}`);
  lines.push(`as intended:  ${formatCounts(report.asIntended.counts)}`);
  const used = report.errata.filter((e) => e.actions > 0);
  lines.push(`errata: ${used.length} in use, ${report.errata.reduce((n, e) => n + e.actions, 0)} actions touched`);
  if (report.stale.length > 0) lines.push(`STALE ERRATA (match nothing): ${report.stale.map((e) => e.id).join(', ')}`);
  if (report.unexplained.length > 0) {
    lines.push(`UNEXPLAINED FAILURES AS PUBLISHED: ${report.unexplained.length}`);
    for (const u of report.unexplained.slice(0, 50)) {
      lines.push(`  ${u.action.key}: ${u.action.summary} — ${u.action.message ?? ''}`);
    }
  }
  lines.push(report.passed ? 'RESULT: as intended PASSES' : 'RESULT: as intended FAILS');
  return lines;
}

export function formatCounts(c: Counts): string {
  return (
    `${c.scripts} scripts (${c.scriptsPassed} pass, ${c.scriptsFailed} fail, ${c.scriptsNotApplicable} n/a), ` +
    `${c.asserts} asserts: ${c.passed} passed, ${c.failed} failed, ${c.errors} errors, ${c.warnings} warnings, ` +
    `${c.skipped} skipped; errata applied to ${c.errataApplied}`
  );
}

/** The failing actions of one run, for the console. */
export function failureLines(scripts: readonly ScriptResult[], limit = 40): string[] {
  const out: string[] = [];
  for (const script of scripts) {
    for (const action of allActions(script).filter(isFailure)) {
      if (out.length >= limit) return [...out, '…'];
      out.push(`${action.key}: ${action.summary} — ${action.message ?? ''}`);
    }
  }
  return out;
}
