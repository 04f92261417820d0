import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Transfers from '../src/screens/transfers/Transfers.svelte';
import TransfersSection from '../src/screens/transfers/TransfersSection.svelte';
import { facility, mockBackend } from './mock';
import type { Facility, Transfer } from '../src/backend/bindings';

const prison: Facility = { id: 'f2', name: 'Eastfield State Prison', code: 'ESP', units: [], rooms: [] };

function transfer(over: Partial<Transfer> = {}): Transfer {
  return {
    id: 't1',
    participant_id: 'p1',
    name: 'GARCIA, Ana',
    dob: '1990-01-22',
    facility_number: 'J-100',
    from_facility_id: 'f1',
    from_facility: 'Riverside County Jail',
    to_facility_id: 'f2',
    to_facility: 'Eastfield State Prison',
    requested_on: '2026-11-30',
    requested_by: 'Jo Coordinator',
    reason: 'RSAT bed at Eastfield',
    state: 'delivered',
    delivered_on: '2026-12-01',
    delivered_to: 'Prison',
    answered_on: null,
    answered_by: null,
    answer_note: null,
    open: true,
    incoming: true,
    may_answer: true,
    may_cancel: false,
    ...over,
  };
}

describe('transfers list', () => {
  it('accepts someone coming in under a number of this facility, then offers their record', async () => {
    const accepted = transfer({ state: 'accepted', answered_by: 'Pat', answered_on: '2026-12-02', open: false, may_answer: false });
    const onOpen = vi.fn();
    const backend = mockBackend({
      transfersList: vi.fn(async () => [transfer(), transfer({ id: 't2', name: 'LEE, Cal', to_facility: 'Riverside County Jail', incoming: false, may_answer: false, may_cancel: true, state: 'waiting', delivered_on: null, delivered_to: null })]),
      transferAnswer: vi.fn(async () => accepted),
    });
    render(Harness, { props: { backend, screen: Transfers, props: { onBack: vi.fn(), onOpen } } });
    const coming = await screen.findByRole('list', { name: 'Coming in' });
    expect(within(coming).getByText(/held at Prison since/)).toBeTruthy();
    const going = screen.getByRole('list', { name: 'Going out, waiting for an answer' });
    expect(within(going).getByText('LEE, Cal')).toBeTruthy();
    expect(within(going).queryByRole('button', { name: /Accept/ })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Accept GARCIA, Ana' }));
    expect(screen.getByText('Left blank, the person keeps J-100.')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Booking or DOC number here (optional)'), { target: { value: 'ESP-77' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Accept: the person is here' }));
    await screen.findByText('GARCIA, Ana is now at Eastfield State Prison.');
    expect(backend.transferAnswer).toHaveBeenCalledWith('t1', expect.objectContaining({ answer: 'accepted', number: 'ESP-77', note: '' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Open GARCIA, Ana’s record' }));
    expect(onOpen).toHaveBeenCalledWith('p1');
  });

  it('shows a refused decline beside its reason field and keeps the form', async () => {
    const backend = mockBackend({
      transfersList: vi.fn(async () => [transfer()]),
      transferAnswer: vi.fn(async () => {
        throw { code: 'validation', message: 'check the fields', fields: [{ field: 'note', message: 'say why, for the other facility', message_es: 'indique el motivo' }] };
      }),
    });
    render(Harness, { props: { backend, screen: Transfers, props: { onBack: vi.fn(), onOpen: vi.fn() } } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Decline GARCIA, Ana' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Decline the transfer' }));
    expect(await screen.findByText('say why, for the other facility')).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Decline GARCIA, Ana' })).toBeTruthy();
  });
});

describe('a reader who may not answer', () => {
  it('sees someone coming into their facility under “Coming in”, with nothing to press', async () => {
    const coming = transfer({ may_answer: false });
    render(Harness, { props: { backend: mockBackend({ transfersList: vi.fn(async () => [coming]) }), screen: Transfers, props: { onBack: vi.fn(), onOpen: vi.fn() } } });
    const list = await screen.findByRole('list', { name: 'Coming in' });
    expect(within(list).getByText('GARCIA, Ana')).toBeTruthy();
    expect(within(list).queryByRole('button')).toBeNull();
    expect(within(screen.getByRole('list', { name: 'Going out, waiting for an answer' })).queryByText('GARCIA, Ana')).toBeNull();
  });
});

describe('a person’s transfers', () => {
  it('asks for a transfer to another facility only, and says the person stays until accepted', async () => {
    const asked = transfer({ state: 'waiting', incoming: false, may_answer: false, may_cancel: true, delivered_on: null, delivered_to: null });
    const transfersOf = vi.fn(async (): Promise<Transfer[]> => []);
    const backend = mockBackend({ transferDestinations: vi.fn(async () => [facility, prison]), transfersOf, transferRequest: vi.fn(async () => asked) });
    render(Harness, { props: { backend, screen: TransfersSection, props: { participantId: 'p1', facilityId: 'f1', active: true } } });
    await screen.findByText('No transfers.');
    await fireEvent.click(screen.getByRole('button', { name: 'Transfer to another facility…' }));
    const options = within(screen.getByLabelText('Receiving facility')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose…', 'Eastfield State Prison']);
    expect(screen.getByText(/The person stays here/)).toBeTruthy();
    await fireEvent.change(screen.getByLabelText('Receiving facility'), { target: { value: 'f2' } });
    await fireEvent.input(screen.getByLabelText('Why the person moves'), { target: { value: 'RSAT bed at Eastfield' } });
    transfersOf.mockResolvedValue([asked]);
    await fireEvent.click(screen.getByRole('button', { name: 'Ask for the transfer' }));
    await screen.findByText('Transfer to Eastfield State Prison asked for. It travels in the next bundle.');
    expect(backend.transferRequest).toHaveBeenCalledWith('p1', { to_facility_id: 'f2', reason: 'RSAT bed at Eastfield' });
    await screen.findByRole('button', { name: 'Cancel transfer' });
    expect(screen.queryByRole('button', { name: 'Transfer to another facility…' })).toBeNull();
  });
});
