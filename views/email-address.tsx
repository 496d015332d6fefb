/**
 * An email address that a narrow screen wraps after its "@" or a dot, never mid-word: long
 * addresses in headings and table cells stay readable on a phone instead of pushing the page wide.
 */
import type { FC } from 'hono/jsx';

export const EmailAddress: FC<{ address: string }> = ({ address }) => (
  <span class="email-address">
    {address.split(/(?<=[@.])/).map((part, i) => (i === 0 ? part : [<wbr />, part]))}
  </span>
);
