import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import ParticipantForm from '../src/screens/ParticipantForm.svelte';
import { type DuplicateCheck, type Enrolment, type ParticipantInput } from '../src/backend/bindings';
import { emptyInput } from '../src/lib/inputs';
import { facility, mockBackend, row, view } from './mock';

function filled(): ParticipantInput {
  return {
    ...emptyInput(),
    legal_name: 'GARCÍA, José',
    dob: '1988-03-14',
    facility_number: 'B-1',
    facility_id: facility.id,
    admission_date: '2026-05-02',
  };
}

function mount(backend: ReturnType<typeof mockBackend>, extra: Record<string, unknown> = {}) {
  const onSaved = vi.fn();
  render(Harness, {
    props: {
      backend,
      screen: ParticipantForm,
      props: { facilities: [facility], original: filled(), onSaved, onCancel: vi.fn(), onOpen: vi.fn(), ...extra },
    },
  });
  return onSaved;
}

describe('participant form', () => {
  it('shows each error from the core beside its field and reports nothing saved', async () => {
    const update = vi.fn(async () => {
      throw {
        code: 'validation',
        message: 'release_date: projected release date 2026-01-01 is before the admission date 2026-05-02',
        fields: [{ field: 'release_date', message: 'projected release date 2026-01-01 is before the admission date 2026-05-02' }],
      };
    });
    const onSaved = mount(mockBackend({ participantUpdate: update }), { id: 'p1' });
    await fireEvent.input(screen.getByLabelText('Projected release date'), { target: { value: '2026-01-01' } });
    await fireEvent.click(screen.getByText('Save changes'));
    const error = await screen.findByText(/is before the admission date/);
    expect(error.id).toBe('release_date-error');
    expect(screen.getByLabelText('Projected release date').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Nothing was saved/)).toBeTruthy();
    expect(onSaved).not.toHaveBeenCalled();
    expect(update).toHaveBeenCalledWith('p1', filled(), { ...filled(), release_date: '2026-01-01' });
  });

  it('shows possible duplicates before enrolling, and enrolls only when told it is a new person', async () => {
    const candidates = [{ row: row(3, 'GARCIA, Jose'), reason: 'same date of birth and a similar name' }];
    const enroll = vi.fn(async (input: ParticipantInput, check: DuplicateCheck): Promise<Enrolment> =>
      check === 'check'
        ? { outcome: 'possible_duplicates', candidates }
        : { outcome: 'enrolled', participant: view(input, 'p9').participant },
    );
    const onSaved = mount(mockBackend({ participantEnroll: enroll }));
    await fireEvent.click(screen.getByText('Enroll'));
    await screen.findByText('This may be someone already enrolled');
    expect(screen.getByText(/same date of birth/)).toBeTruthy();
    expect(enroll).toHaveBeenLastCalledWith(filled(), 'check');
    expect(onSaved).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByText('It is a different person'));
    await fireEvent.click(screen.getByText('Enroll new person'));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith('p9'));
    expect(enroll).toHaveBeenLastCalledWith(filled(), 'confirmed_new_person');
    expect(enroll).toHaveBeenCalledTimes(2);
  });

  it('offers only the units of the chosen facility', async () => {
    mount(mockBackend());
    const unit = screen.getByLabelText('Housing unit') as HTMLSelectElement;
    expect([...unit.options].map((o) => o.textContent)).toEqual(['Not assigned', 'A-North']);
  });
});
