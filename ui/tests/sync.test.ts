import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Sync from '../src/screens/Sync.svelte';
import { BackendError } from '../src/backend';
import type { ImportSummary } from '../src/lib/types';
import { mockBackend } from './mock';

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  from: 'North Jail', sender: 's2', changes: 20, new_records: 5, updated_fields: 20, already_present: 0, conflicts: 0,
  nothing_new: false, not_applied: [], clock_warning: null, notice: null, ...over,
});

describe('sync screen', () => {
  it('locks a one-off bundle with the passphrase typed, for no particular site', async () => {
    const backend = mockBackend({ exportBundle: vi.fn(async () => ({ to: 'anyone with the passphrase', path: '/media/usb/all.bundle', changes: 42, bytes: 9000 })) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByText('One-off transfer locked with a passphrase'));
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'river stone lantern' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export everything with this passphrase…' }));
    await vi.waitFor(() => expect(backend.exportBundle).toHaveBeenCalledWith(null, true, 'river stone lantern'));
    expect((await screen.findByText(/42 changes are in \/media\/usb\/all.bundle/)).textContent).toContain('not on the stick');
  });

  it('shows a short passphrase refused beside its field', async () => {
    const refused = new BackendError({ code: 'validation', message: 'check the passphrase', fields: [{ field: 'passphrase', message: 'a passphrase needs at least 12 characters' }] });
    const backend = mockBackend({ exportBundle: vi.fn(async () => Promise.reject(refused)) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByText('One-off transfer locked with a passphrase'));
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export everything with this passphrase…' }));
    expect((await screen.findByText(/at least 12 characters/)).id).toBe('passphrase-error');
  });

  it('imports with the passphrase only when asked to, and says when nothing was new', async () => {
    const backend = mockBackend({ importBundle: vi.fn(async () => summary({ new_records: 0, updated_fields: 0, already_present: 20, nothing_new: true })) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import a bundle…' }));
    await vi.waitFor(() => expect(backend.importBundle).toHaveBeenCalledWith(undefined));
    expect((await screen.findByRole('status', { name: 'Import summary' })).textContent).toContain('Nothing new');
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'river stone lantern' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import a bundle with this passphrase…' }));
    await vi.waitFor(() => expect(backend.importBundle).toHaveBeenLastCalledWith('river stone lantern'));
  });

  it('does not say "nothing new" when the bundle brought changes', async () => {
    const backend = mockBackend({ importBundle: vi.fn(async () => summary()) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import a bundle…' }));
    const shown = await screen.findByRole('status', { name: 'Import summary' });
    expect(shown.textContent).toContain('5 new records, 20 fields updated');
    expect(shown.textContent).not.toContain('Nothing new');
  });
});
