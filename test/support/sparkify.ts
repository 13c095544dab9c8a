// The real Sparkify sample in ../shared/data/sparkify. CI always has it; a fresh clone
// may not, and then the tests that need it skip and say so.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceSettings } from '../../src/config';
import { PROJECT_ROOT } from '../../src/config';

export const SPARKIFY_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sparkify');

export function sparkifySources(): SourceSettings | undefined {
  if (!fs.existsSync(path.join(SPARKIFY_DIR, 'log_json_path.json'))) return undefined;
  return {
    logData: path.join(SPARKIFY_DIR, 'log_data'),
    songData: path.join(SPARKIFY_DIR, 'song_data'),
    logJsonPath: path.join(SPARKIFY_DIR, 'log_json_path.json'),
  };
}

/** Call in a `before` hook: skips the suite with a visible reason when the sample is absent. */
export function requireSparkify(context: Mocha.Context): SourceSettings {
  const sources = sparkifySources();
  if (!sources) {
    console.log(`      (skipped: the real Sparkify sample is not at ${SPARKIFY_DIR}; CI has it)`);
    context.skip();
  }
  return sources;
}
