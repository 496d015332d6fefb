/** Lengths of time in milliseconds, for expiries and schedules. */
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
