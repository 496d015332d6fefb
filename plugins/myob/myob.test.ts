/**
 * Sign in with MYOB against a loopback server as strict as MYOB (test/helpers/myob-server.ts): it
 * is linked from Your account after a fresh sign-in, then signs that person in; before it is linked
 * it signs nobody in, whatever username MYOB gives; the client secret travels in the body, the
 * redirect URI is exact, and a replayed answer is refused without reaching MYOB.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, Client } from '../../test/helpers/app.js';
import { DIALECTS } from '../../test/helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, signedIn } from '../../test/helpers/factories.js';
import { useFirm } from '../../test/helpers/firm.js';
import { startMyob, type TestMyob } from '../../test/helpers/myob-server.js';

let myob: TestMyob;
beforeAll(async () => {
  myob = await startMyob({ id: 'portico-key', secret: 'portico-myob-secret' });
});
afterAll(() => myob.close());

describe.each(DIALECTS)('signing in with MYOB (%s)', (dialect) => {
  const firm = useFirm(dialect, {
    plugins: ['myob'],
    env: () => ({
      MYOB_CLIENT_ID: 'portico-key',
      MYOB_CLIENT_SECRET: 'portico-myob-secret',
      MYOB_AUTHORIZE_URL: myob.authorizeUrl,
      MYOB_TOKEN_URL: myob.tokenUrl,
    }),
  });

  // The loopback MYOB serves every test: each starts with no refusals on record.
  beforeEach(() => {
    myob.refusals.length = 0;
  });

  /** Follows the start to MYOB and back; the callback's path and query. */
  async function throughMyob(client: Client, start: string) {
    const started = await client.get(start);
    expect(started.status).toBe(302);
    const atMyob = await fetch(started.headers.get('location') ?? '', { redirect: 'manual' });
    const back = new URL(atMyob.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(`${BASE_URL}/p/myob/myob/callback`);
    return `${back.pathname}${back.search}`;
  }

  async function graceWithPortal() {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const grace = await buildContact(firm.db, harbour, { email: 'grace@harbour.example', firstName: 'Grace' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', harbour);
    await firm.db.updateTable('contact_profiles').set({ portal_access: 1 }).where('user_id', '=', grace.id).execute();
    return grace;
  }

  it('signs nobody in before it is linked, even when MYOB’s username is a known email', async () => {
    await graceWithPortal();
    const client = new Client(firm.app);
    const res = await client.get(await throughMyob(client, '/p/myob/myob/start'));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('MYOB is not linked to an account here yet');
    expect(client.cookies.has('portico_session')).toBe(false);
    expect(myob.refusals).toEqual([]);
  });

  it('is linked from Your account, then signs that person into their portal; a replay is refused', async () => {
    const grace = await graceWithPortal();
    const account = await signedIn(firm.app, firm.db, grace);
    const page = await (await account.get('/account')).text();
    const start = /<a href="(\/p\/myob\/myob\/start\?link=1&amp;t=[^"]+)">Link MYOB<\/a>/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(start).toBeDefined();
    const linked = await account.get(await throughMyob(account, start!));
    expect(linked.headers.get('location')).toBe('/account');
    expect(await (await account.get('/account')).text()).toContain('grace@harbour.example');

    const browser = new Client(firm.app);
    const callback = await throughMyob(browser, '/p/myob/myob/start');
    const [cookieName, cookie] = [...browser.cookies].find(([name]) => name.startsWith('portico_myob_'))!;
    const res = await browser.get(callback);
    expect(res.headers.get('location')).toBe('/portal');
    expect((await browser.get('/portal')).status).toBe(200);
    browser.cookies.set(cookieName, cookie);
    expect((await browser.get(callback)).status).toBe(400);
    // MYOB itself refused nothing: the secret went in the body, the redirect URI was exact, PKCE was sent.
    expect(myob.refusals).toEqual([]);
  });

  it('the loopback MYOB refuses a code used twice and another redirect URI, as MYOB does', async () => {
    const started = await new Client(firm.app).get('/p/myob/myob/start');
    const atMyob = await fetch(started.headers.get('location') ?? '', { redirect: 'manual' });
    const code = new URL(atMyob.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const exchange = (redirectUri: string) =>
      fetch(myob.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: 'portico-key',
          client_secret: 'portico-myob-secret',
          code,
          redirect_uri: redirectUri,
          grant_type: 'authorization_code',
        }),
      });
    expect((await exchange('http://elsewhere.example/cb')).status).toBe(400);
    expect(myob.refusals.at(-1)).toBe('another redirect_uri');
    expect((await exchange(`${BASE_URL}/p/myob/myob/callback`)).status).toBe(400);
    expect(myob.refusals.at(-1)).toBe('unknown or used code');
  });
});
