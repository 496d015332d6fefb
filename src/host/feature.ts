/**
 * A feature contributes to the app by registering with the host, not by being imported by what it
 * adds to: createApp hands each feature in its list a registrar, mounts the routes registered,
 * and pages fill their slots and navigation from what was registered. The same registries serve
 * plugins, through a narrower door.
 */
import type { Hono } from 'hono';
import type { Db } from '../db/connect.js';
import type { OrganizationCache } from '../db/organization-cache.js';
import type { JobKind, JobKinds } from '../jobs/queue.js';
import type { JobHandler, JobHandlers } from '../jobs/worker.js';
import type { Config } from '../kernel/config.js';
import { HOUR } from '../kernel/durations.js';
import type { Logger } from '../kernel/log.js';
import { type EventName, EventRegistry, type Listener, type ListenerOptions } from './events.js';
import { type Filter, type FilterName, FilterRegistry } from './filters.js';
import { type FrameName, FrameRegistry, type FrameRenderer } from './frames.js';
import { type NavEntry, NavRegistry } from './nav.js';
import { Problems } from './problems.js';
import { type Schedule, ScheduleRegistry } from './schedules.js';
import { type ServiceName, ServiceRegistry, type Services } from './services.js';
import { type SlotFiller, type SlotName, SlotRegistry } from './slots.js';
import { tidyKernel } from './tidy.js';

/** What a core feature works with: the whole database (plugins get a narrower door). */
export interface FeatureDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** The firm's settings row, cached; forget it after changing it. */
  organization: OrganizationCache;
  /** What every feature registered: complete by the time a request or job runs. */
  host: Host;
}

/** Routes one feature or plugin added, and where they are mounted. */
export interface MountedRoutes {
  by: string;
  /** '/' for core features; '/p/<id>' for a plugin. */
  prefix: string;
  app: Hono;
}

/** Everything features and plugins registered, read by the app, the worker and the pages. */
export interface Host {
  slots: SlotRegistry;
  frames: FrameRegistry;
  nav: NavRegistry;
  events: EventRegistry;
  filters: FilterRegistry;
  schedules: ScheduleRegistry;
  routes: MountedRoutes[];
  jobs: JobHandlers;
  /** Who registered each job kind: for the Plugins page. */
  jobOwners: Map<JobKind, string>;
  problems: Problems;
  services: ServiceRegistry;
}

/** The registrar a feature's `register` is given: every call is recorded under the feature's id. */
export interface Registrar {
  /** Routes, mounted at '/' (core features) or '/p/<id>/' (plugins), in the order features are listed. */
  routes(app: Hono): void;
  /** A place in the navigation, shown to those `entry.visible` lets through. */
  nav(entry: NavEntry): void;
  /** Fills a page's named slot. Lower `order` shows first. */
  slot<K extends SlotName>(name: K, fill: SlotFiller<K>, order?: number): void;
  /** Provides a page's frame (its header, its tabs) that others render their content inside. */
  frame<K extends FrameName>(name: K, render: FrameRenderer<K>): void;
  /** Hears an event after the change that raised it commits; retried on its own when it throws. */
  on<K extends EventName>(name: K, listener: Listener<K>, options?: ListenerOptions): void;
  /** Passes a value (an email, the navigation) through `filter` before it is used. */
  filter<K extends FilterName>(name: K, filter: Filter<K>): void;
  /** Runs queued jobs of one kind (declared in JobKinds by declaration merging). */
  job<K extends JobKind>(kind: K, handler: JobHandler<JobKinds[K]>): void;
  /** Runs `schedule.run` every `schedule.everyMs`, once across all app processes. */
  schedule(schedule: Schedule): void;
  /** Does what the kernel's contract `name` says, for other features and for plugins. */
  provide<K extends ServiceName>(name: K, impl: Services[K]): void;
}

export interface Feature {
  /** Lowercase letters, digits and single hyphens: named in logs and on the Plugins page. */
  id: string;
  /** Where its routes are mounted: '/' for core features, '/p/<id>' for a plugin. */
  mountAt?: string;
  register(registrar: Registrar, deps: FeatureDeps): void;
}

/** @example export const sharingFeature = defineFeature({ id: 'sharing', register(r) { r.slot('entity.tabs', …); } }); */
export function defineFeature(feature: Feature): Feature {
  return feature;
}

export function emptyHost(log: Logger): Host {
  const problems = new Problems();
  return {
    slots: new SlotRegistry(log, problems),
    frames: new FrameRegistry(),
    nav: new NavRegistry(),
    events: new EventRegistry(),
    filters: new FilterRegistry(log, problems),
    schedules: new ScheduleRegistry(),
    routes: [],
    jobs: {},
    jobOwners: new Map(),
    problems,
    services: new ServiceRegistry(),
  };
}

/** A registrar that records under `by`, mounting routes at `prefix`. */
export function registrarFor(host: Host, by: string, prefix: string): Registrar {
  return {
    routes: (app) => host.routes.push({ by, prefix, app }),
    nav: (entry) => host.nav.add(by, entry),
    slot: (name, fill, order) => host.slots.add(name, by, fill, order),
    // `render` is the table's entry for `name`; TypeScript cannot see that through a generic key.
    frame: (name, render) => host.frames.provide(name, by, render as never),
    on: (name, listener, options) => host.events.on(name, by, listener, options),
    filter: (name, filter) => host.filters.add(name, by, filter),
    job: (kind, handler) => {
      const owner = host.jobOwners.get(kind);
      if (owner) throw new Error(`${by}: job kind ${kind} is already handled by ${owner}`);
      host.jobOwners.set(kind, by);
      (host.jobs as Record<string, unknown>)[kind] = handler;
    },
    schedule: (schedule) => host.schedules.add(by, schedule),
    provide: (name, impl) => host.services.provide(name, by, impl),
  };
}

/** Runs each feature's `register`, in the order given, and the host's own job handlers and tidying. */
export function createHost(deps: Omit<FeatureDeps, 'host'>, features: readonly Feature[]): Host {
  const host = emptyHost(deps.log);
  for (const feature of features)
    feature.register(registrarFor(host, feature.id, feature.mountAt ?? '/'), { ...deps, host });
  const kernel = registrarFor(host, 'host', '/');
  const events = host.events.jobHandlers(deps.db, deps.log, host.problems);
  kernel.job('event.dispatch', events['event.dispatch']);
  kernel.job('event.deliver', events['event.deliver']);
  kernel.job('schedule.run', host.schedules.jobHandler(deps.db));
  kernel.schedule({ name: 'host.tidy', everyMs: HOUR, run: (db) => tidyKernel(db) });
  return host;
}
