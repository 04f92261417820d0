// Escape and a page's Back button do the same thing everywhere. A dialog above the page takes
// Escape first (each dialog closes itself and stops the key), and Escape never throws away
// typing: pressed in a text field, it stays with the field.

const TYPING = 'input, textarea, [contenteditable="true"]';

/** A window key handler that calls `back` on Escape, unless a dialog is open, the key was
 * already used where it was pressed, the focus is in a text field, or the page (`page()`, its
 * outermost element) is hidden behind a screen that covers it, such as Preferences. */
export function backOnEscape(back: () => void, page?: () => HTMLElement | null | undefined): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (page?.()?.closest('[hidden]')) return;
    if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
    if (event.target instanceof Element && event.target.closest(TYPING)) return;
    event.preventDefault();
    back();
  };
}
