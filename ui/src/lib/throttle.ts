// At most one call per interval: the first call runs at once, later ones within the interval
// collapse into one trailing call at its end (so the last update is never lost).
export interface Throttled {
  (): void;
  /** Drops a pending trailing call. */
  cancel(): void;
  /** Runs a pending trailing call now. */
  flush(): void;
}

export function throttle(fn: () => void, ms: number, clock: () => number = () => Date.now()): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = clock();
    fn();
  };
  const throttled = (() => {
    if (timer !== undefined) return;
    const wait = last + ms - clock();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  throttled.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    run();
  };
  return throttled;
}
