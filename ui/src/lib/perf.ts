// Timing marks and the chart's frame costs, read by the desktop benchmark through WebDriver
// (`performance.getEntriesByType('mark')`, `window.__casebookFrames`). Marks cost a few
// microseconds; nothing here is shown or sent anywhere.

const PREFIX = 'casebook:';
const KEEP = 4096;

/** Marks a moment of the open-case path (`open:start`, `open:events`, `timeline:drawn`, …). */
export function mark(name: string): void {
  performance.mark(PREFIX + name);
}

/** Drops earlier marks of these names, so the next mark is this load's. */
export function clearMarks(...names: string[]): void {
  for (const n of names) performance.clearMarks(PREFIX + n);
}

interface FrameLog {
  /** Milliseconds each chart redraw took, oldest first, at most KEEP. */
  draws: number[];
}

const log: FrameLog = { draws: [] };
(globalThis as unknown as { __casebookFrames?: FrameLog }).__casebookFrames = log;

export function recordFrame(ms: number): void {
  if (log.draws.length >= KEEP) log.draws.splice(0, log.draws.length - KEEP + 1);
  log.draws.push(ms);
}
