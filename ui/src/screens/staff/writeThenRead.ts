// How a staff record's sections write: the write, then the record read again, so every section
// shows the record as it now stands (a credential added changes the warnings above it too).

import type { Action } from '../../lib/action.svelte';
import type { StaffRecord } from '../../backend/bindings';

/** Runs `write` for `form` of a section, then `read`; says `done` once both went through. */
export function writeThenRead(action: Action<StaffRecord>, read: () => Promise<StaffRecord>, form: string, write: () => Promise<unknown>, done: string): Promise<boolean> {
  return action.run(
    form,
    async () => {
      await write();
      return read();
    },
    done,
  );
}
