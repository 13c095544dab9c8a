// npm run bench -- [--sizes 100000,1000000] [--songs 15000] [--runs 3] [--baseline-runs 1]
//                  [--out bench-results.json] [--only load,limit,baseline,transform,star] [--work-dir DIR]
// Measures load and transform throughput on the embedded PostgreSQL (see src/bench).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/errors';
import { formatSummary } from '../src/bench/format';
import type { MeasurementKind } from '../src/bench/measurements';
import { DEFAULT_WORK_DIR, MEASUREMENT_KINDS, runBench } from '../src/bench/run';

const USAGE =
  'Usage: npm run bench -- [--sizes 100000,1000000] [--songs 15000] [--runs 3] [--baseline-runs 1] [--out bench-results.json] [--only load,limit,baseline,transform,star] [--work-dir DIR]\n' +
  '  --baseline-runs  runs of the knex batchInsert baseline (minutes at 1M events); at most --runs';

function wholeNumbers(flag: string, text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new ConfigError(`--${flag} takes whole numbers above 0, comma-separated; got "${text}".\n${USAGE}`);
  return parts.map(Number);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      songs: { type: 'string', default: '15000' },
      runs: { type: 'string', default: '3' },
      'baseline-runs': { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-results.json' },
      only: { type: 'string', default: MEASUREMENT_KINDS.join(',') },
      'work-dir': { type: 'string', default: DEFAULT_WORK_DIR },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const kinds = values.only.split(',').map((k) => k.trim()) as MeasurementKind[];
  const unknown = kinds.filter((k) => !MEASUREMENT_KINDS.includes(k));
  if (unknown.length) throw new ConfigError(`--only ${unknown.join(',')}: no such measurement; choose from ${MEASUREMENT_KINDS.join(', ')}.`);
  const sizes = wholeNumbers('sizes', values.sizes).sort((a, b) => a - b);
  const [songs] = wholeNumbers('songs', values.songs);
  const [runs] = wholeNumbers('runs', values.runs);
  const [baselineRuns] = wholeNumbers('baseline-runs', values['baseline-runs']);

  const results = await runBench({ sizes, songs, runs, baselineRuns: Math.min(baselineRuns, runs), kinds, workDir: path.resolve(values['work-dir']), log: (m) => console.error(m) });
  console.log(formatSummary(results));
  fs.writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${path.resolve(values.out)} (${results.seconds.toFixed(0)} s in all).`);
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : (error.stack ?? error.message));
  process.exit(1);
});
