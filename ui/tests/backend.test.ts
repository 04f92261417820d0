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
