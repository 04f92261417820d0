import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import ProgramsSection from '../src/screens/ProgramsSection.svelte';
import type { Episode } from '../src/backend/bindings';
import type { Backend } from '../src/backend';
import { mockBackend, sessionView } from './mock';

const open: Episode = {
  id: 'e1',
  kind: 'rsat',
  name: 'RSAT unit B',
  start_date: '2026-05-04',
  end_date: null,
  outcome: null,
  exit_note: null,
  facility: 'Riverside County Jail',
  phases: [{ id: 'h1', date: '2026-07-01', phase: 'Phase 2' }],
};

function mount(overrides: Partial<Backend> = {}, roles: Parameters<typeof sessionView>[0] = ['coordinator'], typedProgram: string | null = null) {
  const backend = mockBackend(overrides);
  render(Harness, { props: { backend, screen: ProgramsSection, session: sessionView(roles).session, props: { participantId: 'p1', typedProgram, admissionDate: '2026-05-02' } } });
  return backend;
}

describe('a participant’s programs', () => {
  it('offers the program typed before episodes as the first one, from the admission date', async () => {
    const episodeSave = vi.fn(async () => [{ ...open, name: 'RSAT', start_date: '2026-05-02', phases: [] }]);
    mount({ episodeSave }, ['coordinator'], 'RSAT');
    await screen.findByText('Program as typed on the record: RSAT.');
    await fireEvent.click(screen.getByRole('button', { name: 'Record it as a program' }));
    expect((screen.getByLabelText(/Name the program/) as HTMLInputElement).value).toBe('RSAT');
    await fireEvent.change(screen.getByLabelText('Kind of program'), { target: { value: 'rsat' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Start the program' }));
    expect(episodeSave).toHaveBeenCalledWith('p1', null, expect.objectContaining({ kind: 'rsat', name: 'RSAT', start_date: '2026-05-02', end_date: '', outcome: '' }));
    expect(await screen.findByText('Since 2 May 2026')).toBeTruthy();
    expect(screen.queryByText(/as typed on the record/)).toBeNull();
  });

  it('shows the phase a person is in and keeps an end refused for want of an outcome open, with the reason beside the field', async () => {
    const episodeSave = vi.fn(async (): Promise<Episode[]> => {
      throw { code: 'validation', message: 'outcome: say how the program ended', fields: [{ field: 'outcome', message: 'say how the program ended' }] };
    });
    mount({ episodesList: vi.fn(async () => [open]), episodeSave });
    const item = await screen.findByRole('listitem', { name: 'RSAT unit B' });
    expect(item.textContent).toContain('now in Phase 2');
    expect(item.textContent).toContain('Riverside County Jail');
    expect(within(screen.getByRole('list', { name: 'Phases of RSAT unit B' })).getByText(/Phase 2, from/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'End RSAT unit B' }));
    await fireEvent.click(screen.getByRole('button', { name: 'End the program' }));
    const error = await screen.findByText('say how the program ended');
    expect(error.getAttribute('role')).toBe('alert');
    expect(screen.getByLabelText('How it ended').getAttribute('aria-invalid')).toBe('true');
    expect(episodeSave).toHaveBeenCalledWith('p1', 'e1', expect.objectContaining({ kind: 'rsat', start_date: '2026-05-04', outcome: '' }));
  });

  it('removes an episode only on a second, confirming press', async () => {
    const episodeRemove = vi.fn(async (): Promise<Episode[]> => []);
    mount({ episodesList: vi.fn(async () => [open]), episodeRemove });
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove RSAT unit B, entered by mistake' }));
    expect(episodeRemove).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove for good: RSAT unit B' }));
    expect(episodeRemove).toHaveBeenCalledWith('p1', 'e1');
    expect(await screen.findByText('Not in a program yet.')).toBeTruthy();
  });

  it('offers no changes to a role that may only read', async () => {
    mount({ episodesList: vi.fn(async () => [open]) }, ['auditor'], 'RSAT');
    await screen.findByRole('listitem', { name: 'RSAT unit B' });
    expect(screen.queryByRole('button')).toBeNull();
  });
});
