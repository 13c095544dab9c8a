// The main job (npm start): make sure there is input, migrate to latest, run every
// transform including the checks (which ends with the share of plays matched), then
// summarise the warehouse's tables.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { DEFAULT_SAMPLE_DIR, type WarehouseConfig } from './config';
import { generateSample } from './generate';
import { migrateLatest } from './migrate/migrator';
import { withWarehouse } from './targets/connect';
import { DEFAULT_RUN_OPTIONS } from './step/contract';
import { runTransformCommand } from './transform/command';
import { formatTable } from './cli/table';

/** The size of the sample the project makes for itself on first start. */
const STARTER_SAMPLE = { events: 8000, songs: 1500 };

export async function startMainJob(
  config: WarehouseConfig,
  print: (text: string) => void = console.log,
): Promise<boolean> {
  await ensureSample(config, print);
  return withWarehouse(
    config,
    async (warehouse) => {
      print(`Target: ${warehouse.target} (${warehouse.location})`);
      const { migrations } = await migrateLatest(warehouse.knex);
      print(migrations.length ? `Migrated: ${migrations.join(', ')}` : 'Schema up to date.');
      const { failed } = await runTransformCommand(config, {
        selection: {},
        options: DEFAULT_RUN_OPTIONS,
        warehouse,
        print,
      });
      print(`\n${await warehouseSummary(warehouse.knex)}`);
      return !failed;
    },
    { log: print },
  );
}

/** With no sources configured, generate the sample once into sample/ (git-ignored). */
async function ensureSample(config: WarehouseConfig, print: (text: string) => void): Promise<void> {
  const usesSample = config.sources.logData.startsWith(DEFAULT_SAMPLE_DIR);
  if (!usesSample || fs.existsSync(path.join(DEFAULT_SAMPLE_DIR, 'log_json_path.json'))) return;
  print(
    `No LOG_DATA / SONG_DATA configured: generating a sample (${STARTER_SAMPLE.events} events, ${STARTER_SAMPLE.songs} songs) in ${DEFAULT_SAMPLE_DIR}`,
  );
  await generateSample({ ...STARTER_SAMPLE, outDir: DEFAULT_SAMPLE_DIR });
}

async function warehouseSummary(knex: Knex): Promise<string> {
  const counts = await knex.raw(`
select 'songplays' as table_name, count(*) as row_count from songplays
union all select 'users', count(*) from users
union all select 'songs', count(*) from songs
union all select 'artists', count(*) from artists
union all select 'time', count(*) from "time"`);
  const table = formatTable(
    ['table', 'rows'],
    counts.rows.map((r: { table_name: string; row_count: string }) => [
      r.table_name,
      Number(r.row_count).toLocaleString('en-US'),
    ]),
  );
  return table;
}
