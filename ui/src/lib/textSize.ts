// The text sizes an account may keep (the core refuses any other), and stepping through them
// with Ctrl+= and Ctrl+-.

export const TEXT_SIZES = [100, 125, 150, 175, 200] as const;

/** The size one step larger (1), smaller (-1), or the standard size (0). */
export function nextTextSize(current: number, step: -1 | 0 | 1): number {
  if (step === 0) return TEXT_SIZES[0];
  const at = TEXT_SIZES.findIndex((s) => s >= current);
  const here = at < 0 ? TEXT_SIZES.length - 1 : at;
  return TEXT_SIZES[Math.min(Math.max(here + step, 0), TEXT_SIZES.length - 1)];
}
