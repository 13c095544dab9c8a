// The arithmetic of the benchmark: medians of repeated runs and the ratios the issue's
// targets are stated in. Pure functions, so the unit tests pin them without a database.

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `top / bottom`, or null when the bottom is zero or either side is missing. */
export function ratio(top: number | null | undefined, bottom: number | null | undefined): number | null {
  if (top === null || top === undefined || bottom === null || bottom === undefined || bottom === 0) return null;
  return top / bottom;
}

export function perSecond(amount: number, seconds: number): number {
  return seconds > 0 ? amount / seconds : 0;
}

/**
 * How much faster time grows than the data: (time ratio) / (data ratio). 1 means linear;
 * the target "10× data ≤ 12× time" is a growth of at most 1.2.
 */
export function growth(
  smallData: number,
  largeData: number,
  smallSeconds: number,
  largeSeconds: number,
): number | null {
  const data = ratio(largeData, smallData);
  const time = ratio(largeSeconds, smallSeconds);
  return data === null || time === null ? null : time / data;
}

export interface Target {
  name: string;
  /** The measured value, null when it could not be measured. */
  value: number | null;
  /** The bound, and which side of it passes. */
  bound: number;
  atLeast: boolean;
}

export function met(target: Target): boolean | null {
  if (target.value === null) return null;
  return target.atLeast ? target.value >= target.bound : target.value <= target.bound;
}
