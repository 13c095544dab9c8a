// What create refuses before AWS sees the parameters, from the CreateCluster API page
// (https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html):
// - NodeType: new DC2 clusters can no longer be created (RA3 replaces them); an existing
//   DC2 cluster is still priced by status, so dc2.* stays a known node type.
// - Port: "For clusters with ra3 nodes - Select a port within the ranges 5431-5455 or
//   8191-8215" (existing RA3 clusters on other ports keep them, so only create checks).
// - MasterUsername: lower case (its other rules are checked in settings.ts), and "Cannot be
//   a reserved word": the list is "Reserved words" in the Database Developer Guide
//   (https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html). The Serverless
//   admin user becomes a database user too, so create --serverless checks the same.
import { ConfigError } from '../errors';
import type { ClusterSettings } from './settings';

export const RA3_PORT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [5431, 5455],
  [8191, 8215],
];

export function checkCreatable(settings: ClusterSettings): void {
  checkMasterUser(settings.user);
  if (settings.nodeType.startsWith('dc2.')) {
    throw new ConfigError(
      `REDSHIFT_NODE_TYPE ${settings.nodeType}: AWS no longer creates DC2 clusters. Use ra3.large (the smallest RA3 node, the default), ` +
        'or Redshift Serverless. An existing DC2 cluster still works with status, pause, resume and delete.',
    );
  }
  if (
    settings.nodeType.startsWith('ra3.') &&
    !RA3_PORT_RANGES.some(([low, high]) => settings.port >= low && settings.port <= high)
  ) {
    throw new ConfigError(
      `REDSHIFT_PORT ${settings.port} cannot be used for a new RA3 cluster: AWS allows only 5431-5455 or 8191-8215. Use 5439 (the default) or leave REDSHIFT_PORT out.`,
    );
  }
}

// From https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html (as listed there).
const RESERVED_WORDS = new Set(
  (
    'aes128 aes256 all allowoverwrite analyse analyze and any array as asc authorization az64 backup between binary blanksasnull both ' +
    'bytedict bzip2 case cast check collate column constraint create credentials cross current_date current_time current_timestamp ' +
    'current_user current_user_id default deferrable deflate defrag delta delta32k desc disable distinct do else emptyasnull enable ' +
    'encode encrypt encryption end except explicit false for foreign freeze from full globaldict256 globaldict64k grant group gzip ' +
    'having identity ignore ilike in initially inner intersect interval into is isnull join leading left like limit localtime ' +
    'localtimestamp lun luns lzo lzop minus mostly16 mostly32 mostly8 natural new not notnull null nulls off offline offset oid old ' +
    'on only open or order outer overlaps parallel partition percent permissions pivot placing primary raw readratio recover ' +
    'references rejectlog resort respect restore right select session_user similar snapshot some sysdate system table tag tdes ' +
    'text255 text32k then timestamp to top trailing true truncatecolumns union unique unnest unpivot user using verbose wallet when ' +
    'where with without'
  ).split(' '),
);

/** The master (or Serverless admin) user name may not be one of Redshift's reserved words. */
export function checkMasterUser(user: string | undefined): void {
  if (user && RESERVED_WORDS.has(user.toLowerCase())) {
    throw new ConfigError(
      `REDSHIFT_USER "${user}" is a reserved word in Redshift, which AWS refuses as the master user name ` +
        '(https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html). Choose another, e.g. awsuser.',
    );
  }
}
