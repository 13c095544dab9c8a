// Generated samples for tests, made once per test process and size.
import os from 'node:os';
import path from 'node:path';
import { generateSample, type GeneratedSample } from '../../src/generate';
import type { SourceSettings } from '../../src/config';

const made = new Map<string, Promise<GeneratedSample>>();

export function testSample(options: { events: number; songs: number; gzip?: boolean }): Promise<GeneratedSample> {
  const key = `${options.events}-${options.songs}-${options.gzip ? 'gz' : 'json'}`;
  let sample = made.get(key);
  if (!sample) {
    const outDir = path.join(os.tmpdir(), `sparkify-test-sample-${process.pid}-${key}`);
    sample = generateSample({ ...options, outDir });
    made.set(key, sample);
  }
  return sample;
}

export function sourcesOf(sample: GeneratedSample): SourceSettings {
  return { logData: sample.logDir, songData: sample.songDir, logJsonPath: sample.jsonPathsFile };
}
