/** The Settings page's place for other settings pages (Role Permissions, a plugin's own). */
import type { Actor } from '../permissions/index.js';

export interface SettingsLink {
  href: string;
  label: string;
  /** What is set there, after the link: "every built-in and custom role, and what each may do". */
  about: string;
}

declare module '../host/slots.js' {
  interface Slots {
    /** Links to further settings pages, for those who may use them. */
    'settings.links': { props: { actor: Actor }; gives: SettingsLink };
  }
}
