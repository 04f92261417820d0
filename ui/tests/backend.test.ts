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
    expect(e.message).toBe('window closed');
    expect(e.fields).toEqual([]);
  });
});
