// Days of the simulated period and how many events each one gets. Days are UTC, so
// a file's name and the ts of its events agree whatever the machine's time zone.
import { type Random } from './random';

export const DAY_MS = 86_400_000;

export interface Day {
  /** 0 for the first simulated day. */
  index: number;
  /** Epoch milliseconds of 00:00:00.000 UTC. */
  startMs: number;
  /** YYYY-MM-DD */
  date: string;
}

/** Parses YYYY-MM-DD into midnight UTC, or returns undefined when it is no real date. */
export function parseStartDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

export function makeDays(startMs: number, count: number): Day[] {
  return Array.from({ length: count }, (_, index) => {
    const dayStart = startMs + index * DAY_MS;
    return { index, startMs: dayStart, date: new Date(dayStart).toISOString().slice(0, 10) };
  });
}

/**
 * Splits `total` events over the days: weekends are quieter and each day varies a
 * little. Largest remainders make the parts add up to exactly `total`.
 */
export function eventsPerDay(random: Random, days: ReadonlyArray<Day>, total: number): number[] {
  const weights = days.map((day) => {
    const weekday = new Date(day.startMs).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.8 : 1;
    return weekend * random.float(0.85, 1.15);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing-- <= 0) break;
    counts[index]++;
  }
  return counts;
}

// Relative traffic per UTC hour: quiet before dawn, busiest in the evening.
const HOURLY_TRAFFIC = [3, 2, 1.5, 1, 1, 1.5, 2.5, 4, 5, 5.5, 6, 6.5, 7, 7, 7, 7.5, 8, 9, 10, 10, 9, 7.5, 6, 4.5];
const HOURLY_TOTAL = HOURLY_TRAFFIC.reduce((a, b) => a + b, 0);

/** When in the day a session starts, following HOURLY_TRAFFIC. */
export function sessionStartMs(random: Random, day: Day): number {
  let roll = random.next() * HOURLY_TOTAL;
  let hour = 0;
  while (hour < 23 && roll >= HOURLY_TRAFFIC[hour]) roll -= HOURLY_TRAFFIC[hour++];
  return day.startMs + hour * 3_600_000 + random.int(0, 3_599_999);
}
