// The saved queries in analytics/: each in the SQL both Redshift and PostgreSQL run, in
// the project's dbt style, with a header the report can read.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../src/errors';
import {
  ANALYTICS_DIR,
  CHART_KINDS,
  REPORT_ORDER,
  listSavedQueries,
  parseSavedQuery,
} from '../../src/report/saved-queries';

/** The SQL a reader's eye skips: comments, string literals and quoted identifiers become blanks. */
function codeOnly(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
}

// What one engine has and the other lacks (Redshift is PostgreSQL 8.0 underneath).
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bon\s+conflict\b/, 'ON CONFLICT (Redshift has no upsert: use a delete and an insert)'],
  [/\bdistinct\s+on\b/, 'DISTINCT ON (use row_number() over (...) = 1)'],
  [/\breturning\b/, 'RETURNING'],
  [/\bjsonb?\b|->>?/, 'json/jsonb'],
  [/\bfilter\s*\(/, 'FILTER (...) (use sum(case when ... then 1 else 0 end))'],
  [/::/, ':: casts (use cast(x as t))'],
  [/\bgenerate_series\b/, 'generate_series'],
  [/\blateral\b/, 'LATERAL'],
  [/\b(string_agg|array_agg)\b/, 'string_agg/array_agg (Redshift has listagg, PostgreSQL does not)'],
  [/\b(from|join)\s+time\b/, 'the table time unquoted (write "time": it is a reserved word on Redshift)'],
];

const TABLES = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'];

describe('analytics/*.sql: the saved queries', () => {
  const files = fs
    .readdirSync(ANALYTICS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();

  it('are there: one file per question the report answers', () => {
    expect(files).to.include.members([
      'top_songs.sql',
      'top_artists.sql',
      'plays_by_hour.sql',
      'plays_by_weekday.sql',
      'plays_by_weekday_and_hour.sql',
      'plays_by_level.sql',
      'level_changes.sql',
      'daily_activity.sql',
      'sessions_per_user.sql',
      'songs_per_session.sql',
      'catalogue_match.sql',
    ]);
  });

  it('each has a place in the report order, so a new file is placed on purpose', () => {
    expect(files.map((f) => f.replace(/\.sql$/, '')).sort()).to.deep.equal([...REPORT_ORDER].sort());
    expect(listSavedQueries().map((q) => q.name)).to.deep.equal(REPORT_ORDER);
  });

  for (const file of files) {
    describe(file, () => {
      const sql = fs.readFileSync(path.join(ANALYTICS_DIR, file), 'utf8');
      const code = codeOnly(sql);

      it('starts with a comment line saying what it answers, and a chart line the report reads', () => {
        expect(sql.split('\n')[0]).to.match(/^-- \S.*\?/);
        const query = parseSavedQuery(`analytics/${file}`, sql);
        expect(CHART_KINDS).to.include(query.chart.kind);
        expect(sql.split('\n')[1]).to.match(/^-- chart: /);
      });

      it('uses only SQL that Redshift and PostgreSQL both run', () => {
        for (const [pattern, what] of FORBIDDEN) expect(pattern.test(code), `${file} uses ${what}`).to.equal(false);
      });

      it('names no CTE after a table, so no engine can read it as a reference to itself', () => {
        const ctes = [...code.matchAll(/(?:\bwith|,)\s*(\w+)\s+as\s+\(/g)].map((m) => m[1]);
        expect(ctes).to.include('final');
        expect(ctes.filter((name) => TABLES.includes(name))).to.deep.equal([]);
      });

      it('is one statement', () => {
        expect(code.replace(/;\s*$/, '')).not.to.include(';');
      });

      it('is lowercase, with CTEs and a final select from `final` (dbt style)', () => {
        expect(code, 'keywords and names are lowercase').not.to.match(/[A-Z]/);
        expect(code.trimStart()).to.match(/^with\s+\w+\s+as\s+\(/);
        expect(code).to.match(/\bfinal\s+as\s+\(/);
        expect(code).to.match(/\bselect\b[^()]*\bfrom\s+final\b[^()]*$/);
      });

      it('orders its rows, so the table and the chart read the same each time', () => {
        expect(code).to.match(/\border\s+by\b[^()]*$/);
      });
    });
  }
});

describe('saved query headers', () => {
  it('read the question and the chart', () => {
    const query = parseSavedQuery('analytics/x.sql', '-- Who? (detail)\n-- chart: line plays active_users\nselect 1');
    expect(query).to.include({ name: 'x', file: 'analytics/x.sql', title: 'Who? (detail)' });
    expect(query.chart).to.deep.equal({ kind: 'line', values: ['plays', 'active_users'] });
  });

  it('chart as bars of the first numeric column when there is no chart line', () => {
    expect(parseSavedQuery('analytics/x.sql', '-- Who?\nselect 1').chart).to.deep.equal({ kind: 'bar', values: [] });
  });

  it('name the file and the fix when the question is missing', () => {
    expect(() => parseSavedQuery('analytics/x.sql', 'select 1')).to.throw(
      ConfigError,
      /analytics\/x\.sql must start with a comment line/,
    );
  });

  it('list the chart kinds when the kind is unknown', () => {
    expect(() => parseSavedQuery('analytics/x.sql', '-- Who?\n-- chart: pie\nselect 1')).to.throw(
      ConfigError,
      /kind of bar, hbar, line, series-line, heatmap, donut/,
    );
  });
});
