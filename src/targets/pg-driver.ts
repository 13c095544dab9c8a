// node-pg, loaded through this file by the tool's own code, so that every command loads it
// the same way. On Node 20 (no `navigator` global: Node 21 added it) pg's lib/stream.js
// decides it is not running on Cloudflare Workers by constructing a fetch `Response`,
// which loads Node's whole fetch implementation at every start, for nothing (it costs the
// start more than the rest of pg). A `navigator` as Node 21 defines it, present only
// while pg loads, gives the same answer without that; on Node 21 and later nothing changes.
import type * as Pg from 'pg';
import { loadModule } from '../load-module';

function loadPg(): typeof Pg {
  if ('navigator' in globalThis) return loadModule('pg') as typeof Pg;
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
  });
  try {
    return loadModule('pg') as typeof Pg;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

const pg = loadPg();
export default pg;
export const Client = pg.Client;
export type Client = Pg.Client;
