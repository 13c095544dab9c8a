// Kept so existing imports work: the Redshift loader lives in src/load/redshift/.
export { redshiftLoad, renderCopy } from './redshift';
