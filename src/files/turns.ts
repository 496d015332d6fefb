/**
 * Taking turns at expensive work (making previews): at most `running` at once, `waiting` more in
 * line, and past that a refusal the route turns into 503, so a page of fifty thumbnails cannot
 * take a small server's every core, nor queue work without end.
 */

/** Too many previews are being made: try again shortly (HTTP 503). */
export class PreviewsBusy extends Error {
  constructor() {
    super('too many previews are being made');
    this.name = 'PreviewsBusy';
  }
}

/** A line of its own: `inTurn(work)` runs `work` once a place is free, or throws PreviewsBusy. */
export function turns(running: number, waiting: number) {
  let busy = 0;
  const queue: (() => void)[] = [];
  return async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (busy >= running) {
      if (queue.length >= waiting) throw new PreviewsBusy();
      await new Promise<void>((resolve) => queue.push(resolve));
    } else busy++;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      // The place passes straight to the next in line, so `busy` counts it still.
      if (next) next();
      else busy--;
    }
  };
}
