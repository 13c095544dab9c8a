// npm run bench -- [--sizes 100000,1000000] [--songs 15000] [--runs 3] [--baseline-runs 1]
//                  [--out bench-results.json] [--only <measurements>] [--work-dir DIR]
// Measures load and transform throughput on the embedded PostgreSQL. The work is runBench (src/bench/run.ts).
import fs from 'node:fs';
import path from 'node:path';
import { wholeNumberFlag } from '../cli/args';
import { defineCommand } from '../cli/command';
import { UsageError } from '../errors';
import { formatSummary } from '../bench/format';
import type { MeasurementKind } from '../bench/measurements';
import { DEFAULT_WORK_DIR, MEASUREMENT_KINDS, runBench } from '../bench/run';

const USAGE =
  `Usage: npm run bench -- [--sizes 100000,1000000] [--songs 15000] [--runs 3] [--baseline-runs 1] [--out bench-results.json] [--only ${MEASUREMENT_KINDS.join(',')}] [--work-dir DIR]\n` +
  '  --baseline-runs  runs of the knex batchInsert baseline (minutes at 1M events); at most --runs';

/** --sizes: comma-separated whole numbers above 0. */
function wholeNumbers(flag: string, text: string): number[] {
  return text.split(',').map((part) => wholeNumberFlag(flag, part.trim(), 0, 1));
}

export const command = defineCommand({
  name: 'bench',
  help: USAGE,
  flags: {
    sizes: { type: 'string', default: '100000,1000000' },
    songs: { type: 'string', default: '15000' },
    runs: { type: 'string', default: '3' },
    'baseline-runs': { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench-results.json' },
    only: { type: 'string', default: MEASUREMENT_KINDS.join(',') },
    'work-dir': { type: 'string', default: DEFAULT_WORK_DIR },
  },
  handler: async ({ values }, out) => {
    const kinds = values.only.split(',').map((k) => k.trim()) as MeasurementKind[];
    const unknown = kinds.filter((k) => !MEASUREMENT_KINDS.includes(k));
    if (unknown.length)
      throw new UsageError(
        `--only ${unknown.join(',')}: no such measurement; choose from ${MEASUREMENT_KINDS.join(', ')}.`,
      );
    const sizes = wholeNumbers('sizes', values.sizes).sort((a, b) => a - b);
    const songs = wholeNumberFlag('songs', values.songs, 0, 1);
    const runs = wholeNumberFlag('runs', values.runs, 0, 1);
    const baselineRuns = wholeNumberFlag('baseline-runs', values['baseline-runs'], 0, 1);
    const results = await runBench({
      sizes,
      songs,
      runs,
      baselineRuns: Math.min(baselineRuns, runs),
      kinds,
      workDir: path.resolve(values['work-dir']),
      log: out.log,
    });
    out.print(formatSummary(results));
    fs.writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
    out.print(`\nWrote ${path.resolve(values.out)} (${results.seconds.toFixed(0)} s in all).`);
    return 0;
  },
});
