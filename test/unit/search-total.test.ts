import { describe, expect, it } from 'vitest';
import { withTotal } from '../../src/http/search.js';

const noCount = () => Promise.reject(new Error('no second statement is needed'));

describe('a search page and its total from one statement', () => {
  it('reads the total from the window count the rows carry', async () => {
    expect(await withTotal([{ id: 'a', total: 26 }], 1, noCount)).toEqual({ rows: [{ id: 'a' }], total: 26 });
  });

  it('knows a first page with no row matches nothing', async () => {
    expect(await withTotal([], 1, noCount)).toEqual({ rows: [], total: 0 });
  });

  it('counts on its own only for a later page past the last match', async () => {
    expect(await withTotal([], 3, () => Promise.resolve(30))).toEqual({ rows: [], total: 30 });
  });
});
