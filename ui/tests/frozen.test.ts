// The app runs with Object.prototype frozen (Tauri's freezePrototype), where assigning
// `constructor` or `toString` to a plain object throws. Libraries drawn into the bundle must
// work that way; this file freezes it for its own module context only.
import { describe, expect, it } from 'vitest';

describe('with Object.prototype frozen, as in the app', () => {
  it('draws the trend chart', async () => {
    Object.freeze(Object.prototype);
    const { render } = await import('@testing-library/svelte');
    const { default: TrendChart } = await import('../src/screens/peer/TrendChart.svelte');
    const instrument = {
      format: 1,
      key: 'k',
      version: '1',
      name: { en: 'Check-in' },
      languages: ['en'],
      licence: { holder: 'h', terms: 't', original_language: 'en', may_translate: true, may_change: true, may_print: true },
      scale: { min: 1, max: 5, labels: { en: ['1', '2', '3', '4', '5'] } },
      items: [{ key: 'a', text: { en: 'A' } }, { key: 'b', text: { en: 'B' } }],
      scoring: { cutoff: 6, cutoff_label: { en: 'Line' }, bands: [] },
    };
    const checkIn = (date: string, total: number) => ({ id: date, participant_id: 'p', instrument_id: 'i', instrument_name: 'x', date, language: 'en', total, band: null, subscales: [], answers: {}, staff_name: 's' });
    const { container } = render(TrendChart, { props: { instrument, checkIns: [checkIn('2026-01-10', 4), checkIn('2026-05-10', 8)] } });
    expect(container.querySelector('path.trend-line')!.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(container.querySelectorAll('text.tick').length).toBeGreaterThan(4);
  });
});
