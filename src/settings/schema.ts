/** The firm's settings as validated input: shared by first-run setup and the Settings page. */
import * as v from 'valibot';
import { fields } from '../http/forms.js';

export const ENTITY_LABELS = ['Client', 'Case', 'Matter'] as const;

let zones: Set<string> | undefined;
export function timeZones(): Set<string> {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return zones;
}

export const settingsFields = {
  firmName: fields.name('firm name'),
  entityLabel: v.picklist(ENTITY_LABELS, 'Choose Client, Case or Matter.'),
  timeZone: v.pipe(
    v.string(),
    v.check((z) => timeZones().has(z), 'Choose a time zone from the list.'),
  ),
};

export const settingsSchema = v.object(settingsFields);
