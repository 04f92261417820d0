// Moving the focus to a part of a page: a section's heading becomes focusable for the moment, so
// a screen reader reads where the person landed and the next Tab goes into that section.

/** The part of the page `id` names: a section, or the section a heading with that id heads. */
export function sectionOf(id: string): HTMLElement | null {
  const named = document.getElementById(id);
  return named?.matches('h2, h3') ? (named.closest('section') ?? named) : named;
}

/** Focuses the heading of the section `id` names (a section or its heading) and scrolls it to
 * the top, below the page's bar. */
export function focusSection(id: string): void {
  const named = document.getElementById(id);
  const target = named?.matches('h2, h3') ? named : (named?.querySelector<HTMLElement>('h2, h3') ?? named);
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'start' });
}

/** A Svelte action: the element comes into view when it appears (a message after an action),
 * as little as needed, so it is not left out of sight above or below the window; its scroll
 * margin (app.css) keeps it clear of the page's bar. */
export function reveal(node: HTMLElement): void {
  node.scrollIntoView?.({ block: 'nearest' });
}

/** A Svelte action for a page's heading (every Page's, a person's page's): it takes the focus
 * as the page opens, unless `take` is false, a dialog has the focus or the page is hidden. */
export function focusOnOpen(node: HTMLElement, take = true): void {
  if (!node.hasAttribute('tabindex')) node.tabIndex = -1;
  if (take && !document.querySelector('[role="dialog"]') && !node.closest('[hidden], [inert]')) node.focus({ preventScroll: true });
}
