// The report page without a database: values from the warehouse are escaped wherever they
// land (table, chart, diagram), the charts read the rows as the query returned them, the
// schema diagram finds the star, and the page loads nothing from elsewhere.
import { expect } from 'chai';
import type { QueryResult } from '../../src/query/results';
import { categories, numberOf, valueColumns } from '../../src/report/chart-data';
import { buildChart, renderChartSvg } from '../../src/report/charts';
import { escapeHtml } from '../../src/report/escape';
import { cellText, renderReportPage, renderTable, type ReportSection } from '../../src/report/html';
import { parseSavedQuery } from '../../src/report/saved-queries';
import { findRelations, type SchemaInfo, type TableInfo } from '../../src/report/schema';
import { renderSchemaSvg, starLayout } from '../../src/report/schema-diagram';

const HOSTILE = `Rock & Roll <script>alert("x")</script> 'n' Blues`;

function result(columns: string[], rows: unknown[][]): QueryResult {
  return { columns, rows, rowCount: rows.length };
}

function table(name: string, columns: string[], primaryKey: string[] = []): TableInfo {
  return { name, columns: columns.map((c) => ({ name: c, type: 'varchar(64)', nullable: true })), primaryKey };
}

const STAR: TableInfo[] = [
  table('artists', ['artist_id', 'name'], ['artist_id']),
  table('songplays', ['songplay_id', 'start_time', 'user_id', 'level', 'song_id', 'artist_id'], ['songplay_id']),
  table('songs', ['song_id', 'title', 'artist_id'], ['song_id']),
  table('staging_events', ['artist', 'song', 'user_id']),
  table('time', ['start_time', 'hour'], ['start_time']),
  table('users', ['user_id', 'level'], ['user_id']),
];

