// Stepping through the text sizes an account may keep (the core's list; it refuses any other)
// with Ctrl+= and Ctrl+-.

import { TEXT_SIZES } from '../backend/bindings';

/** The size one step larger (1), smaller (-1), or the standard size (0). */
export function nextTextSize(current: number, step: -1 | 0 | 1): number {
  if (step === 0) return TEXT_SIZES[0];
  const at = TEXT_SIZES.findIndex((s) => s >= current);
  const here = at < 0 ? TEXT_SIZES.length - 1 : at;
  return TEXT_SIZES[Math.min(Math.max(here + step, 0), TEXT_SIZES.length - 1)];
}
