// The Redshift loader, one job a module: load.ts (the flow), copy-sql.ts (the COPY text),
// manifest.ts, source-region.ts, copy-run.ts (one COPY and what it recorded),
// system-views.ts (the lookups), raw-lines.ts (raw text SYS does not keep).
export { redshiftLoad } from './load';
