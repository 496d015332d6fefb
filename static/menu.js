/*
 * The header's menus (the Admin menu, the narrow screen's Menu) are <details>, which open and close
 * without any script. This adds what people expect of a menu on top: Escape closes an open one
 * (focus goes back to its summary when it was inside), and so does a click or a Tab outside it.
 * Listeners sit on the document, so they hold whatever the page swaps in. It reads and sends nothing.
 */
const MENUS = 'header details[open]';

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  for (const menu of document.querySelectorAll(MENUS)) {
    const hadFocus = menu.contains(document.activeElement);
    menu.open = false;
    if (hadFocus) menu.querySelector('summary').focus();
  }
});

document.addEventListener('click', (event) => {
  for (const menu of document.querySelectorAll(MENUS)) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

// Tabbing past the last link leaves no open menu over the page. A focus going nowhere (a click on
// the page's background) is the click listener's.
document.addEventListener('focusout', (event) => {
  const menu = event.target.closest(MENUS);
  if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
});
