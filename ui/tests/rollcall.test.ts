import type { Backend } from '../src/backend';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import RollCallScreen from '../src/screens/RollCall.svelte';
import type { Meeting, RollCall, RollCallInput, RollRow, MeetingKey } from '../src/backend/bindings';
import { facility, mockBackend, sessionView } from './mock';

const session: Meeting = {
  id: 's1', group_id: 'g1', group_name: 'Relapse Prevention', support_type: 'informational', facility_id: 'f1', occurrence: '2026-11-23',
  date: '2026-11-23', start_time: '09:00', duration_min: 90, location_id: 'r1', location_name: 'Program Room 1', facilitators: [],
  facilitator_names: [], status: 'scheduled', cancel_reason: null, topic_covered: null, notes: null, facilitator_hours: null,
};
const person = (id: string, name: string, gone: string | null = null): RollRow => ({
  participant_id: id, legal_name: name, preferred_name: null, facility_number: `N-${id}`, unit_name: null, mark: null, walk_in: false, gone,
});
const call: RollCall = { meeting: session, rows: [person('p1', 'ALVAREZ, Ana'), person('p2', 'BROWN, Ben'), person('p3', 'CHEN, Carl', 'released on 2026-11-10')], open_group: true, window_days: 7, late: false };
const key: MeetingKey = { id: 's1', group_id: 'g1', occurrence: '2026-11-23' };

function mount(overrides: Partial<Backend> = {}, roles: Parameters<typeof sessionView>[0] = ['coordinator'], onBack = vi.fn()) {
  const backend = mockBackend({ rollCall: vi.fn(async () => call), ...overrides });
  render(Harness, { props: { backend, screen: RollCallScreen, session: sessionView(roles).session, props: { meetingKey: key, facility, onBack } } });
  return backend;
}

