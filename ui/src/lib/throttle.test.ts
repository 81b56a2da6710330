import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

afterEach(() => vi.useRealTimers());

describe('throttle', () => {
  it('runs at once, then at most once per interval with one trailing call', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const th = throttle(fn, 1000);
    th();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) th();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
  it('cancel drops the trailing call; flush runs it now', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const th = throttle(fn, 1000);
    th();
    th();
    th.cancel();
    vi.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(1);
    th();
    expect(fn).toHaveBeenCalledTimes(2);
    th();
    th.flush();
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
