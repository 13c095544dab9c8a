// What a staging step loads, as its transform file declares it. Both loaders (streamed
// COPY on Postgres, COPY from S3 on Redshift) read the same declaration.
import type { WarehouseConfig } from '../config';

export interface StageSpec {
  /** Names the source in the ledger and in load_errors. */
  source: 'events' | 'songs';
  table: string;
  /** Staging columns in the order of the mapping's fields. */
  columns: string[];
  uri(config: WarehouseConfig): string;
  /** A JSONPaths file (its URI), or 'auto': each column is the JSON field of its name. */
  mapping(config: WarehouseConfig): string;
  /**
   * 'batch': staging holds the files not yet taken into the star schema (event logs: each
   * run upserts only new days). 'catalogue': staging keeps every file loaded (song files:
   * the whole catalogue is matched against every play).
   */
  keeps: 'batch' | 'catalogue';
}
