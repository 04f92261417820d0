import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Reports from '../src/screens/Reports.svelte';
import type { Figure, FigurePeople, FollowUpDue, ProgramReport } from '../src/backend/bindings';
import type { Backend } from '../src/backend';
import { mockBackend, sessionView } from './mock';

const figure = (key: string, en: string, unit: Figure['unit'], value: number, people: number | null, of: string | null = null): Figure => ({
  key,
  label: { en, es: `${en} (es)` },
  unit,
  value,
  people,
  of,
});

const report = (from: string, to: string): ProgramReport => ({
  from,
  to,
  facility: null,
  sections: [
    {
      key: 'enrolment',
      title: { en: 'Program enrolment', es: 'Inscripción en programas' },
      figures: [
        figure('enrolment.exits', 'Left a program', 'people', 3, 3),
        figure('enrolment.completion_rate', 'Completion rate', 'percent', 33.3, 1, 'enrolment.exits'),
        figure('contacts.minutes', 'Minutes', 'minutes', 70, 2),
        figure('groups.cancelled', 'Sessions cancelled', 'sessions', 2, null),
      ],
      charts: [{ key: 'enrolment.exit', title: { en: 'Exits by how they ended', es: 'Salidas' }, figures: ['enrolment.exits', 'contacts.minutes'] }],
    },
  ],
});

function mount(overrides: Partial<Backend> = {}, roles: Parameters<typeof sessionView>[0] = ['coordinator']) {
  const backend = mockBackend({ programReport: vi.fn(async (from: string, to: string) => report(from, to)), ...overrides });
  render(Harness, { props: { backend, screen: Reports, session: sessionView(roles).session } });
  return backend;
}

describe('the program report', () => {
  it('opens on last quarter with every figure, a share as a part of its whole', async () => {
    const backend = mount();
    const table = await screen.findByRole('table', { name: 'Program enrolment' });
    const [from, to] = vi.mocked(backend.programReport).mock.calls[0];
    expect(from.endsWith('-01')).toBe(true);
    expect(new Date(`${to}T00:00`).getTime() - new Date(`${from}T00:00`).getTime()).toBeGreaterThan(85 * 86_400_000);
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(name) });
    expect(row('Completion rate').textContent).toContain('33.3% (1 of 3)');
    expect(row('Minutes').textContent).toContain('70 minutes');
    expect(row('Minutes').textContent).toContain('2 people');
    expect(within(row('Sessions cancelled')).queryByRole('button')).toBeNull();
    const chart = screen.getByRole('img', { name: /Exits by how they ended/ });
    expect(chart.querySelector('desc')?.textContent).toBe('Left a program: 3 people; Minutes: 70 minutes');
    const widths = [...chart.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width')));
    expect(widths[1]).toBeGreaterThan(widths[0]);
  });

  it('lists the people behind a figure for a role that may see them', async () => {
    const people: FigurePeople = { figure: figure('enrolment.exits', 'Left a program', 'people', 3, 3), people: [{ id: 'p1', legal_name: 'ALPHA, Ann', facility_number: 'J-1', facility: 'Riverside County Jail' }] };
    const programReportPeople = vi.fn(async () => people);
    const backend = mount({ programReportPeople });
    await fireEvent.click(await screen.findByRole('button', { name: 'Who: the 3 people behind Left a program' }));
    expect(programReportPeople).toHaveBeenCalledWith(expect.any(String), expect.any(String), null, 'enrolment.exits');
    const list = await screen.findByRole('region', { name: /Left a program/ });
    expect(within(list).getByText('ALPHA, Ann')).toBeTruthy();
    const programReportPeopleSave = vi.mocked(backend.programReportPeopleSave);
    await fireEvent.click(within(list).getByRole('button', { name: 'Save the list as CSV' }));
    expect(programReportPeopleSave).toHaveBeenCalledWith(expect.any(String), expect.any(String), null, 'enrolment.exits');
    await fireEvent.click(within(list).getByRole('button', { name: 'Close the list' }));
    expect(screen.queryByText('ALPHA, Ann')).toBeNull();
  });

  it('lets a peer see the people behind a figure but not take the list out', async () => {
    const people: FigurePeople = { figure: figure('enrolment.exits', 'Left a program', 'people', 3, 3), people: [{ id: 'p1', legal_name: 'ALPHA, Ann', facility_number: 'J-1', facility: 'Riverside County Jail' }] };
    mount({ programReportPeople: vi.fn(async () => people) }, ['peer_specialist']);
    await fireEvent.click(await screen.findByRole('button', { name: 'Who: the 3 people behind Left a program' }));
    await screen.findByText('ALPHA, Ann');
    expect(screen.queryByRole('button', { name: 'Save the list as CSV' })).toBeNull();
  });

  it('shows an auditor the counts and no one behind them', async () => {
    mount({}, ['auditor']);
    await screen.findByRole('table', { name: 'Program enrolment' });
    expect(screen.queryByRole('button', { name: /^Who/ })).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Follow-ups due' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save as PDF' })).toBeNull();
  });

  it('says beside the date what is wrong with a period, and keeps the last report', async () => {
    const programReport = vi.fn(async (from: string, to: string) => report(from, to));
    mount({ programReport });
    await screen.findByRole('table', { name: 'Program enrolment' });
    programReport.mockRejectedValueOnce({ code: 'validation', message: 'to: the period ends before it begins', fields: [{ field: 'to', message: 'the period ends before it begins' }] });
    await fireEvent.click(screen.getByRole('button', { name: 'Show the report' }));
    expect((await screen.findByText('the period ends before it begins')).getAttribute('role')).toBe('alert');
    expect(screen.getByRole('table', { name: 'Program enrolment' })).toBeTruthy();
  });
});

