// How node-pg turns the server's text into JS values, for every connection the tool opens.
// Its defaults read a `timestamp` (no zone) as a time in the machine's own zone and a `date`
// as local midnight, so on a laptop east or west of UTC the same stored value came back as
// another instant (and, through toISOString, another hour or day). The warehouse keeps UTC
// in its timestamp columns (Redshift's too: AWS "Datetime types", TIMESTAMP is UTC), so a
// timestamp is read as UTC and a date stays the text the server sent.
import pg from './pg-driver';

// PostgreSQL type oids (pg_type): timestamp without time zone, date.
const TIMESTAMP = 1114;
const DATE = 1082;

/** '2018-11-01 01:01:17.846' → that instant in UTC; text a Date cannot hold ('infinity', BC years) stays text. */
function parseUtcTimestamp(text: string): Date | string {
  const date = new Date(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}

pg.types.setTypeParser(TIMESTAMP, parseUtcTimestamp);
pg.types.setTypeParser(DATE, (text: string) => text);
