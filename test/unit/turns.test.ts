/**
 * Taking turns at expensive work (src/files/turns.ts): at most `running` at once, `waiting` more
 * in line, and past that PreviewsBusy at once; a place passes straight to the next in line, and a
 * piece of work that fails frees its place as one that succeeds does.
 */
import { describe, expect, it } from 'vitest';
import { PreviewsBusy, turns } from '../../src/files/turns.js';

/** A piece of work that ends when the test says so, and says whether it has started. */
function gated() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const piece = {
    started: false,
    open,
    fail,
    work: async () => {
      piece.started = true;
      await gate;
      return 'done';
    },
  };
  return piece;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('taking turns', () => {
  it('runs at most `running` at once, lines up `waiting` more, and refuses the next at once', async () => {
    const inTurn = turns(2, 3);
    const pieces = Array.from({ length: 5 }, gated);
    const results = pieces.map((p) => inTurn(p.work));
    await settle();
    expect(pieces.map((p) => p.started)).toEqual([true, true, false, false, false]);
    await expect(inTurn(async () => 'late')).rejects.toBeInstanceOf(PreviewsBusy);
    // One ends: the first in line takes its place, in order.
    pieces[0]!.open();
    await settle();
    expect(pieces.map((p) => p.started)).toEqual([true, true, true, false, false]);
    // A place is free in the line again.
    const sixth = gated();
    const sixthDone = inTurn(sixth.work);
    for (const p of pieces) p.open();
    sixth.open();
    expect(await Promise.all([...results, sixthDone])).toEqual(Array(6).fill('done'));
  });

  it('work that fails frees its place, and the count comes back down: later work runs at once', async () => {
    const inTurn = turns(1, 1);
    const failing = gated();
    const waiting = gated();
    const first = inTurn(failing.work);
    const second = inTurn(waiting.work);
    await settle();
    failing.fail(new Error('broken file'));
    await expect(first).rejects.toThrow('broken file');
    await settle();
    expect(waiting.started).toBe(true);
    waiting.open();
    await second;
    // Nothing runs and nothing waits: two more start and wait without a refusal.
    const a = gated();
    const b = gated();
    const both = [inTurn(a.work), inTurn(b.work)];
    await settle();
    expect([a.started, b.started]).toEqual([true, false]);
    a.open();
    b.open();
    expect(await Promise.all(both)).toEqual(['done', 'done']);
  });
});
