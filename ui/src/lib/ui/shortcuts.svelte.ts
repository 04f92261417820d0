// The keyboard shortcuts in force, for the help that `?` opens: each screen lists its own while
// it is shown, so the help names every key the screen answers to and nothing it does not.

import { onDestroy } from 'svelte';

export type Shortcut = { keys: string; does: string };

let registered = $state<{ id: number; list: () => Shortcut[] }[]>([]);
let next = 0;

/** Lists `list()` in the help while the calling component is mounted. Call it while the
 * component is created. */
export function useShortcuts(list: () => Shortcut[]): void {
  const id = next++;
  registered.push({ id, list });
  onDestroy(() => {
    registered = registered.filter((r) => r.id !== id);
  });
}

/** Every shortcut in force, in the order the components listed them, each once (two pages
 * shown at once both answer F6, and it is one key). */
export function shortcutsInForce(): Shortcut[] {
  const seen = new Set<string>();
  return registered.flatMap((r) => r.list()).filter((s) => !seen.has(s.keys) && seen.add(s.keys));
}

/** Whether a key pressed in `target` is typing, which a shortcut must leave alone. */
export function typing(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}
