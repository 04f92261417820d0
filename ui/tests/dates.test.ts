import { describe, expect, it } from 'vitest';
import { RELEASE_WINDOWS, showCount, showDate } from '../src/lib/dates';

describe('date and number helpers', () => {
  it('groups thousands whatever the locale', () => {
    expect(showCount(0)).toBe('0');
    expect(showCount(999)).toBe('999');
    expect(showCount(93324)).toBe('93,324');
    expect(showCount(1000000)).toBe('1,000,000');
  });

  it('shows a calendar date without shifting the day', () => {
    expect(showDate('2027-01-15')).toBe('15 Jan 2027');
    expect(showDate(null)).toBe('—');
  });

  it('turns a release window into dates from today', () => {
    const today = new Date(2026, 10, 24);
    const next30 = RELEASE_WINDOWS.find((w) => w.key === '30')!.range(today);
    expect(next30).toEqual({ from: '2026-11-24', to: '2026-12-24' });
    const past = RELEASE_WINDOWS.find((w) => w.key === 'past')!.range(today);
    expect(past).toEqual({ from: null, to: '2026-11-23' });
  });
});
