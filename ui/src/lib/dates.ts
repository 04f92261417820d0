// Dates as people type and read them. Storage and the core speak plain YYYY-MM-DD in the
// facility's local calendar; people type 7/4/1991 (month first, or day first by their own
// setting) and read dates in words, in their language.

import type { DateOrder } from '../backend/bindings';
import { t } from './i18n/index.svelte';

export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addDays(d: Date, days: number): Date {
  const copy = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  copy.setDate(copy.getDate() + days);
  return copy;
}

export interface ReleaseWindow {
  key: 'any' | '30' | '90' | '180' | '365' | 'past';
  range(today: Date): { from: string | null; to: string | null };
}

export const RELEASE_WINDOWS: ReleaseWindow[] = [
  { key: 'any', range: () => ({ from: null, to: null }) },
  { key: '30', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 30)) }) },
  { key: '90', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 90)) }) },
  { key: '180', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 180)) }) },
  { key: '365', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 365)) }) },
  { key: 'past', range: (t) => ({ from: null, to: isoDate(addDays(t, -1)) }) },
];

/** "14 Mar 2027" for a YYYY-MM-DD date, without any time zone shifting the day. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  return t().dates.short(d, t().dates.monthsShort[m - 1], y);
}

/** "Thursday 4 July 1991" for a YYYY-MM-DD date: what a typed date was understood as. */
export function dateInWords(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return t().dates.inWords(t().dates.weekdays[weekday], d, t().dates.months[m - 1], y);
}

/** What a date field holds: nothing, a date (as stored), or why the typing is not one. */
export type DateReading = { kind: 'empty' } | { kind: 'date'; iso: string } | { kind: 'problem'; message: string };

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYYY-MM-DD from its parts, or why they make no date. `swap` is how the same day would be
 * typed the other way round, offered when the month is impossible. */
function checked(year: number, month: number, day: number, swap: string | null): DateReading {
  const words = t().dates;
  if (year < 1900 || year > 2199) return { kind: 'problem', message: words.yearRange(year) };
  if (month < 1 || month > 12) return { kind: 'problem', message: words.noMonth(month) + (swap ? words.swapHint(swap) : '') };
  const last = daysIn(year, month);
  if (day < 1 || day > last) return { kind: 'problem', message: words.monthDays(words.monthYear(words.months[month - 1], year), last) };
  const pad = (n: number) => String(n).padStart(2, '0');
  return { kind: 'date', iso: `${year}-${pad(month)}-${pad(day)}` };
}

/** Reads a typed date: YYYY-MM-DD, or M/D/YYYY (D/M/YYYY when `order` is day first), with
 * slashes, dots or dashes. A two-digit year is refused rather than given a century. */
export function readDate(typed: string, order: DateOrder): DateReading {
  const text = typed.trim();
  if (!text) return { kind: 'empty' };
  const iso = ISO.exec(text);
  if (iso) return checked(Number(iso[1]), Number(iso[2]), Number(iso[3]), null);
  const slashed = SLASHED.exec(text);
  if (!slashed) return { kind: 'problem', message: t().dates.notADate(text, order === 'mdy' ? '7/4/1991' : '4/7/1991') };
  const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), slashed[3]];
  if (year.length !== 4) return { kind: 'problem', message: t().dates.fullYear(text) };
  const [month, day] = order === 'mdy' ? [first, second] : [second, first];
  const swap = month > 12 && day <= 12 ? `${second}/${first}/${year}` : null;
  return checked(Number(year), month, day, swap);
}

/** A stored date as the person types it: 7/4/1991 or 4/7/1991. */
export function typedDate(iso: string, order: DateOrder): string {
  const match = ISO.exec(iso);
  if (!match) return iso;
  const [y, m, d] = [match[1], Number(match[2]), Number(match[3])];
  return order === 'mdy' ? `${m}/${d}/${y}` : `${d}/${m}/${y}`;
}

/** 93324 → "93,324", the same whatever locale the workstation is set to. */
export function showCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}


function fromIso(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** The Monday of the week `iso` falls in. */
export function mondayOf(iso: string): string {
  const d = fromIso(iso);
  return isoDate(addDays(d, -((d.getDay() + 6) % 7)));
}

export function addDaysIso(iso: string, days: number): string {
  return isoDate(addDays(fromIso(iso), days));
}

/** The periods a report is usually asked for, as the first and last day (ISO), around `today`. */
export type Period = 'this_quarter' | 'last_quarter' | 'this_month' | 'last_month';

export function periodDays(period: Period, today: Date): [string, string] {
  const year = today.getFullYear();
  const month = today.getMonth();
  const span = period.endsWith('quarter') ? 3 : 1;
  const first = period.endsWith('quarter') ? month - (month % 3) : month;
  const start = period.startsWith('last') ? first - span : first;
  // Day 0 of the month after the period is its last day; Date rolls months and years over.
  return [isoDate(new Date(year, start, 1)), isoDate(new Date(year, start + span, 0))];
}
