/** Dates shown and typed in the firm's time zone, without a date library. */

function zoneOffsetMs(epoch: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epoch));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - epoch
  );
}

/** Milliseconds at the start of `date` (YYYY-MM-DD) in the zone, or null for a malformed date. */
export function startOfDay(date: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const guess = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(guess)) return null;
  // The zone's offset at local midnight, not at UTC midnight: look again from the first estimate.
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/** The calendar day after `date` (YYYY-MM-DD). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/**
 * One formatter per zone: making one costs far more than formatting with it. The map stays small,
 * since only valid zone names get this far (an unknown zone throws before it is stored).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * What each minute reads as, in each zone: a listing formats fifty dates, each ~5 µs through Intl,
 * and the same pages are shown again and again. Its text changes only from minute to minute (no
 * zone's offset changes within a minute). Emptied when full.
 */
const formattedMinutes = new Map<string, string>();
const KEPT_MINUTES = 10_000;

export function formatDateTime(epoch: number, timeZone: string): string {
  const key = `${Math.floor(epoch / 60_000)} ${timeZone}`;
  const kept = formattedMinutes.get(key);
  if (kept !== undefined) return kept;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(timeZone, format);
  }
  const text = format.format(new Date(epoch));
  if (formattedMinutes.size >= KEPT_MINUTES) formattedMinutes.clear();
  formattedMinutes.set(key, text);
  return text;
}
