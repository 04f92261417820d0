import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Duplicates from '../src/screens/Duplicates.svelte';
import { mockBackend, row } from './mock';
import type { LikelyDuplicates, MergeInput, ParticipantMerge } from '../src/backend/bindings';

describe('likely duplicates', () => {
  it('shows each pair with why it is listed, and opens either record', async () => {
    const found: LikelyDuplicates = {
      pairs: [
        { first: row(1, 'ROE, Rick'), second: { ...row(2, 'ROWE, Richard'), facility_code: 'ESP' }, same_state_number: 'SID 4471', same_birth_and_name: false, may_merge: false },
        { first: row(3, 'GARCÍA LÓPEZ, José'), second: row(4, 'GARCIA, Jose Luis'), same_state_number: null, same_birth_and_name: true, may_merge: false },
      ],
      more: false,
    };
    const onOpen = vi.fn();
    const backend = mockBackend({ duplicatesList: vi.fn(async () => found) });
    render(Harness, { props: { backend, screen: Duplicates, props: { onBack: vi.fn(), onOpen } } });
    await screen.findByText('2 pairs to check.');
    const roe = within(screen.getByRole('listitem', { name: 'ROE, Rick and ROWE, Richard' }));
    expect(roe.getByText('Same state number SID 4471')).toBeTruthy();
    expect(roe.getByText(/ESP/)).toBeTruthy();
    expect(within(screen.getByRole('listitem', { name: 'GARCÍA LÓPEZ, José and GARCIA, Jose Luis' })).getByText('Same date of birth and a similar name')).toBeTruthy();
    await fireEvent.click(roe.getByRole('button', { name: 'ROWE, Richard' }));
    expect(onOpen).toHaveBeenCalledWith('p2');
  });

  it('says when there are none', async () => {
    render(Harness, { props: { backend: mockBackend(), screen: Duplicates, props: { onBack: vi.fn(), onOpen: vi.fn() } } });
    await screen.findByText('No likely duplicates across your facilities.');
  });

  const pair: LikelyDuplicates = {
    pairs: [{ first: row(3, 'GARCÍA LÓPEZ, José'), second: { ...row(4, 'GARCIA, Jose Luis'), facility_code: 'ESP' }, same_state_number: null, same_birth_and_name: true, may_merge: true }],
    more: false,
  };
  const side = (r: ReturnType<typeof row>) => ({ id: r.id, legal_name: r.legal_name, facility_number: r.facility_number, facility_code: r.facility_code, dob: r.dob, visible: true });
  const done: ParticipantMerge = {
    id: 'm1',
    kept: side(row(4, 'GARCIA, Jose Luis')),
    merged: side(row(3, 'GARCÍA LÓPEZ, José')),
    merged_on: '2026-11-24',
    merged_by: 'Ada Admin',
    reason: 'same DOC number',
    moved: 3,
    void: false,
    undone_on: null,
    undone_by: null,
    undo_reason: null,
    may_undo: true,
  };

  it('merges a pair into the record chosen, with the reason, and lists the merge to undo', async () => {
    const mergeParticipants = vi.fn(async (input: MergeInput): Promise<ParticipantMerge> => {
      if (!input.reason) throw { code: 'validation', message: 'say why', fields: [{ field: 'reason', message: 'say why, in a line the next reader can check', message_es: 'diga por qué' }] };
      return done;
    });
    let merged = false;
    const backend = mockBackend({
      duplicatesList: vi.fn(async () => (merged ? { pairs: [], more: false } : pair)),
      mergesList: vi.fn(async () => (merged ? [done] : [])),
      mergeParticipants: vi.fn(async (input: MergeInput) => {
        const result = await mergeParticipants(input);
        merged = true;
        return result;
      }),
      mergeUndo: vi.fn(async (id: string, reason: string) => ({ ...done, id, undone_on: '2026-11-25', undone_by: 'Ada Admin', undo_reason: reason, may_undo: false })),
    });
    render(Harness, { props: { backend, screen: Duplicates, props: { onBack: vi.fn(), onOpen: vi.fn() } } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Merge… GARCÍA LÓPEZ, José and GARCIA, Jose Luis' }));
    const form = within(screen.getByRole('form', { name: 'Merge… GARCÍA LÓPEZ, José and GARCIA, Jose Luis' }));
    // Without a reason the core refuses, and says so beside the field.
    await fireEvent.click(form.getByRole('button', { name: 'Merge records' }));
    expect(await form.findByText('say why, in a line the next reader can check')).toBeTruthy();
    await fireEvent.click(form.getByRole('radio', { name: /GARCIA, Jose Luis/ }));
    await fireEvent.input(form.getByLabelText(/Why they are one person/), { target: { value: 'same DOC number' } });
    await fireEvent.click(form.getByRole('button', { name: 'Merge records' }));
    expect(mergeParticipants).toHaveBeenLastCalledWith({ kept_id: 'p4', merged_id: 'p3', reason: 'same DOC number' });
    expect((await screen.findByRole('status')).textContent).toContain('GARCÍA LÓPEZ, José merged into GARCIA, Jose Luis: 3 records moved.');
    await screen.findByText('No likely duplicates across your facilities.');
    const merges = within(await screen.findByRole('list', { name: 'Merges' }));
    await fireEvent.click(merges.getByRole('button', { name: 'Undo… the merge of GARCÍA LÓPEZ, José into GARCIA, Jose Luis' }));
    await fireEvent.input(merges.getByLabelText('Why it is undone'), { target: { value: 'two brothers' } });
    await fireEvent.click(merges.getByRole('button', { name: 'Undo the merge' }));
    expect(backend.mergeUndo).toHaveBeenCalledWith('m1', 'two brothers');
    expect((await screen.findByRole('status')).textContent).toContain('Undone: GARCÍA LÓPEZ, José is a record of their own again.');
  });

  it('offers no merge or undo the core says the reader may not make, and names a record out of sight by its facility', async () => {
    const unseen = { ...done, may_undo: false, kept: { ...done.kept, legal_name: '', facility_number: '', facility_code: 'ESP', dob: null, visible: false } };
    const backend = mockBackend({ duplicatesList: vi.fn(async () => ({ ...pair, pairs: [{ ...pair.pairs[0], may_merge: false }] })), mergesList: vi.fn(async () => [unseen]) });
    render(Harness, { props: { backend, screen: Duplicates, props: { onBack: vi.fn(), onOpen: vi.fn() } } });
    await screen.findByText('1 pair to check.');
    expect(screen.queryByRole('button', { name: /Merge…/ })).toBeNull();
    const merges = within(await screen.findByRole('list', { name: 'Merges' }));
    expect(merges.getByText('a record held at ESP')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Undo…/ })).toBeNull();
  });
});
