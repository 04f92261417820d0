import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Roster, { initialRosterState } from '../src/screens/Roster.svelte';
import { facility, mockBackend, row } from './mock';
import { reactive } from './reactive.svelte';

function mount(backend = mockBackend(), onOpen = vi.fn()) {
  render(Harness, {
    props: { backend, screen: Roster, props: { facilities: [facility], view: reactive(initialRosterState()), onOpen, onEnroll: vi.fn(), onImport: vi.fn() } },
  });
  return { backend, onOpen };
}

describe('roster', () => {
  it('shows the total and renders only the rows in view of 100,000', async () => {
    const { backend } = mount();
    await screen.findByText('100,000 participants');
    expect(backend.rosterPage).toHaveBeenCalledWith(expect.objectContaining({ status: 'active' }), 0, 100);
    const options = within(screen.getByRole('listbox', { name: 'Participants' })).getAllByRole('option');
    expect(options.length).toBeGreaterThan(0);
    expect(options.length).toBeLessThan(60);
    expect(options[0].getAttribute('aria-setsize')).toBe('100000');
  });

  it('searches as the person types and says when to type more', async () => {
    const search = vi.fn(async (text: string) =>
      text === 'jose' ? { rows: [row(1, 'GARCÍA, José')], more: true } : { rows: [], more: false },
    );
    mount(mockBackend({ rosterSearch: search }));
    const box = screen.getByLabelText('Find a participant');
    await fireEvent.input(box, { target: { value: 'jose' } });
    await screen.findByText('GARCÍA, José');
    expect(search).toHaveBeenLastCalledWith('jose', expect.anything(), 200);
    expect(screen.getByText(/type more of the name or number/)).toBeTruthy();
    await fireEvent.input(box, { target: { value: 'zzz' } });
    await screen.findByText(/No one matches/);
  });

  it('opens the active row with Enter from the search box', async () => {
    const search = vi.fn(async () => ({ rows: [row(7, 'SMITH, Mary'), row(8, 'SMITH, Ann')], more: false }));
    const { onOpen } = mount(mockBackend({ rosterSearch: search }));
    const box = screen.getByLabelText('Find a participant');
    await fireEvent.input(box, { target: { value: 'smith' } });
    await screen.findByText('SMITH, Mary');
    await fireEvent.keyDown(box, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith('p7');
  });

  it('shows a failure from the core as its message', async () => {
    const rosterPage = vi.fn(async () => {
      throw { code: 'database', message: 'the database could not be read or written: disk I/O error', fields: [] };
    });
    mount(mockBackend({ rosterPage }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('disk I/O error'));
  });
});
