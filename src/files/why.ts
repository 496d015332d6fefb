/**
 * "Why can this person see it?" on a file or a folder, for those who may share it: the roles
 * behind the person's File R on its chain (src/permissions' `explain`), each named by where it is
 * given, and for a contact the entity role that admits them, without which no item role counts.
 * A person the viewer may not know of reads as no one (src/people's knownPersonWithEmail).
 */
import type { Db } from '../db/connect.js';
import { knownPersonWithEmail } from '../people/index.js';
import {
  type Actor,
  type EffectiveBinding,
  entityChain,
  explain,
  loadActor,
  roleNames,
  type ScopeChain,
} from '../permissions/index.js';
import { foldersById } from './queries.js';

export interface WhyRow {
  role: string;
  /** Where the role is given: this item, a folder around it, the client, a portal, every client. */
  where: string;
  /** The group it comes through; null when given to the person. */
  through: string | null;
}

export type Why =
  | { none: string }
  | { name: string; disabled: boolean; reasons: WhyRow[]; admittedBy: WhyRow[] | null };

export async function whyCanRead(
  db: Db,
  viewer: Actor,
  email: string,
  chain: ScopeChain,
  named: { item: string; entity: { id: string; name: string }; everyEntity: string },
): Promise<Why> {
  const person = await knownPersonWithEmail(db, viewer, email);
  if (!person) return { none: `No one you can look up here has the email address ${email}.` };
  const name = `${person.first_name} ${person.last_name}`;
  // A disabled account cannot sign in, so it sees nothing, whatever roles it keeps.
  if (person.disabled_at !== null) return { name, disabled: true, reasons: [], admittedBy: null };
  const actor = await loadActor(db, person);
  const reasons = explain(actor, 'file:R', chain);
  const admittedBy =
    person.kind === 'contact' && reasons.length
      ? explain(actor, 'entity.summary:R', entityChain(named.entity.id))
      : [];
  const bindings = [...reasons, ...admittedBy];
  const [roles, folders, portals] = await Promise.all([
    roleNames(
      db,
      bindings.map((b) => b.roleId),
    ),
    foldersById(db, idsAt(bindings, 'folder')),
    portalNames(db, idsAt(bindings, 'portal')),
  ]);
  const row = (b: EffectiveBinding): WhyRow => ({
    role: roles.get(b.roleId) ?? b.roleId,
    where:
      b.scope.type === 'item'
        ? named.item
        : b.scope.type === 'folder'
          ? `The folder “${folders.get(b.scope.id)?.name ?? '…'}”`
          : b.scope.type === 'portal'
            ? `Portal ${portals.get(b.scope.id) ?? '…'}`
            : b.scope.type === 'entity'
              ? named.entity.name
              : named.everyEntity,
    through: b.group?.name ?? null,
  });
  return {
    name,
    disabled: false,
    reasons: reasons.map(row),
    admittedBy: person.kind === 'contact' && reasons.length ? admittedBy.map(row) : null,
  };
}

const idsAt = (bindings: readonly EffectiveBinding[], type: string) =>
  bindings.filter((b) => b.scope.type === type).map((b) => b.scope.id);

async function portalNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('portals').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
