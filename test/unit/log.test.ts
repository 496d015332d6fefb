/** Log lines are JSON, filtered by level, and never carry a password, token or cookie. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/kernel/log.js';

describe('logging', () => {
  it('writes one JSON line per event at or above the level', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('hidden');
    log.info('shown', { requestId: 'abc' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'shown', requestId: 'abc' });
  });

  it('redacts anything that looks like a secret, however deeply nested', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    log.error('oops', {
      password: 'hunter2',
      form: { newPassword: 'hunter3', token: 'tok123', note: 'fine' },
      headers: { cookie: 'portico_session=abc', Authorization: 'Bearer xyz' },
      sessionToken: 'sss',
    });
    const line = lines[0]!;
    for (const secret of ['hunter2', 'hunter3', 'tok123', 'portico_session=abc', 'Bearer xyz', 'sss'])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line).form.note).toBe('fine');
  });
});

describe('log levels', () => {
  it('says which levels it writes, so callers can skip building fields', () => {
    const log = createLogger('warn', () => {});
    expect([log.enabled('debug'), log.enabled('info'), log.enabled('warn'), log.enabled('error')]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});
