/** One memory reading, minutes after the run began. */
export interface MemorySample {
  minute: number;
  rssMb: number;
  /** V8 heap in use. */
  heapMb: number;
  /** V8 heap committed (in RSS whether used or not); absent in older readings. */
  heapTotalMb?: number;
  /** Memory outside V8's heap that V8 knows of (Buffers, ArrayBuffers, also shared ones). */
  externalMb?: number;
}

/** The least-squares slope of y over x (units of y per unit of x); 0 with fewer than two distinct x. */
export function leastSquaresSlope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * RSS and heap slopes (MB/min) over the last third of the run: the first two thirds are warm-up
 * (model arenas, JIT, connection pools, caches filling), after which a process that does not leak
 * holds steady.
 */
export function lastThirdTrend(samples: MemorySample[]): {
  rssMbPerMin: number;
  heapMbPerMin: number;
  heapTotalMbPerMin: number;
  externalMbPerMin: number;
  samples: number;
} {
  if (samples.length === 0) return { rssMbPerMin: 0, heapMbPerMin: 0, heapTotalMbPerMin: 0, externalMbPerMin: 0, samples: 0 };
  const end = samples[samples.length - 1].minute;
  const tail = samples.filter((s) => s.minute >= (end * 2) / 3);
  const slopeOf = (read: (s: MemorySample) => number | undefined) => leastSquaresSlope(tail.map((s) => ({ x: s.minute, y: read(s) ?? 0 })));
  return {
    rssMbPerMin: slopeOf((s) => s.rssMb),
    heapMbPerMin: slopeOf((s) => s.heapMb),
    // Where RSS grows and the heap in use does not: V8 committing more heap, or memory outside it.
    heapTotalMbPerMin: slopeOf((s) => s.heapTotalMb),
    externalMbPerMin: slopeOf((s) => s.externalMb),
    samples: tail.length,
  };
}
