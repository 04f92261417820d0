import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Gallery from './Gallery.svelte';
import App from '../src/App.svelte';
import { appInfo, mockBackend, sessionView } from './mock';
import { nextTextSize } from '../src/lib/textSize';
import { clearToasts, toast } from '../src/lib/ui/toast.svelte';

describe('the shared components', () => {
  it('Page: the heading takes the focus as the page opens; its section links and F6 move to each section', async () => {
    render(Gallery);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Gallery' }));
    const links = within(screen.getByRole('navigation', { name: 'On this page' })).getAllByRole('link');
    await fireEvent.click(links[1]);
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Two' }));
    await fireEvent.keyDown(window, { key: 'F6' });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Three' }));
    await fireEvent.keyDown(window, { key: 'F6' });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'One' }));
    await fireEvent.keyDown(window, { key: 'F6', shiftKey: true });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Three' }));
    // A dialog keeps the keyboard: F6 leaves the focus where it is.
    const dialog = document.body.appendChild(Object.assign(document.createElement('div'), { role: 'dialog' }));
    dialog.setAttribute('role', 'dialog');
    await fireEvent.keyDown(window, { key: 'F6' });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Three' }));
    dialog.remove();
  });

  it('Tabs: one tab stop; arrows, Home and End choose a tab and show its panel', async () => {
    render(Gallery);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.tabIndex)).toEqual([0, -1, -1]);
    tabs[0].focus();
    await fireEvent.keyDown(tabs[0], { key: 'ArrowRight' });
    expect(screen.getByRole('tabpanel').textContent).toContain('Panel second');
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Second' })));
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Third' }).getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'First' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(screen.getByRole('tab', { name: 'First' }).id);
  });

  it('Button: one that cannot act says why, stays in the tab order, and does nothing until it can', async () => {
    const onSave = vi.fn();
    render(Gallery, { props: { onSave } });
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send.getAttribute('aria-disabled')).toBe('true');
    expect(send.tabIndex).toBe(0);
    expect(document.getElementById(send.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Tick Ready first.');
    await fireEvent.click(send);
    expect(onSave).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByLabelText('Ready'));
    expect(send.getAttribute('aria-disabled')).toBeNull();
    expect(send.getAttribute('aria-describedby')).toBeNull();
    await fireEvent.click(send);
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('toasts: announced politely, kept until dismissed, the three newest at most, one of a kind', async () => {
    clearToasts();
    render(Gallery);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toContain('Saved.');
    for (const n of [1, 2, 3]) toast(`Note ${n}`);
    await vi.waitFor(() => expect(within(region).getAllByRole('button').length).toBe(3));
    expect(region.textContent).not.toContain('Saved.');
    toast('Text size: 125%', 'size');
    toast('Text size: 150%', 'size');
    await vi.waitFor(() => expect(region.textContent).toContain('Text size: 150%'));
    expect(region.textContent).not.toContain('Text size: 125%');
    expect(region.textContent).toContain('Note 3');
    expect(region.textContent).not.toContain('Note 1');
    await fireEvent.click(within(region).getByRole('button', { name: 'Dismiss: Note 3' }));
    expect(region.textContent).not.toContain('Note 3');
    await fireEvent.click(within(region).getByRole('button', { name: 'Dismiss: Note 2' }));
    expect(region.textContent).not.toContain('Note 2');
    expect(region.textContent).toContain('Text size: 150%');
    clearToasts();
  });

  it('text sizes step up and down within what the core keeps', () => {
    expect(nextTextSize(100, 1)).toBe(125);
    expect(nextTextSize(200, 1)).toBe(200);
    expect(nextTextSize(100, -1)).toBe(100);
    expect(nextTextSize(175, -1)).toBe(150);
    expect(nextTextSize(175, 0)).toBe(100);
  });
});

describe('keys that work on every screen', () => {
  it('? opens the shortcuts of the screen shown, Escape closes it; Ctrl+= keeps a larger text size for the account', async () => {
    const larger = { ...sessionView(), session: { ...sessionView().session, preferences: { language: 'en' as const, date_order: 'mdy' as const, text_size: 125 } } };
    const backend = mockBackend({ appInfo: vi.fn(async () => appInfo()), preferencesSet: vi.fn(async () => larger) });
    render(App, { props: { backend } });
    await screen.findByRole('heading', { level: 1, name: /^Today/ });
    await fireEvent.keyDown(document.body, { key: '?' });
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const keys = within(help).getAllByRole('row').map((r) => r.querySelector('kbd')?.textContent).filter(Boolean);
    expect(keys).toEqual(['?', 'Ctrl+=', 'Ctrl+-', 'Ctrl+0']);
    // Today has no Back, so Escape is not listed there: the help names only keys that work.
    await fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    // Typed into a field, ? is a question mark.
    await fireEvent.click(screen.getByRole('button', { name: 'Participants' }));
    const box = await screen.findByLabelText('Find a participant');
    await fireEvent.keyDown(box, { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();

    await fireEvent.keyDown(document.body, { key: '=', ctrlKey: true });
    await vi.waitFor(() => expect(backend.preferencesSet).toHaveBeenCalledWith({ language: 'en', date_order: 'mdy', text_size: 125 }));
    await vi.waitFor(() => expect(document.documentElement.style.fontSize).toBe('125%'));
    expect(screen.getByRole('status').textContent).toContain('Text size: 125%');
  });

  it('drops a text size the core answers after the screen locked, so it cannot open the screens again', async () => {
    let answer: (v: unknown) => void = () => {};
    const larger = { ...sessionView(), session: { ...sessionView().session, preferences: { language: 'en' as const, date_order: 'mdy' as const, text_size: 125 } } };
    const preferencesSet = vi.fn(() => new Promise((resolve) => (answer = resolve)));
    const backend = mockBackend({ appInfo: vi.fn(async () => appInfo()), preferencesSet: preferencesSet as never });
    render(App, { props: { backend } });
    await screen.findByRole('heading', { level: 1, name: /^Today/ });
    await fireEvent.keyDown(document.body, { key: '=', ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: '=', ctrlKey: true });
    expect(preferencesSet).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('button', { name: /Ada Admin/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    await screen.findByRole('heading', { name: 'Locked' });
    answer(larger);
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByRole('heading', { name: 'Locked' })).toBeTruthy();
    expect(document.querySelector('.shell')?.hasAttribute('hidden')).toBe(true);
  });

  it('lists the keys of each screen with its own: the roster and My people', async () => {
    const { shortcutsInForce } = await import('../src/lib/ui/shortcuts.svelte');
    render(App, { props: { backend: mockBackend({ appInfo: vi.fn(async () => appInfo()) }) } });
    await screen.findByRole('heading', { level: 1, name: /^Today/ });
    await fireEvent.click(screen.getByRole('button', { name: 'Participants' }));
    await screen.findByLabelText('Find a participant');
    expect(shortcutsInForce().map((s) => s.keys)).toEqual(['?', 'Ctrl+=', 'Ctrl+-', 'Ctrl+0', '↓', '↓ ↑ Home End', 'PageDown PageUp', 'Enter']);
    await fireEvent.click(screen.getByRole('button', { name: 'My people' }));
    await vi.waitFor(() => expect(shortcutsInForce().map((s) => s.keys)).toEqual(['?', 'Ctrl+=', 'Ctrl+-', 'Ctrl+0', '↓ ↑', 'C', 'Enter']));
  });
});
