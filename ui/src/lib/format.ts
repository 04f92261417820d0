// How the screens word the core's values: its words by their labels, times and due days.

import { language, t } from './i18n/index.svelte';
import { word } from './i18n/words';
import { isoDate, showDate } from './dates';
import type { Due } from '../backend/bindings';

export const areaName = (area: string): string => word('areas', area);

export const windowName = (window: string | null): string => (window ? word('windows', window) : t().format.noReleaseDate);

/** A moment, in this workstation's local time zone: the day in words (never 2/12 or 12/2) and
 * the time as the language writes it. */
export const when = (ms: number): string => {
  const d = new Date(ms);
  const time = d.toLocaleTimeString(language() === 'es' ? 'es' : 'en-US', { hour: 'numeric', minute: '2-digit' });
  return `${showDate(isoDate(d))}, ${time}`;
};

/** When a plan item is due, counted from the release: positive before it, negative after. */
export const dueText = (days: number): string =>
  days > 0 ? t().format.dueBefore(days) : days === 0 ? t().format.dueOnDay : t().format.dueAfter(-days);

/** Why a person on a caseload is due, in words. */
export function dueReason(d: Due): string {
  switch (d.due) {
    case 'follow_up':
      return t().caseload.followUp(showDate(d.on));
    case 'contact':
      return d.days === null ? t().caseload.notSeen : t().caseload.notSeenIn(d.days);
    case 'check_in':
      return (d.reason === 'baseline' ? t().caseload.baseline : d.reason === 'before_release' ? t().caseload.beforeRelease : t().caseload.checkIn)(showDate(d.on));
  }
}
