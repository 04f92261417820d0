// How the screens word the core's values: its words by their labels, times and due days.

import { AREAS, WINDOWS } from '../backend/bindings';

export const areaName = (area: string): string => AREAS.find((a) => a.id === area)?.name ?? area;

export const windowName = (window: string | null): string => WINDOWS.find((w) => w.id === window)?.name ?? 'No release date';

/** A moment, in this workstation's local date and time. */
export const when = (ms: number): string => new Date(ms).toLocaleString();

/** When a plan item is due, counted from the release: positive before it, negative after. */
export const dueText = (days: number): string =>
  days > 0 ? `${days} days before release` : days === 0 ? 'by the day of release' : `${-days} days after release`;
