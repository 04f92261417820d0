import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { appInfo as info, mockBackend, row, view } from './mock';
import { emptyInput } from '../src/lib/inputs';

/** The screen everyone lands on after signing in: their day. */
const landed = () => screen.findByRole('heading', { level: 1, name: /^Today/ });

describe('app shell', () => {
  it('explains a database it cannot open instead of showing any screen', async () => {
    const appInfo = vi.fn(async () => {
      throw {
        code: 'schema_too_new',
        message: 'this database was written by a newer Bridger (schema 4; this version reads up to 1): install the newer version before opening it',
        fields: [],
      };
    });
    render(App, { props: { backend: mockBackend({ appInfo }) } });
    await screen.findByText('Bridger cannot open its database');
    expect(screen.getByRole('alert').textContent).toContain('newer Bridger');
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('starts with first-run setup when there is no database', async () => {
    render(App, { props: { backend: mockBackend() } });
    await screen.findByText('Set up this workstation');
  });

  it('moves between the screens that work', async () => {
    const appInfo = vi.fn(async () => info());
    render(App, { props: { backend: mockBackend({ appInfo }) } });
    await landed();
    await fireEvent.click(screen.getByRole('button', { name: 'Facilities' }));
    const heading = await screen.findByRole('heading', { name: 'Facilities' });
    await screen.findByText('A-North');
    // The screen starts with the focus on its heading.
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('shows the lock screen when the core says the idle time has passed, whatever screen asked', async () => {
    const appInfo = vi.fn(async () => info());
    const facilitiesList = vi.fn(async () => {
      throw { code: 'locked', message: 'the screen locked after 10 minutes without use: unlock it to go on', fields: [] };
    });
    render(App, { props: { backend: mockBackend({ appInfo, facilitiesList }) } });
    await landed();
    await fireEvent.click(screen.getByRole('button', { name: 'Facilities' }));
    expect(await screen.findByRole('heading', { name: 'Locked' })).toBeTruthy();
    expect(screen.queryByLabelText('User name')).toBeNull();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it('goes back to sign-in when the core says nobody is signed in here any more', async () => {
    const appInfo = vi.fn(async () => info());
    const facilitiesList = vi.fn(async () => {
      throw { code: 'not_signed_in', message: 'nobody is signed in at this workstation', fields: [] };
    });
    render(App, { props: { backend: mockBackend({ appInfo, facilitiesList }) } });
    await landed();
    await fireEvent.click(screen.getByRole('button', { name: 'Facilities' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Bridger' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('stays on the screen for any other refusal', async () => {
    const appInfo = vi.fn(async () => info());
    const facilitiesList = vi.fn(async () => {
      throw { code: 'forbidden', message: 'this account may not manage the site', fields: [] };
    });
    render(App, { props: { backend: mockBackend({ appInfo, facilitiesList }) } });
    await landed();
    await fireEvent.click(screen.getByRole('button', { name: 'Facilities' }));
    expect((await screen.findByRole('alert')).textContent).toContain('may not manage the site');
    expect(screen.getByRole('navigation')).toBeTruthy();
  });

  it('takes a screen back to its start from its own tab, and names the screen in the window title', async () => {
    const appInfo = vi.fn(async () => info());
    const rosterSearch = vi.fn(async () => ({ rows: [row(1, 'SMITH, Mary')], more: false }));
    const input = { ...emptyInput(), legal_name: 'SMITH, Mary', dob: '1988-03-14', facility_number: 'B-1', facility_id: 'f1', admission_date: '2026-05-02' };
    const backend = mockBackend({ appInfo, rosterSearch, participantGet: vi.fn(async () => view(input)) });
    render(App, { props: { backend } });
    await landed();
    expect(document.title).toBe('Today – Bridger');
    await fireEvent.click(screen.getByRole('button', { name: 'Participants' }));
    const box = await screen.findByLabelText('Find a participant');
    expect(document.title).toBe('Participants – Bridger');
    expect(backend.windowTitle).toHaveBeenLastCalledWith('Participants');
    await fireEvent.input(box, { target: { value: 'smith' } });
    await screen.findByText('SMITH, Mary');
    await fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByRole('button', { name: /Back to/ });
    await fireEvent.click(screen.getByRole('button', { name: 'Participants' }));
    expect(await screen.findByLabelText('Find a participant')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Back to/ })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Facilities' }));
    await screen.findByRole('heading', { name: 'Facilities' });
    expect(document.title).toBe('Facilities – Bridger');
  });

  it('switches the screens to the language the person chooses, and back to the button that opened the choice', async () => {
    const appInfo = vi.fn(async () => info());
    const backend = mockBackend({ appInfo });
    render(App, { props: { backend } });
    await landed();
    const opener = screen.getByRole('button', { name: /Ada Admin/ });
    await fireEvent.click(opener);
    expect(opener.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Preferences' }));
    const language = await screen.findByLabelText('Language of the screens');
    expect(document.activeElement).toBe(language);
    await fireEvent.change(language, { target: { value: 'es' } });
    await fireEvent.change(screen.getByLabelText('Dates typed with slashes'), { target: { value: 'dmy' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
    expect(backend.preferencesSet).toHaveBeenCalledWith({ language: 'es', date_order: 'dmy', text_size: 100 });
    await waitFor(() => expect(document.documentElement.lang).toBe('es'));
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});

describe('facilities screen', () => {
  it('adds a unit and shows the core’s refusal beside the box', async () => {
    const appInfo = vi.fn(async () => info());
    const addLocation = vi
      .fn()
      .mockResolvedValueOnce({ id: 'l2', kind: 'unit', name: 'C-West' })
      .mockRejectedValueOnce({ code: 'validation', message: 'name: this facility already has a unit named C-West', fields: [{ field: 'name', message: 'this facility already has a unit named C-West' }] });
    const backend = mockBackend({ appInfo, locationAdd: addLocation });
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Facilities' }));
    const box = await screen.findByLabelText('New unit in Riverside County Jail');
    await fireEvent.input(box, { target: { value: 'C-West' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add unit' }));
    await vi.waitFor(() => expect(addLocation).toHaveBeenCalledWith('f1', 'unit', 'C-West'));
    await fireEvent.input(box, { target: { value: 'C-West' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add unit' }));
    expect((await screen.findByRole('alert')).textContent).toBe('this facility already has a unit named C-West');
  });
});
