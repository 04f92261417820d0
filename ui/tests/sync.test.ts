import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Sync from '../src/screens/Sync.svelte';
import { BackendError } from '../src/backend';
import type { ImportSummary, Peer } from '../src/backend/bindings';
import { mockBackend, sessionView } from './mock';

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  from: 'North Jail', sender: 's2', changes: 20, new_records: 5, updated_fields: 20, already_present: 0, conflicts: 0,
  nothing_new: false, not_applied: [], kept_out: [], clock_warning: null, notice: null, chain_warnings: [], ...over,
});

const office: Peer = { site_id: 's2', name: 'State Office', fingerprint: 'WXYZ-2345-WXYZ-2345', kind: 'program_site', added_ms: 0, added_by: 'ada' };
const clinicSite: Peer = { site_id: 's3', name: 'Eastside Clinic', fingerprint: 'CDEF-2345-CDEF-2345', kind: 'partner', added_ms: 0, added_by: 'ada' };

describe('sync screen', () => {
  it('locks a one-off bundle with the passphrase typed, for the one site chosen', async () => {
    const backend = mockBackend({ peersList: vi.fn(async () => [office, clinicSite]), bundleExport: vi.fn(async () => ({ to: 'State Office', path: '/media/usb/all.bundle', changes: 42, bytes: 9000 })) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByText('One-off transfer locked with a passphrase'));
    const lockedExport = screen.getByRole('button', { name: 'Export everything with this passphrase…' }) as HTMLButtonElement;
    await vi.waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('State Office'));
    // Not yet: it says why, stays reachable by Tab, and a press does nothing.
    expect(lockedExport.getAttribute('aria-disabled')).toBe('true');
    expect(lockedExport.getAttribute('aria-describedby') && document.getElementById(lockedExport.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Choose the site the changes are for.');
    await fireEvent.click(lockedExport);
    expect(backend.bundleExport).not.toHaveBeenCalled();
    await fireEvent.change(screen.getByLabelText('Send to'), { target: { value: 's2' } });
    expect(lockedExport.getAttribute('aria-disabled')).toBeNull();
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'river stone lantern' } });
    await fireEvent.click(lockedExport);
    await vi.waitFor(() => expect(backend.bundleExport).toHaveBeenCalledWith('s2', true, 'river stone lantern'));
    expect((await screen.findByText(/42 changes for State Office are in \/media\/usb\/all.bundle/)).textContent).toContain('not on the stick');
  });

  it('offers no community partner as a place to send a bundle', async () => {
    render(Harness, { props: { backend: mockBackend({ peersList: vi.fn(async () => [office, clinicSite]) }), screen: Sync } });
    await vi.waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('State Office'));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).not.toContain('Eastside Clinic');
  });

  it('shows a short passphrase refused beside its field', async () => {
    const refused = new BackendError({ code: 'validation', message: 'check the passphrase', message_es: 'check the passphrase', fields: [{ field: 'passphrase', message: 'a passphrase needs at least 12 characters', message_es: 'a passphrase needs at least 12 characters' }] });
    const backend = mockBackend({ peersList: vi.fn(async () => [office]), bundleExport: vi.fn(async () => Promise.reject(refused)) });
    render(Harness, { props: { backend, screen: Sync } });
    await vi.waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('State Office'));
    await fireEvent.change(screen.getByLabelText('Send to'), { target: { value: 's2' } });
    await fireEvent.click(await screen.findByText('One-off transfer locked with a passphrase'));
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'short' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export everything with this passphrase…' }));
    expect((await screen.findByText(/at least 12 characters/)).id).toBe('passphrase-error');
  });

  it('imports with the passphrase only when asked to, and says when nothing was new', async () => {
    const backend = mockBackend({ bundleImport: vi.fn(async () => summary({ new_records: 0, updated_fields: 0, already_present: 20, nothing_new: true })) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import changes from a file…' }));
    await vi.waitFor(() => expect(backend.bundleImport).toHaveBeenCalledWith(null));
    expect((await screen.findByRole('status', { name: 'Import summary' })).textContent).toContain('Nothing new');
    await fireEvent.input(screen.getByLabelText(/Passphrase/), { target: { value: 'river stone lantern' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Import a bundle with this passphrase…' }));
    await vi.waitFor(() => expect(backend.bundleImport).toHaveBeenLastCalledWith('river stone lantern'));
  });

  it('does not say "nothing new" when the bundle brought changes', async () => {
    const backend = mockBackend({ bundleImport: vi.fn(async () => summary()) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import changes from a file…' }));
    const shown = await screen.findByRole('status', { name: 'Import summary' });
    expect(shown.textContent).toContain('5 new records, 20 fields updated');
    expect(shown.textContent).not.toContain('Nothing new');
  });

  it('lists what was kept out and why, and names a rewritten audit trail loudly', async () => {
    const kept = { table: 'participants', record: 'p9', field: 'legal_name', reason: 'written by a site this one does not trust: add its card to receive its changes' };
    const rewritten = 'the audit trail of North Jail was rewritten: its entry 42 is not the one this site saw';
    const backend = mockBackend({ bundleImport: vi.fn(async () => summary({ kept_out: [kept], chain_warnings: [rewritten] })) });
    render(Harness, { props: { backend, screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import changes from a file…' }));
    const shown = await screen.findByRole('status', { name: 'Import summary' });
    expect(shown.textContent).toContain('1 kept out');
    expect(shown.textContent).toContain('participants p9 legal_name: written by a site this one does not trust');
    expect((await screen.findByRole('alert')).textContent).toContain(rewritten);
  });

  it('trusts a card as a community partner when that box is ticked, and stops trusting a site', async () => {
    const card = { format: 'bridger-site-card/2', site_id: 's3', name: 'Eastside Clinic', age_recipient: 'age1x', verify_key: 'k', fingerprint: clinicSite.fingerprint };
    const peerTrust = vi.fn(async () => clinicSite);
    const peerRemove = vi.fn(async () => null);
    const backend = mockBackend({ peerCardOpen: vi.fn(async () => card), peerTrust, peerRemove, peersList: vi.fn(async () => [office]) });
    render(Harness, { props: { backend, screen: Sync, session: sessionView(['admin']).session } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add a site from its card…' }));
    await fireEvent.input(await screen.findByLabelText('The fingerprint you heard'), { target: { value: clinicSite.fingerprint } });
    await fireEvent.click(screen.getByLabelText(/A community partner/));
    await fireEvent.click(screen.getByRole('button', { name: 'Trust this site' }));
    await vi.waitFor(() => expect(peerTrust).toHaveBeenCalledWith(card, clinicSite.fingerprint, 'partner'));
    expect((await screen.findByRole('status')).textContent).toContain('community partner');
    await fireEvent.click(screen.getByRole('button', { name: 'Stop trusting State Office…' }));
    expect(peerRemove).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Keep' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Stop trusting State Office…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Stop trusting State Office' }));
    await vi.waitFor(() => expect(peerRemove).toHaveBeenCalledWith('s2'));
  });

  it('opens on the three steps of a first exchange while no site is trusted, and says why Export waits', async () => {
    render(Harness, { props: { backend: mockBackend(), screen: Sync } });
    const steps = await screen.findByRole('region', { name: 'First exchange with another site, in three steps' });
    expect(within(steps).getAllByRole('listitem').map((li) => li.textContent?.trim().slice(0, 12))).toEqual(["Save this si", 'Add the othe', 'Export the c']);
    const exportButton = screen.getByRole('button', { name: 'Export to a file…' });
    expect(document.getElementById(exportButton.getAttribute('aria-describedby') ?? '')?.textContent).toBe('No site is trusted yet: steps 1 and 2 come first.');
    // Each action is offered once, in its step.
    expect(screen.getAllByRole('button', { name: 'Save the card…' })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: 'Add a site from its card…' })).toHaveLength(1);
  });

  it('says so when the file dialog is cancelled, rather than nothing', async () => {
    render(Harness, { props: { backend: mockBackend({ peersList: vi.fn(async () => [office]) }), screen: Sync } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import changes from a file…' }));
    expect((await screen.findByRole('status')).textContent).toBe('No file was chosen, so nothing was imported.');
  });
});
