/**
 * `npm run password-link -- <email>`: for the operator of the server (who can read its console),
 * prints a one-time set-password link for a staff member, built from BASE_URL. The way back in
 * when the only Admin has forgotten their password.
 */
import { recordAudit } from '../audit/record.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { normalizeEmail, userLabel } from '../kernel/names.js';
import { createPasswordToken } from './password-tokens.js';

const email = process.argv[2] ? normalizeEmail(process.argv[2]) : '';
if (!email) {
  process.stderr.write('Usage: npm run password-link -- <staff email>\n');
  process.exit(2);
}

try {
  const config = loadConfig(process.env);
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'first_name', 'last_name', 'disabled_at'])
    .where('email_normalized', '=', email)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
  if (!user || user.disabled_at !== null) {
    process.stderr.write(`No enabled staff member has the email ${email}.\n`);
    await db.destroy();
    process.exit(1);
  }
  const token = await db.transaction().execute(async (trx) => {
    const created = await createPasswordToken(trx, user.id, null);
    await recordAudit(trx, {
      actor: { id: null, label: 'Server console' },
      action: 'user.password_link_created',
      object: { type: 'user', id: user.id, label: userLabel(user) },
      after: { via: 'server console' },
    });
    return created.token;
  });
  process.stdout.write(
    `One-time link for ${user.email} (valid 72 hours):\n\n  ${config.baseUrl}/set-password/${token}\n\n`,
  );
  await db.destroy();
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `Could not create a link: ${String(error)}`}\n`,
  );
  process.exit(1);
}
