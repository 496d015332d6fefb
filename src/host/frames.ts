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

// biome-ignore lint/suspicious/noEmptyInterface: filled by the owners' declarations
export interface Frames {}
export type FrameName = keyof Frames;
export type FrameProps<K extends FrameName> = Frames[K] extends { props: infer P } ? P : never;

/** Renders `props` inside the frame: the whole page, or only the part an htmx request asked for. */
export type FrameRenderer<K extends FrameName> = (c: Context, props: FrameProps<K>) => Promise<Response>;

export class FrameRegistry {
  readonly #providers = new Map<FrameName, { by: string; render: FrameRenderer<FrameName> }>();

  provide<K extends FrameName>(name: K, by: string, render: FrameRenderer<K>): void {
    const taken = this.#providers.get(name);
    if (taken) throw new Error(`${by}: frame ${name} is already provided by ${taken.by}`);
    this.#providers.set(name, { by, render: render as FrameRenderer<FrameName> });
  }

  /** The page, rendered by the frame's provider; an error when no feature provides it (a wiring mistake). */
  render<K extends FrameName>(name: K, c: Context, props: FrameProps<K>): Promise<Response> {
    const provider = this.#providers.get(name);
    if (!provider) throw new Error(`no feature provides the frame ${name}`);
    return (provider.render as FrameRenderer<K>)(c, props);
  }
}
