// Generated samples for tests, made once per test process and size, shared by every suite
// that asks for that size, and removed after the last test (root hook in hooks.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSample, type GeneratedSample } from '../../src/generate';
import type { SourceSettings } from '../../src/config';

const made = new Map<string, { outDir: string; sample: Promise<GeneratedSample> }>();

export function testSample(options: { events: number; songs: number; gzip?: boolean }): Promise<GeneratedSample> {
  const key = `${options.events}-${options.songs}-${options.gzip ? 'gz' : 'json'}`;
  let entry = made.get(key);
  if (!entry) {
    const outDir = path.join(os.tmpdir(), `sparkify-test-sample-${process.pid}-${key}`);
    entry = { outDir, sample: generateSample({ ...options, outDir }) };
    made.set(key, entry);
  }
  return entry.sample;
}

/** Removes every sample this process generated (once generation has finished or failed). */
export async function removeTestSamples(): Promise<void> {
  for (const { outDir, sample } of made.values()) {
    await sample.catch(() => undefined);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  made.clear();
}

export function sourcesOf(sample: GeneratedSample): SourceSettings {
  return { logData: sample.logDir, songData: sample.songDir, logJsonPath: sample.jsonPathsFile };
}
