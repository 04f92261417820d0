// A dialog, or a form shown in place of the button that asked for it, opens on its first field
// and, when it goes, gives the focus back to what opened it (while that is still on the page),
// so a keyboard user is never left at the top of the page.

const FIELDS = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

/** A Svelte action for the dialog's outermost element. */
export function dialogFocus(node: HTMLElement): { destroy(): void } {
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  // After the dialog's own autofocus, if it has one, has had its turn.
  queueMicrotask(() => {
    if (!node.contains(document.activeElement)) node.querySelector<HTMLElement>(FIELDS)?.focus();
  });
  return {
    destroy() {
      if (opener?.isConnected) opener.focus();
    },
  };
}
