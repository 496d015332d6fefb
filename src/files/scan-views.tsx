/** How content still waiting for its virus check looks to staff: a label beside it, and the page its download answers with. */
import type { FC } from 'hono/jsx';
import type { StoredFile } from '../db/schema.js';

/** A status label; its words are the whole message, so a screen reader says the same as the eye sees. */
export const BeingChecked: FC = () => <span class="status-label status-pending">Being checked</span>;

/** The answer to a download of content not yet passed: why, and that there is nothing to do but wait. */
export const BeingCheckedPage: FC<{ file: Pick<StoredFile, 'id' | 'name'>; version: number }> = ({
  file,
  version,
}) => (
  <section class="stack" aria-labelledby="checking-heading">
    <h2 id="checking-heading">“{file.name}” is being checked</h2>
    <p>
      Version {version} of this file has not yet passed the virus check, so it cannot be downloaded. The check
      runs again every minute; once it passes, the file can be downloaded as usual. Contacts do not see it
      until then.
    </p>
    <p>
      <a href={`/files/${file.id}`}>Back to the file</a>
    </p>
  </section>
);
