import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Admin from '../src/screens/Admin.svelte';
import Audit from '../src/screens/Audit.svelte';
import type { Account, AuditEntry } from '../src/backend/bindings';
import { facility, mockBackend, sessionView } from './mock';

const ada: Account = {
  id: 'a1', username: 'ada', display_name: 'Ada Admin', roles: ['admin', 'coordinator'], scope: { kind: 'all' },
  active: true, must_change_password: false, created_ms: 0, updated_ms: 0,
};

function mountAdmin(backend: ReturnType<typeof mockBackend>) {
  render(Harness, { props: { backend, screen: Admin, props: { settings: sessionView().settings, onSettingsSaved: vi.fn() } } });
}

describe('admin screen', () => {
  it('creates a peer specialist limited to one facility', async () => {
    const backend = mockBackend({ accountsList: vi.fn(async () => [ada]) });
    mountAdmin(backend);
    const row = (await screen.findByText('Ada Admin')).closest('tr') as HTMLElement;
    expect(within(row).queryByRole('button', { name: 'Deactivate' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'New account' }));
    const form = screen.getByRole('form', { name: 'New account' });
    await fireEvent.input(within(form).getByLabelText(/User name/), { target: { value: 'pat' } });
    await fireEvent.input(within(form).getByLabelText(/Full name/), { target: { value: 'Pat Peer' } });
    await fireEvent.input(within(form).getByLabelText(/Temporary password/), { target: { value: 'temporary password' } });
    await fireEvent.click(within(form).getByLabelText(/Peer specialist/));
    await fireEvent.click(within(form).getByLabelText('Only these:'));
    await fireEvent.click(within(form).getByLabelText(`${facility.name} (${facility.code})`));
    await fireEvent.click(within(form).getByRole('button', { name: 'Create account' }));
    await vi.waitFor(() =>
      expect(backend.accountCreate).toHaveBeenCalledWith({
        username: 'pat', display_name: 'Pat Peer', password: 'temporary password', roles: ['peer_specialist'], scope: { kind: 'facilities', facilities: [facility.id] },
      }),
    );
    expect((await screen.findByRole('status')).textContent).toContain('pat can now sign in');
  });

  it('shows a settings refusal beside its field', async () => {
    const saveSettings = vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [{ field: 'idle_lock_minutes', message: 'the screen locks after 1 to 240 idle minutes' }] };
    });
    mountAdmin(mockBackend({ settingsSet: saveSettings }));
    const box = await screen.findByLabelText('Lock the screen after idle minutes');
    await fireEvent.input(box, { target: { value: '0' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('the screen locks after 1 to 240 idle minutes');
  });
});

