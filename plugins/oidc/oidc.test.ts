/**
 * Sign in with an OpenID provider, against a real one on loopback (oidc-provider): staff and
 * contacts sign in, linked on first use only by a verified email of someone who may sign in;
 * identities stay keyed on (issuer, subject); a wrong or replayed state, a mix-up and an expired
 * flow are refused with one calm page and an audit line; linking needs a fresh sign-in; the last
 * way in cannot be unlinked; a firm can make staff use the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { hashPassword } from '../../src/auth/password.js';
import { createSession } from '../../src/auth/sessions.js';
import { BASE_URL, Client } from '../../test/helpers/app.js';
import { DIALECTS } from '../../test/helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../../test/helpers/factories.js';
import { useFirm } from '../../test/helpers/firm.js';
import { startOidcProvider, type TestOidcProvider } from '../../test/helpers/oidc-provider.js';

const CALLBACK = `${BASE_URL}/p/oidc/local/callback`;
let provider: TestOidcProvider;

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [{ client_id: 'portico', client_secret: 'portico-secret-of-the-test', redirect_uris: [CALLBACK] }],
    accounts: [
      { sub: 'ada-sub', email: 'ada@clearwater.example', email_verified: true, name: 'Ada' },
      { sub: 'grace-sub', email: 'grace@harbour.example', email_verified: true },
      { sub: 'unverified-sub', email: 'ada@clearwater.example', email_verified: false },
      { sub: 'stranger-sub', email: 'stranger@elsewhere.example', email_verified: true },
    ],
  });
});
afterAll(() => provider.close());

const env = () => ({
  OIDC_PROVIDERS: 'local',
  OIDC_LOCAL_ISSUER: provider.issuer,
  OIDC_LOCAL_CLIENT_ID: 'portico',
  OIDC_LOCAL_CLIENT_SECRET: 'portico-secret-of-the-test',
  OIDC_LOCAL_LABEL: 'Clearwater ID',
});

describe.each(DIALECTS)('signing in with an OpenID provider (%s)', (dialect) => {
  const firm = useFirm(dialect, { plugins: ['oidc'], env });

  /** Presses the button (from `client`), signs in at the provider as `sub`; the callback URL the provider sent back. */
  async function atProvider(client: Client, sub: string, start = '/p/oidc/local/start') {
    const started = await client.get(start);
    expect(started.status).toBe(302);
    const back = await provider.authorize(started.headers.get('location') ?? '', sub);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    return `${back.pathname}${back.search}`;
  }

  /** The flow cookie the start set (one per flow, named after its state). */
  const flowCookie = (client: Client) => [...client.cookies].find(([name]) => name.startsWith('portico_oidc_'));

  /** "Link Clearwater ID" as Your account offers it: its address carries the link token. */
  async function linkStart(client: Client): Promise<string> {
    const page = await (await client.get('/account')).text();
    const href = /<a href="(\/p\/oidc\/local\/start\?link=1&amp;t=[^"]+)">Link Clearwater ID<\/a>/.exec(page)?.[1];
    expect(href).toBeDefined();
    return href!.replace(/&amp;/g, '&');
  }

  async function signInAs(sub: string, start?: string, planted?: string) {
    const client = new Client(firm.app);
    // A session planted before signing in (fixation) must end, not become the one signed in.
    if (planted) client.cookies.set('portico_session', planted);
    const res = await client.get(await atProvider(client, sub, start));
    return { client, res };
  }

  const auditLines = () =>
    firm.db.selectFrom('audit_events').select(['action', 'after_json']).orderBy('at').execute();
  const identities = () => firm.db.selectFrom('oidc_identities' as never).selectAll().execute() as Promise<{ user_id: string; subject: string }[]>;

  let ada: User;
  const adaStaff = async () => (ada = await buildStaff(firm.db, ['entities_admin'], { email: 'ada@clearwater.example', firstName: 'Ada' }));

  it('shows its button on both sign-in pages, carrying where the page was to lead', async () => {
    const client = new Client(firm.app);
    expect(await (await client.get('/sign-in?next=/entities')).text()).toContain(
      '<a class="button secondary" href="/p/oidc/local/start?next=%2Fentities">Sign in with Clearwater ID</a>',
    );
    expect(await (await client.get('/sign-in/link')).text()).toContain('href="/p/oidc/local/start">Sign in with Clearwater ID</a>');
  });

  it('signs a staff member in by their verified email, links the identity, and leads to next', async () => {
    await adaStaff();
    const planted = await createSession(firm.db, firm.admin.id);
    const { client, res } = await signInAs('ada-sub', '/p/oidc/local/start?next=/entities', planted.token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/entities');
    expect(client.cookies.get('portico_session')).not.toBe(planted.token);
    expect(await firm.db.selectFrom('sessions').select('id').where('id', '=', planted.id).execute()).toEqual([]);
    expect((await client.get('/entities')).status).toBe(200);
    expect(await identities()).toEqual([expect.objectContaining({ user_id: ada.id, subject: 'ada-sub' })]);
    const lines = await auditLines();
    const signedInLine = lines.find((a) => a.action === 'session.signed_in');
    expect(JSON.parse(signedInLine?.after_json ?? '{}')).toMatchObject({ via: 'oidc:local', plugin: 'oidc' });
    expect(lines.some((a) => a.action === 'plugin.recorded' && a.after_json?.includes('linked on first sign-in'))).toBe(true);
    // The next sign-in finds the identity; an outside next is not followed.
    const again = await signInAs('ada-sub', '/p/oidc/local/start?next=//evil.example/x');
    expect(again.res.headers.get('location')).toBe('/');
  });

  it('signs a contact with portal access into their portal; one without it is refused with the host’s reason', async () => {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const grace = await buildContact(firm.db, harbour, { email: 'grace@harbour.example', firstName: 'Grace' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', harbour);
    const off = await signInAs('grace-sub');
    expect(off.res.status).toBe(403);
    expect(await off.res.text()).toContain('We could not sign you in');
    expect(off.client.cookies.has('portico_session')).toBe(false);
    expect(await identities()).toEqual([]);

    await firm.db.updateTable('contact_profiles').set({ portal_access: 1 }).where('user_id', '=', grace.id).execute();
    const on = await signInAs('grace-sub');
    expect(on.res.headers.get('location')).toBe('/portal');
    expect((await on.client.get('/portal')).status).toBe(200);
  });

  it('refuses an unverified email, an unknown one and a disabled person, creating nobody', async () => {
    await adaStaff();
    const unverified = await signInAs('unverified-sub');
    expect(unverified.res.status).toBe(403);
    expect(await unverified.res.text()).toContain('did not confirm that this email address is yours');
    const stranger = await signInAs('stranger-sub');
    expect(await stranger.res.text()).toContain('No account here uses the email address Clearwater ID gave us (stranger@elsewhere.example)');
    const before = await firm.db.selectFrom('users').select('id').execute();
    await firm.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', ada.id).execute();
    expect((await signInAs('ada-sub')).res.status).toBe(403);
    expect(await firm.db.selectFrom('users').select('id').execute()).toEqual(before);
    expect(await identities()).toEqual([]);
  });

  it('keeps the identity on (issuer, subject): a changed email at the provider signs in the same person', async () => {
    await adaStaff();
    await signInAs('ada-sub');
    const other = await buildStaff(firm.db, [], { email: 'ada.new@clearwater.example' });
    provider.accounts.set('ada-sub', { sub: 'ada-sub', email: 'ada.new@clearwater.example', email_verified: true });
    try {
      const { client } = await signInAs('ada-sub');
      const account = await (await client.get('/account')).text();
      expect(account).toContain(ada.email);
      expect(account).not.toContain(other.email);
    } finally {
      provider.accounts.set('ada-sub', { sub: 'ada-sub', email: 'ada@clearwater.example', email_verified: true, name: 'Ada' });
    }
  });

  it('refuses a replayed answer, a wrong state, no cookie, another issuer and an expired sign-in, each audited', async () => {
    await adaStaff();
    const client = new Client(firm.app);
    const callback = await atProvider(client, 'ada-sub');
    const tokens = provider.tokenRequests();
    const [cookieName, cookie] = flowCookie(client)!;
    expect((await client.get(callback)).status).toBe(303);
    // The same answer again: the flow was taken, so the code is never even sent to the provider.
    client.cookies.set(cookieName, cookie);
    const replayed = await client.get(callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('has expired or was already used');
    expect(provider.tokenRequests()).toBe(tokens + 1);

    const wrongState = new Client(firm.app);
    const answer = new URL(await atProvider(wrongState, 'ada-sub'), BASE_URL);
    answer.searchParams.set('state', 'not-the-state');
    expect((await wrongState.get(`${answer.pathname}${answer.search}`)).status).toBe(400);

    const noCookie = new Client(firm.app);
    const lost = await atProvider(noCookie, 'ada-sub');
    noCookie.cookies.delete(flowCookie(noCookie)![0]);
    expect((await noCookie.get(lost)).status).toBe(400);

    const mixUp = new Client(firm.app);
    const mixed = new URL(await atProvider(mixUp, 'ada-sub'), BASE_URL);
    mixed.searchParams.set('iss', 'https://attacker.example');
    expect((await mixUp.get(`${mixed.pathname}${mixed.search}`)).status).toBe(400);

    const slow = new Client(firm.app);
    const late = await atProvider(slow, 'ada-sub');
    await firm.db.updateTable('oidc_flows' as never).set({ expires_at: Date.now() - 1 } as never).execute();
    expect((await slow.get(late)).status).toBe(400);

    const refused = (await auditLines()).filter((a) => a.after_json?.includes('"reason"'));
    expect(refused.map((a) => JSON.parse(a.after_json!).details.reason)).toEqual([
      'state',
      'state',
      'state',
      'issuer',
      'expired',
    ]);
  });

  it('refuses an ID token whose nonce is not the flow’s', async () => {
    await adaStaff();
    const client = new Client(firm.app);
    const callback = await atProvider(client, 'ada-sub');
    await firm.db.updateTable('oidc_flows' as never).set({ nonce: 'another-nonce' } as never).execute();
    const res = await client.get(callback);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('answer could not be trusted');
    expect(client.cookies.has('portico_session')).toBe(false);
  });

  it('links from Your account only after a fresh sign-in, and never unlinks the last way in', async () => {
    const linus = await buildStaff(firm.db, [], { email: 'linus@clearwater.example' });
    // Invited, not yet set a password: a provider will be his only way in.
    await firm.db.updateTable('users').set({ password_hash: null }).where('id', '=', linus.id).execute();
    const client = await signedIn(firm.app, firm.db, linus);
    const account = await (await client.get('/account')).text();
    expect(account).toContain('Not linked to your account yet.');
    const start = await linkStart(client);
    // Another site's link to start linking, without the token Your account hands out, starts nothing.
    const forged = await client.get('/p/oidc/local/start?link=1');
    expect(forged.headers.get('location')).toBe('/account');
    expect(await firm.db.selectFrom('oidc_flows' as never).selectAll().execute()).toEqual([]);

    await firm.db.updateTable('sessions').set({ created_at: Date.now() - 11 * 60_000 }).execute();
    const stale = await client.get(start);
    expect(stale.headers.get('location')).toBe('/account');
    await firm.db.updateTable('sessions').set({ created_at: Date.now() }).execute();

    // Linking finishes only for the person who started it: signed out meanwhile, nothing is linked.
    const answer = await atProvider(client, 'ada-sub', start);
    const session = client.cookies.get('portico_session')!;
    client.cookies.delete('portico_session');
    expect((await client.get(answer)).status).toBe(400);
    expect(await identities()).toEqual([]);
    client.cookies.set('portico_session', session);

    const linked = await client.get(await atProvider(client, 'ada-sub', await linkStart(client)));
    expect(linked.headers.get('location')).toBe('/account');
    expect(await identities()).toEqual([expect.objectContaining({ user_id: linus.id, subject: 'ada-sub' })]);
    // Linus has no password: the identity is his only way in.
    const page = await (await client.get('/account')).text();
    expect(page).toContain('It is your only way in, so it cannot be unlinked.');
    const id = (await firm.db.selectFrom('oidc_identities' as never).select('id' as never).executeTakeFirstOrThrow()) as { id: string };
    expect((await client.post(`/p/oidc/identities/${id.id}/unlink`)).status).toBe(303);
    expect(await identities()).toHaveLength(1);

    await firm.db.updateTable('users').set({ password_hash: await hashPassword('a long enough password 1') }).where('id', '=', linus.id).execute();
    expect((await client.post(`/p/oidc/identities/${id.id}/unlink`)).status).toBe(303);
    expect(await identities()).toEqual([]);
    const whats = (await auditLines()).map((a) => (a.after_json ? JSON.parse(a.after_json).what : null));
    expect(whats).toEqual(expect.arrayContaining(['Clearwater ID linked', 'Clearwater ID unlinked']));
    // An identity linked to someone else cannot be linked to Linus too.
    await adaStaff();
    expect((await signInAs('ada-sub')).res.status).toBe(303);
    const taken = await client.get(await atProvider(client, 'ada-sub', await linkStart(client)));
    expect(taken.status).toBe(403);
    expect(await taken.text()).toContain('That Clearwater ID account is already linked to someone else here.');
    expect(await identities()).toEqual([expect.objectContaining({ user_id: ada.id })]);
  });

  it('a firm that makes staff use the provider refuses their password, and keeps staff to its domain', async () => {
    await adaStaff();
    await firm.db.updateTable('users').set({ password_hash: await hashPassword('a long enough password 1') }).where('id', '=', ada.id).execute();
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const bad = await admin.post('/plugins/oidc/settings', { staffProvider: 'nowhere', staffDomain: '', trustedTenants: '' });
    expect(bad.status).toBe(422);
    expect(
      (await admin.post('/plugins/oidc/settings', { staffProvider: 'local', staffDomain: 'harbour.example', trustedTenants: '' })).status,
    ).toBe(303);

    const outsider = await signInAs('ada-sub');
    expect(await outsider.res.text()).toContain('Staff sign in with Clearwater ID only with an address at harbour.example.');
    await admin.post('/plugins/oidc/settings', { staffProvider: 'local', staffDomain: 'clearwater.example', trustedTenants: '' });
    expect((await signInAs('ada-sub')).res.status).toBe(303);
    const password = await new Client(firm.app).post('/sign-in', { email: ada.email, password: 'a long enough password 1', next: '' });
    expect(await password.text()).toContain('Your firm asks staff to sign in with Clearwater ID');

    // Ada cannot unlink the provider her firm asks staff to use: it is her way in.
    const asAda = await signedIn(firm.app, firm.db, ada);
    const { id } = (await firm.db
      .selectFrom('oidc_identities' as never)
      .select('id' as never)
      .executeTakeFirstOrThrow()) as { id: string };
    expect((await asAda.post(`/p/oidc/identities/${id}/unlink`)).headers.get('location')).toBe('/account');
    expect(await identities()).toHaveLength(1);

    // Another staff member cannot satisfy the domain with an email the provider did not verify.
    const linus = await buildStaff(firm.db, [], { email: 'linus@elsewhere.example' });
    const asLinus = await signedIn(firm.app, firm.db, linus);
    const page = await (await asLinus.get('/account')).text();
    const start = /<a href="(\/p\/oidc\/local\/start\?link=1&amp;t=[^"]+)">Link Clearwater ID<\/a>/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    const refused = await asLinus.get(await atProvider(asLinus, 'unverified-sub', start!));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('only with an address at clearwater.example');
    expect(await identities()).toHaveLength(1);
  });
});
