// The one interface between the screens and the core: the commands generated from the desktop
// shell (ADR 0010). Components never import @tauri-apps directly: the app gets the Tauri
// implementation, tests get the mock.

import { getContext, setContext } from 'svelte';
import type { commands, ErrorCode, ErrorReport, FieldError } from './bindings';
import { language } from '../lib/i18n/index.svelte';

/** Every command of the core, with the types it takes and gives. */
export type Backend = typeof commands;

/** The core's messages are written to follow "bridger:" on a terminal, lowercase and without a
 * full stop; a banner on screen is a sentence. Field messages stay as they are, beside their
 * field. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/** An error from the core, with the code the UI branches on and any per-field messages. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(report: ErrorReport) {
    // The core says everything in English and in Spanish; the person reads their own language.
    super(asSentence(language() === 'es' ? (report.message_es ?? report.message) : report.message));
    this.code = report.code;
    this.fields = report.fields ?? [];
  }

  static from(e: unknown): BackendError {
    if (e instanceof BackendError) return e;
    if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
      return new BackendError(e as ErrorReport);
    }
    return new BackendError({ code: 'io', message: String(e), message_es: String(e), fields: [] });
  }

  /** What a form shows for a failed call: each field's message beside it, anything else as a
   * banner above the form. */
  static explain(e: unknown): { errors: Record<string, string>; banner: string | null } {
    const err = BackendError.from(e);
    return { errors: err.byField(), banner: err.fields.length === 0 ? err.message : null };
  }

  /** Field name → message, for showing each error beside its field. */
  byField(): Record<string, string> {
    return Object.fromEntries(this.fields.map((f) => [f.field, language() === 'es' ? (f.message_es ?? f.message) : f.message]));
  }
}

/** The codes that mean the person is no longer signed in at this window. */
const SESSION_ENDED: ErrorCode[] = ['locked', 'not_signed_in'];

/** `backend` with every failure turned into a `BackendError`, and every failure that means the
 * session ended (the screen locked after the idle time, or someone signed out) also reported to
 * `onEnded`, so the app can show the sign-in screen whichever screen made the call. */
export function guarded(backend: Backend, onEnded: (code: ErrorCode) => void): Backend {
  const wrapped = Object.fromEntries(
    Object.entries(backend).map(([name, call]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await (call as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (e) {
          const err = BackendError.from(e);
          if (SESSION_ENDED.includes(err.code)) onEnded(err.code);
          throw err;
        }
      },
    ]),
  );
  return wrapped as Backend;
}

const KEY = Symbol('backend');

export function provideBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function useBackend(): Backend {
  return getContext<Backend>(KEY);
}
