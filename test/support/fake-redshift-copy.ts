// Stands in for the parts of Redshift this machine cannot reach, around a real PostgreSQL
// transaction: COPY … MANIFEST (it reads the manifest and its files from the S3 endpoint,
// checks that GZIP matches every file, and counts their lines), the session functions, and
// the system views the loader reads on its outside connection. Everything else (staging,
// the ledger, load_errors, ANALYZE) runs on the real database.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Knex } from 'knex';

export interface FakeCopy {
  sql: string;
  manifest: string;
  linesPerFile: Map<string, number>;
}

export interface FakeRedshift {
  /** The step's connection: real PostgreSQL, with Redshift's COPY and session functions answered here. */
  db(trx: Knex.Transaction): Knex;
  outside: Knex;
  copies: FakeCopy[];
  /** Every statement the step sent, in order. */
  sent: string[];
  /** Which system views the cluster has (Serverless: SYS only), and the lines its next COPY rejects. */
  cluster: {
    views: 'provisioned' | 'serverless';
    rejects: Array<{ path: string; line: number; column: string; reason: string }>;
  };
}

export function fakeRedshift(s3: S3Client): FakeRedshift {
  const copies: FakeCopy[] = [];
  const sent: string[] = [];
  const cluster: FakeRedshift['cluster'] = { views: 'provisioned', rejects: [] };
  const read = async (url: string) => {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(url)!;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };
  const copy = async (sql: string) => {
    const manifest = /\nfrom '([^']+)'\n/.exec(sql)![1];
    if (!/\nmanifest\n/.test(sql)) throw new Error('the fake cluster loads only through manifests');
    const gzip = /\ngzip\b/.test(sql);
    const entries = (
      JSON.parse((await read(manifest)).toString('utf8')) as {
        entries: Array<{ url: string; mandatory: boolean; meta: { content_length: number } }>;
      }
    ).entries;
    const linesPerFile = new Map<string, number>();
    for (const entry of entries) {
      const stored = await read(entry.url);
      if (stored.length !== entry.meta.content_length)
        throw new Error(`${entry.url}: content_length ${entry.meta.content_length}, object has ${stored.length} bytes`);
      if (entry.url.endsWith('.gz') !== gzip)
        throw new Error(`${entry.url}: COPY ${gzip ? 'with' : 'without'} GZIP cannot read it`);
      const text = (gzip ? gunzipSync(stored) : stored).toString('utf8');
      linesPerFile.set(entry.url, text.split('\n').filter((l) => l.trim() !== '').length);
    }
    copies.push({ sql, manifest, linesPerFile });
  };
  const last = () => copies[copies.length - 1];
  const rejectsOfLast = () => cluster.rejects.filter((r) => last().linesPerFile.has(r.path));
  const db = (trx: Knex.Transaction) =>
    Object.assign((table: string) => trx(table), {
      raw: async (sql: string) => {
        sent.push(sql);
        if (sql.startsWith('copy')) return copy(sql);
        if (sql.includes('pg_backend_pid()')) return { rows: [{ pid: 4242 }] };
        if (sql.includes('getdate()')) return { rows: [{ copy_marker: '2026-11-29 19:00:00' }] };
        if (sql.includes('pg_last_copy_count()')) {
          const loaded = [...last().linesPerFile.values()].reduce((a, b) => a + b, 0) - rejectsOfLast().length;
          return { rows: [{ loaded, copy_id: copies.length }] };
        }
        return trx.raw(sql);
      },
    }) as unknown as Knex;
  const outside = {
    raw: async (sql: string) => {
      if (/from stl_/.test(sql) && cluster.views === 'serverless')
        throw new Error('relation "stl_load_errors" does not exist');
      const rejects = rejectsOfLast().map((r) => ({
        path: r.path,
        line: r.line,
        column_name: r.column,
        reason: r.reason,
      }));
      if (sql.includes('from stl_load_errors'))
        return { rows: rejects.map((r) => ({ ...r, raw_text: '(raw from STL)' })) };
      if (sql.includes('from sys_load_error_detail')) return { rows: rejects };
      if (sql.includes('from sys_load_detail'))
        return { rows: [...last().linesPerFile].map(([path, lines]) => ({ path, lines })) };
      if (sql.includes('from stl_load_commits')) {
        const id = Number(/query = (\d+)/.exec(sql)![1]);
        return { rows: [...copies[id - 1].linesPerFile].map(([path, lines]) => ({ path, lines })) };
      }
      throw new Error(`the fake cluster does not answer: ${sql}`);
    },
  } as unknown as Knex;
  return { db, outside, copies, sent, cluster };
}
