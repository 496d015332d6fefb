/**
 * Every core migration, in order. Listed statically (not read from a folder at run time) so the
 * built app, the tests and the bench all migrate with exactly the same set.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_change_counters.js';
import * as m0003 from './0003_entities.js';
import * as m0004 from './0004_contacts.js';
import * as m0005 from './0005_imports.js';
import * as m0006 from './0006_entity_references.js';
import * as m0007 from './0007_mail_queue.js';
import * as m0008 from './0008_search.js';
import * as m0009 from './0009_sign_in_links.js';
import * as m0010 from './0010_portals.js';
import * as m0011 from './0011_entity_notifications.js';
import * as m0012 from './0012_last_signed_in.js';
import * as m0013 from './0013_event_deliveries.js';
import * as m0014 from './0014_plugin_settings.js';
import * as m0015 from './0015_home_counters.js';
import * as m0016 from './0016_counters_lock_first.js';
import * as m0017 from './0017_files.js';
import * as m0018 from './0018_resumable_uploads.js';
import * as m0019 from './0019_file_scans.js';
import * as m0020 from './0020_file_previews.js';
import * as m0021 from './0021_notifications.js';
import * as m0022 from './0022_mail_deliveries.js';
import * as m0023 from './0023_file_preview_pages.js';
import * as m0024 from './0024_files_newest.js';
import * as m0025 from './0025_notifications_counter.js';
import * as m0026 from './0026_mail_outcomes_held.js';

export const coreMigrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_change_counters': m0002,
  '0003_entities': m0003,
  '0004_contacts': m0004,
  '0005_imports': m0005,
  '0006_entity_references': m0006,
  '0007_mail_queue': m0007,
  '0008_search': m0008,
  '0009_sign_in_links': m0009,
  '0010_portals': m0010,
  '0011_entity_notifications': m0011,
  '0012_last_signed_in': m0012,
  '0013_event_deliveries': m0013,
  '0014_plugin_settings': m0014,
  '0015_home_counters': m0015,
  '0016_counters_lock_first': m0016,
  '0017_files': m0017,
  '0018_resumable_uploads': m0018,
  '0019_file_scans': m0019,
  '0020_file_previews': m0020,
  '0021_notifications': m0021,
  '0022_mail_deliveries': m0022,
  '0023_file_preview_pages': m0023,
  '0024_files_newest': m0024,
  '0025_notifications_counter': m0025,
  '0026_mail_outcomes_held': m0026,
};
