import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Duplicates from '../src/screens/Duplicates.svelte';
import { mockBackend, row } from './mock';
import type { LikelyDuplicates } from '../src/backend/bindings';

describe('likely duplicates', () => {
  it('shows each pair with why it is listed, and opens either record', async () => {
    const found: LikelyDuplicates = {
      pairs: [
        { first: row(1, 'ROE, Rick'), second: { ...row(2, 'ROWE, Richard'), facility_code: 'ESP' }, same_state_number: 'SID 4471', same_birth_and_name: false },
        { first: row(3, 'GARCÍA LÓPEZ, José'), second: row(4, 'GARCIA, Jose Luis'), same_state_number: null, same_birth_and_name: true },
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
});
