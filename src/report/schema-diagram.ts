// The star schema as an inline SVG, laid out by hand: the fact table in the middle, its
// dimensions to the left and right in the order the fact's columns name them, and a
// curve from each referring column to the key it names.
import { escapeHtml } from './escape';
import type { Relation, SchemaInfo, TableInfo } from './schema';

const CHAR = 7.3; // width of a 12px monospace character
const ROW = 19;
const HEADER = 26;
const PAD = 10;
const GUTTER = 150;
const MARGIN = 24;
/** Left and right of the outer columns: room for the curves between tables stacked on one side. */
const SIDE = 64;
const GAP = 28;

export interface StarLayout {
  fact: TableInfo;
  left: TableInfo[];
  right: TableInfo[];
  /** Tables that take part in no relation: staging, bookkeeping. */
  others: TableInfo[];
}

interface Box {
  table: TableInfo;
  x: number;
  y: number;
  width: number;
}

/** Undefined when the schema has no relations (no keys, or no star schema yet). */
export function starLayout(schema: SchemaInfo): StarLayout | undefined {
  if (schema.relations.length === 0) return undefined;
  const outgoing = (name: string) => schema.relations.filter((r) => r.from === name).length;
  const related = schema.tables.filter((t) => schema.relations.some((r) => r.from === t.name || r.to === t.name));
  const fact = [...related].sort((a, b) => outgoing(b.name) - outgoing(a.name) || a.name.localeCompare(b.name))[0];
  // The star is what the fact reaches through relations; other related tables (the run
  // history's runs and steps, say) are drawn with the rest, not as dimensions.
  const inStar = connectedTo(fact, related, schema.relations);
  const dimensions = inStar.filter((t) => t !== fact);
  const position = (table: TableInfo, depth = 0): number => {
    const direct = schema.relations.find((r) => r.from === fact.name && r.to === table.name);
    if (direct) return fact.columns.findIndex((c) => c.name === direct.column);
    // Reached through another dimension (songs → artists): just after it.
    const via = schema.relations.find((r) => r.to === table.name && r.from !== fact.name);
    return via && depth < inStar.length ? position(byName(dimensions, via.from), depth + 1) + 0.5 : fact.columns.length;
  };
  const ordered = [...dimensions].sort((a, b) => position(a) - position(b) || a.name.localeCompare(b.name));
  const half = Math.ceil(ordered.length / 2);
  return {
    fact,
    left: ordered.slice(0, half),
    right: ordered.slice(half),
    others: schema.tables.filter((t) => !inStar.includes(t)),
  };
}

function connectedTo(start: TableInfo, tables: TableInfo[], relations: Relation[]): TableInfo[] {
  const reached = new Set([start.name]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of relations) {
      if (reached.has(r.from) !== reached.has(r.to)) {
        reached.add(reached.has(r.from) ? r.to : r.from);
        grew = true;
      }
    }
  }
  return tables.filter((t) => reached.has(t.name));
}

function byName(tables: TableInfo[], name: string): TableInfo {
  return tables.find((t) => t.name === name) ?? tables[0];
}

const boxWidth = (table: TableInfo) =>
  Math.ceil(
    PAD * 2 + CHAR * Math.max(table.name.length + 2, ...table.columns.map((c) => c.name.length + c.type.length + 6)),
  );
const boxHeight = (table: TableInfo) => HEADER + ROW * table.columns.length + 6;

function stack(tables: TableInfo[], x: number, width: number, top: number): Box[] {
  let y = top;
  return tables.map((table) => {
    const box = { table, x, y, width };
    y += boxHeight(table) + GAP;
    return box;
  });
}

const columnHeight = (tables: TableInfo[]) =>
  tables.reduce((sum, t) => sum + boxHeight(t), 0) + GAP * Math.max(0, tables.length - 1);

