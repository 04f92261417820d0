import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Groups from '../src/screens/Groups.svelte';
import { facility, mockBackend, sessionView } from './mock';

const other = { ...facility, id: 'f2', name: 'North Annex', code: 'NA' };

function mount(home: string | null, username = 'ada') {
  const backend = mockBackend({ facilitiesList: vi.fn(async () => [other, facility]) });
  const session = sessionView(['coordinator'], { username }).session;
  render(Harness, { props: { backend, screen: Groups, session, home } });
}

describe('groups', () => {
  it('opens on the person’s own facility, then on the one they chose last', async () => {
    mount('f1', 'pat');
    const select = (await screen.findByLabelText('Facility')) as HTMLSelectElement;
    await vi.waitFor(() => expect(select.value).toBe('f1'));
    await fireEvent.change(select, { target: { value: 'f2' } });
    cleanup();
    mount('f1', 'pat');
    const again = (await screen.findByLabelText('Facility')) as HTMLSelectElement;
    await vi.waitFor(() => expect(again.value).toBe('f2'));
    cleanup();
    mount('f1', 'someone-else');
    const theirs = (await screen.findByLabelText('Facility')) as HTMLSelectElement;
    await vi.waitFor(() => expect(theirs.value).toBe('f1'));
  });

  it('opens on the first facility when the person has no home facility', async () => {
    mount(null, 'nobody');
    const select = (await screen.findByLabelText('Facility')) as HTMLSelectElement;
    await vi.waitFor(() => expect(select.value).toBe('f2'));
  });

  it('marks today in the week calendar, in words as well as by its border', async () => {
    mount(null);
    await vi.waitFor(() => expect(document.querySelector('[aria-current="date"]')).not.toBeNull());
    const today = document.querySelector('[aria-current="date"]') as HTMLElement;
    expect(today.getAttribute('aria-label')).toMatch(/, today$/);
    expect(today.textContent).toContain('· today');
  });
});
