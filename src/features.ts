/**
 * The core features, in the order their routes are mounted and their parts registered. A feature
 * is added here and nowhere else: it brings its own routes, navigation, slot fillers, listeners,
 * jobs and schedules (each forgets its own expired rows).
 */
import { auditFeature } from './audit/feature.js';
import { authFeature } from './auth/index.js';
import { clientPortalFeature } from './client-portal/index.js';
import { contactsFeature } from './contacts/index.js';
import { entitiesFeature } from './entities/index.js';
import { filesFeature } from './files/index.js';
import { groupsFeature } from './groups/index.js';
import { homeFeature } from './home/index.js';
import type { Feature } from './host/index.js';
import { importFeature } from './import/index.js';
import { mailDeliveriesFeature } from './mail/deliveries/index.js';
import { outboxFeature } from './mail/feature.js';
import { notificationsFeature } from './notifications/index.js';
import { portalsFeature } from './portals/index.js';
import { rolesFeature } from './roles/index.js';
import { settingsFeature } from './settings/index.js';
import { setupFeature } from './setup/index.js';
import { sharingFeature } from './sharing/index.js';
import { staffFeature } from './staff/index.js';

export const FEATURES: readonly Feature[] = [
  setupFeature,
  authFeature,
  homeFeature,
  staffFeature,
  groupsFeature,
  // Before the entity and contact routes: /entities/import is not an entity's id.
  importFeature,
  entitiesFeature,
  contactsFeature,
  filesFeature,
  sharingFeature,
  clientPortalFeature,
  portalsFeature,
  notificationsFeature,
  settingsFeature,
  rolesFeature,
  auditFeature,
  outboxFeature,
  mailDeliveriesFeature,
];
