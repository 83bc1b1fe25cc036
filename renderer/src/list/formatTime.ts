/**
 * Building an Intl formatter costs about a millisecond (locale data lookup); a list renders
 * dozens of rows at once, so each formatter is built once per locale and reused.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) relativeFormats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  return format;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DAY_THIS_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const DAY_OTHER_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const FULL: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

/**
 * When a story last changed, as a newsroom reads it: the time for today, "kemarin"/
 * "yesterday"-style relative day for yesterday, else the date (with the year only when it
 * is not this year). `now` is injectable for tests.
 */
export function formatUpdated(ms: number, locale: string, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  const time = dateFormat(locale, TIME).format(date);
  if (ms >= startOfToday) return time;
  if (ms >= startOfToday - 86_400_000) return `${relativeFormat(locale).format(-1, 'day')} ${time}`;
  const sameYear = date.getFullYear() === today.getFullYear();
  return dateFormat(locale, sameYear ? DAY_THIS_YEAR : DAY_OTHER_YEAR).format(date);
}

export function formatFull(ms: number, locale: string): string {
  return dateFormat(locale, FULL).format(new Date(ms));
}
