import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { RELEASE_WINDOWS, dateInWords, readDate, showCount, showDate, typedDate } from '../src/lib/dates';
import { setLanguage } from '../src/lib/i18n/index.svelte';
import BoundDate from './BoundDate.svelte';
import Harness from './Harness.svelte';
import { mockBackend, sessionView } from './mock';

afterEach(() => setLanguage('en'));

describe('date and number helpers', () => {
  it('groups thousands whatever the locale', () => {
    expect(showCount(0)).toBe('0');
    expect(showCount(999)).toBe('999');
    expect(showCount(93324)).toBe('93,324');
    expect(showCount(1000000)).toBe('1,000,000');
  });

  it('shows a calendar date without shifting the day, in the language of the screens', () => {
    expect(showDate('2027-01-15')).toBe('15 Jan 2027');
    expect(showDate(null)).toBe('—');
    setLanguage('es');
    expect(showDate('2027-01-15')).toBe('15 ene 2027');
  });

  it('turns a release window into dates from today', () => {
    const today = new Date(2026, 10, 24);
    const next30 = RELEASE_WINDOWS.find((w) => w.key === '30')!.range(today);
    expect(next30).toEqual({ from: '2026-11-24', to: '2026-12-24' });
    const past = RELEASE_WINDOWS.find((w) => w.key === 'past')!.range(today);
    expect(past).toEqual({ from: null, to: '2026-11-23' });
  });
});

describe('dates as people type them', () => {
  const date = (iso: string) => ({ kind: 'date', iso });

  it('reads month first by default, day first by the person’s setting, and ISO either way', () => {
    expect(readDate('7/4/1991', 'mdy')).toEqual(date('1991-07-04'));
    expect(readDate('7/4/1991', 'dmy')).toEqual(date('1991-04-07'));
    expect(readDate(' 07.04.1991 ', 'mdy')).toEqual(date('1991-07-04'));
    expect(readDate('1991-07-04', 'dmy')).toEqual(date('1991-07-04'));
    expect(readDate('2024-2-29', 'mdy')).toEqual(date('2024-02-29'));
    expect(readDate('', 'mdy')).toEqual({ kind: 'empty' });
  });

  it('refuses an impossible or ambiguous date, saying why', () => {
    const problem = (typed: string, order: 'mdy' | 'dmy' = 'mdy') => {
      const r = readDate(typed, order);
      return r.kind === 'problem' ? r.message : `read as ${JSON.stringify(r)}`;
    };
    expect(problem('2/30/1985')).toBe('February 1985 has 28 days');
    expect(problem('2023-02-29')).toBe('February 2023 has 28 days');
    expect(problem('13/4/1991')).toBe('there is no month 13; in your date order that date is written 4/13/1991');
    expect(problem('4/13/1991', 'dmy')).toBe('there is no month 13; in your date order that date is written 13/4/1991');
    expect(problem('7/4/91')).toContain('all four digits');
    expect(problem('7/4/0991')).toContain('the year 991 is outside');
    expect(problem('tomorrow')).toBe('“tomorrow” is not a date: type it as 7/4/1991 or as 1991-07-04');
    expect(problem('tomorrow', 'dmy')).toContain('4/7/1991');
  });

  it('says the date it understood in words, in the language of the screens', () => {
    expect(dateInWords('1991-07-04')).toBe('Thursday 4 July 1991');
    setLanguage('es');
    expect(dateInWords('1991-07-04')).toBe('jueves, 4 de julio de 1991');
    const r = readDate('2/30/1985', 'mdy');
    expect(r.kind === 'problem' && r.message).toBe('febrero de 1985 tiene 28 días');
  });

  it('shows a stored date the way the person types it', () => {
    expect(typedDate('1991-07-04', 'mdy')).toBe('7/4/1991');
    expect(typedDate('1991-07-04', 'dmy')).toBe('4/7/1991');
    expect(typedDate('', 'mdy')).toBe('');
  });
});

describe('a date field', () => {
  function mount(order: 'mdy' | 'dmy', initial = '') {
    const session = sessionView(['coordinator'], { preferences: { language: 'en', date_order: order, text_size: 100 } }).session;
    render(Harness, { props: { backend: mockBackend(), screen: BoundDate, session, props: { initial } } });
    return { get value() { return screen.getByTestId('stored').textContent; } };
  }

  it('stores ISO, shows the day in words, and keeps a stored date in the person’s order', async () => {
    const props = mount('mdy', '1988-03-14');
    const input = screen.getByLabelText(/Date of birth/) as HTMLInputElement;
    expect(input.value).toBe('3/14/1988');
    await fireEvent.input(input, { target: { value: '7/4/1991' } });
    expect(props.value).toBe('1991-07-04');
    expect(screen.getByText('Thursday 4 July 1991')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('false');
  });

  it('refuses an impossible date beside the field and passes the typing on unchanged', async () => {
    const props = mount('dmy');
    const input = screen.getByLabelText(/Date of birth/) as HTMLInputElement;
    expect(screen.getByText('day/month/year, such as 4/7/1991')).toBeTruthy();
    await fireEvent.input(input, { target: { value: '30/2/1985' } });
    expect(screen.getByRole('alert').textContent).toBe('February 1985 has 28 days');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(props.value).toBe('30/2/1985');
  });
});
