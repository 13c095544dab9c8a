// Deliveries for the arrival-order tests: a source folder that grows between runs, made
// of symlinks to a data set's files (the real sample stays read-only and is never
// copied), and seeded plans that split a data set into batches and order them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Random } from '../../src/generate/random';
import { loadSteps, runSteps } from '../../src/transform/runner';
import type { StepResult } from '../../src/step/outcome';
import type { RunOptions } from '../../src/step/contract';
import type { TestDatabase } from './databases';

const RUN: RunOptions = { fullRefresh: false, maxErrors: 0, dryRun: false };

/** Every data file under `root`, as paths relative to it, sorted. */
export function dataFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.json(\.gz)?$/.test(entry.name)) found.push(path.relative(root, full));
    }
  };
  walk(root);
  return found.sort();
}

/** A folder the warehouse reads, filled delivery by delivery with links to `root`'s files. */
export class GrowingFolder {
  readonly dir: string;

  constructor(
    readonly root: string,
    label: string,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `sparkify-arrival-${label}-`));
  }

  deliver(files: string[]): void {
    for (const file of files) {
      const target = path.join(this.dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync(path.join(this.root, file), target);
    }
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One run of every step; `withChecks: false` leaves out the quality checks (a warehouse with no songs yet fails "songs has rows"). */
export async function runOnce(db: TestDatabase, withChecks = true): Promise<StepResult[]> {
  const steps = loadSteps().filter((s) => withChecks || !/_check_/.test(s.id));
  const { results, error } = await runSteps(db, steps, db.config, RUN, { log: () => {} });
  const failed = results.filter((r) => r.status !== 'success');
  expect(failed.map((r) => `${r.id}: ${r.error?.message}`)).to.deep.equal([]);
  expect(error?.message).to.equal(undefined);
  return results;
}

/** Files grouped by their folder: song files arrive a folder at a time. */
export function byFolder(files: string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const folder = path.dirname(file);
    groups.set(folder, [...(groups.get(folder) ?? []), file]);
  }
  return [...groups.values()];
}

export interface Delivery {
  events: string[];
  songs: string[];
}

/**
 * A seeded plan: the day files split into 2-4 batches and the song folders into 2-4, each
 * list shuffled, then the batches interleaved in a random order, one or two per run, so
 * songs arrive before, with and after the plays that name them.
 */
export function randomPlan(seed: number, days: string[], songFolders: string[][]): Delivery[] {
  const random = new Random(seed);
  const split = <T>(items: T[]): T[][] => {
    const shuffled = shuffle(random, items);
    const parts = Math.min(random.int(2, 4), shuffled.length);
    const cuts = shuffle(random, range(1, shuffled.length - 1))
      .slice(0, parts - 1)
      .sort((a, b) => a - b);
    const bounds = [0, ...cuts, shuffled.length];
    return bounds.slice(1).map((end, i) => shuffled.slice(bounds[i], end));
  };
  const pieces: Delivery[] = shuffle(random, [
    ...split(days).map((events) => ({ events, songs: [] as string[] })),
    ...split(songFolders).map((folders) => ({ events: [] as string[], songs: folders.flat() })),
  ]);
  const runs: Delivery[] = [];
  for (let i = 0; i < pieces.length;) {
    const take = random.chance(0.4) && i + 1 < pieces.length ? 2 : 1;
    const together = pieces.slice(i, i + take);
    runs.push({ events: together.flatMap((p) => p.events), songs: together.flatMap((p) => p.songs) });
    i += take;
  }
  return runs;
}

function shuffle<T>(random: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
