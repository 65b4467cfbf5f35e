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

/** Operations per second over a fixed number of runs. */
export function throughput(iterations: number, run: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run(i);
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

export function peakRssMiB(): number {
  // maxRSS is in KiB on Linux.
  return process.resourceUsage().maxRSS / 1024;
}

export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}