export function renderSchemaSvg(schema: SchemaInfo, layout: StarLayout): string {
  const leftWidth = Math.max(0, ...layout.left.map(boxWidth));
  const rightWidth = Math.max(0, ...layout.right.map(boxWidth));
  const factWidth = boxWidth(layout.fact);
  const height = Math.max(columnHeight(layout.left), columnHeight(layout.right), boxHeight(layout.fact)) + MARGIN * 2;
  const factX = SIDE + leftWidth + GUTTER;
  const rightX = factX + factWidth + GUTTER;
  const width = rightX + rightWidth + SIDE;
  const middle = (tables: TableInfo[]) => MARGIN + (height - MARGIN * 2 - columnHeight(tables)) / 2;
  const boxes = [
    ...stack(layout.left, SIDE, leftWidth, middle(layout.left)),
    { table: layout.fact, x: factX, y: middle([layout.fact]), width: factWidth },
    ...stack(layout.right, rightX, rightWidth, middle(layout.right)),
  ];
  const find = (name: string) => boxes.find((b) => b.table.name === name);
  const edges = schema.relations.map((relation) => {
    const from = find(relation.from);
    const to = find(relation.to);
    return from && to ? edge(relation, from, to, factX) : '';
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="schema" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`Star schema: ${layout.fact.name} and ${[...layout.left, ...layout.right].map((t) => t.name).join(', ')}`)}">`,
    '<defs><marker id="schema-key" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#5b6b82"/></marker></defs>',
    ...edges,
    ...boxes.map((box) => tableBox(box, schema.relations, box.table === layout.fact)),
    '</svg>',
  ].join('\n');
}

function rowY(box: Box, column: string): number {
  const index = box.table.columns.findIndex((c) => c.name === column);
  return box.y + HEADER + ROW * Math.max(0, index) + ROW / 2 + 3;
}

function edge(relation: Relation, from: Box, to: Box, factX: number): string {
  const y1 = rowY(from, relation.column);
  const y2 = rowY(to, relation.column);
  let d: string;
  if (from.x + from.width < to.x || to.x + to.width < from.x) {
    const rightward = from.x < to.x;
    const x1 = rightward ? from.x + from.width : from.x;
    const x2 = rightward ? to.x : to.x + to.width;
    const bend = (x2 - x1) / 2;
    d = `M${x1} ${y1}C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`;
  } else {
    // One above the other: leave and come back on the outer side.
    const outward = from.x < factX ? -1 : 1;
    const x1 = outward < 0 ? from.x : from.x + from.width;
    const x2 = outward < 0 ? to.x : to.x + to.width;
    const reach = 40 * outward;
    d = `M${x1} ${y1}C${x1 + reach} ${y1} ${x2 + reach} ${y2} ${x2} ${y2}`;
  }
  return `<path class="relation" data-from="${escapeHtml(relation.from)}" data-to="${escapeHtml(relation.to)}" d="${d}" fill="none" stroke="#5b6b82" stroke-width="1.4" marker-end="url(#schema-key)"><title>${escapeHtml(`${relation.from}.${relation.column} → ${relation.to}.${relation.column}`)}</title></path>`;
}

function tableBox(box: Box, relations: Relation[], isFact: boolean): string {
  const { table, x, y, width } = box;
  const height = boxHeight(table);
  const referring = new Set(relations.filter((r) => r.from === table.name).map((r) => r.column));
  const rows = table.columns.map((column, i) => {
    const baseline = y + HEADER + ROW * i + ROW / 2 + 7;
    const isKey = table.primaryKey.includes(column.name);
    const tag = isKey ? 'PK' : referring.has(column.name) ? 'FK' : '';
    return [
      `<text x="${x + PAD}" y="${baseline}" class="${isKey ? 'key' : ''}">${escapeHtml(column.name)}</text>`,
      `<text x="${x + width - PAD}" y="${baseline}" text-anchor="end" class="type">${tag ? `<tspan class="tag">${tag}</tspan> ` : ''}${escapeHtml(column.type)}</text>`,
    ].join('');
  });
  return [
    `<g class="table" data-table="${escapeHtml(table.name)}">`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="6" fill="#fff" stroke="${isFact ? '#b5651d' : '#2f6fb0'}" stroke-width="1.5"/>`,
    `<path d="M${x} ${y + HEADER}h${width}" stroke="#d5dbe5"/>`,
    `<rect x="${x + 0.75}" y="${y + 0.75}" width="${width - 1.5}" height="${HEADER - 1}" rx="5" fill="${isFact ? '#fbeee2' : '#e8f0fa'}"/>`,
    `<text x="${x + PAD}" y="${y + 18}" class="name">${escapeHtml(table.name)}</text>`,
    `<text x="${x + width - PAD}" y="${y + 18}" text-anchor="end" class="type">${isFact ? 'fact' : 'dimension'}</text>`,
    ...rows,
    '</g>',
  ].join('\n');
}
