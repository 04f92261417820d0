// The screens' words, in the signed-in person's language. Every staff-facing string is read
// through `t()` from one table per language: `en.ts` defines the keys, and `es.ts` must have the
// same shape (the compiler refuses a missing or an extra key; ADR 0016).

import type { ScreenLanguage } from '../../backend/bindings';
import { en, type Messages } from './en';
import { es } from './es';

const TABLES: Record<ScreenLanguage, Messages> = { en, es };

let current = $state<ScreenLanguage>('en');

/** The table of the language in use; read inside markup, so the screens follow a change. */
export function t(): Messages {
  return TABLES[current];
}

export function language(): ScreenLanguage {
  return current;
}

export function setLanguage(next: ScreenLanguage): void {
  current = next;
  document.documentElement.lang = next;
}

/** A text a data file gives in several languages (an instrument's name, a band's label): the
 * one in the language of the screens, else the English, else `fallback`. */
export function inLanguage(texts: Partial<Record<string, string>> | null | undefined, fallback = ''): string {
  return texts?.[current] ?? texts?.en ?? fallback;
}