describe('the program report out of the app', () => {
  it('saves the period shown as a PDF in the screen’s language and says where', async () => {
    const programReportSave = vi.fn(async () => '/home/pat/q3.pdf');
    mount({ programReportSave });
    await screen.findByRole('table', { name: 'Program enrolment' });
    await fireEvent.click(screen.getByRole('button', { name: 'Save as PDF' }));
    expect(programReportSave).toHaveBeenCalledWith(expect.any(String), expect.any(String), null, 'pdf', 'en');
    expect(await screen.findByText('Saved to /home/pat/q3.pdf.')).toBeTruthy();
  });

  it('says nothing when the person cancels the file dialog', async () => {
    const programReportSave = vi.fn(async () => null);
    mount({ programReportSave });
    await screen.findByRole('table', { name: 'Program enrolment' });
    await fireEvent.click(screen.getByRole('button', { name: 'Save as CSV files' }));
    expect(programReportSave).toHaveBeenCalledWith(expect.any(String), expect.any(String), null, 'csv', 'en');
    await Promise.resolve();
    expect(screen.queryByText(/Saved/)).toBeNull();
  });
});

describe('follow-ups due', () => {
  it('lists each interview with its window, where it stands and where it happens', async () => {
    const due: FollowUpDue[] = [
      {
        participant_id: 'p1',
        legal_name: 'PENDING, Pat',
        facility_number: 'F-2',
        facility: 'Riverside County Jail',
        program: 'MOUD continuity',
        window: { point: 'follow_up', year: 1, opens: '2026-07-01', closes: '2026-10-01', met_on: null },
        state: 'closing_soon',
        in_custody: true,
      },
      {
        participant_id: 'p2',
        legal_name: 'OUT, Olu',
        facility_number: 'F-3',
        facility: 'Riverside County Jail',
        program: 'RSAT unit B',
        window: { point: 'annual', year: 2, opens: '2026-06-01', closes: '2026-07-31', met_on: null },
        state: 'missed',
        in_custody: false,
      },
    ];
    const followUpsDue = vi.fn(async () => due);
    mount({ followUpsDue });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Follow-ups due' }));
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows[0]).toContain('Follow-up at 5 to 8 months');
    expect(rows[0]).toContain('Closing soon');
    expect(rows[0]).toContain('Inside, while held');
    expect(rows[1]).toContain('Annual reassessment, year 2');
    expect(rows[1]).toContain('In the community');
    expect(followUpsDue).toHaveBeenCalledWith(null);
  });
});
