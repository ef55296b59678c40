/** Timing helpers for the benchmark: median and p95 after a warm-up, and peak memory while something runs. */

export interface Timing {
  median: number;
  p95: number;
  runs: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export async function time(fn: () => Promise<unknown>, opts: { runs: number; warmup: number }): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median: percentile(xs, 50), p95: percentile(xs, 95), runs: opts.runs };
}

export interface MemoryRun {
  ms: number;
  /** Peak resident memory of the process while it ran. */
  peakMb: number;
  /** Peak above the resident memory just before it started. */
  deltaMb: number;
}

/** Runs `fn` once, sampling the resident memory every 20 ms. */
export async function withMemory(fn: () => Promise<unknown>): Promise<MemoryRun> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: peak / 1048576, deltaMb: (peak - before) / 1048576 };
}

export const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
