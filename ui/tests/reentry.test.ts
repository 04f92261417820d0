import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Harness from './Harness.svelte';
import Reentry from '../src/screens/Reentry.svelte';
import PlanTemplate from '../src/screens/PlanTemplate.svelte';
import { BackendError } from '../src/backend';
import type { PipelineRow } from '../src/backend/bindings';
import { clinic, mockBackend, samplePlan } from './mock';

const row = (over: Partial<PipelineRow>): PipelineRow => ({
  participant_id: 'p1', legal_name: 'OKAFOR, Grace', facility_number: 'N-55120', release: '2026-12-14', released: false, window: 'days30',
  started: true, progress: { settled: 1, total: 2 }, missing: ['State ID card'], high_risk: false, ...over,
});

async function openPlan(backend: ReturnType<typeof mockBackend>) {
  render(Harness, { props: { backend, screen: Reentry } });
  await fireEvent.click(await screen.findByRole('button', { name: 'OKAFOR, Grace' }));
  await screen.findByRole('heading', { name: 'Reentry plan: OKAFOR, Grace' });
}

describe('reentry screens', () => {
  it('lists releases by window, flags the first weeks out and says what is missing', async () => {
    const backend = mockBackend({
      reentryPipeline: vi.fn(async () => [
        row({}),
        row({ participant_id: 'p2', legal_name: 'HALL, Max', release: '2026-11-21', released: true, window: 'first_week', high_risk: true, missing: [] }),
      ]),
    });
    render(Harness, { props: { backend, screen: Reentry } });
    const first = await screen.findByRole('region', { name: 'First week out' });
    expect(within(first).getByText('High risk')).toBeTruthy();
    expect(within(first).getByText('Nothing for now')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('1 person is in the first 14 days out');
    const thirty = screen.getByRole('region', { name: '8 to 30 days out' });
    expect(within(thirty).getByText('State ID card')).toBeTruthy();
    expect(within(thirty).queryByText('High risk')).toBeNull();
  });

  it('keeps each window to a screen: ten people, then Show all; what is missing to a line', async () => {
    const many = Array.from({ length: 13 }, (_, i) =>
      row({ participant_id: `p${i}`, legal_name: `PERSON ${i}, Test`, missing: ['State ID card', 'Birth certificate', 'Medicaid application', 'Housing'] }),
    );
    render(Harness, { props: { backend: mockBackend({ reentryPipeline: vi.fn(async () => many) }), screen: Reentry } });
    const thirty = await screen.findByRole('region', { name: '8 to 30 days out' });
    expect(within(thirty).getAllByRole('row')).toHaveLength(11);
    expect(within(thirty).getAllByText('State ID card; Birth certificate and 2 more')).toHaveLength(10);
    await fireEvent.click(within(thirty).getByRole('button', { name: 'Show all 13' }));
    expect(within(thirty).getAllByRole('row')).toHaveLength(14);
  });

  it('changes an item status from the plan', async () => {
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]) });
    await openPlan(backend);
    await fireEvent.change(screen.getByLabelText('Status of State ID card'), { target: { value: 'done' } });
    await vi.waitFor(() => expect(backend.reentrySaveItem).toHaveBeenCalledWith('p1', 'i1', expect.objectContaining({ status: 'done', title: 'State ID card' })));
  });

  it('shows an appointment before release refused beside its reason field', async () => {
    const refused = new BackendError({ code: 'validation', message: 'check', message_es: 'check', fields: [{ field: 'before_release_reason', message: 'this appointment is before the release date (2026-12-14): say why', message_es: 'this appointment is before the release date (2026-12-14): say why' }] });
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]), reentrySaveAppointment: vi.fn(async () => Promise.reject(refused)) });
    await openPlan(backend);
    const form = screen.getByRole('form', { name: 'Add an appointment' });
    await fireEvent.change(within(form).getByLabelText(/From the directory/), { target: { value: clinic.id } });
    expect((within(form).getByLabelText(/Provider or office/) as HTMLInputElement).value).toBe('Eastside Recovery Clinic');
    await fireEvent.input(within(form).getByLabelText(/^Date/), { target: { value: '2026-12-01' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Add the appointment' }));
    expect((await within(form).findByText(/before the release date/)).id).toBe('appointment-reason-error');
  });

  it('records a consent with the areas ticked', async () => {
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]), consentAdd: vi.fn(async () => samplePlan()) });
    await openPlan(backend);
    const form = screen.getByRole('form', { name: 'Record a consent' });
    await fireEvent.change(within(form).getByLabelText(/Who may receive it/), { target: { value: clinic.id } });
    await fireEvent.click(within(form).getByLabelText('Medication for opioid use disorder'));
    await fireEvent.click(within(form).getByLabelText('Housing'));
    await fireEvent.input(within(form).getByLabelText(/Purpose/), { target: { value: 'continuity of care' } });
    await fireEvent.input(within(form).getByLabelText(/Signed on/), { target: { value: '2026-11-20' } });
    await fireEvent.input(within(form).getByLabelText(/Expires on/), { target: { value: '2027-06-01' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Record the consent' }));
    await vi.waitFor(() =>
      expect(backend.consentAdd).toHaveBeenCalledWith('p1', { resource_id: clinic.id, information: ['moud', 'housing'], purpose: 'continuity of care', signed_on: '2026-11-20', expires_on: '2027-06-01' }),
    );
  });

  it('offers to start a plan that has no items', async () => {
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({ started: false })]), reentryPlan: vi.fn(async () => samplePlan({ items: [] })) });
    await openPlan(backend);
    await fireEvent.click(screen.getByRole('button', { name: 'Start the plan from the template' }));
    await vi.waitFor(() => expect(backend.reentryStartPlan).toHaveBeenCalledWith('p1'));
  });

  it('prints the packet in the language chosen, or saves it as a PDF', async () => {
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]), packetSavePdf: vi.fn(async () => '/media/usb/packet.pdf') });
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    await openPlan(backend);
    await fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'spanish' } });
    // The packet's actions are in the plan's bar, which stays in view as the page scrolls.
    const bar = screen.getByRole('navigation', { name: 'On this page' }).parentElement as HTMLElement;
    expect(within(bar).getAllByRole('button').map((b) => b.textContent)).toEqual(['Print the packet…', 'Save the packet as PDF…']);
    await fireEvent.click(screen.getByRole('button', { name: 'Save the packet as PDF…' }));
    await vi.waitFor(() => expect(backend.packetSavePdf).toHaveBeenCalledWith('p1', 'spanish'));
    expect((await screen.findByText(/saved at \/media\/usb\/packet.pdf/)).getAttribute('role')).toBe('status');
    await fireEvent.click(screen.getByRole('button', { name: 'Print the packet…' }));
    await vi.waitFor(() => expect(print).toHaveBeenCalled());
    expect(backend.packetView).toHaveBeenCalledWith('p1', 'spanish');
    expect(screen.getByRole('article', { name: 'Release packet to print' }).textContent).toContain('Your release packet');
    print.mockRestore();
  });

  it('hands off to a partner, and shows the refusal beside the partner when no consent allows it', async () => {
    const partner = { ...clinic, site_id: 'site-2' };
    const refused = new BackendError({ code: 'validation', message: 'check', message_es: 'check', fields: [{ field: 'recipient', message: 'OKAFOR, Grace has not consented to share anything with Eastside Recovery Clinic: nothing was sent.', message_es: 'OKAFOR, Grace has not consented to share anything with Eastside Recovery Clinic: nothing was sent.' }] });
    const exportHandOff = vi.fn()
      .mockRejectedValueOnce(refused)
      .mockResolvedValueOnce({ disclosure_id: 'd1', to: clinic.name, path: '/media/usb/hand-off.bundle', changes: 12, areas: ['moud'] });
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]), resourcesList: vi.fn(async () => [partner]), handoffExport: exportHandOff });
    await openPlan(backend);
    await fireEvent.change(screen.getByLabelText(/^Partner/), { target: { value: partner.id } });
    await fireEvent.click(screen.getByRole('button', { name: 'Hand off…' }));
    await vi.waitFor(() => expect(exportHandOff).toHaveBeenCalledWith('p1', partner.id));
    expect((await screen.findByText(/has not consented/)).id).toBe('handoff-partner-error');
    await fireEvent.click(screen.getByRole('button', { name: 'Hand off…' }));
    expect((await screen.findByText(/stays open until Eastside Recovery Clinic confirms it/)).textContent).toContain('Medication for opioid use disorder');
  });

  it('lists hand-offs still waiting on the pipeline', async () => {
    const backend = mockBackend({
      reentryPipeline: vi.fn(async () => [row({})]),
      handoffsOpen: vi.fn(async () => [{ disclosure_id: 'd1', participant_id: 'p1', legal_name: 'OKAFOR, Grace', recipient: clinic.name, disclosed_ms: 0 }]),
    });
    render(Harness, { props: { backend, screen: Reentry } });
    const waiting = await screen.findByRole('region', { name: 'Hand-offs waiting' });
    expect(waiting.textContent).toContain('to Eastside Recovery Clinic');
  });

  it('adjusts the plan template: adds an item, refuses days that are not a number, removes one', async () => {
    const item = { id: 't1', area: 'phone' as const, title: 'Working phone', due_days: 0, sort: 1 };
    const backend = mockBackend({ planTemplate: vi.fn(async () => [item]), templateItemSave: vi.fn(async () => [item]), templateItemRemove: vi.fn(async () => []) });
    render(Harness, { props: { backend, screen: PlanTemplate } });
    expect((await screen.findByText(/Working phone/)).textContent).toContain('by the day of release');
    const form = screen.getByRole('form', { name: 'Add to the template' });
    await fireEvent.change(within(form).getByLabelText(/Area/), { target: { value: 'housing' } });
    await fireEvent.input(within(form).getByLabelText(/^Item/), { target: { value: 'Recovery residence bed held' } });
    await fireEvent.input(within(form).getByLabelText(/Days before release/), { target: { value: 'two weeks' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Add to the template' }));
    expect((await within(form).findByText(/whole number of days/)).id).toBe('template-due-error');
    expect(backend.templateItemSave).not.toHaveBeenCalled();
    await fireEvent.input(within(form).getByLabelText(/Days before release/), { target: { value: '14' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Add to the template' }));
    await vi.waitFor(() => expect(backend.templateItemSave).toHaveBeenCalledWith(null, expect.objectContaining({ area: 'housing', title: 'Recovery residence bed held', due_days: 14 })));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Working phone' }));
    await vi.waitFor(() => expect(backend.templateItemRemove).toHaveBeenCalledWith('t1'));
  });

  it('records a referral from the directory', async () => {
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]) });
    await openPlan(backend);
    const form = screen.getByRole('form', { name: 'Add a referral' });
    await fireEvent.change(within(form).getByLabelText(/^To/), { target: { value: clinic.id } });
    await fireEvent.change(within(form).getByLabelText(/Area/), { target: { value: 'moud' } });
    await fireEvent.input(within(form).getByLabelText(/Sent on/), { target: { value: '2026-11-23' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Add the referral' }));
    await vi.waitFor(() => expect(backend.reentrySaveReferral).toHaveBeenCalledWith('p1', null, { resource_id: clinic.id, area: 'moud', status: 'sent', sent_on: '2026-11-23', notes: '' }));
  });

  it('records a revocation for the one consent it was typed for', async () => {
    const consent = (id: string) => ({ id, resource_id: clinic.id, resource_name: clinic.name, site_id: null, information: ['moud' as const], signed_on: '2026-11-20', expires_on: '2027-06-01', revoked_on: null, purpose: 'care', active: true });
    const backend = mockBackend({ reentryPipeline: vi.fn(async () => [row({})]), reentryPlan: vi.fn(async () => samplePlan({ consents: [consent('k1'), consent('k2')] })) });
    await openPlan(backend);
    await fireEvent.input(document.getElementById('revoke-on-k2') as HTMLInputElement, { target: { value: '2026-11-24' } });
    expect((document.getElementById('revoke-on-k1') as HTMLInputElement).value).toBe('');
    const buttons = screen.getAllByRole('button', { name: 'Record revocation' });
    await fireEvent.click(buttons[1]);
    await vi.waitFor(() => expect(backend.consentRevoke).toHaveBeenCalledWith('p1', 'k2', '2026-11-24'));
  });
});
