// The Redshift stand-in's COPY engine: option parsing and JSON-from-S3 loading against an in-memory S3, no database.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import {
  executeCopy,
  parseCopy,
  RedshiftError,
  type CopyResult,
  type S3Reader,
  type TargetColumn,
} from '../support/redshift-standin/copy';

/** An S3Reader over a Map of "bucket/key" → bytes. */
function fakeS3(objects: Record<string, string | Buffer>): S3Reader {
  const store = new Map(Object.entries(objects).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]));
  return {
    list: async (bucket, prefix) =>
      [...store]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(([k, v]) => ({ key: k.slice(bucket.length + 1), size: v.length })),
    get: async (bucket, key) => store.get(`${bucket}/${key}`),
  };
}

const column = (name: string, pgType: string, extra: Partial<TargetColumn> = {}): TargetColumn => ({
  name,
  pgType,
  identity: false,
  ...extra,
});
const copy = (options: string, from = 's3://b/data') =>
  parseCopy(`copy t from '${from}' iam_role 'arn:aws:iam::1:role/r' ${options}`);

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<RedshiftError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).to.be.instanceOf(RedshiftError);
    return error as RedshiftError;
  }
  return expect.fail('expected a RedshiftError');
}

/** Loads one file's text into the given columns with `format as json 'auto'` plus options. */
async function load(text: string | Buffer, columns: TargetColumn[], options = ''): Promise<CopyResult> {
  return executeCopy(copy(`format as json 'auto' maxerror 100 ${options}`), columns, fakeS3({ 'b/data.json': text }));
}