describe('audit screen', () => {
  const entry: AuditEntry = { seq: 7, at_ms: 0, actor: 'pat', workstation: 'ws-1', action: 'view', table: 'participants', record_id: 'p1', participant_name: 'SMITH, Mary', detail: '' };

  it('names what verification found and narrows the list to one participant', async () => {
    const auditPage = vi.fn(async () => ({ total: 1, entries: [entry] }));
    const auditVerify = vi.fn(async () => ({ entries: 9, ok: false, problems: ['entry 4 was removed'] }));
    render(Harness, { props: { backend: mockBackend({ auditPage, auditVerify }), screen: Audit } });
    await fireEvent.click(await screen.findByRole('button', { name: 'SMITH, Mary' }));
    expect(auditPage).toHaveBeenLastCalledWith({ actor: null, participant: 'p1', from: null, to: null }, 0, 100);
    await fireEvent.click(screen.getByRole('button', { name: 'Verify the chain' }));
    expect((await screen.findByRole('alert')).textContent).toContain('entry 4 was removed');
  });

  it('names records in words and never calls a person it may not name deleted', async () => {
    const hidden: AuditEntry = { ...entry, seq: 8, record_id: 'p2', participant_name: null };
    const plan: AuditEntry = { ...entry, seq: 9, action: 'create', table: 'reentry_plans', record_id: 'r1', participant_name: null, detail: 'status' };
    render(Harness, { props: { backend: mockBackend({ auditPage: vi.fn(async () => ({ total: 3, entries: [plan, hidden, entry] })) }), screen: Audit } });
    const planRow = (await screen.findByText('reentry plan')).closest('tr') as HTMLElement;
    expect(within(planRow).getByText('created')).toBeTruthy();
    expect(screen.queryByText('reentry_plans')).toBeNull();
    expect(screen.getByRole('button', { name: 'a participant not on your roster' })).toBeTruthy();
    expect(screen.queryByText(/deleted participant/)).toBeNull();
  });

  it('gives the anchor for the paper log and checks one written earlier', async () => {
    const auditCheckAnchor = vi.fn(async () => {
      throw { code: 'tampered', message: 'entry 40 is not the entry the anchor was written from: the trail was rewritten', fields: [] };
    });
    const auditAnchor = vi.fn(async () => ({ seq: 52, code: 'K7QM-2XPA-9RTD-4HWB' }));
    render(Harness, { props: { backend: mockBackend({ auditAnchor, auditCheckAnchor }), screen: Audit } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Anchor for the paper log' }));
    expect(await screen.findByText('52 K7QM-2XPA-9RTD-4HWB')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Anchor from the paper log'), { target: { value: '40 AAAA-BBBB-CCCC-DDDD' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await vi.waitFor(() => expect(auditCheckAnchor).toHaveBeenCalledWith('40 AAAA-BBBB-CCCC-DDDD'));
    expect((await screen.findByText(/the trail was rewritten/)).getAttribute('role')).toBe('alert');
  });

  it('offers an administrator the export', async () => {
    render(Harness, { props: { backend: mockBackend(), screen: Audit, session: sessionView(['admin']).session } });
    await screen.findByRole('button', { name: 'Export to CSV…' });
  });
});

describe('groups and rosters', () => {
  it('adds a one-off session and shows a refusal beside its field', async () => {
    const { default: GroupEditor } = await import('../src/screens/GroupEditor.svelte');
    const group = {
      id: 'g1', name: 'Relapse Prevention', topic: null, support_type: 'informational' as const, facility_id: facility.id, location_id: 'u1',
      location_name: 'A-North', weekdays: [1], start_time: '09:00', duration_min: 90, facilitators: [], facilitator_names: [], capacity: null,
      open_group: true, starts_on: '2026-11-02', ends_on: null, members: [],
    };
    const addSession = vi
      .fn()
      .mockRejectedValueOnce({ code: 'validation', message: 'x', fields: [{ field: 'start_time', message: 'the time must be written as HH:MM on a 24-hour clock' }] })
      .mockResolvedValueOnce({ group_name: 'Relapse Prevention', date: '2026-11-27', start_time: '10:00' });
    render(Harness, { props: { backend: mockBackend({ groupsList: vi.fn(async () => [group]), meetingAdd: addSession }), screen: GroupEditor, props: { facility } } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Relapse Prevention' }));
    await fireEvent.input(screen.getByLabelText('Start (HH:MM)', { selector: '#extra-start' }), { target: { value: '9am' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add session' }));
    expect((await screen.findByText(/must be written as HH:MM/)).id).toBe('extra-start-error');
    await fireEvent.input(screen.getByLabelText('Start (HH:MM)', { selector: '#extra-start' }), { target: { value: '10:00' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add session' }));
    expect((await screen.findByRole('status')).textContent).toContain('27 Nov 2026 at 10:00');
    expect(addSession).toHaveBeenLastCalledWith('g1', expect.objectContaining({ start_time: '10:00', duration_min: 90, location_id: 'u1' }));
  });
});

describe('sync screen', () => {
  it('trusts a site from its card only with the fingerprint heard, and says why not', async () => {
    const { default: Sync } = await import('../src/screens/Sync.svelte');
    const card = { format: 'bridger-site-card/1', site_id: 's2', name: 'State Office', age_recipient: 'age1y', verify_key: 'k2', fingerprint: 'WXYZ-2345-WXYZ-2345' };
    const trustPeer = vi
      .fn()
      .mockRejectedValueOnce({ code: 'validation', message: 'x', fields: [{ field: 'fingerprint', message: 'the fingerprint you heard is not this card’s' }] })
      .mockResolvedValueOnce({ site_id: 's2', name: 'State Office', fingerprint: card.fingerprint, kind: 'program_site', added_ms: 0, added_by: 'ada' });
    const peers = vi.fn().mockResolvedValueOnce([]).mockResolvedValueOnce([{ site_id: 's2', name: 'State Office', fingerprint: card.fingerprint, kind: 'program_site', added_ms: 0, added_by: 'ada' }]);
    render(Harness, { props: { backend: mockBackend({ peerCardOpen: vi.fn(async () => card), peerTrust: trustPeer, peersList: peers }), screen: Sync, session: sessionView(['admin']).session } });
    expect((await screen.findByLabelText("This site's fingerprint")).textContent).toBe('ABCD-EFGH-IJKL-MNOP');
    await fireEvent.click(screen.getByRole('button', { name: 'Add a site from its card…' }));
    const heard = await screen.findByLabelText('The fingerprint you heard');
    await fireEvent.input(heard, { target: { value: 'wxyz 2345 wxyz 2346' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Trust this site' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not this card’s');
    await fireEvent.input(heard, { target: { value: 'wxyz 2345 wxyz 2345' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Trust this site' }));
    expect((await screen.findByRole('status')).textContent).toBe('State Office is now trusted as a program site.');
    expect(trustPeer).toHaveBeenLastCalledWith(card, 'wxyz 2345 wxyz 2345', 'program_site');
    expect(await screen.findByRole('cell', { name: 'State Office' })).toBeTruthy();
  });
});

describe('moving changes', () => {
  it('imports a bundle, says what it did, offers the receipt, and resolves a conflict', async () => {
    const { default: Sync } = await import('../src/screens/Sync.svelte');
    const summary = { from: 'State Office', sender: 's2', changes: 12, new_records: 1, updated_fields: 9, already_present: 2, conflicts: 1, nothing_new: false, not_applied: ['participants x notes: a newer value is already here'], kept_out: [], clock_warning: null, notice: null, chain_warnings: [] };
    const conflict = { id: 4, table: 'participants', record_id: 'p1', record_name: 'SMITH, Mary', field: 'notes', winner_value: 'from B', winner_site: 'B', winner_at_ms: 0, loser_value: 'from A', loser_site: 'A', loser_at_ms: 0 };
    const conflicts = vi.fn().mockResolvedValueOnce([]).mockResolvedValueOnce([conflict]).mockResolvedValueOnce([]);
    const resolveConflict = vi.fn(async () => null);
    const saveReceipt = vi.fn(async () => '/media/usb/receipt');
    render(Harness, { props: { backend: mockBackend({ bundleImport: vi.fn(async () => summary), conflictsList: conflicts, conflictResolve: resolveConflict, receiptSave: saveReceipt }), screen: Sync, session: sessionView(['coordinator']).session } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Import changes from a file…' }));
    const status = await screen.findByRole('status', { name: 'Import summary' });
    expect(status.textContent?.replace(/\s+/g, ' ')).toContain('12 changes — 1 new records, 9 fields updated, 2 already here, 1 conflicts');
    await fireEvent.click(screen.getByRole('button', { name: 'Save a receipt for State Office…' }));
    await vi.waitFor(() => expect(saveReceipt).toHaveBeenCalledWith('s2'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Keep other' }));
    await vi.waitFor(() => expect(resolveConflict).toHaveBeenCalledWith(4, 'other'));
    expect(screen.queryByRole('button', { name: 'Add a site from its card…' })).toBeNull();
  });
});
