/** How people's emails are compared and how a person is named in logs and the audit trail. */

/** Emails are unique and compared case-insensitively, ignoring surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "First Last <email>": the label the audit log keeps, so it survives later renames. */
export function userLabel(u: { first_name: string; last_name: string; email: string }): string {
  return `${u.first_name} ${u.last_name} <${u.email}>`;
}
