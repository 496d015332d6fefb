/**
 * What the Create portal form accepts. The portal name's rules are the seed's, one message each:
 * not blank, none of `, ( [ ~ # % * { } < > ? / + | \ " ) ]`, at most 55 characters (and unique,
 * which the service checks, since only the database knows).
 */
import * as v from 'valibot';
import { fields } from '../http/forms.js';
import type { PortalAccess } from '../permissions/index.js';

export const PORTAL_NAME_MAX = 55;

/** The seed's list: ",([~#%*{}<>?/+|\"])". */
export const FORBIDDEN_IN_NAME = [
  ',',
  '(',
  '[',
  '~',
  '#',
  '%',
  '*',
  '{',
  '}',
  '<',
  '>',
  '?',
  '/',
  '+',
  '|',
  '\\',
  '"',
  ')',
  ']',
];

const forbiddenIn = (name: string) => FORBIDDEN_IN_NAME.filter((ch) => name.includes(ch));

export const portalName = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty('Enter a portal name.'),
  v.check(
    (name) => forbiddenIn(name).length === 0,
    (issue) =>
      `A portal name cannot contain ${forbiddenIn(String(issue.input)).join(' ')}. Leave out these characters: ${FORBIDDEN_IN_NAME.join(' ')}`,
  ),
  v.maxLength(PORTAL_NAME_MAX, `A portal name must be ${PORTAL_NAME_MAX} characters or fewer.`),
);

export const portalSchema = v.object({ name: portalName });

/** "Create new user": a contact made with the portal, in one of its entities. */
export const newUserSchema = v.object({
  newFirstName: fields.name('first name'),
  newLastName: fields.name('last name'),
  newEmail: fields.email(),
  newClient: v.pipe(v.string(), v.nonEmpty('Choose which of the portal’s clients they belong to.')),
});

export const ACCESS_LABELS: Record<PortalAccess, string> = {
  full: 'Full access',
  contributor: 'Contributor',
};

export const isAccess = (value: string): value is PortalAccess => value in ACCESS_LABELS;

/** What the form holds, as typed (so it can be shown again). */
export interface PortalValues {
  name?: string;
  entities?: string[];
  administrator?: string;
  /** Contact id → how they are a member. */
  members?: Record<string, PortalAccess>;
  newFirstName?: string;
  newLastName?: string;
  newEmail?: string;
  newClient?: string;
  newAccess?: string;
  sendAs?: string;
  notify?: string[];
  bulk?: string[];
}
