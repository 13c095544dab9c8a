// What each join of the saved queries costs in data movement under a set of layouts.
// The labels are the plan steps Redshift's EXPLAIN shows for the same situations
// ("Evaluating the query plan", https://docs.aws.amazon.com/redshift/latest/dg/c_data_redistribution.html):
// DS_DIST_NONE (both sides on the join key), DS_DIST_ALL_NONE (one side ALL),
// DS_DIST_INNER/OUTER (one side redistributed), DS_BCAST_INNER (one side copied to
// every node), DS_DIST_BOTH (both redistributed). Bytes are an upper bound: each side
// is taken whole, before the filters and aggregates that shrink it.
import type { Distribution } from '../schema/table';
import type { ColumnRef, JoinUse } from './sql-usage';

type Placement = 'co-located' | 'co-located (ALL)' | 'broadcast' | 'redistributed' | 'redistributed (both)';

export interface JoinCost {
  placement: Placement;
  step: string;
  bytesMoved: number;
}

export interface SizedTables {
  bytes(table: string): number;
}

/** AUTO is planned as EVEN here: what AUTO chooses depends on Redshift's own later judgement. */
function keyedOn(dist: Distribution, side: ColumnRef): boolean {
  return dist.style === 'key' && dist.column === side.column;
}

export function joinCost(
  join: JoinUse,
  layouts: ReadonlyMap<string, Distribution>,
  sizes: SizedTables,
  nodes: number,
): JoinCost {
  const left = layouts.get(join.left.table) ?? { style: 'even' };
  const right = layouts.get(join.right.table) ?? { style: 'even' };
  if (left.style === 'all' || right.style === 'all')
    return { placement: 'co-located (ALL)', step: 'DS_DIST_ALL_NONE', bytesMoved: 0 };
  const leftKeyed = keyedOn(left, join.left);
  const rightKeyed = keyedOn(right, join.right);
  if (leftKeyed && rightKeyed) return { placement: 'co-located', step: 'DS_DIST_NONE', bytesMoved: 0 };
  const leftBytes = sizes.bytes(join.left.table);
  const rightBytes = sizes.bytes(join.right.table);
  const redistribute = leftKeyed ? rightBytes : rightKeyed ? leftBytes : leftBytes + rightBytes;
  // Broadcasting sends the smaller side to every other node.
  const broadcast = Math.min(leftBytes, rightBytes) * Math.max(1, nodes - 1);
  if (broadcast < redistribute) return { placement: 'broadcast', step: 'DS_BCAST_INNER', bytesMoved: broadcast };
  if (leftKeyed || rightKeyed) return { placement: 'redistributed', step: 'DS_DIST_INNER', bytesMoved: redistribute };
  return { placement: 'redistributed (both)', step: 'DS_DIST_BOTH', bytesMoved: redistribute };
}

export function describeLayout(dist: Distribution): string {
  return dist.style === 'key' ? `KEY(${dist.column})` : dist.style.toUpperCase();
}
