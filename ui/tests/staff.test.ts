import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import StaffRecord from '../src/screens/staff/StaffRecord.svelte';
import Readiness from '../src/screens/staff/Readiness.svelte';
import SupervisionReport from '../src/screens/staff/SupervisionReport.svelte';
import type { ReadinessAnswerInput, ReadinessListing, StaffReach } from '../src/backend/bindings';
import { facility, mockBackend, sampleAssessment, sampleStaffRecord, sessionView } from './mock';

function openRecord(reach: StaffReach, extra = {}) {
  const backend = mockBackend({ staffRecord: vi.fn(async (id: string) => sampleStaffRecord({ id, reach })), staffList: vi.fn(async () => []), ...extra });
  render(Harness, { props: { backend, screen: StaffRecord, props: { staffId: 's1', backTo: 'the staff directory', onBack: () => {} }, session: sessionView(['coordinator']).session } });
  return backend;
}

const region = (name: RegExp) => screen.findByRole('region', { name });

describe('a staff record', () => {
  it('shows what needs attention, and logging supervision reads the record again with the lapse gone', async () => {
    const cleared = sampleStaffRecord({ warnings: [], supervision_due: { due_on: '2026-12-25', last: '2026-11-25', days_late: 0 } });
    const backend = openRecord('keeper', {
      staffList: vi.fn(async () => [
        { id: 's1', name: 'Rosa Díaz', peer_roles: [], facility_id: 'f1', has_login: true, username: 'rosa' },
        { id: 's2', name: 'Dee Carter', peer_roles: [], facility_id: 'f1', has_login: true, username: 'dee' },
      ]),
      supervisionLog: vi.fn(async () => ({})),
    });
    await screen.findByRole('heading', { level: 1, name: 'Staff record: Rosa Díaz' });
    expect(screen.getByRole('list', { name: 'Needs attention' }).textContent).toContain('Supervision was due 5 Feb 2026, 293 days overdue');
    const supervision = await region(/^Supervision$/);
    await fireEvent.click(within(supervision).getByRole('button', { name: 'Log supervision…' }));
    const form = await within(supervision).findByRole('form', { name: 'Log a supervision session of Rosa Díaz' });
    expect((within(form).getByLabelText('Supervisor') as HTMLSelectElement).value).toBe('s2');
    await fireEvent.click(within(form).getByLabelText(/^Supportive/));
    vi.mocked(backend.staffRecord).mockResolvedValue(cleared);
    await fireEvent.submit(form);
    await vi.waitFor(() => expect(backend.supervisionLog).toHaveBeenCalled());
    expect(vi.mocked(backend.supervisionLog).mock.calls[0][0]).toMatchObject({ supervisor_id: 's2', supervisees: ['s1'], minutes: 60, functions: ['supportive'], setting: 'in_person' });
    expect(await within(supervision).findByText('Supervision logged.')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Needs attention' })).toBeNull();
    expect(screen.getByText('Nothing needs attention.')).toBeTruthy();
  });

  it('keeps a refusal beside the field it names, with the typing kept', async () => {
    const backend = openRecord('keeper', {
      credentialAdd: vi.fn(async () => {
        throw { code: 'validation', message: 'x', fields: [{ field: 'expires_on', message: 'the expiry date must come after the issue date (2026-11-01)', message_es: 'x' }] };
      }),
    });
    const credentials = await region(/^Credentials$/);
    await fireEvent.click(within(credentials).getByRole('button', { name: 'Add a credential…' }));
    const form = await within(credentials).findByRole('form', { name: 'Add a credential' });
    await fireEvent.input(within(form).getByLabelText('Name, as on the credential'), { target: { value: 'Certified Peer Recovery Specialist' } });
    await fireEvent.input(within(form).getByLabelText('Hours needed to renew'), { target: { value: 'twenty' } });
    await fireEvent.submit(form);
    expect(await within(form).findByText('the expiry date must come after the issue date (2026-11-01)')).toBeTruthy();
    // A number typed as words reaches the core as one it refuses, never as a guess.
    expect(vi.mocked(backend.credentialAdd).mock.calls[0][0]).toMatchObject({ staff_id: 's1', renewal_hours: -1, renewal_years: 0 });
    expect((within(form).getByLabelText('Name, as on the credential') as HTMLInputElement).value).toBe('Certified Peer Recovery Specialist');
  });

  it('offers each reader what their reach allows', async () => {
    openRecord('supervisor');
    await screen.findByRole('heading', { level: 1, name: 'Staff record: Rosa Díaz' });
    // A supervisor logs supervision and evaluates; credentials and hours are the person's own
    // or a coordinator's to enter; only a keeper edits the record.
    expect(screen.queryByRole('button', { name: 'Add a credential…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add hours…' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Log supervision…' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record an evaluation…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit the record' })).toBeNull();
  });

  it('lets a person keep their own credentials and hours but not log their own supervision', async () => {
    openRecord('own');
    await screen.findByRole('heading', { level: 1, name: 'Staff record: Rosa Díaz' });
    expect(screen.getByRole('button', { name: 'Add a credential…' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add hours…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Log supervision…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record an evaluation…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save as PDF' })).toBeNull();
  });
});

const listing = (id: string, date: string, inPlace: number): ReadinessListing => ({
  id, facility_id: 'f1', date, title: 'Annual review', counts: { in_place: inPlace, in_progress: 0, not_yet: 0, not_applicable: 0, answered: inPlace, items: 4 },
});

describe('program readiness', () => {
  it('saves only the items changed, one by one, and says which one was refused', async () => {
    const backend = mockBackend({
      readinessList: vi.fn(async () => [listing('r2', '2026-11-20', 0)]),
      readinessOpen: vi.fn(async (id: string) => sampleAssessment({ id, answers: [{ item: 'promote.vision', answer: 'in_place', note: null, action: null, owner: null, due_date: null }] })),
      readinessAnswer: vi.fn(async (id: string, item: string, input: ReadinessAnswerInput) => {
        if (item === 'supervision.frequency') throw { code: 'validation', message: 'x', fields: [{ field: 'action', message: 'write the action the owner and the due date belong to', message_es: 'x' }] };
        return sampleAssessment({ id, answers: [{ item, answer: input.answer as 'in_progress', note: null, action: null, owner: null, due_date: null }] });
      }),
    });
    render(Harness, { props: { backend, screen: Readiness, props: { facility }, session: sessionView(['coordinator']).session } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open the assessment of 20 Nov 2026 · Annual review' }));
    const item = await screen.findByRole('group', { name: 'Partners have had training.' });
    await fireEvent.click(within(item).getByLabelText('In progress'));
    const frequency = screen.getByRole('group', { name: 'Supervision is often enough.' });
    await fireEvent.click(within(frequency).getByLabelText('Not yet'));
    await fireEvent.input(within(frequency).getByLabelText('Owner'), { target: { value: 'Rosa' } });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Save answers' })[0]);
    await vi.waitFor(() => expect(backend.readinessAnswer).toHaveBeenCalledTimes(2));
    // The answer given before was not changed, so not sent.
    expect(vi.mocked(backend.readinessAnswer).mock.calls.map((c) => c[1])).toEqual(['promote.training', 'supervision.frequency']);
    expect(await within(frequency).findByText('write the action the owner and the due date belong to')).toBeTruthy();
    expect(screen.getByText(/This answer was not saved\. The answer before it was saved\./)).toBeTruthy();
    expect((within(frequency).getByLabelText('Owner') as HTMLInputElement).value).toBe('Rosa');
  });

  it('says so once when Back would leave answers not saved', async () => {
    const backend = mockBackend({ readinessList: vi.fn(async () => [listing('r2', '2026-11-20', 0)]) });
    render(Harness, { props: { backend, screen: Readiness, props: { facility }, session: sessionView(['coordinator']).session } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open the assessment of 20 Nov 2026 · Annual review' }));
    const item = await screen.findByRole('group', { name: 'Partners have had training.' });
    await fireEvent.click(within(item).getByLabelText('Not yet'));
    const back = screen.getByRole('button', { name: '← Back to the assessments' });
    await fireEvent.click(back);
    expect(await screen.findByText('An answer is not saved: save it, or go back again to leave it.')).toBeTruthy();
    expect(backend.readinessAnswer).not.toHaveBeenCalled();
    await fireEvent.click(back);
    expect(await screen.findByRole('form', { name: 'Start an assessment' })).toBeTruthy();
  });

  it('compares two assessments side by side, oldest first, marking what changed', async () => {
    const answer = (item: string, a: 'in_place' | 'not_yet') => ({ item, answer: a, note: null, action: null, owner: null, due_date: null });
    const backend = mockBackend({
      readinessList: vi.fn(async () => [listing('new', '2026-11-20', 2), listing('old', '2025-11-20', 1)]),
      readinessOpen: vi.fn(async (id: string) =>
        id === 'old'
          ? sampleAssessment({ id, date: '2025-11-20', answers: [answer('promote.vision', 'in_place'), answer('supervision.frequency', 'not_yet')] })
          : sampleAssessment({ id, date: '2026-11-20', answers: [answer('promote.vision', 'in_place'), answer('supervision.frequency', 'in_place')] }),
      ),
    });
    render(Harness, { props: { backend, screen: Readiness, props: { facility }, session: sessionView(['coordinator']).session } });
    const form = await screen.findByRole('form', { name: 'Compare two assessments' });
    await fireEvent.submit(form);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').map((r) => r.textContent ?? '');
    expect(rows[0]).toMatch(/20 Nov 2025.*20 Nov 2026/);
    expect(rows.find((r) => r.includes('Supervision is often enough.'))).toMatch(/Not yet.*In place, changed/);
    expect(rows.find((r) => r.includes('The program has a written vision.'))).not.toContain('changed');
  });
});

describe('the supervision report', () => {
  it('lists each person with their sessions and every lapse in the period', async () => {
    const backend = mockBackend({
      supervisionReport: vi.fn(async (from: string, to: string) => ({
        from,
        to,
        rows: [
          {
            staff: { id: 's9', name: 'Marcus Lee' }, facility_name: 'Riverside County Jail', cadence: 'monthly' as const, supervisor: { id: 's1', name: 'Rosa Díaz' },
            sessions: 2, minutes: 90, functions: [{ function: 'supportive' as const, sessions: 2 }], last: '2026-10-20', due: null,
            lapses: [{ due_on: '2026-09-20', met_on: '2026-09-27', days_late: 7 }, { due_on: '2026-11-20', met_on: null, days_late: 5 }],
          },
        ],
      })),
    });
    render(Harness, { props: { backend, screen: SupervisionReport, props: { facility, onOpen: () => {} }, session: sessionView(['coordinator']).session } });
    const report = await region(/Supervision report/);
    await vi.waitFor(() => expect(report.textContent).toContain('Marcus Lee'));
    expect(report.textContent).toContain('1 of 1 person went without supervision for a while in the period.');
    expect(report.textContent).toContain('Due 20 Sep 2026, held 27 Sep 2026: 7 days late');
    expect(report.textContent).toContain('Due 20 Nov 2026, not held: 5 days so far');
    expect(report.textContent).toContain('Supportive 2');
    expect(vi.mocked(backend.supervisionReport).mock.calls[0][2]).toBe('f1');
  });
});
