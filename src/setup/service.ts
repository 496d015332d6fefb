/**
 * First-run setup: a one-time token printed on the console (like Jenkins' initial password)
 * proves the person at the setup page also controls the server. Setup creates the firm and its
 * first Admin in one transaction and then refuses forever.
 */

import { recordAudit } from '../audit/record.js';
import { hashPassword } from '../auth/index.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { EntityLabel } from '../db/schema.js';
import { normalizeEmail, userLabel } from '../kernel/names.js';
import { constantTimeEqual, generateId, generateToken, hashToken } from '../kernel/tokens.js';
import { addBinding, SYSTEM } from '../permissions/index.js';

export async function isSetUp(db: Db): Promise<boolean> {
  return (await db.selectFrom('organization').select('id').executeTakeFirst()) !== undefined;
}

/** Issues a fresh setup token for this process (each process may print its own) or null when set up. */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await isSetUp(db)) return null;
  const token = generateToken();
  await db
    .insertInto('setup_tokens')
    .values({ id: hashToken(token), created_at: Date.now() })
    .execute();
  return token;
}

export async function setupTokenIsValid(db: Db, token: string): Promise<boolean> {
  if (!token) return false;
  const wanted = hashToken(token.trim());
  const rows = await db.selectFrom('setup_tokens').select('id').execute();
  return rows.some((r) => constantTimeEqual(r.id, wanted));
}

export interface SetupInput {
  token: string;
  firmName: string;
  entityLabel: EntityLabel;
  timeZone: string;
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

/** Setup cannot go ahead: it is already done, or (`badToken`) the token is not one we issued. */
export class SetupRefused extends Error {
  constructor(readonly badToken = false) {
    super(badToken ? 'The setup token is not valid.' : 'Portico is already set up.');
  }
}

/** Creates the firm and its first Admin; returns the Admin's user id. */
export async function completeSetup(db: Db, input: SetupInput, requestId: string | null): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (await isSetUp(trx)) throw new SetupRefused();
    if (!(await setupTokenIsValid(trx, input.token))) throw new SetupRefused(true);
    const now = Date.now();
    // A second process finishing setup at the same moment hits the primary key: refuse, as above.
    await uniqueOr(
      trx
        .insertInto('organization')
        .values({
          id: 1,
          name: input.firmName,
          entity_label: input.entityLabel,
          time_zone: input.timeZone,
          created_at: now,
          updated_at: now,
        })
        .execute(),
      () => new SetupRefused(),
    );
    const userId = generateId();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        kind: 'staff',
        email: input.email,
        email_normalized: normalizeEmail(input.email),
        first_name: input.firstName,
        last_name: input.lastName,
        password_hash: passwordHash,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addBinding(trx, { userId }, 'admin', SYSTEM, null);
    await trx.deleteFrom('setup_tokens').execute();
    const label = userLabel({ first_name: input.firstName, last_name: input.lastName, email: input.email });
    await recordAudit(trx, {
      actor: { id: userId, label },
      action: 'setup.completed',
      object: { type: 'organization', id: '1', label: input.firmName },
      after: {
        firmName: input.firmName,
        entityLabel: input.entityLabel,
        timeZone: input.timeZone,
        admin: label,
      },
      requestId,
      at: now,
    });
    return userId;
  });
}

/** Deletes setup tokens once the firm is set up (one issued by a process started before it was). */
export async function forgetSetupTokens(db: Db): Promise<void> {
  const setUp = await db.selectFrom('organization').select('id').executeTakeFirst();
  if (setUp) await db.deleteFrom('setup_tokens').execute();
}
