// Who is signed in, for screens to hide what the person's roles cannot do. The core refuses it
// anyway; hiding only spares people buttons that would say no.

import { getContext, setContext } from 'svelte';
import type { Permission, Session } from '../backend/bindings';

export interface SessionContext {
  readonly current: Session | null;
  can(permission: Permission): boolean;
}

const KEY = Symbol('session');

/** `read` is called on every use, so screens follow the session as it changes. */
export function provideSession(read: () => Session | null): void {
  setContext<SessionContext>(KEY, {
    get current() {
      return read();
    },
    can(permission) {
      return read()?.permissions.includes(permission) ?? false;
    },
  });
}

export function useSession(): SessionContext {
  return getContext<SessionContext>(KEY) ?? { current: null, can: () => false };
}
