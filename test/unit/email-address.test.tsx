/** An email address offers a phone a line break after its "@" and each dot, and nowhere else. */
import { describe, expect, it } from 'vitest';
import { EmailAddress } from '../../views/email-address.js';

describe('EmailAddress', () => {
  it('puts a break opportunity after the @ and after each dot, keeping every character', async () => {
    const html = String(await (<EmailAddress address="grace.hopper@clear-water.example" />));
    expect(html).toBe(
      '<span class="email-address">grace.<wbr/>hopper@<wbr/>clear-water.<wbr/>example</span>',
    );
  });

  it('escapes what it is given', async () => {
    const html = String(await (<EmailAddress address={'"<b>"@x.example'} />));
    expect(html).toContain('&quot;&lt;b&gt;&quot;@<wbr/>x.<wbr/>example');
  });
});
