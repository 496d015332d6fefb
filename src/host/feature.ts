/**
 * A feature contributes to the app by registering with the host, not by being imported by the
 * pages it adds to: createApp hands each feature in its list a registrar, and pages fill their
 * slots from what was registered. Plugins (when they come) register through the same registries,
 * by a narrower door.
 */
import type { Db } from '../db/connect.js';
import type { Config } from '../kernel/config.js';
import type { Logger } from '../kernel/log.js';
import { type SlotFiller, type SlotName, SlotRegistry } from './slots.js';

/** What features and plugins registered, read by the pages that show their parts. */
export interface Host {
  slots: SlotRegistry;
}

/** The registrar a feature's `register` is given: every call is recorded under the feature's id. */
export interface Registrar {
  /** Fills a page's named slot. Lower `order` shows first. */
  slot<K extends SlotName>(name: K, fill: SlotFiller<K>, order?: number): void;
}

/** What a core feature works with: the whole database (plugins get a narrower door). */
export interface FeatureDeps {
  config: Config;
  db: Db;
  log: Logger;
}

export interface Feature {
  /** Lowercase words and hyphens: named in logs and on the Plugins page. */
  id: string;
  register(registrar: Registrar, deps: FeatureDeps): void;
}

/** @example export const sharing = defineFeature({ id: 'sharing', register(r) { r.slot('entity.links', …); } }); */
export function defineFeature(feature: Feature): Feature {
  return feature;
}

/** Runs each feature's `register`, in the order given. */
export function createHost(deps: FeatureDeps, features: readonly Feature[]): Host {
  const host: Host = { slots: new SlotRegistry(deps.log) };
  for (const feature of features) {
    feature.register({ slot: (name, fill, order) => host.slots.add(name, feature.id, fill, order) }, deps);
  }
  return host;
}
