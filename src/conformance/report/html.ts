/**
 * A self-contained HTML report (inline CSS, no scripts, no external resources) that can be mailed or archived:
 * totals for both modes, one collapsible section per script showing every action as published and as intended,
 * and the errata with their reasons and sources.
 */
import type { ErrataOverlay } from '../errata/model.ts';
import { allActions, isFailure, type ActionResult, type Counts, type ScriptResult } from '../results.ts';
import type { ConformanceReport } from '../runner.ts';
import { escapeMarkup as x } from './markup.ts';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.pass{color:#176b2c}.fail,.error{color:#b00020;font-weight:bold}.warning{color:#a15c00}.skipped,.not-applicable{color:#666}
details{margin:.3em 0;border:1px solid #ddd;padding:.3em .6em}summary{cursor:pointer}
code{font-size:12px;word-break:break-all}.erratum{background:#fff6d6}.small{font-size:12px;color:#555}
`;

export function htmlReport(report: ConformanceReport, overlays: readonly ErrataOverlay[], generatedAt: Date): string {
  const intended = new Map(report.asIntended.scripts.map((s) => [s.id, s]));
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>MedCom conformance report</title><style>${STYLE}</style></head><body>`,
  );
  parts.push(`<h1>MedCom TestScript conformance</h1>`);
  parts.push(
    `<p class="small">Generated ${x(generatedAt.toISOString())}; driver <b>${x(report.asPublished.driver)}</b>, ` +
      `FHIRPath semantics <b>${x(report.asPublished.semantics)}</b>, errata ${x(report.asIntended.errataVersion ?? 'none')}.</p>`,
  );
  parts.push(
    `<p class="${report.passed ? 'pass' : 'fail'}">As intended: ${report.passed ? 'PASS' : 'FAIL'}. ` +
      `Failures as published not explained by an erratum: ${report.unexplained.length}.</p>`,
  );
  parts.push(
    '<table><tr><th>mode</th><th>scripts</th><th>pass</th><th>fail</th><th>n/a</th><th>asserts</th><th>passed</th><th>failed</th><th>errors</th><th>warnings</th><th>skipped</th><th>errata applied</th></tr>',
  );
  parts.push(
    countsRow('as published', report.asPublished.counts),
    countsRow('as intended', report.asIntended.counts),
    '</table>',
  );

  if (report.unexplained.length > 0) {
    parts.push('<h2>Unexplained failures as published</h2><ul>');
    for (const u of report.unexplained)
      parts.push(`<li><code>${x(u.action.key)}</code> ${x(u.action.summary)} — ${x(u.action.message ?? '')}</li>`);
    parts.push('</ul>');
  }

  parts.push('<h2>Scripts</h2>');
  for (const published of report.asPublished.scripts) {
    parts.push(scriptSection(published, intended.get(published.id)));
  }

  parts.push('<h2>Errata</h2>');
  const uses = new Map(report.errata.map((e) => [e.id, e.actions]));
  for (const overlay of overlays) {
    parts.push(`<h3>${x(overlay.scripts.id)}#${x(overlay.scripts.version)} — errata ${x(overlay.version)}</h3><table>`);
    parts.push('<tr><th>id</th><th>defect</th><th>title</th><th>reason</th><th>source</th><th>actions</th></tr>');
    for (const e of overlay.errata) {
      parts.push(
        `<tr class="erratum"><td>${x(e.id)}</td><td>${e.defect ?? ''}</td><td>${x(e.title)}</td><td>${x(e.reason)}` +
          (e.needsDecision ? `<br><i>Needs a MedCom decision: ${x(e.needsDecision)}</i>` : '') +
          `</td><td>${x(e.source)}</td><td>${uses.get(e.id) ?? 0}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  parts.push('</body></html>\n');
  return parts.join('\n');
}

function countsRow(label: string, c: Counts): string {
  const cells = [
    c.scripts,
    c.scriptsPassed,
    c.scriptsFailed,
    c.scriptsNotApplicable,
    c.asserts,
    c.passed,
    c.failed,
    c.errors,
    c.warnings,
    c.skipped,
    c.errataApplied,
  ];
  return `<tr><th>${x(label)}</th>${cells.map((n) => `<td>${n}</td>`).join('')}</tr>`;
}

function scriptSection(published: ScriptResult, intended: ScriptResult | undefined): string {
  const failedPublished = allActions(published).filter(isFailure).length;
  const head =
    `<summary><b>${x(published.id)}</b> — as published <span class="${published.status}">${published.status}</span>` +
    (failedPublished ? ` (${failedPublished} failing)` : '') +
    `, as intended <span class="${intended?.status ?? 'error'}">${intended?.status ?? 'missing'}</span>` +
    (published.title ? ` <span class="small">${x(published.title)}</span>` : '') +
    '</summary>';
  const body = [`<h4>As published</h4>`, actionsTable(published)];
  if (intended) body.push(`<h4>As intended</h4>`, actionsTable(intended));
  return `<details>${head}${body.join('')}</details>`;
}

function actionsTable(script: ScriptResult): string {
  if (script.status === 'not-applicable')
    return `<p class="not-applicable">${x(script.reason ?? 'not applicable')}</p>`;
  const rows = allActions(script).map(actionRow).join('');
  return `<table><tr><th>action</th><th>status</th><th>check</th><th>result</th><th>errata</th></tr>${rows}</table>`;
}

function actionRow(a: ActionResult): string {
  const notes = [
    ...(a.evaluated && a.evaluated[0] !== a.summary ? [`evaluated: ${a.evaluated.join(' | ')}`] : []),
    ...(a.notes ?? []),
  ];
  return (
    `<tr${a.errata.length ? ' class="erratum"' : ''}><td><code>${x(a.key)}</code></td><td class="${a.status}">${a.status}</td>` +
    `<td><code>${x(a.summary)}</code>${a.description ? `<div class="small">${x(a.description)}</div>` : ''}</td>` +
    `<td>${x(a.message ?? '')}${notes.length ? `<div class="small">${notes.map(x).join('<br>')}</div>` : ''}</td>` +
    `<td>${a.errata.map((e) => `${x(e.id)} (${e.effect})`).join('<br>')}</td></tr>`
  );
}
