// Who is signed in, for screens to hide what the person's roles cannot do. The core refuses it
// anyway; hiding only spares people buttons that would say no.

import { getContext, setContext } from 'svelte';
import type { Permission, Session } from '../backend/bindings';

export interface SessionContext {
  readonly current: Session | null;
  /** The facility the person works at, as the core decides it; screens with a facility to
   * choose open on it. */
  readonly home: string | null;
  can(permission: Permission): boolean;
}

const KEY = Symbol('session');

/** `read` is called on every use, so screens follow the session as it changes. */
export function provideSession(read: () => Session | null, home: () => string | null = () => null): void {
  setContext<SessionContext>(KEY, {
    get current() {
      return read();
    },
    get home() {
      return home();
    },
    can(permission) {
      return read()?.permissions.includes(permission) ?? false;
    },
  });
}

export function useSession(): SessionContext {
  return getContext<SessionContext>(KEY) ?? { current: null, home: null, can: () => false };
}
