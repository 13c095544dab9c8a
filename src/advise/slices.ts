// How many slices the what-if spreads rows over. Redshift gives each compute node a
// fixed number of slices by node type; the figures are AWS's node-type table
// ("Amazon Redshift provisioned clusters", Node type details:
// https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html).
// The cluster's type and count come from the same settings `npm run cluster` uses.
import { DEFAULT_NODE_COUNT, DEFAULT_NODE_TYPE } from '../cluster/settings';
import { ConfigError, UsageError } from '../errors';

const SLICES_PER_NODE: Readonly<Record<string, number>> = {
  'ra3.large': 2,
  'ra3.xlplus': 2,
  'ra3.4xlarge': 4,
  'ra3.16xlarge': 16,
  'dc2.large': 2,
  'dc2.8xlarge': 16,
};

export interface SliceLayout {
  slices: number;
  nodes: number;
  /** Where the figure came from, for the report's header. */
  basis: string;
}

/** --slices N wins; otherwise REDSHIFT_NODE_TYPE × REDSHIFT_NODE_COUNT (or their defaults). */
export function sliceLayout(env: NodeJS.ProcessEnv, slicesFlag?: string): SliceLayout {
  const nodeType = env.REDSHIFT_NODE_TYPE || DEFAULT_NODE_TYPE;
  const perNode = SLICES_PER_NODE[nodeType];
  if (!perNode)
    throw new ConfigError(
      `REDSHIFT_NODE_TYPE "${nodeType}" has no known slice count. Use one of ${Object.keys(SLICES_PER_NODE).join(', ')}, or pass --slices N.`,
    );
  const nodes = env.REDSHIFT_NODE_COUNT ? Number(env.REDSHIFT_NODE_COUNT) : DEFAULT_NODE_COUNT;
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new ConfigError(`REDSHIFT_NODE_COUNT must be a whole number of nodes; got "${env.REDSHIFT_NODE_COUNT}".`);
  if (slicesFlag !== undefined) {
    const slices = Number(slicesFlag);
    if (!Number.isInteger(slices) || slices < 1 || slices > 4096)
      throw new UsageError(`--slices must be a whole number from 1 to 4096; got "${slicesFlag}".`);
    return { slices, nodes: Math.max(1, Math.min(nodes, slices)), basis: `--slices ${slices}` };
  }
  return { slices: perNode * nodes, nodes, basis: `${nodes} × ${nodeType}, ${perNode} slices each` };
}
