import { describe, expect, it, vi } from 'vitest';
import { Action, Page } from '../src/lib/action.svelte';

describe('running an action from a section', () => {
  it('hands on what the action gives back and says what it did', async () => {
    const onResult = vi.fn();
    const action = new Action<string>(onResult);
    expect(await action.run('item', async () => 'the plan', 'Saved.')).toBe(true);
    expect(onResult).toHaveBeenCalledWith('the plan');
    expect(action.message).toBe('Saved.');
    expect(action.banner).toBeNull();
  });

  it('shows a field refusal only beside the form that made it', async () => {
    const action = new Action<string>(() => {});
    const refusal = { code: 'validation', message: 'x', fields: [{ field: 'revoked_on', message: 'a revocation cannot be dated in the future' }] };
    expect(await action.run('revoke-c1', async () => Promise.reject(refusal))).toBe(false);
    expect(action.error('revoke-c1', 'revoked_on')).toBe('a revocation cannot be dated in the future');
    expect(action.error('revoke-c2', 'revoked_on')).toBeUndefined();
    expect(action.banner).toBeNull();
  });

  it('shows a refusal that names no field as a banner, and clears it when the next try goes through', async () => {
    const action = new Action<string>(() => {});
    await action.run('handoff', async () => Promise.reject({ code: 'forbidden', message: 'no consent in force covers this partner', fields: [] }));
    expect(action.banner).toBe('No consent in force covers this partner.');
    await action.run('handoff', async () => {
      action.say('The hand-off is saved.');
    });
    expect(action.banner).toBeNull();
    expect(action.message).toBe('The hand-off is saved.');
  });

  it('shows only the answer of the section that acted last on a page', async () => {
    const page = new Page();
    const items = new Action<string>(() => {}, page);
    const consents = new Action<string>(() => {}, page);
    await items.run('item', async () => 'plan', 'Item added.');
    expect(items.shown).toBe(true);
    const refusal = { code: 'validation', message: 'x', fields: [{ field: 'purpose', message: 'say what the information is for' }] };
    await consents.run('consent', async () => Promise.reject(refusal));
    expect(items.shown).toBe(false);
    expect(consents.shown).toBe(true);
    expect(consents.error('consent', 'purpose')).toBe('say what the information is for');
    await items.run('item', async () => 'plan');
    expect(consents.error('consent', 'purpose')).toBeUndefined();
  });
});
