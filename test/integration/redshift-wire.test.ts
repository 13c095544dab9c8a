// The whole Redshift path over a real connection: the tool's commands, as child processes,
// against the Redshift stand-in (test/support/redshift-standin/), on the provisioned and the
// Serverless mode, with password and IAM auth. What the stand-in received is what is asserted,
// and the star schema it ends with must equal, by checksum, what the local target builds from
// the same files.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, type SourceSettings } from '../../src/config';
import { EVENT_KEYS } from '../../src/generate/sparkify-json';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase } from '../support/databases';
import { filesUnder, startWire, type CommandResult, type WireSetup } from '../support/redshift-wire';
import { recordServerlessUsage } from '../support/redshift-standin/catalog';
import { tokenize } from '../support/redshift-standin/statements';
import { requireSparkify } from '../support/sparkify';
import {
  describeProblem,
  isKnownGap,
  parseWithSqlfluff,
  sqlfluffVersion,
  type NamedStatement,
} from '../support/sqlfluff';
import { starState, type TableState } from '../support/warehouse-state';

const RUN = { fullRefresh: false, maxErrors: 0, dryRun: false };

function expectSuccess(result: CommandResult, what: string): void {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).to.equal(0);
}

/** The star schema the local target builds from the same files, for comparison. */
async function localStar(sources: SourceSettings, maxErrors = 0): Promise<Record<string, TableState>> {
  const db = await createTestDatabase('embedded', { sources });
  try {
    await runSteps(db, loadSteps(), db.config, { ...RUN, maxErrors }, { log: () => {} });
    return await starState(db.knex);
  } finally {
    await db.drop();
  }
}

/** Every statement the stand-ins of this file received, for the grammar check at the end. */
const received: NamedStatement[] = [];

function keepReceived(name: string, wire: WireSetup): void {
  // Bind parameters ($1) become a number (valid wherever a value or a LIMIT goes): sqlfluff
  // parses SQL text, not a prepared statement.
  const inlined = (text: string) =>
    tokenize(text)
      .map((t) => (t.kind === 'param' ? '1' : t.text))
      .join('');
  for (const statement of wire.standin.statements)
    received.push({ name: `${name}, session ${statement.session}`, sql: inlined(statement.text) });
}

function sentStatements(wire: WireSetup, pattern: RegExp): string[] {
  return wire.standin.statements.map((s) => s.text).filter((t) => pattern.test(t));
}

