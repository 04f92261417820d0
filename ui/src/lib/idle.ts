// The idle lock: after `minutes` without a key press, click, pointer move or scroll, `onIdle`
// runs once. Returns the function that stops watching.

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function watchIdle(target: Window, minutes: number, onIdle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, minutes * 60_000);
  };
  for (const kind of ACTIVITY) target.addEventListener(kind, restart, { passive: true });
  restart();
  return () => {
    clearTimeout(timer);
    for (const kind of ACTIVITY) target.removeEventListener(kind, restart);
  };
}
