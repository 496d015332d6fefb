/** htmx attributes shared by the pages' partial updates. */

/**
 * Spread on an element that swaps a part of the page: a refusal (say, access taken away since the
 * page loaded) or a server error replaces the page's main content instead, so it reads as the page
 * it is, and the address is not changed to the refused one. (JSX cannot spell `hx-status:4xx`.)
 */
export const SHOW_REFUSALS_IN_MAIN = {
  'hx-status:403': 'target:#main swap:innerHTML push:false',
  'hx-status:404': 'target:#main swap:innerHTML push:false',
  'hx-status:5xx': 'target:#main swap:innerHTML push:false',
} as const;
