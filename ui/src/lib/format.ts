// How the screens word the core's values: its words by their labels, times and due days.

import { language, t } from './i18n/index.svelte';
import { word } from './i18n/words';
import { isoDate, showDate } from './dates';
import type { Due, StaffWarning } from '../backend/bindings';

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

/** Hours as the language writes them: 2.5, or 2,5 in Spanish. (A number that is not finite
 * reaches the screens as null.) */
export const hours = (h: number | null): string => (h === null ? '—' : h.toLocaleString(language() === 'es' ? 'es' : 'en-US', { maximumFractionDigits: 2 }));

/** A number as typed, with a comma or a point for decimals; what is not a number is -1, which
 * every count and amount the core takes refuses with its own message. */
export function typedNumber(text: string): number {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() && Number.isFinite(n) ? n : -1;
}

/** What a peer staff member needs, in words. */
export function staffWarning(w: StaffWarning): string {
  switch (w.kind) {
    case 'expiry':
      return w.expiry.kind === 'expired'
        ? t().today.expired(w.credential, showDate(w.expires_on), w.expiry.days_ago)
        : t().today.expires(w.credential, showDate(w.expires_on), w.expiry.days_left);
    case 'hours_behind':
      return t().today.hoursBehind(w.credential, hours(w.progress.hours), hours(w.progress.required), hours(w.progress.ethics_hours), hours(w.progress.ethics_required));
    case 'supervision_lapsed':
      return t().today.supervisionLapsed(showDate(w.due.due_on), w.due.days_late);
  }
}

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
