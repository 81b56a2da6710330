/**
 * Tells the backend the user is active, at most once per `intervalMs`, so the idle auto-lock
 * timer resets without an IPC call on every keystroke.
 */
export function createActivityThrottle(
  send: () => Promise<unknown> | unknown,
  intervalMs = 15_000,
  now: () => number = () => Date.now(),
) {
  let last = -Infinity;
  return {
    /** Returns true when a call was sent. */
    touch(): boolean {
      const t = now();
      if (t - last < intervalMs) return false;
      last = t;
      Promise.resolve()
        .then(send)
        .catch(() => {
          // A failed ping must not surface: the next input will try again.
          last = -Infinity;
        });
      return true;
    },
    reset() {
      last = -Infinity;
    },
  };
}
