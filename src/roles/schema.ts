/**
 * What the custom role form accepts: a name, whether the role is for staff or contacts, and
 * permission letters, each one a letter its object type has in the catalogue (anything else is
 * refused, never dropped quietly).
 */
import * as v from 'valibot';
import type { UserKind } from '../db/schema.js';
import { ALL_PERMISSIONS, CONTACT_ROLE_PERMISSIONS, describePermissions } from '../permissions/index.js';

export const ROLE_KINDS: Record<UserKind, string> = { staff: 'Staff', contact: 'Contacts' };

export const NAME_MAX = 60;

export const roleSchema = v.pipe(
  v.object({
    name: v.pipe(
      v.string(),
      v.trim(),
      v.nonEmpty('Enter the role name.'),
      v.maxLength(NAME_MAX, `The role name must be at most ${NAME_MAX} characters.`),
    ),
    kind: v.picklist(
      Object.keys(ROLE_KINDS) as UserKind[],
      'Choose whether the role is for staff or contacts.',
    ),
    permissions: v.pipe(
      v.array(
        v.picklist(ALL_PERMISSIONS, 'Choose only the letters shown: each object type has its own letters.'),
      ),
      v.transform((list) => [...new Set(list)].sort()),
    ),
  }),
  v.forward(
    v.check(
      (role) => role.kind !== 'contact' || role.permissions.every((p) => CONTACT_ROLE_PERMISSIONS.has(p)),
      `A role for contacts may carry only ${describePermissions(CONTACT_ROLE_PERMISSIONS)}.`,
    ),
    ['permissions'],
  ),
);

export type RoleInput = v.InferOutput<typeof roleSchema>;

/** Role names are unique whatever their case or surrounding spaces. */
export const normalizeRoleName = (name: string) => name.trim().normalize('NFC').toLowerCase();

/** Why a role's kind stays as it is once someone holds it. */
export function kindLockedMessage(bindings: number): string {
  const times = bindings === 1 ? 'once' : `${bindings} times`;
  return `This cannot change now: the role is given ${times}, and a role for staff given to contacts (or the other way round) would be wrong. Make a new role instead.`;
}
