/** The host: the registries features (and later plugins) contribute to. */
export {
  createHost,
  defineFeature,
  type Feature,
  type FeatureDeps,
  type Host,
  type Registrar,
} from './feature.js';
export type { SlotFiller, SlotGives, SlotName, SlotProps, Slots } from './slots.js';