describe('Redshift over the wire: the real Sparkify sample, late days and late songs (stand-in, provisioned, password)', function () {
  let wire: WireSetup;
  let sources: SourceSettings;
  let logs: string[];
  let songs: string[];

  before(async function () {
    sources = requireSparkify(this);
    wire = await startWire({ deployment: 'provisioned', auth: 'password', manifests: true });
    logs = filesUnder(sources.logData);
    songs = filesUnder(sources.songData);
    await wire.put('log_json_path.json', fs.readFileSync(sources.logJsonPath));
  });
  after(async () => {
    if (wire) keepReceived('real sample, provisioned, password', wire);
    await wire?.stop();
  });

  it('migrates, and migrate:status lists every migration as applied', async () => {
    expectSuccess(await wire.run('migrate', ['latest']), 'migrate');
    const status = await wire.run('migrate', ['status']);
    expectSuccess(status, 'migrate:status');
    expect(status.stdout + status.stderr).to.not.match(/pending:\s*[1-9]/i);
    // What reached the server is Redshift's DDL, as the dry run prints it.
    expect(sentStatements(wire, /create table "songplays"/).join('\n')).to.match(
      /diststyle key\s+distkey \("start_time"\)\s+compound sortkey \("start_time"\)/,
    );
  });

  it('loads days 11-30 and half the songs, then the late days 1-10 and the other songs, and ends where one local run over all files ends', async () => {
    const lateDays = logs.filter((f) => /2018-11-(0\d|10)-events/.test(f));
    const half = songs.filter((_, i) => i % 2 === 0);
    await wire.upload(
      sources.logData,
      logs.filter((f) => !lateDays.includes(f)),
      'log_data',
    );
    await wire.upload(sources.songData, half, 'song_data');
    expectSuccess(await wire.run('transform'), 'first transform');
    await wire.upload(sources.logData, lateDays, 'log_data');
    await wire.upload(
      sources.songData,
      songs.filter((_, i) => i % 2 === 1),
      'song_data',
    );
    const second = await wire.run('transform', ['--json']);
    expectSuccess(second, 'second transform');
    const summary = JSON.parse(second.stdout) as {
      status: string;
      steps: Array<{ step_id: string; files: number | null }>;
    };
    expect(summary.status).to.equal('success');
    expect(summary.steps.find((s) => s.step_id === '010_stage_events')?.files).to.equal(lateDays.length);
    const expected = await localStar(sources);
    expect(await starState(wire.backing.knex)).to.deep.equal(expected);
    expect(expected.songplays.rows).to.equal(6820);
  });

  it('runs check and history, and never prints the password', async () => {
    const check = await wire.run('transform', ['--only', 'check_quality']);
    expectSuccess(check, 'check');
    const history = await wire.run('history');
    expectSuccess(history, 'history');
    for (const output of [check, history]) expect(output.stdout + output.stderr).to.not.include(wire.standin.password!);
  });

  it('rebuilds the same star schema with --full-refresh', async () => {
    const before = await starState(wire.backing.knex);
    expectSuccess(await wire.run('transform', ['--full-refresh']), 'full refresh');
    expect(await starState(wire.backing.knex)).to.deep.equal(before);
  });

  it('rolls every migration back and migrates again', async () => {
    expectSuccess(await wire.run('migrate', ['rollback', '--all']), 'rollback --all');
    const tables = await wire.backing.knex.raw(
      "select count(*) as n from pg_tables where schemaname = 'public' and tablename in ('songplays', 'users', 'staging_events')",
    );
    expect(Number(tables.rows[0].n)).to.equal(0);
    expectSuccess(await wire.run('migrate', ['latest']), 'migrate again');
  });
});

/** What the fake AWS endpoint answers for the workgroup (cluster status --serverless). */
const SERVERLESS_LOOKUPS = {
  workgroup: {
    workgroupName: 'sparkify-standin',
    namespaceName: 'sparkify-standin-ns',
    workgroupArn: 'arn:aws:redshift-serverless:us-west-2:123456789012:workgroup/00000000-0000-0000-0000-000000000000',
    status: 'AVAILABLE',
    baseCapacity: 8,
    publiclyAccessible: false,
    endpoint: { address: '127.0.0.1', port: 5439 },
  },
  usageLimits: [{ amount: 8, period: 'daily', breachAction: 'deactivate', usageType: 'serverless-compute' }],
};

/** Both deployments, both auth kinds; half of them load through manifests (MANIFEST_PREFIX), half COPY the whole prefix. */
const MODES = [
  { deployment: 'provisioned', auth: 'password', manifests: true },
  { deployment: 'provisioned', auth: 'iam', manifests: false },
  { deployment: 'serverless', auth: 'iam', manifests: true },
  { deployment: 'serverless', auth: 'password', manifests: false },
] as const;

const event = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    artist: `Artist ${n % 7}`,
    auth: 'Logged In',
    firstName: `First${n % 5}`,
    gender: 'F',
    itemInSession: n,
    lastName: 'Last',
    length: 200 + n,
    level: n % 3 ? 'free' : 'paid',
    location: 'Somewhere, ST',
    method: 'PUT',
    page: 'NextSong',
    registration: 1540000000000,
    sessionId: 100 + (n % 4),
    song: `Song ${n}`,
    status: 200,
    ts: 1541100000000 + n * 1000,
    userAgent: 'Mozilla/5.0',
    userId: String(10 + (n % 5)),
    ...extra,
  });

