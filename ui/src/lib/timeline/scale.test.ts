import { describe, expect, it } from 'vitest';
import {
  MAX_SPAN,
  MIN_SPAN,
  centreOn,
  describeSpan,
  fit,
  lowerBound,
  pan,
  span,
  tickLabel,
  ticks,
  timeToX,
  xToTime,
  zoom,
} from './scale';

const day = 86_400_000;
const v = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 11) };

describe('time scale', () => {
  it('maps time to pixels and back', () => {
    expect(timeToX(v.start, v, 1000)).toBe(0);
    expect(timeToX(v.end, v, 1000)).toBe(1000);
    expect(timeToX(v.start + 5 * day, v, 1000)).toBe(500);
    expect(xToTime(250, v, 1000)).toBe(v.start + 2.5 * day);
  });

  it('zooms around the anchor, keeping it still', () => {
    const anchorTime = xToTime(200, v, 1000);
    const z = zoom(v, 0.5, 0.2);
    expect(span(z)).toBe(5 * day);
    expect(xToTime(200, z, 1000)).toBeCloseTo(anchorTime, -1);
  });

  it('clamps zoom between minutes and decades', () => {
    let z = v;
    for (let i = 0; i < 50; i++) z = zoom(z, 0.5);
    expect(span(z)).toBe(MIN_SPAN);
    expect(MIN_SPAN).toBeLessThanOrEqual(30 * 60_000);
    for (let i = 0; i < 80; i++) z = zoom(z, 2);
    expect(span(z)).toBe(MAX_SPAN);
    expect(MAX_SPAN).toBeGreaterThanOrEqual(20 * 365 * day);
  });

  it('pans by a fraction of the window', () => {
    const p = pan(v, 0.1);
    expect(p.start - v.start).toBe(day);
    expect(span(p)).toBe(span(v));
    expect(pan(p, -0.1)).toEqual(v);
  });

  it('fits all events with a margin, and copes with none or one', () => {
    const times = [v.start, v.end];
    const f = fit(times);
    expect(f.start).toBeLessThan(v.start);
    expect(f.end).toBeGreaterThan(v.end);
    const one = fit([v.start]);
    expect(span(one)).toBe(MIN_SPAN);
    expect(one.start).toBeLessThan(v.start);
    expect(span(fit([], v.start))).toBe(8 * day);
  });

  it('centres on an instant without zooming', () => {
    const c = centreOn(v, v.end);
    expect(span(c)).toBe(span(v));
    expect((c.start + c.end) / 2).toBe(v.end);
  });
});

describe('ticks', () => {
  it('chooses day ticks for a ten-day window', () => {
    const tk = ticks(v, 1000);
    expect(tk.unit).toBe('day');
    expect(tk.times[0]).toBe(v.start);
    expect(tk.times.length).toBe(11);
  });
  it('uses calendar months and years, aligned to UTC', () => {
    const years = { start: Date.UTC(2010, 5, 1), end: Date.UTC(2026, 5, 1) };
    const tk = ticks(years, 1000);
    expect(tk.unit).toBe('year');
    for (const t of tk.times) expect(new Date(t).getUTCMonth()).toBe(0);
    const months = ticks({ start: Date.UTC(2025, 0, 15), end: Date.UTC(2026, 0, 15) }, 1200);
    expect(months.unit).toBe('month');
    for (const t of months.times) expect(new Date(t).getUTCDate()).toBe(1);
  });
  it('goes down to minutes', () => {
    const m = { start: Date.UTC(2026, 0, 1, 10, 0), end: Date.UTC(2026, 0, 1, 10, 15) };
    const tk = ticks(m, 1500);
    expect(tk.unit).toBe('minute');
    expect(tickLabel(tk.times[1]!, tk.unit)).toBe('10:01');
  });
  it('keeps ticks at least minPx apart', () => {
    for (const s of [MIN_SPAN, day, 30 * day, 3650 * day]) {
      const w = { start: v.start, end: v.start + s };
      const tk = ticks(w, 900, 90);
      for (let i = 1; i < tk.times.length; i++)
        expect(timeToX(tk.times[i]!, w, 900) - timeToX(tk.times[i - 1]!, w, 900)).toBeGreaterThanOrEqual(80);
    }
  });
  it('labels', () => {
    expect(tickLabel(Date.UTC(2026, 2, 1), 'year')).toBe('2026');
    expect(tickLabel(Date.UTC(2026, 2, 1), 'month')).toBe('2026-03');
    expect(tickLabel(Date.UTC(2026, 2, 1), 'hour')).toBe('2026-03-01');
    expect(tickLabel(Date.UTC(2026, 2, 1, 6), 'hour')).toBe('06:00');
  });
});

describe('helpers', () => {
  it('describes the zoom level', () => {
    expect(describeSpan(30 * 60_000)).toEqual({ unit: 'minutes', value: 30 });
    expect(describeSpan(day)).toEqual({ unit: 'hours', value: 24 });
    expect(describeSpan(10 * day)).toEqual({ unit: 'days', value: 10 });
    expect(describeSpan(5 * 365.25 * day)).toEqual({ unit: 'years', value: 5 });
  });
  it('binary-searches sorted times', () => {
    const a = new Float64Array([1, 3, 3, 7]);
    expect(lowerBound(a, 0)).toBe(0);
    expect(lowerBound(a, 3)).toBe(1);
    expect(lowerBound(a, 4)).toBe(3);
    expect(lowerBound(a, 8)).toBe(4);
  });
});
