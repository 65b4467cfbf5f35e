// `npm run bench`: every benchmark prints our figures beside a baseline measured in the same run, and memory.
import { benchConversion } from './conversion.ts';
import { peakRssMiB } from './stats.ts';
import { benchValidation } from './validation.ts';

console.log('medcom-hub benchmarks (node', process.version, ')\n');
console.log('== validation');
benchValidation();
console.log('\n== conversion');
benchConversion();
console.log(`\npeak RSS: ${peakRssMiB().toFixed(0)} MiB`);
