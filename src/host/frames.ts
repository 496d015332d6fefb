/**
 * Pages that others render their content inside. A slot puts another feature's part on your page;
 * a frame is the other way round: the feature that owns a page's surroundings (the entity
 * workspace's header and tabs) provides them under a name, and another feature or a plugin renders
 * its own content inside, by that name, without importing the owner. The owner declares what a
 * caller gives, by declaration merging:
 * @example
 * declare module '../host/frames.js' {
 *   interface Frames { 'entity.workspace': { props: { entityId: string; tab: string; title: string; body: Child } } }
 * }
 * Each frame has exactly one provider: a second is a start-up error naming both.
 */
import type { Context } from 'hono';
import { Providers } from './providers.js';

// biome-ignore lint/suspicious/noEmptyInterface: filled by the owners' declarations
export interface Frames {}
export type FrameName = keyof Frames;
export type FrameProps<K extends FrameName> = Frames[K] extends { props: infer P } ? P : never;

/** Renders `props` inside the frame: the whole page, or only the part an htmx request asked for. */
export type FrameRenderer<K extends FrameName> = (c: Context, props: FrameProps<K>) => Promise<Response>;

type FrameTable = { [K in FrameName]: FrameRenderer<K> };

export class FrameRegistry extends Providers<FrameTable> {
  constructor() {
    super('frame');
  }

  /** The page, rendered by the frame's provider; an error when no feature provides it (a wiring mistake). */
  render<K extends FrameName>(name: K, c: Context, props: FrameProps<K>): Promise<Response> {
    return (this.get(name) as FrameRenderer<K>)(c, props);
  }
}
