import type { Backend } from '../src/backend';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Caseload from '../src/screens/Caseload.svelte';
import ContactsSection from '../src/screens/peer/ContactsSection.svelte';
import TrendChart from '../src/screens/peer/TrendChart.svelte';
import { mockBackend, sessionView } from './mock';
import type { Caseload as Load, CheckIn, Contact, Instrument, Staff } from '../src/backend/bindings';

const rosa: Staff = { id: 's1', name: 'Rosa Díaz', peer_roles: [], facility_id: 'f1', has_login: true, username: 'ada' };

function caseload(): Load {
  const row = (id: string, name: string, due: Load['rows'][number]['due']) => ({
    participant_id: id,
    name,
    facility_number: id.toUpperCase(),
    unit_name: 'A-North',
    status: 'active' as const,
    release_date: null,
    last_contact: null,
    follow_up_on: null,
    last_check_in: null,
    check_in_due: null,
    due,
  });
  return {
    staff_id: 's1',
    staff_name: 'Rosa Díaz',
    schedule: { baseline_days: 30, every_days: 90, before_release_days: 30, contact_days: 14 },
    rows: [row('p1', 'SMITH, Mary', [{ due: 'follow_up', on: '2026-11-24' }]), row('p2', 'ALLEN, Bo', [{ due: 'contact', days: null }])],
  };
}

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'c1',
    participant_id: 'p1',
    participant_name: 'SMITH, Mary',
    staff_id: 's1',
    staff_name: 'Rosa Díaz',
    date: '2026-11-23',
    start_time: '10:15',
    minutes: 40,
    units: 3,
    setting: 'housing_unit',
    kind: 'planned_session',
    support_types: ['emotional'],
    dimensions: ['home'],
    intercept: '4',
    note: { shown: 'none' },
    sensitive: false,
    follow_up_on: null,
    entered_by: 'ada',
    ...overrides,
  };
}

