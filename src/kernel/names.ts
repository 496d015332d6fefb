/** How people's emails are compared and how a person is named in logs and the audit trail. */

/** Emails are unique and compared case-insensitively, ignoring surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "First Last <email>": the label the audit log keeps, so it survives later renames. */
export function userLabel(u: { first_name: string; last_name: string; email: string }): string {
  return `${u.first_name} ${u.last_name} <${u.email}>`;
}

/** Names joined for a sentence: "Ada", "Ada and Grace", "Ada, Grace and Linus". */
export function listOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
