// The keyboard shortcuts in force, for the help that `?` opens: each screen lists its own while
// it is shown, so the help names every key the screen answers to and nothing it does not.

import { onDestroy } from 'svelte';

export type Shortcut = { keys: string; does: string };

// A plain map, in the order components listed themselves: one screen mounts and the one it
// replaces unmounts in the same update, and a reactive list rebuilt on unmount could drop the
// newcomer's entry. The version number is what the help reads to follow changes.
const registered = new Map<number, () => Shortcut[]>();
let version = $state(0);
let next = 0;

/** Lists `list()` in the help while the calling component is mounted. Call it while the
 * component is created. */
export function useShortcuts(list: () => Shortcut[]): void {
  const id = next++;
  registered.set(id, list);
  version += 1;
  onDestroy(() => {
    registered.delete(id);
    version += 1;
  });
}

/** Every shortcut in force, in the order the components listed them, each once (two pages
 * shown at once both answer F6, and it is one key). */
export function shortcutsInForce(): Shortcut[] {
  void version;
  const seen = new Set<string>();
  return [...registered.values()].flatMap((list) => list()).filter((s) => !seen.has(s.keys) && seen.add(s.keys));
}

/** Whether a key pressed in `target` is typing, which a shortcut must leave alone. */
export function typing(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}
