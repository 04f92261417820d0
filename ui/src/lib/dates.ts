// Calendar helpers for filters. Dates are plain YYYY-MM-DD in the facility's local calendar.

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
  key: string;
  label: string;
  range(today: Date): { from: string | null; to: string | null };
}

export const RELEASE_WINDOWS: ReleaseWindow[] = [
  { key: 'any', label: 'Any release date', range: () => ({ from: null, to: null }) },
  { key: '30', label: 'Release in the next 30 days', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 30)) }) },
  { key: '90', label: 'Release in the next 90 days', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 90)) }) },
  { key: '180', label: 'Release in the next 180 days', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 180)) }) },
  { key: '365', label: 'Release in the next year', range: (t) => ({ from: isoDate(t), to: isoDate(addDays(t, 365)) }) },
  { key: 'past', label: 'Release date already passed', range: (t) => ({ from: null, to: isoDate(addDays(t, -1)) }) },
];

/** "14 Mar 2027" for a YYYY-MM-DD date, without any time zone shifting the day. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m - 1]} ${y}`;
}

/** 93324 → "93,324", the same whatever locale the workstation is set to. */
export function showCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** ISO weekday names, Monday first, as the core numbers them (1 to 7). */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

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
