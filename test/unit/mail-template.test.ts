/** Emails from one source: both parts, the firm's name in each, user data escaped, links only on BASE_URL. */
import { describe, expect, it } from 'vitest';
import { assertSafeSubject, linkTo, renderEmail, withFooter } from '../../src/mail/template.js';

describe('renderEmail', () => {
  it('writes the same words into the HTML and the text part, with the firm’s name in both', async () => {
    const e = await renderEmail({
      firmName: 'Harbour & Co <Legal>',
      baseUrl: 'https://portal.example.com',
      subject: 'Your  documents\nare ready',
      greeting: 'Hello <b>Grace</b>,',
      paragraphs: ['Two files "await" you.'],
      action: { label: 'Open the portal', path: '/portal?x=1&y=2' },
      note: 'This link lasts 72 hours.',
    });
    expect(e.subject).toBe('Your documents are ready');
    expect(e.text).toBe(
      'Harbour & Co <Legal>\n\nHello <b>Grace</b>,\n\nTwo files "await" you.\n\nOpen the portal: https://portal.example.com/portal?x=1&y=2\n\nThis link lasts 72 hours.\n\n-- \nSent by Harbour & Co <Legal>.\n',
    );
    expect(e.html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(e.html).toContain('<strong>Harbour &amp; Co &lt;Legal&gt;</strong>');
    expect(e.html).toContain('<p>Hello &lt;b&gt;Grace&lt;/b&gt;,</p>');
    // A link styled as a button (inline: mail clients drop stylesheets).
    expect(e.html).toMatch(
      /<a href="https:\/\/portal\.example\.com\/portal\?x=1&amp;y=2" style="display:inline-block;[^"]*">Open the portal<\/a>/,
    );
    expect(e.html).toContain('Sent by Harbour &amp; Co &lt;Legal&gt;.');
    expect(e.html).not.toContain('<b>');
  });

  it('builds links only from BASE_URL and a path', () => {
    expect(linkTo('https://portal.example.com', '/a/b')).toBe('https://portal.example.com/a/b');
    for (const bad of ['//evil.example/x', 'https://evil.example/x', 'a/b', '/\\evil.example'])
      expect(() => linkTo('https://portal.example.com', bad), bad).toThrow('not a path');
  });

  it('refuses a subject carrying a link or anything token-like', async () => {
    for (const bad of [
      'Sign in: https://portal.example.com/x',
      'Go to www.example.com',
      'Your code abcdefghijklmnopqrstuvwx',
    ])
      expect(() => assertSafeSubject(bad), bad).toThrow('must not carry a link or a code');
    await expect(
      renderEmail({
        firmName: 'F',
        baseUrl: 'https://p.example',
        subject: 'Token 0123456789abcdef0123',
        paragraphs: [],
      }),
    ).rejects.toThrow();
    expect(() => assertSafeSubject('Your sign-in link for Clearwater Accounting')).not.toThrow();
  });

  it('lets the firm’s name and the names given through, however long, and still refuses a code beside them', async () => {
    const firmName = 'PricewaterhouseCoopers-Consulting';
    const email = { firmName, baseUrl: 'https://p.example', paragraphs: [] };
    const rendered = await renderEmail({ ...email, subject: `Sign in to ${firmName}` });
    expect(rendered.subject).toBe('Sign in to PricewaterhouseCoopers-Consulting');
    await expect(
      renderEmail({
        ...email,
        subject: `${firmName}: Supercalifragilisticexpialidocious shared`,
        subjectNames: ['Supercalifragilisticexpialidocious'],
      }),
    ).resolves.toBeDefined();
    await expect(renderEmail({ ...email, subject: `${firmName} 0123456789abcdef0123` })).rejects.toThrow(
      'must not carry a link or a code',
    );
    await expect(
      renderEmail({ ...email, subject: `${firmName}: Supercalifragilisticexpialidocious` }),
    ).rejects.toThrow();
  });

  it('lets a client’s name through when it begins with the firm’s name (overlapping names)', async () => {
    const email = { firmName: 'Clearwater', baseUrl: 'https://p.example', paragraphs: [] };
    for (const names of [
      ['Clearwater', 'Clearwater Self-Managed-Super-Fund'],
      ['Clearwater Self-Managed-Super-Fund', 'Clearwater'],
    ])
      expect(() =>
        assertSafeSubject('Clearwater Self-Managed-Super-Fund was shared with you by Clearwater', names),
      ).not.toThrow();
    await expect(
      renderEmail({
        ...email,
        subject: 'Clearwater Self-Managed-Super-Fund was shared with you',
        subjectNames: ['Clearwater Self-Managed-Super-Fund'],
      }),
    ).resolves.toBeDefined();
    // A code beside the overlapping names is still refused.
    expect(() =>
      assertSafeSubject('Clearwater Self-Managed-Super-Fund 0123456789abcdef0123', [
        'Clearwater',
        'Clearwater Self-Managed-Super-Fund',
      ]),
    ).toThrow('must not carry a link or a code');
  });
});

describe('the footer the slot mail.footer gives', () => {
  it('ends both parts with its lines, as plain text, escaped in the HTML part', async () => {
    const email = await renderEmail({
      firmName: 'Clearwater',
      baseUrl: 'http://portico.test',
      subject: 'Hello',
      paragraphs: ['Hi.'],
    });
    const footed = await withFooter(email, [
      'Confidential: <for you> & only you.',
      '  ',
      'Level 2,\n1 Quay St',
    ]);
    expect(footed.subject).toBe('Hello');
    expect(footed.text).toBe(
      `${email.text.trimEnd()}\n\nConfidential: <for you> & only you.\n\nLevel 2, 1 Quay St\n`,
    );
    expect(footed.html).toBe(
      email.html.replace(
        '</body>',
        '<p><small>Confidential: &lt;for you&gt; &amp; only you.</small></p><p><small>Level 2, 1 Quay St</small></p></body>',
      ),
    );
    expect(await withFooter(email, [])).toBe(email);
  });
});