describe('my people', () => {
  it('logs a contact for the person in focus with one key, sending the defaults', async () => {
    const contactSave = vi.fn(async () => contact());
    const backend = mockBackend({ caseload: vi.fn(async () => caseload()), caseloadPeers: vi.fn(async () => [rosa]), contactSave });
    render(Harness, { props: { backend, screen: Caseload } });
    const first = await screen.findByRole('row', { name: /SMITH, Mary, Follow-up due/ });
    await fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^ALLEN, Bo/);
    await fireEvent.keyDown(document.activeElement!, { key: 'c' });
    expect(screen.getByRole('dialog', { name: 'Log a contact with ALLEN, Bo' })).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Minutes'), { target: { value: '45' } });
    await fireEvent.click(screen.getByLabelText('Emotional'));
    await fireEvent.keyDown(screen.getByLabelText(/^Note/), { key: 'Enter', ctrlKey: true });
    await vi.waitFor(() => expect(contactSave).toHaveBeenCalled());
    const sent = (contactSave.mock.calls[0] as unknown[])[1] as Record<string, unknown>;
    expect(sent).toMatchObject({ participant_id: 'p2', staff_id: 's1', minutes: 45, support_types: ['emotional'], intercept: '' });
    expect(await screen.findByText(/Logged a 40-minute contact \(3 billing units\)/)).toBeTruthy();
  });

  it('shows the core’s refusal beside the field it names and keeps the form', async () => {
    const contactSave = vi.fn(async () => {
      throw { code: 'validation', message: 'minutes: a contact lasts at least 1 minute', fields: [{ field: 'minutes', message: 'a contact lasts at least 1 minute' }] };
    });
    const backend = mockBackend({ caseload: vi.fn(async () => caseload()), caseloadPeers: vi.fn(async () => [rosa]), contactSave });
    render(Harness, { props: { backend, screen: Caseload } });
    await fireEvent.keyDown(await screen.findByRole('row', { name: /SMITH, Mary/ }), { key: 'C' });
    await fireEvent.input(screen.getByLabelText('Minutes'), { target: { value: '0' } });
    await fireEvent.click(screen.getByText('Save contact'));
    expect((await screen.findByText('a contact lasts at least 1 minute')).getAttribute('role')).toBe('alert');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('asks a person without a staff record to choose whose caseload to open', async () => {
    render(Harness, { props: { backend: mockBackend({ caseloadPeers: vi.fn(async () => [rosa]) }), screen: Caseload } });
    expect(await screen.findByText(/not in the staff directory/)).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Rosa Díaz' })).toBeTruthy();
  });
});

describe('contacts on a person’s page', () => {
  function mount(list: Contact[], overrides: Partial<Backend> = {}, roles: Parameters<typeof sessionView>[0] = ['coordinator']) {
    const backend = mockBackend({ contactsList: vi.fn(async () => list), ...overrides });
    render(Harness, { props: { backend, screen: ContactsSection, props: { participantId: 'p1', participantName: 'SMITH, Mary' }, session: sessionView(roles).session } });
    return backend;
  }

  it('opens a sensitive note only on request', async () => {
    const contactNoteOpen = vi.fn(async () => 'Spoke of a relapse.');
    mount([contact({ note: { shown: 'sensitive' }, sensitive: true })], { contactNoteOpen });
    await fireEvent.click(await screen.findByText('Open the note'));
    expect(await screen.findByText('Spoke of a relapse.')).toBeTruthy();
    expect(contactNoteOpen).toHaveBeenCalledWith('c1');
  });

  it('tells an auditor a note exists without its words, and offers no form', async () => {
    mount([contact({ note: { shown: 'withheld' } })], {}, ['auditor']);
    expect(await screen.findByText('A note was written; your role does not read it.')).toBeTruthy();
    expect(screen.queryByText('Log a contact')).toBeNull();
    expect(screen.queryByText('Open the note')).toBeNull();
  });
});

describe('the trend chart', () => {
  const instrument: Instrument = {
    format: 1,
    key: 'bridger-checkin',
    version: '1',
    name: { en: 'Bridger recovery check-in' },
    languages: ['en'],
    licence: { holder: 'Bridger', terms: 'free', original_language: 'en', may_translate: true, may_change: true, may_print: true },
    based_on: null,
    scale: { min: 1, max: 5, labels: { en: ['1', '2', '3', '4', '5'] } },
    items: Array.from({ length: 8 }, (_, i) => ({ key: `i${i}`, text: { en: `Item ${i}` } })),
    scoring: { cutoff: 30, cutoff_label: { en: 'Strong footing' }, bands: [{ from: 8, to: 18, label: { en: 'Building' } }, { from: 19, to: 29, label: { en: 'Growing' } }, { from: 30, to: 40, label: { en: 'Strong' } }] },
  };
  const checkIn = (date: string, total: number): CheckIn => ({
    id: date,
    participant_id: 'p1',
    instrument_id: 'i',
    instrument_name: 'Bridger recovery check-in',
    date,
    language: 'en',
    total,
    band: null,
    subscales: [],
    answers: {},
    staff_name: 'Rosa',
  });

  it('draws the line through every score, the reference line at its value and the bands', () => {
    const { container } = render(TrendChart, { props: { instrument, checkIns: [checkIn('2026-03-01', 18), checkIn('2026-06-01', 25), checkIn('2026-09-01', 33)] } });
    const path = container.querySelector('path.trend-line')!.getAttribute('d')!;
    expect(path.match(/[ML]/g)).toHaveLength(3);
    const cutoff = container.querySelector('line.cutoff')!;
    // 30 on a 8–40 scale drawn between y=228 (8) and y=16 (40).
    expect(Number(cutoff.getAttribute('y1'))).toBeCloseTo(228 - ((30 - 8) / 32) * 212, 3);
    expect(container.querySelectorAll('rect.band')).toHaveLength(3);
    expect(container.querySelector('desc')!.textContent).toContain('Strong footing at 30');
  });
});