describe('report page', () => {
  describe('escaping', () => {
    it('escapes the five characters HTML gives meaning to', () => {
      expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal(
        '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
      );
    });

    it('shows two columns of one name each with its own values (count(*), count(distinct …)), as psql does', () => {
      const html = renderTable(result(['level', 'count', 'count'], [['free', '1229', '82']]));
      expect(html).to.include('<th>level</th><th class="num">count</th><th class="num">count</th>');
      expect(html).to.include('<td>free</td><td class="num">1229</td><td class="num">82</td>');
    });

    it('puts values into table cells as text', () => {
      const html = renderTable(
        result(
          ['song', 'plays'],
          [
            [HOSTILE, '12'],
            [null, '3'],
          ],
        ),
      );
      expect(html).not.to.include('<script>');
      expect(html).to.include('Rock &amp; Roll &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;n&#39; Blues');
      expect(html).to.include('<td class="num">12</td>');
      expect(html).to.include('<td></td>');
    });

    it('shows cells as the database returned them', () => {
      expect(cellText('6820')).to.equal('6820');
      expect(cellText(15.5)).to.equal('15.5');
      expect(cellText(null)).to.equal('');
      expect(cellText(new Date('2018-11-05T10:00:00Z'))).to.equal('2018-11-05 10:00:00');
    });

    it('lets no label through unescaped into a chart', () => {
      const svg = renderChartSvg(buildChart({ kind: 'hbar', values: [] }, result(['song', 'plays'], [[HOSTILE, '5']])));
      expect(svg).not.to.include('<script>');
      expect(svg).to.match(/^<svg[\s\S]*<\/svg>$/);
    });

    it('lets no table or column name through unescaped into the diagram', () => {
      const tables = [
        table('songplays', ['songplay_id', 'user_id'], ['songplay_id']),
        table('users<x>', ['user_id'], ['user_id']),
      ];
      const schema: SchemaInfo = { tables, relations: findRelations(tables) };
      const svg = renderSchemaSvg(schema, starLayout(schema)!);
      expect(svg).to.include('users&lt;x&gt;');
      expect(svg).not.to.include('users<x>');
    });
  });

  describe('charts', () => {
    it('read bigint and numeric strings as numbers', () => {
      expect(numberOf('6820')).to.equal(6820);
      expect(numberOf('15.0')).to.equal(15);
      expect(numberOf(null)).to.equal(null);
      expect(numberOf('free')).to.equal(null);
    });

    it('keep labels in the order of the rows, but numbers in numeric order', () => {
      expect(categories(['Monday', 'Tuesday', 'Monday'])).to.deep.equal(['Monday', 'Tuesday']);
      expect(categories([10, 2, 1, 2])).to.deep.equal(['1', '2', '10']);
    });

    it('chart the first numeric column unless the header names others', () => {
      const rows = result(['song', 'artist', 'plays', 'listeners'], [['a', 'b', '3', '2']]);
      expect(valueColumns({ kind: 'bar', values: [] }, rows)).to.deep.equal([2]);
      expect(valueColumns({ kind: 'bar', values: ['listeners'] }, rows)).to.deep.equal([3]);
      expect(() => valueColumns({ kind: 'bar', values: ['nope'] }, rows)).to.throw(
        /names nope, which the query does not return/,
      );
    });

    it('list a horizontal bar chart from the top down, as the table does', () => {
      const chart = buildChart(
        { kind: 'hbar', values: [] },
        result(
          ['song', 'plays'],
          [
            ['first', '9'],
            ['second', '5'],
          ],
        ),
      );
      const yAxis = chart.option.yAxis as { data: string[] };
      expect(yAxis.data).to.deep.equal(['second', 'first']);
    });

    it('place each heatmap cell by its row and column label', () => {
      const rows = result(
        ['weekday', 'hour', 'plays'],
        [
          ['Monday', 1, '4'],
          ['Monday', 0, '3'],
          ['Tuesday', 0, '7'],
        ],
      );
      const chart = buildChart({ kind: 'heatmap', values: [] }, rows);
      const series = (chart.option.series as Array<{ data: number[][] }>)[0];
      expect(series.data).to.deep.equal([
        [1, 0, 4],
        [0, 0, 3],
        [0, 1, 7],
      ]);
      expect(chart.size.wide).to.equal(true);
    });

    it('draw one line per series in a long-format result, with a zero where a week has none', () => {
      const rows = result(
        ['week', 'artist', 'plays'],
        [
          ['w1', 'A', '1'],
          ['w1', 'B', '0'],
          ['w2', 'A', '2'],
          ['w2', 'B', '3'],
        ],
      );
      const series = buildChart({ kind: 'series-line', values: [] }, rows).option.series as Array<{
        name: string;
        data: number[];
      }>;
      expect(series.map((s) => [s.name, s.data])).to.deep.equal([
        ['A', [1, 2]],
        ['B', [0, 3]],
      ]);
    });

    it('render every kind to a non-empty SVG', () => {
      const rows = result(
        ['label', 'other', 'value'],
        [
          ['a', 'x', '1'],
          ['b', 'y', '2'],
        ],
      );
      for (const kind of ['bar', 'hbar', 'line', 'series-line', 'heatmap', 'donut'] as const) {
        const svg = renderChartSvg(
          buildChart({ kind, values: kind === 'line' || kind.endsWith('bar') ? ['value'] : [] }, rows),
        );
        expect(svg, kind).to.match(/<svg[^>]*viewBox/);
        expect(svg.match(/<(path|rect|text)\b/g)?.length ?? 0, kind).to.be.greaterThan(3);
      }
    });
  });

  describe('schema diagram', () => {
    const schema: SchemaInfo = { tables: STAR, relations: findRelations(STAR) };

    it('finds relations by key names, from tables with a key of their own', () => {
      const pairs = schema.relations.map((r) => `${r.from}.${r.column} -> ${r.to}`).sort();
      expect(pairs).to.deep.equal([
        'songplays.artist_id -> artists',
        'songplays.song_id -> songs',
        'songplays.start_time -> time',
        'songplays.user_id -> users',
        'songs.artist_id -> artists',
      ]);
    });

    it('puts the fact in the middle and its dimensions in the order its columns name them', () => {
      const layout = starLayout(schema)!;
      expect(layout.fact.name).to.equal('songplays');
      expect(layout.left.map((t) => t.name)).to.deep.equal(['time', 'users']);
      expect(layout.right.map((t) => t.name)).to.deep.equal(['songs', 'artists']);
      expect(layout.others.map((t) => t.name)).to.deep.equal(['staging_events']);
    });

    it('draws a box per table and a curve per relation', () => {
      const svg = renderSchemaSvg(schema, starLayout(schema)!);
      expect(svg.match(/<g class="table"/g)).to.have.length(5);
      expect(svg.match(/<path class="relation"/g)).to.have.length(5);
    });

    it('leaves related tables outside the star out of it (the run history: runs and their steps)', () => {
      const history = [
        ...STAR,
        table('transform_runs', ['run_id', 'status'], ['run_id']),
        table('transform_run_steps', ['run_id', 'step_id'], ['run_id', 'step_id']),
      ];
      const withHistory: SchemaInfo = {
        tables: history,
        relations: [...findRelations(STAR), { from: 'transform_run_steps', column: 'run_id', to: 'transform_runs' }],
      };
      const layout = starLayout(withHistory)!;
      expect(layout.fact.name).to.equal('songplays');
      expect([...layout.left, ...layout.right].map((t) => t.name).sort()).to.deep.equal([
        'artists',
        'songs',
        'time',
        'users',
      ]);
      expect(layout.others.map((t) => t.name)).to.include.members(['transform_runs', 'transform_run_steps']);
      expect(renderSchemaSvg(withHistory, layout).match(/<g class="table"/g)).to.have.length(5);
    });

    it('has no star to draw before the schema has keys', () => {
      expect(starLayout({ tables: [table('staging_events', ['artist'])], relations: [] })).to.equal(undefined);
    });
  });

  describe('the page', () => {
    const query = parseSavedQuery(
      'analytics/top_songs.sql',
      '-- Which songs? (the top ten)\n-- chart: hbar plays\nselect 1',
    );
    const rows = result(['song', 'plays'], [[HOSTILE, '9']]);
    const sections: ReportSection[] = [
      { query, result: rows, svg: renderChartSvg(buildChart(query.chart, rows)), wide: false },
      {
        query: { ...query, name: 'broken', file: 'analytics/broken.sql' },
        error: 'analytics/broken.sql failed: relation "nope" does not exist',
        wide: false,
      },
    ];
    const schema: SchemaInfo = { tables: STAR, relations: findRelations(STAR) };
    const layout = starLayout(schema)!;
    const html = renderReportPage({
      generatedAt: new Date('2026-11-20T08:30:00Z'),
      target: 'redshift',
      location: 'Redshift example.abc.us-west-2.redshift.amazonaws.com:5439/sparkify',
      sections,
      schema,
      schemaSvg: renderSchemaSvg(schema, layout),
      otherTables: layout.others,
    });

    it('is dated and names the target', () => {
      expect(html).to.include('<time datetime="2026-11-20T08:30:00.000Z">2026-11-20 08:30 UTC</time>');
      expect(html).to.include('<strong class="target">redshift</strong>');
    });

    it('needs no script and nothing from the network', () => {
      expect(html).not.to.match(/<script\b/i);
      expect(html).not.to.match(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.to.match(/@import|url\(\s*["']?https?:/i);
    });

    it('shows a failed query as a section that says why, beside the others', () => {
      expect(html).to.include('<section class="card" id="broken" data-query="broken">');
      expect(html).to.include('analytics/broken.sql failed: relation &quot;nope&quot; does not exist');
      expect(html).to.match(/id="top_songs"[\s\S]*<figure class="chart" data-chart="hbar"/);
    });

    it('has the SQL behind each chart and how to run it alone', () => {
      expect(html).to.include('npm run query -- --file analytics/top_songs.sql');
    });
  });
});
