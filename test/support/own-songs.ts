// A test database over a generated sample whose song files are a copy of its own, so that a
// test can add or touch one without changing the shared sample; and every statement sent to
// it, read from knex's query events (the steps' transactions included).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './databases';
import { sourcesOf, testSample } from './sample';

export interface OwnSongs {
  db: TestDatabase;
  songDir: string;
  /** Every statement sent since the test last emptied it. */
  sent: string[];
  remove(): Promise<void>;
}

export async function databaseWithOwnSongs(size: { events: number; songs: number }, name: string): Promise<OwnSongs> {
  const sources = sourcesOf(await testSample(size));
  const songDir = fs.mkdtempSync(path.join(os.tmpdir(), `sparkify-${name}-`));
  fs.cpSync(sources.songData, songDir, { recursive: true });
  const db = await createTestDatabase('embedded', { sources: { ...sources, songData: songDir } });
  const sent: string[] = [];
  db.knex.on('query', (query: { sql: string }) => sent.push(query.sql));
  return {
    db,
    songDir,
    sent,
    remove: async () => {
      await db.drop();
      fs.rmSync(songDir, { recursive: true, force: true });
    },
  };
}
