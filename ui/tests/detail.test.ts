import type { Backend } from '../src/backend';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import ParticipantDetail from '../src/screens/ParticipantDetail.svelte';
import { emptyInput } from '../src/lib/inputs';
import { facility, mockBackend, samplePlan, view } from './mock';

function mount(overrides: Partial<Backend> = {}, release = '') {
  const onBack = vi.fn();
  const onDeleted = vi.fn();
  const input = { ...emptyInput(), legal_name: 'SMITH, Mary', dob: '1988-03-14', facility_number: 'B-1', facility_id: facility.id, admission_date: '2026-05-02', release_date: release };
  const backend = mockBackend({ participantGet: vi.fn(async () => view(input)), ...overrides });
  render(Harness, { props: { backend, screen: ParticipantDetail, props: { id: 'p1', onBack, onEdit: vi.fn(), onDeleted } } });
  return { backend, onBack, onDeleted };
}

describe('participant detail', () => {
  it('shows a status error beside the date and keeps the dialog open', async () => {
    const participantSetStatus = vi.fn(async () => {
      throw { code: 'validation', message: 'date: a status change cannot be dated in the future', fields: [{ field: 'date', message: 'a status change cannot be dated in the future' }] };
    });
    mount({ participantSetStatus });
    await fireEvent.click(await screen.findByText('Record release'));
    await fireEvent.click(screen.getByText('Save status'));
    expect((await screen.findByText(/cannot be dated in the future/)).getAttribute('role')).toBe('alert');
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(participantSetStatus).toHaveBeenCalledWith('p1', expect.objectContaining({ status: 'released' }));
  });

  it('opens a dialog on its field and gives the focus back to the button that opened it', async () => {
    mount();
    const opener = await screen.findByRole('button', { name: 'Record release' });
    opener.focus();
    await fireEvent.click(opener);
    const dialog = screen.getByRole('dialog');
    await vi.waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    expect(document.activeElement?.id).toBe('status-new');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('deletes only after confirmation', async () => {
    const { backend, onDeleted } = mount();
    await fireEvent.click(await screen.findByText('Delete this record…'));
    await fireEvent.click(screen.getByText('Keep the record'));
    expect(backend.participantDelete).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByText('Delete this record…'));
    await fireEvent.click(screen.getByText('Delete the record'));
    await vi.waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(backend.participantDelete).toHaveBeenCalledWith('p1');
  });

  it('goes back with Escape unless a dialog is open', async () => {
    const { onBack } = mount();
    await fireEvent.click(await screen.findByText('Delete this record…'));
    await fireEvent.keyDown(screen.getByRole('alertdialog').parentElement!, { key: 'Escape' });
    expect(onBack).not.toHaveBeenCalled();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('starts with the focus on the person’s name, and reaches their plan and packet in one step', async () => {
    mount({ reentryPlan: vi.fn(async () => samplePlan()) }, '2026-12-20');
    const name = await screen.findByRole('heading', { level: 1, name: 'SMITH, Mary' });
    expect(document.activeElement).toBe(name);
    expect(screen.getByText(/Projected release 20 Dec 2026/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Release packet' }));
    expect(screen.getByRole('tab', { name: 'Reentry plan and consents' }).getAttribute('aria-selected')).toBe('true');
    // The packet takes the focus once the plan has loaded.
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('packet-title'));
  });

  it('names the months of the hours as a person reads them', async () => {
    const attendanceHistory = vi.fn(async () => ({
      sessions_attended: 2, hours: 3, by_group: [], by_support: [], current_missed_streak: 0, longest_missed_streak: 0,
      by_month: [{ label: '2026-12', sessions: 2, hours: 3 }],
    }));
    mount({ attendanceHistory });
    expect(await screen.findByText('December 2026')).toBeTruthy();
  });
});
