import { testStore } from './test/support/shared.ts';
import { runConformance } from './src/conformance/runner.ts';
import { buildMedComFixtures } from './src/conformance/fixtures/medcom-fixtures.ts';
import { LibraryDriver } from './src/conformance/drivers/library/library-driver.ts';
import { Validator } from './src/validation/validator.ts';
import { formatSummary } from './src/conformance/report/console.ts';
import { allActions, isFailure } from './src/conformance/results.ts';
import { writeFileSync } from 'node:fs';
const store = testStore();
const t0 = Date.now();
const fixtures = buildMedComFixtures();
const validator = new Validator(store);
console.error('fixtures', fixtures.entries().length, Date.now()-t0);
const suites = (process.argv[2] ?? 'hospitalnotification,carecommunication,acknowledgement').split(',') as any;
const report = await runConformance({ cache: store.cache, suites, driver: () => new LibraryDriver({ validator, fixtures }), fixtures, errata: new Map(), validator });
console.error('ran', Date.now()-t0);
const groups = new Map<string, string[]>();
for (const s of report.asPublished.scripts) for (const a of allActions(s).filter(isFailure)) {
  const k = a.summary.slice(0,140) + ' || ' + (a.message ?? '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g,'<id>').slice(0,300);
  groups.set(k, [...(groups.get(k) ?? []), a.key]);
}
const lines = [...groups.entries()].sort((a,b)=>b[1].length-a[1].length).map(([k,v]) => `${v.length}x ${k}\n    e.g. ${v.slice(0,3).join(' ')}`);
writeFileSync('/tmp/conf/failures.txt', lines.join('\n'));
console.log(formatSummary(report).slice(-8).join('\n'));
