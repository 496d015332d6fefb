/** The host: the registries features (and plugins) contribute to, and the events they hear. */
export {
  type EventContext,
  type EventName,
  type EventRegistry,
  type Events,
  emit,
  LISTENER_TIMEOUT_MS,
  type Listener,
  type ListenerOptions,
} from './events.js';
export {
  createHost,
  defineFeature,
  type Feature,
  type FeatureDeps,
  type Host,
  type MountedRoutes,
  type Registrar,
} from './feature.js';
export type { Filter, FilterContext, FilterName, Filters, FilterValue } from './filters.js';
export type { FrameName, FrameProps, FrameRenderer, Frames } from './frames.js';
export type { NavEntry, Words } from './nav.js';
export type { Problem } from './problems.js';
export type { Schedule } from './schedules.js';
export type { ServiceName, Services, SignInOutcome, SignInRefusal } from './services.js';
export type { SlotFiller, SlotGives, SlotName, SlotProps, Slots } from './slots.js';
