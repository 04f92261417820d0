import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import RosterImport from '../src/screens/RosterImport.svelte';
import { facility, mockBackend } from './mock';
import type { Entry, RosterApplied, RosterPreview, RosterSheet } from '../src/backend/bindings';

const sheet: RosterSheet = {
  file_name: 'custody.csv',
  kind: 'text, Windows-1252',
  header_row: 4,
  columns: ['Booking #', 'Inmate Name', 'DOB', 'Housing'],
  sample: [['26-0101', 'GARCÍA LÓPEZ, José Luis', '02/03/85', 'A-POD-12B']],
  rows: 6,
  set_aside: 3,
  mapping: {
    columns: [
      { header: 'Booking #', field: 'booking', date_format: null },
      { header: 'Inmate Name', field: 'full_name', date_format: null },
      { header: 'DOB', field: 'birth_date', date_format: null },
      { header: 'Housing', field: 'housing', date_format: null },
    ],
    century_pivot: 26,
  },
  saved: false,
};

function entry(booking: string, name: string): Entry {
  return { row: 5, booking, state_number: null, legal_name: name, birth_date: '1985-02-03', unit: 'A-POD', cell: '12B', booking_date: null, release_date: null, release_words: null, charges: [] };
}

const preview: RosterPreview = {
  source: 'Jail system',
  file_name: 'custody.csv',
  digest: 'ab'.repeat(32),
  mapping: sheet.mapping,
  saved: false,
  date_columns: [],
  people: 5,
  refused_rows: 1,
  kind: 'text, Windows-1252',
  comparison: {
    new: [{ entry: entry('26-0101', 'GARCÍA LÓPEZ, José Luis'), admission_date: '2026-11-24' }],
    changed: [{ entry: entry('26-0103', 'NÚÑEZ, Inés'), participant: 'p3', changes: [{ field: 'cell', from: '14', to: '15' }], moved: true }],
    unchanged: 1,
    refused: [{ row: 9, booking: '26-0104', column: 'DOB', reason: '"2/30/1985" is not a date', reason_es: '"2/30/1985" no es una fecha' }],
    releases: [
      { participant: 'p2', booking: '26-0102', legal_name: 'SMITH, Ann', unit: 'B-East', admission_date: '2026-11-21' },
      { participant: 'p9', booking: '25-0042', legal_name: 'Chidi Okafor', unit: null, admission_date: '2026-05-01' },
    ],
    returns: [
      {
        entry: entry('26-0190', 'OKAFOR, Chidi'),
        admission_date: '2026-11-24',
        candidates: [{ participant: 'p9', booking: '25-0042', legal_name: 'Chidi Okafor', facility_name: 'Riverside County Jail', status: 'released', status_date: '2026-06-01' }],
      },
    ],
    new_units: ['C-POD'],
  },
  plan: 'plan-1',
};

const applied: RosterApplied = { enrolled: 1, changed: 1, released: 1, returned: 1, waiting: 0, refused: 1, units_added: 1, nothing_new: false };

function mount(overrides = {}) {
  const backend = mockBackend({
    rosterPick: vi.fn(async () => sheet),
    rosterPreview: vi.fn(async () => preview),
    rosterApply: vi.fn(async () => applied),
    ...overrides,
  });
  render(Harness, { props: { backend, screen: RosterImport, props: { facilities: [facility], onBack: vi.fn() } } });
  return backend;
}

describe('roster import', () => {
  it('shows the mapping to correct, then a preview, and applies only what the person confirmed', async () => {
    const backend = mount();
    await fireEvent.input(screen.getByLabelText('Source'), { target: { value: 'Jail system' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose the roster file…' }));
    await screen.findByText(/custody.csv \(text, Windows-1252\): the header is on line 4/);
    expect(backend.rosterPick).toHaveBeenCalledWith('f1', 'Jail system');
    // The birth dates read both ways: the person says they are day first.
    await fireEvent.change(screen.getByLabelText('Dates written as: DOB'), { target: { value: 'day_first' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByText('5 people on the roster: 1 new, 1 changed, 1 unchanged, 1 refused.');
    const mapping = vi.mocked(backend.rosterPreview).mock.calls[0][2];
    expect(mapping?.columns.find((u) => u.header === 'DOB')?.date_format).toBe('day_first');
    expect(screen.getByText('"2/30/1985" is not a date')).toBeTruthy();
    expect(screen.getByText(/Cell 14 → 15/)).toBeTruthy();
    expect(screen.getByText('New housing units to be added: C-POD.')).toBeTruthy();

    await fireEvent.click(screen.getByLabelText('Confirm SMITH, Ann was released'));
    const back = within(screen.getByRole('group', { name: /26-0190/ }));
    await fireEvent.click(screen.getByLabelText('Confirm Chidi Okafor was released'));
    await fireEvent.click(back.getByLabelText(/The same person as Chidi Okafor, booking 25-0042/));
    // Back under the new booking, he is not released under the old one.
    expect((screen.getByLabelText('Confirm Chidi Okafor was released') as HTMLInputElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    const outcome = await screen.findByText(/Applied: 1 enrolled, 1 changed, 1 released, 1 back under a new booking\./);
    await waitFor(() => expect(document.activeElement).toBe(outcome));
    expect(outcome.textContent).toContain('1 refused row left as it is');
    expect(backend.rosterApply).toHaveBeenCalledWith('f1', 'Jail system', expect.anything(), 'plan-1', {
      releases: ['p2'],
      returns: [{ booking: '26-0190', same_as: 'p9' }],
    });
  });

  it('shows each mapping problem beside the mapping and applies nothing', async () => {
    const rosterPreview = vi.fn(async () => {
      throw {
        code: 'validation',
        message: 'check the fields',
        fields: [
          { field: 'mapping', message: 'the column "Inmate Name" is mapped twice, to Name as LAST, FIRST MIDDLE and to Last name', message_es: 'x' },
          { field: 'mapping', message: 'choose the column with the booking or DOC number', message_es: 'y' },
        ],
      };
    });
    const backend = mount({ rosterPreview });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose the roster file…' }));
    await screen.findByText(/custody.csv/);
    await fireEvent.change(screen.getByLabelText('Holds: Booking #'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const problems = await screen.findByRole('list', { name: 'Which column holds what' });
    expect(within(problems).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'the column "Inmate Name" is mapped twice, to Name as LAST, FIRST MIDDLE and to Last name',
      'choose the column with the booking or DOC number',
    ]);
    expect(vi.mocked(backend.rosterPreview).mock.calls[0][2]?.columns.some((u) => u.header === 'Booking #')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
  });

  it('says when the same file changes nothing', async () => {
    mount({ rosterApply: vi.fn(async () => ({ ...applied, enrolled: 0, changed: 0, released: 0, returned: 0, nothing_new: true })) });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose the roster file…' }));
    await screen.findByText(/custody.csv/);
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByText(/Nothing new: every person matches the records/)).toBeTruthy());
  });
});
