// Escape and a page's Back button do the same thing everywhere. A dialog above the page takes
// Escape first (each dialog closes itself and stops the key), and Escape never throws away
// typing: pressed in a field, it stays with the field.

const TYPING = 'input, textarea, select, [contenteditable="true"]';

/** A window key handler that calls `back` on Escape, unless a dialog is open, the key was
 * already used where it was pressed, or the focus is in a field. */
export function backOnEscape(back: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
    if (event.target instanceof Element && event.target.closest(TYPING)) return;
    event.preventDefault();
    back();
  };
}
