import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../src/App.svelte';
import Harness from './Harness.svelte';
import ParticipantDetail from '../src/screens/ParticipantDetail.svelte';
import { type SiteSetup } from '../src/backend/bindings';
import { emptyInput } from '../src/lib/inputs';
import { appInfo, facility, mockBackend, sessionView, view } from './mock';

afterEach(() => {
  vi.useRealTimers();
});

describe('signing in', () => {
  it('shows the core’s one sentence for a wrong password, then opens the screens the roles allow', async () => {
    const signIn = vi
      .fn()
      .mockRejectedValueOnce({ code: 'wrong_password', message: 'The user name or password is not right.', fields: [] })
      .mockResolvedValueOnce({ session: sessionView(['peer_specialist']), notices: [] });
    render(App, { props: { backend: mockBackend({ appInfo: vi.fn(async () => appInfo('sign_in')), signIn }) } });
    await fireEvent.input(await screen.findByLabelText('User name'), { target: { value: 'pat' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The user name or password is not right.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'right one' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('button').map((b) => b.textContent)).toEqual(['Today', 'Participants', 'My people', 'Groups', 'Staff', 'Reports']);
    expect(signIn).toHaveBeenLastCalledWith('pat', 'right one');
  });

  it('offers a peer specialist no exports, no audit and no admin; an administrator gets all three', async () => {
    render(App, { props: { backend: mockBackend({ appInfo: vi.fn(async () => appInfo('signed_in', ['peer_specialist'])) }) } });
    await screen.findByRole('heading', { level: 1, name: /^Today/ });
    expect(screen.queryByRole('button', { name: /export/i })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Audit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Admin' })).toBeNull();
  });

  it('asks for a new password before anything else when an administrator set it', async () => {
    const info = { ...appInfo(), session: sessionView(['coordinator'], { must_change_password: true }) };
    const changePassword = vi.fn(async () => sessionView(['coordinator']));
    render(App, { props: { backend: mockBackend({ appInfo: vi.fn(async () => info), changePassword }) } });
    await screen.findByRole('heading', { name: 'Choose your own password' });
    expect(screen.getByRole('heading', { level: 1, name: /^Today/, hidden: true }).closest('[hidden]')).not.toBeNull();
    await fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'temporary pw' } });
    await fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'my own pass phrase' } });
    await fireEvent.input(screen.getByLabelText('New password again'), { target: { value: 'my own pass phrase' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save password' }));
    await vi.waitFor(() => expect(screen.getByRole('heading', { level: 1, name: /^Today/, hidden: true }).closest('[hidden]')).toBeNull());
    expect(changePassword).toHaveBeenCalledWith('temporary pw', 'my own pass phrase');
  });
});

describe('the idle lock', () => {
  it('locks after the idle minutes and unlocks to the same half-filled form', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const info = { ...appInfo(), session: { ...sessionView(), settings: { ...sessionView().settings, idle_lock_minutes: 1 } } };
    const backend = mockBackend({ appInfo: vi.fn(async () => info) });
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Participants' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Enroll participant' }));
    await fireEvent.input(await screen.findByLabelText(/Legal name/), { target: { value: 'HALF, Finished' } });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(backend.lock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(backend.lock).toHaveBeenCalledTimes(1);
    await screen.findByRole('heading', { name: 'Locked' });
    const form = screen.getByLabelText(/Legal name/) as HTMLInputElement;
    expect(form.closest('[hidden]')).not.toBeNull();
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'my password' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() => expect(form.closest('[hidden]')).toBeNull());
    expect(form.value).toBe('HALF, Finished');
    expect(screen.getByLabelText(/Legal name/)).toBe(form);
    expect(backend.unlock).toHaveBeenCalledWith('my password');
  });
});

describe('first run', () => {
  it('creates the site with its administrator and shows the recovery key once', async () => {
    const setupSite = vi.fn(async (_setup: SiteSetup) => ({ session: sessionView(), recovery_key: 'ABCD-EFGH-IJKL' }));
    render(App, { props: { backend: mockBackend({ setupSite }) } });
    const type = async (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    await screen.findByText('Set up this workstation');
    await type(/Site name/, 'Peer Office');
    await type(/Facility name/, 'Riverside County Jail');
    await type(/Facility code/, 'RCJ');
    await type(/User name/, 'ada');
    await type(/Full name/, 'Ada Admin');
    await fireEvent.input(screen.getAllByLabelText(/^Password/)[0], { target: { value: 'long enough password' } });
    await type(/Password again/, 'long enough password');
    await fireEvent.click(screen.getByRole('button', { name: 'Create site' }));
    expect((await screen.findByLabelText('Recovery key')).textContent).toBe('ABCD-EFGH-IJKL');
    expect(setupSite.mock.calls[0]?.[0].admin).toMatchObject({ username: 'ada', roles: ['admin', 'coordinator'], scope: { kind: 'all' } });
    const go = screen.getByRole('button', { name: 'Continue' });
    expect(go.getAttribute('aria-disabled')).toBe('true');
    expect(document.getElementById(go.getAttribute('aria-describedby') ?? '')?.textContent).toBe('First print or write down the key, and tick the box.');
    await fireEvent.click(go);
    expect(screen.getByLabelText('Recovery key')).toBeTruthy();
    await fireEvent.click(screen.getByLabelText('I have printed or written down the key'));
    await fireEvent.click(go);
    await screen.findByRole('heading', { level: 1, name: /^Today/ });
  });
});

describe('what a role sees on a record', () => {
  it('shows neither edit nor delete to an auditor', async () => {
    const participant = vi.fn(async () => view({ ...emptyInput(), legal_name: 'SMITH, Mary', facility_id: facility.id, dob: '1990-01-01', admission_date: '2026-01-01' }));
    render(Harness, {
      props: { backend: mockBackend({ participantGet: participant }), screen: ParticipantDetail, session: sessionView(['auditor']).session, props: { id: 'p1', onBack: vi.fn(), onEdit: vi.fn() } },
    });
    await screen.findByRole('heading', { name: 'SMITH, Mary' });
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });
});
