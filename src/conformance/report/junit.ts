/**
 * JUnit XML for CI systems: one `<testsuite>` per mode and suite, one `<testcase>` per TestScript test (setup and
 * teardown included when they have actions). As intended, a testcase fails when one of its actions fails; as
 * published, only when a failure is not explained by an erratum (explained ones are listed in `<system-out>`), so a
 * CI build goes red exactly when something is wrong on our side. Not-applicable scripts become `<skipped>`.
 */
import { explainedBy, isFailure, type ActionResult, type Mode, type RunResult, type ScriptResult } from '../results.ts';
import type { ConformanceReport } from '../runner.ts';
import { escapeMarkup as x } from './markup.ts';

export function junitXml(report: ConformanceReport): string {
  const suites = [report.asPublished, report.asIntended].flatMap(suitesOf);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failed.length > 0).length, 0);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="medcom-hub conformance" tests="${tests}" failures="${failures}">`,
  ];
  for (const suite of suites) {
    const failed = suite.cases.filter((c) => c.failed.length > 0).length;
    const skipped = suite.cases.filter((c) => c.skipped).length;
    lines.push(
      `  <testsuite name="${x(suite.name)}" tests="${suite.cases.length}" failures="${failed}" skipped="${skipped}" time="${(suite.ms / 1000).toFixed(3)}">`,
    );
    lines.push(
      `    <properties><property name="mode" value="${x(suite.run.mode)}"/><property name="driver" value="${x(suite.run.driver)}"/>` +
        `<property name="semantics" value="${x(suite.run.semantics)}"/>` +
        (suite.run.errataVersion ? `<property name="errata" value="${x(suite.run.errataVersion)}"/>` : '') +
        `</properties>`,
    );
    for (const c of suite.cases) {
      lines.push(`    <testcase classname="${x(c.classname)}" name="${x(c.name)}">`);
      if (c.skipped) lines.push(`      <skipped message="${x(c.skipped)}"/>`);
      if (c.failed.length > 0) {
        const first = c.failed[0]!;
        lines.push(
          `      <failure message="${x(`${first.summary}: ${first.message ?? ''}`)}" type="${x(first.status)}">${x(c.failed.map(describe).join('\n'))}</failure>`,
        );
      }
      const notes = c.actions.filter((a) => a.errata.length > 0).map(describe);
      if (notes.length > 0) lines.push(`      <system-out>${x(notes.join('\n'))}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly actions: readonly ActionResult[];
  readonly failed: readonly ActionResult[];
  readonly skipped?: string;
}

function suitesOf(run: RunResult) {
  const bySuite = new Map<string, ScriptResult[]>();
  for (const script of run.scripts) bySuite.set(script.suite, [...(bySuite.get(script.suite) ?? []), script]);
  return [...bySuite.entries()].map(([name, scripts]) => ({
    name: `${name} (${run.mode})`,
    run,
    ms: scripts.reduce((n, s) => n + s.durationMs, 0),
    cases: scripts.flatMap((script) => casesOf(script, run.mode)),
  }));
}

function casesOf(script: ScriptResult, mode: Mode): Case[] {
  const classname = `${script.suite}.${script.id}`;
  if (script.status === 'not-applicable') {
    return [{ classname, name: script.id, actions: [], failed: [], skipped: script.reason ?? 'not applicable' }];
  }
  const groups: { name: string; actions: readonly ActionResult[] }[] = [];
  if (script.setup.length) groups.push({ name: 'setup', actions: script.setup });
  for (const test of script.tests)
    groups.push({ name: test.name ? `${test.key}: ${test.name}` : test.key, actions: test.actions });
  if (script.teardown.length) groups.push({ name: 'teardown', actions: script.teardown });
  const counts = (a: ActionResult) => isFailure(a) && (mode === 'as-intended' || explainedBy(a).length === 0);
  return groups.map((g) => ({ classname, name: g.name, actions: g.actions, failed: g.actions.filter(counts) }));
}

function describe(a: ActionResult): string {
  const errata = a.errata.map((e) => `${e.id} (${e.effect})`).join(', ');
  return `${a.status.toUpperCase()} ${a.key} ${a.summary}${a.message ? ` — ${a.message}` : ''}${errata ? ` [errata: ${errata}]` : ''}`;
}
