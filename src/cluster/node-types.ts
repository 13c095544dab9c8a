// What each Redshift node type allows and costs, so settings can refuse an impossible
// node count before AWS does, and `status` can say what the cluster is costing.
//
// Prices are on-demand US dollars per node-hour in us-east-1 (N. Virginia), recorded
// 2025-11 from https://aws.amazon.com/redshift/pricing/. Other regions cost more or
// less, and RA3 managed storage is billed on top (per GB-month, also while paused), so
// treat every figure printed from here as an estimate and check the page for real money.

export const PRICES_RECORDED = '2025-11 (us-east-1, on-demand)';

export interface NodeType {
  /** Nodes a cluster of this type may have when created (elastic resize can go further). */
  minNodes: number;
  maxNodes: number;
  usdPerNodeHour: number;
}

export const NODE_TYPES: Readonly<Record<string, NodeType>> = {
  'ra3.large': { minNodes: 1, maxNodes: 16, usdPerNodeHour: 0.543 },
  'ra3.xlplus': { minNodes: 1, maxNodes: 16, usdPerNodeHour: 1.086 },
  'ra3.4xlarge': { minNodes: 2, maxNodes: 32, usdPerNodeHour: 3.26 },
  'ra3.16xlarge': { minNodes: 2, maxNodes: 128, usdPerNodeHour: 13.04 },
  // DC2 is kept so that status can price a cluster created before its retirement.
  'dc2.large': { minNodes: 1, maxNodes: 32, usdPerNodeHour: 0.25 },
  'dc2.8xlarge': { minNodes: 2, maxNodes: 128, usdPerNodeHour: 4.8 },
};

/** Dollars per hour for the whole cluster while it runs; undefined if we have no price. */
export function hourlyCost(nodeType: string, nodes: number): number | undefined {
  const known = NODE_TYPES[nodeType];
  return known ? known.usdPerNodeHour * nodes : undefined;
}

export function formatUsd(amount: number, digits = 2): string {
  return `$${amount.toFixed(digits)}`;
}

/** What a new cluster will cost, said before create makes it (and in its dry run). */
export function priceNotice(nodeType: string, nodes: number): string {
  const perHour = hourlyCost(nodeType, nodes);
  if (perHour === undefined)
    return `Price: none on record for ${nodeType}; see https://aws.amazon.com/redshift/pricing/ before creating.`;
  return (
    `Price: ${formatUsd(perHour)} per hour while it runs (${nodes} × ${nodeType} at ${formatUsd(perHour / nodes, 3)}, ${PRICES_RECORDED} prices), ` +
    `about ${formatUsd(perHour * 24)} a day; paused it bills storage only. Pause or delete it when you stop.`
  );
}
