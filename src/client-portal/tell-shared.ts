/**
 * Telling a contact that an entity was shared with them: the one "<Firm>: <Client> was shared with
 * you" email (a "Go to Client Portal" link opening at that entity), sent whether the access came
 * from Share in Client Portal or from Assign to clients, and the words that tell the sharer who was
 * emailed and who was not, and why. Never emails a contact whose Client portal switch is off, nor one
 * who may not sign in (disabled, Associated only): the permission half of that is asked of
 * contactWhoMaySignIn, after the access was given, in the caller's transaction.
 */
import { contactWhoMaySignIn, type LinkLetter, sendLink } from '../auth/index.js';
import type { Db } from '../db/connect.js';
import type { Config } from '../kernel/config.js';
import { listOf } from '../kernel/names.js';
import { sentTo } from '../mail/transport.js';

export interface TellSite {
  firmName: string;
  baseUrl: string;
  invitationMs: number;
}

/** A contact to tell: enough to name them and to know whether their switch is on. */
export interface Told {
  id: string;
  firstName: string;
  lastName: string;
  portalOn: boolean;
}

/** Who was emailed, and who was not and why. */
export interface TellOutcome<T extends Told = Told> {
  emailed: T[];
  /** Not emailed: their Client portal switch is off. */
  switchOff: T[];
  /** Not emailed: switch on, but they may not sign in (a disabled account). */
  cannotSignIn: T[];
}

export const noneTold = <T extends Told>(): TellOutcome<T> => ({
  emailed: [],
  switchOff: [],
  cannotSignIn: [],
});

type Words = { one: string; many: string; lower: string };
type Named = { id: string; name: string };

/**
 * The email's words for entities shared with someone: one entity is named with the firm's word for
 * it ("Client Clearwater Holdings"); several are listed. The link opens the portal at the first.
 */
export function sharedLetter(firmName: string, words: Words, entities: readonly Named[]): LinkLetter {
  const [first] = entities;
  const list = listOf(entities.map((e) => e.name));
  const one = entities.length === 1;
  return {
    kind: 'portal-shared',
    subject: one
      ? `${firmName}: ${words.one} ${first?.name} was shared with you`
      : `${firmName}: ${list} were shared with you`,
    subjectNames: entities.map((e) => e.name),
    ...(first ? { entityId: first.id } : {}),
    paragraphs: [
      one
        ? `${firmName} shared the ${words.lower} ${first?.name} with you in its client portal. No registration or password is needed: the link below signs you in.`
        : `${firmName} shared the ${words.many.toLowerCase()} ${list} with you in its client portal. No registration or password is needed: the link below signs you in.`,
    ],
  };
}

/**
 * Emails the contact (one email, whatever the number of entities: a newer link voids the older)
 * that `entities` were shared with them when their switch is on and they may sign in now (asked
 * after the access was given: it may be what lets them in), and files them in `into`.
 */
export async function tellShared<T extends Told>(
  trx: Db,
  site: TellSite,
  words: Words,
  entities: readonly Named[],
  contact: T,
  into: TellOutcome<T>,
): Promise<boolean> {
  return tellWith(trx, site, sharedLetter(site.firmName, words, entities), contact, into);
}

/**
 * The email for a file (or a folder: one email naming it) shared with a contact: what it is, in
 * which client, and the link that signs them in to the portal at that client.
 */
export function fileSharedLetter(
  firmName: string,
  item: { name: string; entityId: string; entityName: string },
): LinkLetter {
  return {
    kind: 'file-shared',
    subject: `${firmName}: ${item.name} was shared with you`,
    subjectNames: [item.name],
    entityId: item.entityId,
    paragraphs: [
      `${firmName} shared ${item.name} (${item.entityName}) with you in its client portal. No registration or password is needed: the link below signs you in.`,
    ],
  };
}

/** Tells the contact with `letter`, under the same rules as `tellShared` (switch on, may sign in). */
export async function tellWith<T extends Told>(
  trx: Db,
  site: TellSite,
  letter: LinkLetter,
  contact: T,
  into: TellOutcome<T>,
): Promise<boolean> {
  const person = contact.portalOn ? await contactWhoMaySignIn(trx, contact.id) : undefined;
  if (person) await sendLink(trx, site, person, 'invitation', site.invitationMs, letter);
  (person ? into.emailed : contact.portalOn ? into.cannotSignIn : into.switchOff).push(contact);
  return Boolean(person);
}

const names = (list: readonly Told[]) =>
  listOf([...new Set(list.map((c) => `${c.firstName} ${c.lastName}`))]);

/** The sentences naming who was emailed and who was not and why (empty when nobody was to be told). */
export function toldMessage(config: Config, o: TellOutcome): string[] {
  const was = (list: readonly Told[]) => (new Set(list.map((c) => c.id)).size === 1 ? 'was' : 'were');
  return [
    o.emailed.length ? `${sentTo(config, names(o.emailed)).replace(/^./, (ch) => ch.toUpperCase())}.` : '',
    o.switchOff.length ? `${names(o.switchOff)} ${was(o.switchOff)} not emailed: Client portal is off.` : '',
    o.cannotSignIn.length
      ? `${names(o.cannotSignIn)} ${was(o.cannotSignIn)} not emailed: they cannot sign in (account disabled).`
      : '',
  ].filter(Boolean);
}
