/** Dates typed in the firm's time zone become the right instants, clock changes included. */
import { describe, expect, it } from 'vitest';
import { nextDay, startOfDay } from '../../src/http/time.js';

describe('days in the firm time zone', () => {
  it('finds local midnight, including on days the clocks change', () => {
    expect(startOfDay('2026-01-15', 'UTC')).toBe(Date.UTC(2026, 0, 15));
    expect(startOfDay('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(startOfDay('2026-03-09', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
    expect(startOfDay('2026-04-05', 'Australia/Sydney')).toBe(Date.UTC(2026, 3, 4, 13));
    expect(startOfDay('2026-04-06', 'Australia/Sydney')).toBe(Date.UTC(2026, 3, 5, 14));
  });

  it('a day is as long as the clocks make it (23 hours when they spring forward)', () => {
    const start = startOfDay('2026-03-08', 'America/New_York')!;
    const end = startOfDay(nextDay('2026-03-08'), 'America/New_York')!;
    expect((end - start) / 3_600_000).toBe(23);
  });

  it('refuses what is not a date', () => {
    expect(startOfDay('yesterday', 'UTC')).toBeNull();
    expect(startOfDay('2026-13-45', 'UTC')).toBeNull();
  });
});