describe('Redshift stand-in COPY: parseCopy', () => {
  it('reads the form the tool sends', () => {
    const sql = `copy "staging_events" ("artist", "auth", "first_name", "gender", "item_in_session", "last_name", "length", "level", "location", "method", "page", "registration", "session_id", "song", "status", "ts", "user_agent", "user_id")
from 's3://sparkify-loads/manifests/events/20261201T000000000-plain.manifest'
iam_role 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read'
region 'us-west-2'
manifest
format as json 's3://udacity-dend/log_json_path.json'
compupdate off
statupdate off
maxerror 1
acceptinvchars as '?'
gzip /* a trailing comment */
`;
    const s = parseCopy(sql);
    expect(s).to.deep.include({
      table: 'staging_events',
      from: 's3://sparkify-loads/manifests/events/20261201T000000000-plain.manifest',
      manifest: true,
      iamRole: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
      region: 'us-west-2',
      gzip: true,
      maxError: 1,
      acceptInvChars: '?',
      compUpdate: false,
      statUpdate: false,
      truncateColumns: false,
      blanksAsNull: false,
      emptyAsNull: false,
    });
    expect(s.format).to.deep.equal({ kind: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json' });
    expect(s.columns).to.have.length(18).and.to.include.members(['artist', 'user_agent', 'user_id']);
  });

  it('reads the short forms and Redshift defaults', () => {
    const s = parseCopy(
      `COPY public."we""ird" (A, "b") FROM 's3://b/k' IAM_ROLE default JSON 'auto ignorecase' ACCEPTINVCHARS TIMEFORMAT AS 'epochmillisecs' TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL -- done`,
    );
    expect(s).to.deep.include({
      schema: 'public',
      table: 'we"ird',
      columns: ['a', 'b'],
      iamRole: 'default',
      acceptInvChars: '?',
      timeFormat: 'epochmillisecs',
      truncateColumns: true,
      blanksAsNull: true,
      emptyAsNull: true,
      maxError: 0,
      gzip: false,
      manifest: false,
    });
    expect(s.format).to.deep.equal({ kind: 'auto ignorecase' });
    expect(parseCopy(`copy t from 's3://b/k' credentials 'aws_iam_role=arn:x' format json`).format).to.deep.equal({
      kind: 'auto',
    });
  });

  for (const [label, options, code] of [
    ["ACCEPTINVCHARS AS of two characters (knex's rewritten '?')", "json 'auto' acceptinvchars as '$1'", '22023'],
    ['a non-ASCII replacement character', "json 'auto' acceptinvchars 'é'", '22023'],
    ['a NUL replacement character', "json 'auto' acceptinvchars '\0'", '22023'],
    ['MAXERROR over 100000', "json 'auto' maxerror 100001", '22023'],
    ['an unknown option', "json 'auto' frobnicate", '42601'],
    ['an option given twice', "json 'auto' gzip gzip", '42601'],
    ['CSV, which is not emulated', 'csv', '0A000'],
    ['a COPY without a format', '', '0A000'],
    ['an unemulated time format', "json 'auto' timeformat 'YYYY/MM/DD'", '0A000'],
  ] as const) {
    it(`refuses ${label}`, async () => expect((await refusal(() => copy(options))).code).to.equal(code));
  }

  it('refuses a source that is not s3:// and a COPY without authorization', async () => {
    expect((await refusal(() => parseCopy(`copy t from 'dynamodb://x' iam_role 'r' json 'auto'`))).code).to.equal(
      '0A000',
    );
    expect((await refusal(() => parseCopy(`copy t from 's3://b/k' json 'auto'`))).message).to.match(/authorization/);
  });
});

describe('Redshift stand-in COPY: executeCopy', () => {
  const name = [column('name', 'character varying(8)')];

  it('reads every object under a key prefix, which is not a folder', async () => {
    const s3 = fakeS3({
      'b/data/a.json': '{"name":"a"}',
      'b/data/ab.json': '{"name":"ab"}\n{"name":"ab2"}',
      'b/data/b.json': '{"name":"b"}',
      'b/other.json': '{"name":"x"}',
    });
    const r = await executeCopy(copy(`json 'auto'`, 's3://b/data/a'), name, s3);
    expect(r.rows).to.deep.equal([['a'], ['ab'], ['ab2']]);
    expect(r.files.map((f) => [f.url, f.linesScanned])).to.deep.equal([
      ['s3://b/data/a.json', 1],
      ['s3://b/data/ab.json', 2],
    ]);
    expect((await refusal(executeCopy(copy(`json 'auto'`, 's3://b/nothing'), name, s3))).message).to.equal(
      "The specified S3 prefix 'nothing' does not exist",
    );
  });

  it('reads a manifest: repeated entries twice, optional missing entries skipped, mandatory ones fatal', async () => {
    const manifest = (entries: object[]) => JSON.stringify({ entries });
    const s3 = fakeS3({
      'b/one.json': '{"name":"one"}',
      'b/m1': manifest([
        { url: 's3://b/one.json', mandatory: true, meta: { content_length: 14 } },
        { url: 's3://b/one.json' },
        { url: 's3://b/gone.json', mandatory: false },
      ]),
      'b/m2': manifest([{ url: 's3://b/gone.json', mandatory: true }]),
      'b/m3': '{"entries": [',
    });
    const from = (key: string) => copy(`json 'auto' manifest`, `s3://b/${key}`);
    expect((await executeCopy(from('m1'), name, s3)).rows).to.deep.equal([['one'], ['one']]);
    expect((await refusal(executeCopy(from('m2'), name, s3))).message).to.match(/mandatory/);
    expect((await refusal(executeCopy(from('m3'), name, s3))).message).to.equal(
      'Manifest file is not in correct json format',
    );
    expect((await refusal(executeCopy(from('missing'), name, s3))).message).to.match(
      /^Problem reading manifest file - S3ServiceException:The specified key does not exist/,
    );
  });

  it('gunzips with GZIP and fails the COPY on an object that is not gzip', async () => {
    const s3 = fakeS3({ 'b/z/1.json.gz': gzipSync('{"name":"zipped"}\n'), 'b/p/1.json': '{"name":"plain"}' });
    expect((await executeCopy(copy(`json 'auto' gzip`, 's3://b/z/'), name, s3)).rows).to.deep.equal([['zipped']]);
    await refusal(executeCopy(copy(`json 'auto' gzip`, 's3://b/p/'), name, s3));
  });

  it("matches keys exactly with 'auto' and case-insensitively with 'auto ignorecase'; other keys are ignored", async () => {
    const cols = [column('first_name', 'character varying(16)'), column('age', 'integer')];
    const text = '{"First_Name":"Ann","age":3,"extra":true}';
    expect((await load(text, cols)).rows).to.deep.equal([[null, '3']]);
    const r = await executeCopy(copy(`json 'auto ignorecase'`), cols, fakeS3({ 'b/data': text }));
    expect(r.rows).to.deep.equal([['Ann', '3']]);
  });

  it('reads objects spread over lines or packed on one line, and reports the last line of a bad object', async () => {
    const r = await load('{"name":\n "a"}{"name":"b"}\n\n{"name":\n"c",}\nnot json\n{"name":"d"}\n', name);
    expect(r.rows).to.deep.equal([['a'], ['b'], ['d']]);
    expect(r.errors.map((e) => [e.line, e.errCode])).to.deep.equal([
      [5, 1216],
      [6, 1216],
    ]);
    expect(r.files[0]).to.deep.include({ linesScanned: 7, errors: 2 });
  });

  it('fails the load when errors reach MAXERROR (0 and 1 both fail at the first), keeping the error records', async () => {
    const text = '{"name":"way too long"}\n{"name":"ok"}\n{"name":"also too long"}\n';
    for (const maxerror of [0, 1]) {
      const r = await executeCopy(copy(`json 'auto' maxerror ${maxerror}`), name, fakeS3({ 'b/data': text }));
      expect(r.failure?.message).to.equal(
        "Load into table 't' failed.  Check 'stl_load_errors' system table for details.",
      );
      expect([r.rows.length, r.errors.length]).to.deep.equal([0, 1]);
    }
    const allowed = await executeCopy(copy(`json 'auto' maxerror 3`), name, fakeS3({ 'b/data': text }));
    expect([allowed.failure, allowed.rows, allowed.errors.length]).to.deep.equal([undefined, [['ok']], 2]);
    expect(
      (await executeCopy(copy(`json 'auto' maxerror 2`), name, fakeS3({ 'b/data': text }))).failure,
    ).to.be.instanceOf(RedshiftError);
  });

  it('records STL_LOAD_ERRORS fields for a value too long in bytes, and truncates with TRUNCATECOLUMNS', async () => {
    const r = await load(`{"name":"héhéhé"}\n{"name":"hé"}`, name);
    expect(r.errors).to.deep.equal([
      {
        file: 's3://b/data.json',
        line: 1,
        column: 'name',
        type: 'varchar',
        columnLength: '8',
        position: -1,
        rawLine: '{"name":"h.h.h."}',
        rawFieldValue: 'h.h.h.',
        errCode: 1204,
        reason: 'String length exceeds DDL length',
      },
    ]);
    expect(r.rows).to.deep.equal([['hé']]);
    expect((await load('{"name":"héhéhé"}', name, 'truncatecolumns')).rows).to.deep.equal([['héhéh']]);
    expect((await load('{"c":"abcd"}', [column('c', 'character(2)')])).errors[0].reason).to.equal(
      'Char length exceeds DDL length',
    );
  });

  it('converts numbers, strings, booleans and nested values into each column type', async () => {
    const cols = [
      column('i', 'smallint'),
      column('f', 'double precision'),
      column('n', 'numeric(5,2)'),
      column('b', 'boolean'),
      column('v', 'character varying(64)'),
      column('d', 'date'),
      column('t', 'timestamp without time zone'),
    ];
    const r = await load(
      '{"i":"42","f":1540919166796.0,"n":20.259,"b":"yes","v":{"a":[1, 2.50]},"d":"2018-11-01","t":"2018-11-01 20:57:10"}\n{"i":"","f":null,"n":"-1e1","b":false,"v":12.50,"t":"2018-11-01T20:57:10"}',
      cols,
    );
    expect(r.errors.map((e) => e.reason)).to.deep.equal(['Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]']);
    expect(r.rows).to.deep.equal([
      ['42', '1540919166796.0', '20.25', 't', '{"a":[1,2.50]}', '2018-11-01', '2018-11-01 20:57:10'],
    ]);
    const auto = await load(
      '{"t":"2018-11-01T20:57:10.5Z"}',
      [column('t', 'timestamp with time zone')],
      "timeformat 'auto'",
    );
    expect(auto.rows).to.deep.equal([['2018-11-01 20:57:10.5+00']]);
  });

  it('refuses bad numbers in Redshift words', async () => {
    const reasons = async (cols: TargetColumn[], text: string) =>
      (await load(text, cols)).errors.map((e) => `${e.errCode} ${e.reason}`);
    expect(await reasons([column('i', 'integer')], '{"i":1.5}\n{"i":"abc"}')).to.deep.equal([
      "1207 Invalid digit, Value '.', Pos 1, Type: Integer",
      "1207 Invalid digit, Value 'a', Pos 0, Type: Integer",
    ]);
    expect(await reasons([column('i', 'smallint')], '{"i":40000}')).to.deep.equal([
      '1204 Overflow (Short valid range -32768 to 32767)',
    ]);
    expect(await reasons([column('n', 'numeric(3,1)')], '{"n":123.4}')).to.deep.equal([
      '1204 Numeric data overflow (precision 3, scale 1)',
    ]);
    expect(await reasons([column('b', 'boolean')], '{"b":"maybe"}')).to.have.length(1);
  });

  it('loads epoch times with TIMEFORMAT epochmillisecs / epochsecs into timestamps, and leaves bigint columns alone', async () => {
    const cols = [column('start_time', 'timestamp without time zone'), column('ts', 'bigint')];
    expect(
      (await load('{"start_time":1541105830796,"ts":1541105830796}', cols, "timeformat 'epochmillisecs'")).rows,
    ).to.deep.equal([['2018-11-01 20:57:10.796', '1541105830796']]);
    expect((await load('{"start_time":"1541105830"}', cols, "timeformat 'epochsecs'")).rows).to.deep.equal([
      ['2018-11-01 20:57:10.000', null],
    ]);
  });

  it('applies EMPTYASNULL and BLANKSASNULL to character columns only; empty strings are NULL for other types', async () => {
    const cols = [column('v', 'character varying(8)'), column('i', 'integer')];
    expect((await load('{"v":"","i":""}\n{"v":"  ","i":" "}', cols)).rows).to.deep.equal([
      ['', null],
      ['  ', null],
    ]);
    expect((await load('{"v":""}\n{"v":"  "}', cols, 'emptyasnull blanksasnull')).rows).to.deep.equal([
      [null, null],
      [null, null],
    ]);
  });

  it('fails a field with invalid UTF-8 (err_code 1220), or replaces each invalid byte with ACCEPTINVCHARS', async () => {
    const text = Buffer.concat([
      Buffer.from('{"name":"a'),
      Buffer.from([0xa4]),
      Buffer.from('b","x":1}\n{"name":"c'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('"}\n{"name":"\\u0000"}'),
    ]);
    const strict = await load(text, name);
    expect(strict.errors.map((e) => [e.errCode, e.reason, e.rawLine.slice(0, 12)])).to.deep.equal([
      [
        1220,
        'String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: a4 (error 3)',
        '{"name":"a.b',
      ],
      [
        1220,
        'String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: e2 82 (error 2)',
        '{"name":"c."',
      ],
      [
        1220,
        'String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: 00 (error 3)',
        '{"name":"\\u0',
      ],
    ]);
    expect((await load(text, name, "acceptinvchars as '^'")).rows).to.deep.equal([['a^b'], ['c^^'], ['^']]);
  });

  it('maps JSONPaths expressions to the column list in order, in bracket or dot notation', async () => {
    const cols = [column('a', 'integer'), column('b', 'character varying(16)'), column('c', 'integer')];
    const data = '{"x":{"y":[7,8]},"B":"bee"}\n{"x":{"y":[]},"B":"short"}';
    const run = (paths: unknown, columns = '(a, b, c)') =>
      executeCopy(
        parseCopy(`copy t ${columns} from 's3://b/data' iam_role 'r' format as json 's3://b/paths.json' maxerror 10`),
        [...cols, column('z', 'integer')],
        fakeS3({ 'b/data': data, 'b/paths.json': JSON.stringify(paths) }),
      );
    const r = await run({ jsonpaths: ["$['x']['y'][1]", "$['B']", "$['nope']"] });
    expect(r.rows).to.deep.equal([['8', 'bee', null]]);
    expect(r.errors.map((e) => e.reason)).to.deep.equal([
      'Invalid JSONPath format: Not an array or index out of range.',
    ]);
    expect((await run({ jsonpaths: ['$.x.y[0]', '$.B', '$.q'] })).rows).to.deep.equal([['7', 'bee', null]]);
    expect((await refusal(run({ jsonpaths: ['$.x', '$.B'] }))).message).to.equal(
      'Number of jsonpaths and the number of columns should match. JSONPath size: 2, Number of columns in table or column list: 3',
    );
    await refusal(run({ jsonpaths: ['$.x.y[0]', "$['B']", '$.q'] }));
    // "If the key name is any string other than "jsonpaths" … uses the 'auto' argument instead."
    expect((await run({ paths: [] }, '(b)')).rows).to.deep.equal([[null], [null]]);
    await refusal(
      executeCopy(
        parseCopy(`copy t from 's3://b/data' iam_role 'r' json 's3://b/none.json'`),
        cols,
        fakeS3({ 'b/data': data }),
      ),
    );
  });

  it('omits identity columns without a column list and refuses them, or unknown columns, in one', async () => {
    const cols = [column('id', 'integer', { identity: true }), column('name', 'character varying(8)')];
    expect((await load('{"id":5,"name":"n"}', cols)).columns).to.deep.equal(['name']);
    await refusal(
      executeCopy(
        parseCopy(`copy t (id, name) from 's3://b/data.json' iam_role 'r' json 'auto'`),
        cols,
        fakeS3({ 'b/data.json': '{}' }),
      ),
    );
    expect(
      (
        await refusal(
          executeCopy(
            parseCopy(`copy t (nope) from 's3://b/data.json' iam_role 'r' json 'auto'`),
            cols,
            fakeS3({ 'b/data.json': '{}' }),
          ),
        )
      ).code,
    ).to.equal('42703');
  });

  it('records err_code 1213 for a NULL into a NOT NULL column', async () => {
    const r = await load('{"name":"x"}', [...name, column('plays', 'integer', { notNull: true })]);
    expect(r.errors.map((e) => [e.column, e.errCode, e.reason])).to.deep.equal([
      ['plays', 1213, 'Missing data for not-null field'],
    ]);
  });
});

describe('Redshift stand-in COPY: the real Sparkify data', function () {
  const root = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'sparkify');
  const varchar = (n: number) => `character varying(${n})`;
  const events: TargetColumn[] = (
    [
      ['artist', varchar(512)],
      ['auth', varchar(32)],
      ['first_name', varchar(256)],
      ['gender', varchar(16)],
      ['item_in_session', 'integer'],
      ['last_name', varchar(256)],
      ['length', 'double precision'],
      ['level', varchar(16)],
      ['location', varchar(512)],
      ['method', varchar(16)],
      ['page', varchar(64)],
      ['registration', 'double precision'],
      ['session_id', 'integer'],
      ['song', varchar(512)],
      ['status', 'smallint'],
      ['ts', 'bigint'],
      ['user_agent', varchar(1024)],
      ['user_id', varchar(64)],
    ] as const
  ).map(([n, t]) => column(n, t));

  before(function () {
    if (!fs.existsSync(root)) this.skip();
  });

  it('loads all 30 event files with the JSONPaths file: 8,056 records, 0 errors', async () => {
    const dir = path.join(root, 'log_data', '2018', '11');
    const objects: Record<string, Buffer> = {
      'udacity-dend/log_json_path.json': fs.readFileSync(path.join(root, 'log_json_path.json')),
    };
    for (const f of fs.readdirSync(dir))
      objects[`udacity-dend/log_data/2018/11/${f}`] = fs.readFileSync(path.join(dir, f));
    const s = parseCopy(
      `copy staging_events from 's3://udacity-dend/log_data' iam_role 'r' region 'us-west-2' format as json 's3://udacity-dend/log_json_path.json' maxerror 1`,
    );
    const r = await executeCopy(s, events, fakeS3(objects));
    expect([r.files.length, r.rows.length, r.errors.length, r.failure]).to.deep.equal([30, 8056, 0, undefined]);
    expect(r.files.reduce((n, f) => n + f.linesScanned, 0)).to.equal(8056);
    expect(r.rows.filter((row) => row[17] === '')).to.have.length.above(0); // userId "" stays an empty string
  });

  it("loads song files with 'auto'", async () => {
    const dir = path.join(root, 'song_data', 'A', 'A', 'A');
    const objects: Record<string, Buffer> = {};
    for (const f of fs.readdirSync(dir))
      objects[`udacity-dend/song_data/A/A/A/${f}`] = fs.readFileSync(path.join(dir, f));
    const songs = [
      column('num_songs', 'integer'),
      column('artist_id', varchar(64)),
      column('artist_latitude', 'double precision'),
      column('artist_longitude', 'double precision'),
      column('artist_location', varchar(512)),
      column('artist_name', varchar(512)),
      column('song_id', varchar(64)),
      column('title', varchar(512)),
      column('duration', 'double precision'),
      column('year', 'smallint'),
    ];
    const r = await executeCopy(
      parseCopy(`copy staging_songs from 's3://udacity-dend/song_data/A/A/A' iam_role 'r' json 'auto'`),
      songs,
      fakeS3(objects),
    );
    expect([r.rows.length, r.errors.length]).to.deep.equal([Object.keys(objects).length, 0]);
  });
});