const focused = () => document.activeElement as HTMLElement;
const rowOf = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name}`) });

describe('roll call', () => {
  it('is taken with the keyboard: Enter into the list, one key per person, Ctrl+S saves them all at once', async () => {
    const rollCallSave = vi.fn(async (_k: MeetingKey, _i: RollCallInput) => call);
    mount({ rollCallSave });
    const box = await screen.findByLabelText('Find on the list');
    await fireEvent.keyDown(box, { key: 'Enter' });
    for (const key of ['p', 'a']) await fireEvent.keyDown(focused(), { key });
    await fireEvent.input(box, { target: { value: 'chen' } });
    await fireEvent.keyDown(box, { key: 'Enter' });
    // The row says who cannot be marked present, as the screen shows it.
    expect(focused().getAttribute('aria-label')).toBe('CHEN, Carl, N-p3: Not marked. released on 2026-11-10: cannot be marked present');
    await fireEvent.keyDown(focused(), { key: 'e' });
    expect(screen.getByText(/Present 1 · Absent 1 · Excused 1/)).toBeTruthy();
    await fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    expect(rollCallSave).toHaveBeenCalledTimes(1);
    expect(rollCallSave.mock.calls[0]?.[1].marks).toEqual([
      { participant_id: 'p1', mark: 'present', walk_in: false },
      { participant_id: 'p2', mark: 'absent', walk_in: false },
      { participant_id: 'p3', mark: 'excused', walk_in: false },
    ]);
  });

  it('shows the core’s refusal and who cannot be marked present', async () => {
    const rollCallSave = vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [{ field: 'marks', message: 'mark 3: this person cannot be marked present (released on 2026-11-10)' }] };
    });
    mount({ rollCallSave });
    expect(await screen.findByText('released on 2026-11-10: cannot be marked present')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Save roll call' }));
    expect((await screen.findByRole('alert')).textContent).toContain('mark 3: this person cannot be marked present');
  });

  it('lets an auditor look but not mark', async () => {
    mount({}, ['auditor']);
    const box = await screen.findByLabelText('Find on the list');
    await fireEvent.keyDown(box, { key: 'Enter' });
    await fireEvent.keyDown(focused(), { key: 'p' });
    expect(screen.getByText(/Present 0/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Present: / })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save roll call' })).toBeNull();
  });

  it('goes back with Escape or Back at once when nothing is unsaved, and asks first when marks are', async () => {
    const onBack = vi.fn();
    const rollCallSave = vi.fn(async (_k: MeetingKey, input: RollCallInput) => ({ ...call, rows: call.rows.map((r) => ({ ...r, mark: input.marks.find((m) => m.participant_id === r.participant_id)?.mark ?? null })) }));
    mount({ rollCallSave }, ['coordinator'], onBack);
    const box = await screen.findByLabelText('Find on the list');
    await fireEvent.keyDown(box, { key: 'Enter' });
    const list = focused();
    await fireEvent.keyDown(list, { key: 'p' });
    expect(screen.getByText('Not saved yet')).toBeTruthy();

    await fireEvent.keyDown(list, { key: 'Escape' });
    expect(onBack).not.toHaveBeenCalled();
    const asking = screen.getByRole('dialog', { name: 'This roll call has changes that are not saved.' });
    await fireEvent.keyDown(asking, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onBack).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole('button', { name: /Back to the calendar/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save and go back' }));
    expect(rollCallSave).toHaveBeenCalledTimes(1);
    expect(onBack).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Not saved yet')).toBeNull();

    await fireEvent.keyDown(list, { key: 'Escape' });
    expect(onBack).toHaveBeenCalledTimes(2);
  });

  it('leaves without saving only when the person says so', async () => {
    const onBack = vi.fn();
    const rollCallSave = vi.fn(async () => call);
    mount({ rollCallSave }, ['coordinator'], onBack);
    const box = await screen.findByLabelText('Find on the list');
    await fireEvent.input(box, { target: { value: 'x' } });
    await fireEvent.keyDown(box, { key: 'Escape' });
    expect(onBack).not.toHaveBeenCalled();
    await fireEvent.input(box, { target: { value: '' } });
    await fireEvent.keyDown(box, { key: 'Enter' });
    await fireEvent.keyDown(focused(), { key: 'a' });
    await fireEvent.click(screen.getByRole('button', { name: /Back to the calendar/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Go back without saving' }));
    expect(onBack).toHaveBeenCalledTimes(1);
    expect(rollCallSave).not.toHaveBeenCalled();
  });

  it('marks everyone not yet marked as present at once, leaving who cannot be present', async () => {
    mount();
    const box = await screen.findByLabelText('Find on the list');
    await fireEvent.keyDown(box, { key: 'Enter' });
    await fireEvent.keyDown(focused(), { key: 'a' });
    await fireEvent.click(screen.getByRole('button', { name: 'Mark everyone not yet marked as present' }));
    expect(screen.getByText(/Present 1 · Absent 1 · Excused 0 · Refused 0 · Not marked 1/)).toBeTruthy();
  });

  it('acts on the row a click chose, never on one out of sight, and marks with the row’s own buttons', async () => {
    mount();
    await screen.findByLabelText('Find on the list');
    // The focus was on the first row's box; a click on the third row chooses it, and E acts there.
    await fireEvent.click(rowOf('CHEN, Carl'));
    expect(focused()).toBe(rowOf('CHEN, Carl'));
    await fireEvent.keyDown(focused(), { key: 'e' });
    expect(rowOf('CHEN, Carl').getAttribute('aria-label')).toBe('CHEN, Carl, N-p3: Excused. released on 2026-11-10: cannot be marked present');
    expect(rowOf('ALVAREZ, Ana').getAttribute('aria-label')).toBe('ALVAREZ, Ana, N-p1: Not marked');
    // Each row's letter buttons mark that row, say which is chosen, and leave the focus on it.
    const brown = rowOf('BROWN, Ben');
    await fireEvent.click(within(brown).getByRole('button', { name: 'Absent: BROWN, Ben' }));
    expect(within(brown).getByRole('button', { name: 'Absent: BROWN, Ben' }).getAttribute('aria-pressed')).toBe('true');
    expect(focused()).toBe(brown);
    expect(screen.getByText(/Present 0 · Absent 1 · Excused 1/)).toBeTruthy();
    // Only the chosen row is in the tab order.
    expect([...document.querySelectorAll('tr[tabindex="0"]')]).toEqual([brown]);
  });

  it('lists its keys in the keyboard help', async () => {
    mount();
    await screen.findByLabelText('Find on the list');
    const { shortcutsInForce } = await import('../src/lib/ui/shortcuts.svelte');
    expect(shortcutsInForce().map((s) => s.keys)).toEqual(expect.arrayContaining(['P A E R', '/', 'Ctrl+S']));
  });
});
