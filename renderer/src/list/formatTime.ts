/**
 * When a story last changed, as a newsroom reads it: the time for today, "kemarin"/
 * "yesterday"-style relative day for yesterday, else the date (with the year only when it
 * is not this year). `now` is injectable for tests.
 */
export function formatUpdated(ms: number, locale: string, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  if (ms >= startOfToday) return time;
  if (ms >= startOfToday - 86_400_000) {
    const yesterday = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-1, 'day');
    return `${yesterday} ${time}`;
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) }).format(date);
}

export function formatFull(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(ms));
}
