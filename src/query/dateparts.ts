// Redshift's names for the parts of a date, each with the name PostgreSQL gives the same
// part. AWS "Date parts for date or timestamp functions",
// https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html:
// DATEADD, DATEDIFF, DATE_PART and EXTRACT take any of these, and day-of-week counts 0–6
// from Sunday, as PostgreSQL's `dow` does. PostgreSQL knows the canonical names (and most
// abbreviations) but not `weekday`, `dw`, `dayofweek`, `dayofyear`, `dy` or `yearday`.
const ALIASES: Record<string, string[]> = {
  millennium: ['millennium', 'millennia', 'millenniums', 'mil', 'mils'],
  century: ['century', 'centuries', 'c', 'cent', 'cents'],
  decade: ['decade', 'decades', 'dec', 'decs'],
  epoch: ['epoch'],
  year: ['year', 'years', 'y', 'yr', 'yrs'],
  quarter: ['quarter', 'quarters', 'qtr', 'qtrs'],
  month: ['month', 'months', 'mon', 'mons'],
  week: ['week', 'weeks', 'w'],
  dow: ['dayofweek', 'dow', 'dw', 'weekday'],
  doy: ['dayofyear', 'doy', 'dy', 'yearday'],
  day: ['day', 'days', 'd'],
  hour: ['hour', 'hours', 'h', 'hr', 'hrs'],
  minute: ['minute', 'minutes', 'm', 'min', 'mins'],
  second: ['second', 'seconds', 's', 'sec', 'secs'],
  millisecond: [
    'millisecond',
    'milliseconds',
    'ms',
    'msec',
    'msecs',
    'msecond',
    'mseconds',
    'millisec',
    'millisecs',
    'millisecon',
  ],
  microsecond: ['microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs'],
};

/** Each Redshift date part name or abbreviation (lower case) → PostgreSQL's name for it. */
export const DATEPARTS: ReadonlyMap<string, string> = new Map(
  Object.entries(ALIASES).flatMap(([name, aliases]) => aliases.map((alias) => [alias, name] as [string, string])),
);
