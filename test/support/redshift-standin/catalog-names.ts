// Names the catalog's modules share: the deployments, their schemas, the fake cluster.

export type Deployment = 'provisioned' | 'serverless';

export const SCHEMAS: Record<Deployment, string> = {
  provisioned: 'redshift_standin_provisioned',
  serverless: 'redshift_standin_serverless',
};

/** The fake cluster behind STV_SLICES and SVV_TABLE_INFO's sizes: 2 nodes of 2 slices. */
export const FAKE_NODES = 2;
export const FAKE_SLICES = 4;
