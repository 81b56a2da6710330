// Pure time-axis math for the timeline canvas: a view is a [start, end) window in epoch ms.

export interface TimeView {
  start: number;
  end: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;

/** Closest zoom: a quarter hour across the whole canvas, so single minutes stand apart. */
export const MIN_SPAN = 15 * MINUTE;
/** Widest zoom: half a century, enough for any account's history. */
export const MAX_SPAN = 50 * YEAR;

export function span(v: TimeView): number {
  return v.end - v.start;
}

export function timeToX(t: number, v: TimeView, width: number): number {
  return ((t - v.start) / span(v)) * width;
}

export function xToTime(x: number, v: TimeView, width: number): number {
  return v.start + (x / width) * span(v);
}

/**
 * Zooms by `factor` (< 1 zooms in, > 1 zooms out) keeping the instant under `anchor` (0..1 of the
 * width) fixed on screen, clamped between MIN_SPAN and MAX_SPAN.
 */
export function zoom(v: TimeView, factor: number, anchor = 0.5): TimeView {
  const old = span(v);
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, old * factor));
  const pivot = v.start + old * anchor;
  const start = pivot - next * anchor;
  return { start, end: start + next };
}

/** Moves the window by `fraction` of its width (positive: later). */
export function pan(v: TimeView, fraction: number): TimeView {
  const d = span(v) * fraction;
  return { start: v.start + d, end: v.end + d };
}

/** A view that shows every instant in `times` with a margin; a sensible week when empty. */
export function fit(times: readonly number[], now = Date.now()): TimeView {
  if (times.length === 0) return { start: now - 7 * DAY, end: now + DAY };
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const s = Math.min(MAX_SPAN, Math.max(MIN_SPAN, (hi - lo) * 1.1));
  const mid = (lo + hi) / 2;
  return { start: mid - s / 2, end: mid + s / 2 };
}

/** Centres the view on `t` without changing the zoom. */
export function centreOn(v: TimeView, t: number): TimeView {
  const half = span(v) / 2;
  return { start: t - half, end: t + half };
}

export type TickUnit = 'minute' | 'hour' | 'day' | 'month' | 'year';

interface Step {
  unit: TickUnit;
  count: number;
  approx: number;
}

const STEPS: Step[] = [
  { unit: 'minute', count: 1, approx: MINUTE },
  { unit: 'minute', count: 5, approx: 5 * MINUTE },
  { unit: 'minute', count: 15, approx: 15 * MINUTE },
  { unit: 'minute', count: 30, approx: 30 * MINUTE },
  { unit: 'hour', count: 1, approx: HOUR },
  { unit: 'hour', count: 3, approx: 3 * HOUR },
  { unit: 'hour', count: 6, approx: 6 * HOUR },
  { unit: 'hour', count: 12, approx: 12 * HOUR },
  { unit: 'day', count: 1, approx: DAY },
  { unit: 'day', count: 7, approx: 7 * DAY },
  { unit: 'month', count: 1, approx: 30.44 * DAY },
  { unit: 'month', count: 3, approx: 91.3 * DAY },
  { unit: 'year', count: 1, approx: YEAR },
  { unit: 'year', count: 5, approx: 5 * YEAR },
  { unit: 'year', count: 10, approx: 10 * YEAR },
];

export interface Ticks {
  unit: TickUnit;
  count: number;
  times: number[];
}

/** The finest calendar-aligned tick step (UTC) whose ticks are at least `minPx` apart. */
export function ticks(v: TimeView, width: number, minPx = 90): Ticks {
  const msPerPx = span(v) / Math.max(1, width);
  const step = STEPS.find((s) => s.approx / msPerPx >= minPx) ?? STEPS[STEPS.length - 1]!;
  const times: number[] = [];
  let t = floorTo(v.start, step);
  for (let guard = 0; t <= v.end && guard < 1000; guard++) {
    if (t >= v.start) times.push(t);
    t = advance(t, step);
  }
  return { unit: step.unit, count: step.count, times };
}

function floorTo(t: number, s: Step): number {
  const d = new Date(t);
  switch (s.unit) {
    case 'minute':
    case 'hour':
    case 'day': {
      // Days and weeks align to midnight UTC; weeks to the epoch grid is enough for a ruler.
      return Math.floor(t / (s.approx)) * s.approx;
    }
    case 'month': {
      const m = d.getUTCMonth() - (d.getUTCMonth() % s.count);
      return Date.UTC(d.getUTCFullYear(), m, 1);
    }
    case 'year': {
      const y = d.getUTCFullYear() - (((d.getUTCFullYear() % s.count) + s.count) % s.count);
      return Date.UTC(y, 0, 1);
    }
  }
}

function advance(t: number, s: Step): number {
  const d = new Date(t);
  switch (s.unit) {
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + s.count, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + s.count, 0, 1);
    default:
      return t + s.approx;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Ruler label for a tick, as short as its unit allows (UTC). */
export function tickLabel(t: number, unit: TickUnit): string {
  const d = new Date(t);
  const ymd = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  switch (unit) {
    case 'year':
      return String(d.getUTCFullYear());
    case 'month':
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
    case 'day':
      return ymd;
    default: {
      const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? ymd : hm;
    }
  }
}

/** A human name for the current zoom level, for the toolbar readout. */
export function describeSpan(ms: number): { unit: 'minutes' | 'hours' | 'days' | 'years'; value: number } {
  if (ms < 2 * HOUR) return { unit: 'minutes', value: Math.round(ms / MINUTE) };
  if (ms < 3 * DAY) return { unit: 'hours', value: Math.round(ms / HOUR) };
  if (ms < 2 * YEAR) return { unit: 'days', value: Math.round(ms / DAY) };
  return { unit: 'years', value: Math.round((ms / YEAR) * 10) / 10 };
}

/** Index of the first element of sorted `times` that is >= t. */
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
