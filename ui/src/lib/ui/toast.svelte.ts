// Short notes on what was just done ("Text size: 150%"), at the foot of the window where they
// are seen whatever the page's scroll. They stay until dismissed or pushed out by newer ones:
// a note that vanished on a timer would be gone before some people read it.

export type Toast = { id: number; message: string; kind?: string };

const KEPT = 3;
let list = $state<Toast[]>([]);
let next = 0;

/** Shows `message`; a note of the same `kind` (the text size, pressed five times) replaces
 * the one before rather than piling up. */
export function toast(message: string, kind?: string): void {
  list = [...list.filter((t) => !kind || t.kind !== kind), { id: next++, message, kind }].slice(-KEPT);
}

export function dismiss(id: number): void {
  list = list.filter((t) => t.id !== id);
}

export function toasts(): Toast[] {
  return list;
}

/** Clears every note, as when someone else signs in. */
export function clearToasts(): void {
  list = [];
}
