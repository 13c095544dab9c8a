// npm run report on the real Sparkify sample, checked the way an analyst would: open the
// page in a browser with the network cut off, see every chart drawn, open each table and
// compare its numbers with the query run again. The page and a screenshot are left in
// report/test-run/ (REPORT_SCREENSHOT=docs/report-screenshot.png writes the README's).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config';
import { runQuery } from '../../src/query/results';
import { buildReport, writeReport, type Report } from '../../src/report/build';
import { listSavedQueries, parseSavedQuery } from '../../src/report/saved-queries';
import { loadSteps, runSteps } from '../../src/transform/runner';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { requireSparkify } from '../support/sparkify';

// Debian's chromium package; CHROMIUM_PATH points elsewhere (or nowhere, to see the skip).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUT_DIR = path.join(PROJECT_ROOT, 'report', 'test-run');
const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'];

/** A cell as the page must show it: the value pg returned, as text; null empty. */
const expectedCell = (value: unknown) => (value === null || value === undefined ? '' : String(value));

describe('npm run report on the real Sparkify sample', function () {
  let db: TestDatabase | undefined;
  let report: Report;
  let file: string;
  const generatedAt = new Date();

  before(async function () {
    const sources = requireSparkify(this);
    db = await createTestDatabase('embedded', { sources });
    const results = (
      await runSteps(db, loadSteps(), db.config, { fullRefresh: false, maxErrors: 0, dryRun: false }, { log: () => {} })
    ).results;
    expect(results.filter((r) => r.status !== 'success').map((r) => `${r.id}: ${r.error?.message}`)).to.deep.equal([]);
    report = await buildReport(db, { now: generatedAt });
    file = writeReport(path.join(OUT_DIR, 'index.html'), report.html);
  });

  after(async () => {
    await db?.drop();
  });

  it('answers every saved query with rows, and charts each', () => {
    expect(report.failed).to.equal(0);
    expect(report.sections.map((s) => s.query.name)).to.deep.equal(listSavedQueries().map((q) => q.name));
    for (const section of report.sections) {
      expect(section.error, section.query.file).to.equal(undefined);
      expect(section.result?.rows.length, `${section.query.file} returns rows on the real sample`).to.be.greaterThan(0);
      expect(section.svg, `${section.query.file} has a chart`).to.match(/^<svg/);
    }
  });

  it('answers with the numbers the sample holds', () => {
    // Rows as records by column name, for reading here (these queries have no two columns of one name).
    const rows = (name: string) => {
      const { columns, rows: cells } = report.sections.find((s) => s.query.name === name)!.result!;
      return cells.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])) as Record<string, unknown>);
    };
    const total = (name: string, column: string) => rows(name).reduce((sum, row) => sum + Number(row[column]), 0);
    // Every play counted once, whichever way it is cut.
    for (const [name, column] of [
      ['plays_by_hour', 'plays'],
      ['plays_by_weekday', 'plays'],
      ['plays_by_weekday_and_hour', 'plays'],
      ['plays_by_level', 'plays'],
      ['daily_activity', 'plays'],
      ['catalogue_match', 'plays'],
    ]) {
      expect(total(name, column), name).to.equal(6820);
    }
    expect(rows('catalogue_match')).to.deep.equal([
      { match_status: 'matched', plays: '327', share_pct: '4.8' },
      { match_status: 'not in catalogue', plays: '6493', share_pct: '95.2' },
    ]);
    expect(rows('top_songs')[0]).to.include({ song: "You're The One", artist: 'Dwight Yoakam', plays: '37' });
    expect(rows('plays_by_hour')).to.have.length(24);
    expect(rows('plays_by_weekday').map((r) => r.weekday)).to.deep.equal([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(total('sessions_per_user', 'users')).to.equal(total('plays_per_user', 'users'));
  });

  it('is dated and names the target', () => {
    expect(report.html).to.include(`<time datetime="${generatedAt.toISOString()}">`);
    expect(report.html).to.include('<strong class="target">postgres</strong>');
    expect(report.html).to.include(db!.location);
  });

  it('draws the schema the database holds', () => {
    const tables = report.schema.tables.map((t) => t.name);
    expect(tables).to.include.members([...STAR_TABLES, 'staging_events', 'staging_songs']);
    for (const name of STAR_TABLES) expect(report.html, name).to.include(`data-table="${name}"`);
    expect(report.schema.tables.find((t) => t.name === 'songplays')!.primaryKey).to.deep.equal(['songplay_id']);
    expect(report.schema.relations.filter((r) => STAR_TABLES.includes(r.from))).to.have.length(5);
  });

  it('shows a failing query as a section that says why, and counts it', async () => {
    const broken = parseSavedQuery(
      'analytics/broken.sql',
      '-- Does a broken query stop the report?\nselect * from no_such_table',
    );
    const [good] = listSavedQueries();
    const partial = await buildReport(db!, { queries: [broken, good] });
    expect(partial.failed).to.equal(1);
    expect(partial.html).to.match(
      /analytics\/broken\.sql failed: .*no_such_table.*npm run query -- --file analytics\/broken\.sql/,
    );
    expect(partial.sections[1].svg).to.match(/^<svg/);
  });

  describe('opened in headless Chromium', function () {
    let context: BrowserContext | undefined;
    let page: Page;
    let profile: string;
    const problems: string[] = [];

    before(async function () {
      if (!fs.existsSync(CHROMIUM)) {
        console.log(`      (skipped: no browser at ${CHROMIUM}; install Debian's chromium package to run these)`);
        this.skip();
      }
      profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkify-report-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      // The page must need no network: anything but the file itself is refused and reported.
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue();
        problems.push(`fetched ${route.request().url()}`);
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    });

    after(async () => {
      await context?.close();
      if (profile) fs.rmSync(profile, { recursive: true, force: true });
    });

    it('draws every chart, with no console error and no request beyond the file', async () => {
      const charts = await page.$$eval('section[data-query]', (sections) =>
        sections.map((section) => {
          const svg = section.querySelector('figure.chart svg');
          const box = svg?.getBoundingClientRect();
          return {
            name: section.getAttribute('data-query'),
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg ? svg.querySelectorAll('path, rect, text').length : 0,
          };
        }),
      );
      expect(charts.map((c) => c.name)).to.deep.equal(report.sections.map((s) => s.query.name));
      for (const chart of charts) {
        expect(chart.width, `${chart.name} width`).to.be.greaterThan(200);
        expect(chart.height, `${chart.name} height`).to.be.greaterThan(100);
        expect(chart.marks, `${chart.name} marks`).to.be.greaterThan(4);
      }
      const diagram = await page.$eval('[data-schema] svg', (svg) => ({
        width: svg.getBoundingClientRect().width,
        tables: svg.querySelectorAll('g.table').length,
      }));
      expect(diagram.width).to.be.greaterThan(400);
      expect(diagram.tables).to.equal(STAR_TABLES.length);
      expect(problems).to.deep.equal([]);
    });

    it('saves a screenshot, before any table is opened', async () => {
      const shot = path.join(OUT_DIR, 'screenshot.png');
      await page.screenshot({ path: shot });
      await page.screenshot({ path: path.join(OUT_DIR, 'full-page.png'), fullPage: true });
      expect(fs.statSync(shot).size).to.be.greaterThan(10_000);
      console.log(`      (report and screenshots in ${path.relative(process.cwd(), OUT_DIR)})`);
      const forReadme = process.env.REPORT_SCREENSHOT;
      if (forReadme) fs.copyFileSync(shot, path.resolve(PROJECT_ROOT, forReadme));
    });

    it('shows in each table the numbers the query returns when run again', async () => {
      for (const query of listSavedQueries()) {
        const fresh = await runQuery(db!.knex, query.sql);
        const section = page.locator(`section[data-query="${query.name}"]`);
        // As a reader would: open the table first.
        await section.locator('details.data > summary').click();
        expect(await section.locator('details.data table').isVisible(), query.name).to.equal(true);
        const shown = await section
          .locator('details.data table')
          .evaluate((table) =>
            [...table.querySelectorAll('tr')].map((tr) =>
              [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim()),
            ),
          );
        expect(shown[0], `${query.name} header`).to.deep.equal(fresh.columns);
        expect(shown.slice(1), `${query.name} rows`).to.deep.equal(fresh.rows.map((row) => row.map(expectedCell)));
      }
    });

    it('labels the bars with the same numbers', async () => {
      for (const section of report.sections.filter(
        (s) => (s.query.chart.kind === 'bar' || s.query.chart.kind === 'hbar') && s.result!.rows.length <= 16,
      )) {
        const texts = await page.$$eval(`section[data-query="${section.query.name}"] figure.chart svg text`, (nodes) =>
          nodes.map((n) => n.textContent ?? ''),
        );
        const column = section.query.chart.values[0];
        const at = section.result!.columns.indexOf(column);
        for (const row of section.result!.rows)
          expect(texts, `${section.query.name}: ${column} ${row[at]}`).to.include(String(row[at]));
      }
    });
  });
});