for (const mode of MODES) {
  describe(`Redshift over the wire: ${mode.deployment}, ${mode.auth} auth, ${mode.manifests ? 'manifests' : 'whole prefix'} (stand-in)`, function () {
    let wire: WireSetup;
    let local: string;

    before(async function () {
      // The same small data set on S3 and in a local folder, two bad lines among it: text that
      // is no JSON structure (AWS "COPY from JSON format": an error instance, counted toward
      // MAXERROR) and a field that does not convert to its column's type.
      local = fs.mkdtempSync(path.join(os.tmpdir(), 'redshift-wire-'));
      const day1 = `${Array.from({ length: 20 }, (_, i) => event(i)).join('\n')}\n`;
      const day2 = `${event(20)}\nthis line is not JSON\n${event(21)}\n${event(22, { itemInSession: 'not a number' })}\n${event(23, { song: 'Caf\u00e9' })}\n`;
      const song = (n: number) =>
        JSON.stringify({
          num_songs: 1,
          artist_id: `AR${n % 7}`,
          artist_latitude: null,
          artist_longitude: null,
          artist_location: '',
          artist_name: `Artist ${n % 7}`,
          song_id: `SO${n}`,
          title: `Song ${n}`,
          duration: 200 + n,
          year: 2000,
        });
      const files: Record<string, string> = {
        'log_data/2018/11/2018-11-01-events.json': day1,
        'log_data/2018/11/2018-11-02-events.json': day2,
        'song_data/A/A/A/TRAAA0.json': song(3),
        'song_data/A/A/B/TRAAB0.json': song(21),
        'log_json_path.json': JSON.stringify({ jsonpaths: EVENT_KEYS.map((f) => `$['${f}']`) }),
      };
      wire = await startWire({
        deployment: mode.deployment,
        auth: mode.auth,
        manifests: mode.manifests,
        ...(mode.deployment === 'serverless' ? { serverless: SERVERLESS_LOOKUPS } : {}),
      });
      for (const [key, body] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(local, key)), { recursive: true });
        fs.writeFileSync(path.join(local, key), body);
        await wire.put(key, body);
      }
    });
    after(async () => {
      if (wire) keepReceived(`${mode.deployment}, ${mode.auth}`, wire);
      await wire?.stop();
      if (local) fs.rmSync(local, { recursive: true, force: true });
    });

    it('migrates over TLS with the configured auth', async () => {
      expectSuccess(await wire.run('migrate', ['latest']), 'migrate');
      if (mode.auth === 'iam') expect(wire.standin.aws!.issued.length).to.be.greaterThan(0);
    });

    it('transforms with --max-errors, keeping each rejected line with its file, line and reason', async () => {
      const result = await wire.run('transform', ['--max-errors', '5', '--json']);
      expectSuccess(result, 'transform');
      // With MANIFEST_PREFIX the COPY reads a manifest of the new files; without, the whole prefix.
      const copies = sentStatements(wire, /^\s*copy "staging_events"/);
      expect(copies).to.not.be.empty;
      for (const copy of copies) expect(/\bmanifest\b/.test(copy.replace(/'[^']*'/g, ''))).to.equal(mode.manifests);
      const errors = await wire.backing
        .knex('load_errors')
        .orderBy('line_number')
        .select('path', 'line_number', 'reason');
      expect(errors.map((e: { path: string; line_number: string }) => [e.path, Number(e.line_number)])).to.deep.equal([
        ['s3://sparkify-wire/log_data/2018/11/2018-11-02-events.json', 2],
        ['s3://sparkify-wire/log_data/2018/11/2018-11-02-events.json', 4],
      ]);
      const expected = await localStar(
        {
          logData: path.join(local, 'log_data'),
          songData: path.join(local, 'song_data'),
          logJsonPath: path.join(local, 'log_json_path.json'),
        },
        5,
      );
      expect(await starState(wire.backing.knex)).to.deep.equal(expected);
    });

    it("sends --accept-invalid-chars' replacement as written: acceptinvchars as '?'", async () => {
      expectSuccess(
        await wire.run('transform', ['--full-refresh', '--max-errors', '5', '--accept-invalid-chars']),
        'transform --accept-invalid-chars',
      );
      const copies = sentStatements(wire, /acceptinvchars/);
      expect(copies).to.not.be.empty;
      for (const copy of copies) expect(copy).to.include("acceptinvchars as '?'");
    });

    it('runs check and history', async () => {
      expectSuccess(await wire.run('transform', ['--only', 'check_quality']), 'check');
      expectSuccess(await wire.run('history'), 'history');
    });

    it('writes the analyst report from the saved queries on Redshift', async () => {
      const out = path.join(local, 'report', 'index.html');
      const report = await wire.run('report', ['--target', 'redshift', '--out', out]);
      expectSuccess(report, 'report');
      const queries = fs.readdirSync(path.join(PROJECT_ROOT, 'analytics')).filter((f) => f.endsWith('.sql'));
      for (const query of queries)
        expect(report.stdout).to.match(new RegExp(`analytics/${query.replace('.', '\\.')} \\([\\d.]+ s\\): \\d+ rows`));
      expect(fs.readFileSync(out, 'utf8')).to.include('<html');
    });

    it('measures candidate layouts with advise --measure, on copies it drops again', async () => {
      const tables = async () =>
        (await wire.backing.knex.raw("select tablename from pg_tables where schemaname = 'public' order by 1"))
          .rows as unknown[];
      const before = await tables();
      const advise = await wire.run('advise', ['--measure', '--target', 'redshift', '--runs', '1']);
      expectSuccess(advise, 'advise --measure');
      expect(advise.stdout + advise.stderr).to.match(/layout 1\/\d+: songplays KEY\(start_time\)/);
      // The copies were made in Redshift's DDL and timed from SYS_QUERY_HISTORY, then dropped.
      expect(sentStatements(wire, /create table[\s\S]*\bdiststyle key\b[\s\S]*\bas\s+select\b/i)).to.not.be.empty;
      expect(sentStatements(wire, /sys_query_history/i)).to.not.be.empty;
      expect(await tables()).to.deep.equal(before);
    });

    if (mode.deployment === 'serverless') {
      it('shows the RPU-hours used today in cluster status, read from SYS_SERVERLESS_USAGE (superusers only)', async () => {
        const now = Date.now();
        await recordServerlessUsage(wire.standin.admin, {
          startTime: new Date(now - 2000),
          endTime: new Date(now - 1000),
          computeSeconds: 7200,
          chargedSeconds: 7200,
        });
        // Far from UTC, so that a period start sent in the machine's zone would miss the usage.
        const status = await wire.run('cluster', ['status'], { TZ: 'Pacific/Kiritimati' });
        expectSuccess(status, 'cluster status');
        expect(status.stdout).to.match(/^capacity\s+base 8 RPU/m);
        // The master user (password auth) is a superuser; an IAM user is not, and would see no rows: unknown, not $0.00.
        if (mode.auth === 'password')
          expect(status.stdout).to.match(/^used\s+2\.00 RPU-hours since \d{4}-\d\d-\d\dT00:00:00\.000Z/m);
        else
          expect(status.stdout)
            .to.match(/^used\s+unknown \(needs a superuser\)/m)
            .and.not.match(/\$0\.00/);
      });
    }
  });
}

describe("Redshift over the wire: what the stand-ins received, parsed by sqlfluff's redshift dialect", function () {
  this.timeout(600_000);

  it('every distinct statement parses with no unparsable segment', async function () {
    const version = sqlfluffVersion();
    if (!version) {
      console.log(
        '      sqlfluff is not installed (`apt-get install sqlfluff`; .ci/run does): the grammar check of what reached the wire is skipped',
      );
      this.skip();
    }
    if (received.length === 0) {
      console.log('      no stand-in ran in this mocha run (filtered out): nothing to parse');
      this.skip();
    }
    const { problems, parsed } = await parseWithSqlfluff(received);
    console.log(`      ${received.length} statements received, ${parsed} distinct texts parsed (${version})`);
    const refused = problems.filter((p) => !isKnownGap(p));
    expect(
      refused.length,
      `sqlfluff's redshift dialect refused ${refused.length} statement(s) the stand-ins received:\n\n${refused.map(describeProblem).join('\n\n')}\n`,
    ).to.equal(0);
  });
});
