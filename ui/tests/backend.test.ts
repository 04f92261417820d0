import { setLanguage } from '../src/lib/i18n/index.svelte';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/backend';

describe('BackendError', () => {
  it('keeps the code and maps fields to messages', () => {
    const e = BackendError.from({ code: 'validation', message: 'dob: required', fields: [{ field: 'dob', message: 'required' }] });
    expect(e.code).toBe('validation');
    expect(e.byField()).toEqual({ dob: 'required' });
  });

  it('wraps anything else as an io error with its text', () => {
    const e = BackendError.from('window closed');
    expect(e.code).toBe('io');
    expect(e.message).toBe('Window closed.');
    expect(e.fields).toEqual([]);
  });

  it('shows the core’s message as a sentence and each field’s message as it is', () => {
    const e = BackendError.from({ code: 'validation', message: 'dob: the date of birth is in the future', fields: [{ field: 'dob', message: 'the date of birth is in the future' }] });
    expect(e.message).toBe('Dob: the date of birth is in the future.');
    expect(e.byField()).toEqual({ dob: 'the date of birth is in the future' });
    expect(BackendError.from({ code: 'forbidden', message: 'are you sure?', fields: [] }).message).toBe('Are you sure?');
  });
});

describe('the core’s messages in the person’s language', () => {
  it('shows the Spanish the core gives to a person who reads Spanish, and the English otherwise', () => {
    const report = {
      code: 'validation' as const,
      message: 'dob: date of birth cannot be in the future',
      message_es: 'dob: la fecha de nacimiento no puede estar en el futuro',
      fields: [{ field: 'dob', message: 'date of birth cannot be in the future', message_es: 'la fecha de nacimiento no puede estar en el futuro' }],
    };
    expect(BackendError.from(report).byField().dob).toBe('date of birth cannot be in the future');
    setLanguage('es');
    try {
      const err = BackendError.from(report);
      expect(err.message).toBe('Dob: la fecha de nacimiento no puede estar en el futuro.');
      expect(err.byField().dob).toBe('la fecha de nacimiento no puede estar en el futuro');
    } finally {
      setLanguage('en');
    }
  });
});
