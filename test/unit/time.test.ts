/** Dates typed in the firm's time zone become the right instants, clock changes included. */
import { describe, expect, it } from 'vitest';
import { formatDateTime, nextDay, startOfDay } from '../../src/http/time.js';

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

describe('dates shown in the firm time zone', () => {
  const intl = (epoch: number, timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(epoch);

  it('reads as Intl reads it, in each zone, across the clocks changing, asked again and again', () => {
    const zones = ['UTC', 'Europe/London', 'Australia/Sydney', 'America/New_York', 'Asia/Kolkata'];
    // Around New York's spring change and Sydney's autumn one, minute by minute, then far apart.
    const instants = [
      ...Array.from({ length: 180 }, (_, i) => Date.UTC(2026, 2, 8, 6, 0) + (i - 90) * 60_000 + 30_000),
      ...Array.from({ length: 180 }, (_, i) => Date.UTC(2026, 3, 4, 15, 0) + (i - 90) * 60_000 + 59_999),
      ...Array.from({ length: 200 }, (_, i) => 1_600_000_000_000 + i * 7_919_333_333),
    ];
    const wrong: string[] = [];
    for (let round = 0; round < 2; round++)
      for (const zone of zones)
        for (const at of instants)
          if (formatDateTime(at, zone) !== intl(at, zone))
            wrong.push(`${zone} ${new Date(at).toISOString()}`);
    expect(wrong).toEqual([]);
  });

  it('the same instant reads differently in two zones; the seconds of a minute read alike', () => {
    const at = Date.UTC(2026, 11, 6, 13, 45, 10);
    expect(formatDateTime(at, 'UTC')).toBe('6 Dec 2026, 13:45');
    expect(formatDateTime(at, 'Australia/Sydney')).toBe('7 Dec 2026, 00:45');
    expect(formatDateTime(at + 49_000, 'UTC')).toBe('6 Dec 2026, 13:45');
    expect(formatDateTime(at + 50_000, 'UTC')).toBe('6 Dec 2026, 13:46');
  });

  it('stays right once more minutes were read than are kept', () => {
    const start = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 12_000; i++) formatDateTime(start + i * 60_000, 'Europe/London');
    expect(formatDateTime(start, 'Europe/London')).toBe(intl(start, 'Europe/London'));
    expect(formatDateTime(start + 11_999 * 60_000, 'UTC')).toBe(intl(start + 11_999 * 60_000, 'UTC'));
  });
});
