// The report page: one self-contained HTML file (styles inline, charts as inline SVG, no
// script, no fonts or images from elsewhere), so it opens from disk or an e-mail attachment.
import type { QueryResult } from '../query/results';
import { escapeHtml } from './escape';
import type { SavedQuery } from './saved-queries';
import type { SchemaInfo, TableInfo } from './schema';

export interface ReportSection {
  query: SavedQuery;
  result?: QueryResult;
  /** The query failed: the section says why instead of charting. */
  error?: string;
  /** The chart, rendered; absent when the query failed, returned nothing or could not be charted. */
  svg?: string;
  chartError?: string;
  wide: boolean;
}

export interface ReportPage {
  generatedAt: Date;
  target: string;
  location: string;
  sections: ReportSection[];
  schema: SchemaInfo;
  /** The star schema diagram, when the schema has one. */
  schemaSvg?: string;
  /** Tables outside the diagram (staging, bookkeeping), listed below it. */
  otherTables: TableInfo[];
}

/** A cell as the page shows it: the value the database returned, as text; null is left empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return value
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function formatGeneratedAt(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function renderReportPage(page: ReportPage): string {
  const when = formatGeneratedAt(page.generatedAt);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sparkify-warehouse npm run report">
<title>Sparkify listening report · ${escapeHtml(page.target)} · ${escapeHtml(when)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Sparkify listening report</h1>
<p class="meta">Generated <time datetime="${page.generatedAt.toISOString()}">${escapeHtml(when)}</time> from the <strong class="target">${escapeHtml(page.target)}</strong> target (${escapeHtml(page.location)}).</p>
<nav><ol>${page.sections.map((s) => `<li><a href="#${escapeHtml(s.query.name)}">${escapeHtml(shortTitle(s.query.title))}</a></li>`).join('')}<li><a href="#schema">The schema</a></li></ol></nav>
</header>
<main class="grid">
${page.sections.map(renderSection).join('\n')}
${renderSchema(page)}
</main>
<footer>Made with <code>npm run report</code>. Each chart's query is in <code>analytics/</code>; run one alone with <code>npm run query -- --file analytics/&lt;name&gt;.sql</code>.</footer>
</body>
</html>
`;
}

/** The question without its parenthesised detail: "Which songs do users play most?" */
function shortTitle(title: string): string {
  return title.replace(/\s*\(.*\)\s*$/, '') || title;
}

function detailOf(title: string): string {
  return /\((.*)\)\s*$/.exec(title)?.[1] ?? '';
}

function renderSection(section: ReportSection): string {
  const { query, result } = section;
  const detail = detailOf(query.title);
  const body: string[] = [];
  if (section.error) body.push(`<p class="error" role="alert">${escapeHtml(section.error)}</p>`);
  else if (result && result.rows.length === 0)
    body.push('<p class="empty">The query returned no rows: nothing to chart yet.</p>');
  else if (section.svg)
    body.push(
      `<figure class="chart" data-chart="${escapeHtml(query.chart.kind)}" role="img" aria-label="${escapeHtml(query.title)}">${section.svg}</figure>`,
    );
  else if (section.chartError)
    body.push(`<p class="error" role="alert">No chart: ${escapeHtml(section.chartError)}</p>`);
  if (result && result.columns.length > 0) {
    body.push(
      `<details class="data"><summary>Table: ${result.rows.length} row${result.rows.length === 1 ? '' : 's'}</summary>${renderTable(result)}</details>`,
    );
  }
  body.push(
    `<details class="sql"><summary>SQL: ${escapeHtml(query.file)}</summary><pre><code>${escapeHtml(query.sql.trim())}</code></pre><p>Run it alone: <code>npm run query -- --file ${escapeHtml(query.file)}</code></p></details>`,
  );
  return `<section class="card${section.wide ? ' wide' : ''}" id="${escapeHtml(query.name)}" data-query="${escapeHtml(query.name)}">
<h2>${escapeHtml(shortTitle(query.title))}</h2>
${detail ? `<p class="detail">${escapeHtml(detail)}</p>` : ''}
${body.join('\n')}
</section>`;
}

export function renderTable(result: QueryResult): string {
  const numeric = result.columns.map(
    (_, c) =>
      result.rows.length > 0 &&
      result.rows.every(
        (row) => row[c] === null || typeof row[c] === 'number' || /^-?\d+(\.\d+)?$/.test(String(row[c])),
      ),
  );
  const head = result.columns.map((c, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const rows = result.rows.map(
    (row) =>
      `<tr>${result.columns.map((_, i) => `<td${numeric[i] ? ' class="num"' : ''}>${escapeHtml(cellText(row[i]))}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderSchema(page: ReportPage): string {
  const parts: string[] = [];
  if (page.schemaSvg) parts.push(`<figure class="diagram">${page.schemaSvg}</figure>`);
  else
    parts.push(
      '<p class="empty">No star schema to draw: the database has no tables that refer to each other by key yet. Run <code>npm start</code> first.</p>',
    );
  if (page.schema.keysUnavailable) parts.push(`<p class="error">${escapeHtml(page.schema.keysUnavailable)}</p>`);
  if (page.otherTables.length > 0) {
    const rows = page.otherTables.map(
      (t) =>
        `<tr><th scope="row">${escapeHtml(t.name)}</th><td>${t.columns.map((c) => `${escapeHtml(c.name)} <span class="type">${escapeHtml(c.type)}</span>`).join(', ')}</td></tr>`,
    );
    parts.push(
      `<details class="others"><summary>Other tables: ${page.otherTables.map((t) => escapeHtml(t.name)).join(', ')}</summary><table>${rows.join('')}</table></details>`,
    );
  }
  return `<section class="card wide" id="schema" data-schema>
<h2>The schema</h2>
<p class="detail">Read from information_schema of the ${escapeHtml(page.target)} target as the report was made. Arrows go from a column to the table whose key it names.</p>
${parts.join('\n')}
</section>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2633; --muted: #5d6778; --line: #dfe3ea; --accent: #2f6fb0; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 0; font-size: 17px; }
.meta, .detail, footer { color: var(--muted); }
.meta { margin: 0 0 10px; }
.detail { margin: 2px 0 8px; font-size: 13px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 18px; padding: 0; list-style: none; font-size: 13px; }
a { color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; min-width: 0; }
.wide { grid-column: 1 / -1; }
figure { margin: 0; }
.chart svg { display: block; width: 100%; height: auto; }
.diagram { overflow-x: auto; }
.diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.schema text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: var(--ink); }
.schema text.name { font-weight: 700; font-size: 13px; }
.schema text.key { font-weight: 700; }
.schema text.type, .schema .tag { fill: var(--muted); }
.schema .tag { font-weight: 700; }
details { margin-top: 8px; font-size: 13px; }
summary { cursor: pointer; color: var(--accent); }
table { border-collapse: collapse; margin-top: 6px; width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.type { color: var(--muted); }
pre { background: #f3f5f8; padding: 10px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
.error { color: #a3221b; }
.empty { color: var(--muted); font-style: italic; }
footer { padding: 24px 20px 40px; font-size: 13px; }
@media (max-width: 820px) { .grid { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } .card { break-inside: avoid; } }
`;
