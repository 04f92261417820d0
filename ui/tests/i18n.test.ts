import { describe, expect, it } from 'vitest';
import { en } from '../src/lib/i18n/en';
import { es } from '../src/lib/i18n/es';

/** Every leaf of a table, by its path: strings, functions (by arity) and list entries. */
function leaves(table: unknown, path = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (typeof table === 'string' || typeof table === 'function') {
    found.set(path, table);
  } else if (table && typeof table === 'object') {
    for (const [key, value] of Object.entries(table)) {
      for (const [p, v] of leaves(value, path ? `${path}.${key}` : key)) found.set(p, v);
    }
  }
  return found;
}

// Words that are the same in both languages on purpose.
const SAME_IN_BOTH = new Set<string>(['reentry.plan', 'admin.roles', 'accountForm.roles', 'checkIns.total', 'dates.short', 'attendance.hoursShort', 'today.rollCallFor', 'rollCall.rowLabel', 'rollCall.markAs', 'staffRecord.supervisor', 'supervisionReport.sessionsMinutes', 'transfers.route']);

describe('the translation tables', () => {
  const english = leaves(en);
  const spanish = leaves(es);

  it('have the same keys: none missing in either language', () => {
    expect([...spanish.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !spanish.has(k))).toEqual([]);
  });

  it('take the same arguments for each message with blanks to fill', () => {
    for (const [key, message] of english) {
      if (typeof message === 'function') expect((spanish.get(key) as (...a: unknown[]) => string).length, key).toBe(message.length);
      else expect(typeof spanish.get(key), key).toBe('string');
    }
  });

  it('say something of their own in Spanish when the blanks are filled', () => {
    // Sample values for the blanks: a number where one is likely, else a word.
    const sample = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 7 : `x${i}`));
    for (const [key, message] of english) {
      if (typeof message !== 'function' || SAME_IN_BOTH.has(key)) continue;
      const args = sample(message.length);
      let en = '';
      let es = '';
      try {
        en = String((message as (...a: unknown[]) => string)(...args));
        es = String((spanish.get(key) as (...a: unknown[]) => string)(...args));
      } catch {
        continue; // a message that needs richer values than the samples
      }
      expect(es, `${key} says the same in both`).not.toBe(en);
    }
  });

  it('leave nothing empty and nothing still in English', () => {
    for (const [key, message] of spanish) {
      if (typeof message !== 'string') continue;
      expect(message.trim(), key).not.toBe('');
      if (!SAME_IN_BOTH.has(key) && message.length > 3) expect(message, `${key} is not translated`).not.toBe(english.get(key));
    }
  });
});
