// `npm run bench`: every benchmark prints our figures beside a baseline measured in the same run, and memory. Each
// runs in a process of its own, so the peak RSS it reports is its own (the validation benchmark loads Medplum's R4
// index beside ours; the conversion figures should not carry that).
import { spawnSync } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['validation', 'conversion'] as const;

console.log('medcom-hub benchmarks (node', process.version, ')');
// Run as .js (the tsc output npm run bench uses) or as .ts under tsx: the sibling has the same extension, and the
// child gets this process's loader flags.
const extension = extname(fileURLToPath(import.meta.url));
for (const name of BENCHMARKS) {
  console.log(`\n== ${name}`);
  const file = fileURLToPath(new URL(`./${name}${extension}`, import.meta.url));
  const run = spawnSync(process.execPath, [...process.execArgv, file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`${name} benchmark failed (exit ${run.status ?? run.signal})`);
    process.exitCode = 1;
  }
}
