import { describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Today from '../src/screens/Today.svelte';
import type { DayMeeting, DayView, PipelineRow } from '../src/backend/bindings';
import { facility, mockBackend, sessionView } from './mock';

function meeting(over: Partial<DayMeeting>): DayMeeting {
  return {
    id: 'm1', group_id: 'g1', group_name: 'Relapse Prevention', support_type: 'informational', facility_id: 'f1', occurrence: '2026-11-25', date: '2026-11-25',
    start_time: '09:00', duration_min: 90, location_id: 'l1', location_name: 'Program Room 1', facilitators: [], facilitator_names: [], status: 'scheduled',
    cancel_reason: null, topic_covered: null, notes: null, facilitator_hours: null, facility_name: 'Riverside County Jail', roster: 24, marked: 0, present: 0, ...over,
  };
}

const release = (i: number): PipelineRow => ({
  participant_id: `p${i}`, legal_name: `PERSON ${i}, Test`, facility_number: `B-${i}`, release: '2026-12-10', released: false, window: 'days30', started: i % 2 === 0,
  progress: { settled: 3, total: 17 }, missing: [], high_risk: i === 1,
});

function day(over: Partial<DayView> = {}): DayView {
  return { today: '2026-11-25', meetings: [], no_roll_call: [], contacts_due: null, reentry: null, staff_due: [], ...over };
}

function mount(view: DayView, roles: Parameters<typeof sessionView>[0] = ['coordinator'], extra = {}) {
  const backend = mockBackend({ myDay: vi.fn(async () => view), facilitiesList: vi.fn(async () => [facility]), ...extra });
  render(Harness, { props: { backend, screen: Today, session: sessionView(roles).session } });
  return backend;
}

const region = (name: RegExp) => screen.findByRole('region', { name });

describe('the Today screen', () => {
  it("opens on the day's heading, lists today's groups with where roll call stands, and opens one in one step", async () => {
    const backend = mount(day({ meetings: [meeting({}), meeting({ id: 'm2', group_name: 'Coffee and Conversation', start_time: '13:00', status: 'held', marked: 20, present: 18 })] }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Today, 25 Nov 2026' });
    expect(document.activeElement).toBe(heading);
    const groups = await region(/Groups today/);
    expect(groups.textContent).toContain('Roll call not taken · 24 on the roster');
    expect(groups.textContent).toContain('Roll call taken · 18 present of 20');
    // The one roll call still to take is the screen's main action; the one taken opens to review.
    const take = within(groups).getByRole('button', { name: 'Take roll call: Relapse Prevention, 25 Nov 2026' });
    expect(take.className).toContain('primary');
    expect(within(groups).getByRole('button', { name: 'Open roll call: Coffee and Conversation, 25 Nov 2026' })).toBeTruthy();
    await fireEvent.click(take);
    await vi.waitFor(() => expect(backend.rollCall).toHaveBeenCalledWith({ id: 'm1', group_id: 'g1', occurrence: '2026-11-25' }));
    expect(screen.getByRole('button', { name: '← Back to Today' })).toBeTruthy();
  });

  it('lists past meetings with no roll call, and people on the caseload due a contact', async () => {
    mount(day({
      no_roll_call: [meeting({ id: 'm3', date: '2026-11-23' })],
      contacts_due: [{ participant_id: 'p9', name: 'DIAZ, Dora', facility_number: 'B-9', unit_name: 'A-North', status: 'active', release_date: null, last_contact: null, follow_up_on: null, last_check_in: null, check_in_due: null, due: [{ due: 'contact', days: null }] }],
    }));
    expect((await region(/Meetings with no roll call/)).textContent).toContain('23 Nov 2026');
    expect((await region(/Your people due a contact/)).textContent).toContain('DIAZ, Dora');
    expect(screen.queryByRole('region', { name: /Releases coming up/ })).toBeNull();
  });

  it('limits a long list to its first rows and shows the rest on asking', async () => {
    const releases = Array.from({ length: 12 }, (_, i) => release(i + 1));
    mount(day({ reentry: { releases, tasks: [], appointments: [] } }));
    const list = await region(/Releases coming up/);
    expect(list.textContent).toContain('(12)');
    expect(within(list).getAllByRole('row')).toHaveLength(8);
    const more = within(list).getByRole('button', { name: 'Show all 12' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(more);
    expect(within(list).getAllByRole('row')).toHaveLength(12);
    expect(within(list).getByRole('button', { name: 'Show the first 8 only' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('shows the reentry parts by urgency and opens a plan from a task', async () => {
    mount(day({
      reentry: {
        releases: [release(1)],
        tasks: [{ participant_id: 'p1', legal_name: 'OKAFOR, Grace', title: 'State ID card', area: 'identification', owner: 'Lee', due: '2026-11-20', overdue: true }],
        appointments: [{ id: 'a1', resource_id: null, area: 'moud', provider: 'Eastside Recovery Clinic', address: null, phone: null, date: '2026-11-26', time: '09:30', before_release_reason: null, confirmed: false, notes: null, participant_id: 'p1', legal_name: 'OKAFOR, Grace' }],
      },
    }));
    expect((await region(/Releases coming up/)).textContent).toContain('High risk');
    const tasks = await region(/Tasks due this week/);
    expect(tasks.textContent).toContain('Overdue since 20 Nov 2026');
    expect((await region(/Appointments in the next seven days/)).textContent).toContain('26 Nov 2026 09:30');
    // The page's sections are one link (or F6) away.
    const links = within(screen.getByRole('navigation', { name: 'On this page' })).getAllByRole('link').map((a) => a.textContent);
    expect(links).toEqual(['Groups today', 'Releases coming up', 'Tasks due', 'Appointments this week']);
    await fireEvent.click(within(tasks).getByRole('button', { name: 'OKAFOR, Grace' }));
    await screen.findByRole('heading', { name: 'Reentry plan: OKAFOR, Grace' });
  });

  it('names each peer whose credential expires, whose hours fall behind or whose supervision lapsed, and hides the part when nobody does', async () => {
    const progress = { cycle_start: '2025-01-01', cycle_end: '2026-12-15', hours: 12.5, ethics_hours: 2, required: 20, ethics_required: 6, behind: true };
    const backend = mount(day({
      staff_due: [
        {
          staff: { id: 's1', name: 'Rosa Díaz' },
          facility_name: 'Riverside County Jail',
          warnings: [
            { kind: 'expiry', credential: 'Certified Peer Recovery Specialist', expires_on: '2026-12-15', expiry: { kind: 'soon', notice: 30, days_left: 20 } },
            { kind: 'hours_behind', credential: 'Certified Peer Recovery Specialist', progress },
            { kind: 'supervision_lapsed', due: { due_on: '2026-11-20', last: '2026-10-20', days_late: 5 } },
          ],
        },
        { staff: { id: 's2', name: 'Lee Park' }, facility_name: 'Riverside County Jail', warnings: [{ kind: 'expiry', credential: 'Peer Mentor Certificate', expires_on: '2026-11-24', expiry: { kind: 'expired', days_ago: 1 } }] },
      ],
    }));
    const staff = await region(/Peer staff needing attention/);
    expect(staff.textContent).toContain('Certified Peer Recovery Specialist expires 15 Dec 2026, in 20 days');
    expect(staff.textContent).toContain('12.5 of 20 hours (2 of 6 in ethics), behind the pace to renew');
    expect(staff.textContent).toContain('Supervision was due 20 Nov 2026, 5 days overdue');
    expect(staff.textContent).toContain('Peer Mentor Certificate expired 24 Nov 2026, a day ago');
    // A name opens the person's staff record, with its way back to Today.
    await fireEvent.click(within(staff).getByRole('button', { name: 'Lee Park' }));
    await screen.findByRole('heading', { level: 1, name: /^Staff record:/ });
    expect(backend.staffRecord).toHaveBeenCalledWith('s2');
    expect(screen.getByRole('button', { name: '← Back to Today' })).toBeTruthy();
    cleanup();
    mount(day());
    await screen.findByRole('heading', { level: 1, name: 'Today, 25 Nov 2026' });
    expect(screen.queryByRole('region', { name: /Peer staff/ })).toBeNull();
  });
});
