import { pathToFileURL } from 'node:url';

/** Small helpers every benchmark uses, so all report the same figures the same way. */
export interface Timing {
  median: number;
  p99: number;
  samples: number;
}

export function timeEach(iterations: number, run: () => void): Timing {
  const samples: number[] = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(iterations / 2)]!,
    p99: samples[Math.min(iterations - 1, Math.floor(iterations * 0.99))]!,
    samples: iterations,
  };
}

export function peakRssMiB(): number {
  // maxRSS is in KiB on Linux.
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `main` when this module is the program (`node bench/x.js`), not when it is imported. */
export function runIfMain(moduleUrl: string, main: () => void): void {
  if (process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href) {
    main();
    console.log(`\npeak RSS of this benchmark process: ${peakRssMiB().toFixed(0)} MiB`);
  }
}

export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}
