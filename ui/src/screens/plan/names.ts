// The core's words for a plan, as the plan's sections show them.

import { AREAS, WINDOWS } from '../../backend/bindings';

export const areaName = (area: string): string => AREAS.find((a) => a.id === area)?.name ?? area;

export const windowName = (window: string | null): string => WINDOWS.find((w) => w.id === window)?.name ?? 'No release date';

export const when = (ms: number): string => new Date(ms).toLocaleString();
