import { describe, expect, it, vi } from 'vitest';
import { createActivityThrottle } from './activity';

describe('activity throttle', () => {
  it('sends at most once per interval', async () => {
    let now = 0;
    const send = vi.fn();
    const th = createActivityThrottle(send, 15_000, () => now);
    expect(th.touch()).toBe(true);
    now = 14_999;
    expect(th.touch()).toBe(false);
    now = 15_000;
    expect(th.touch()).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(send).toHaveBeenCalledTimes(2);
  });
  it('retries on the next input after a failed ping', async () => {
    let now = 0;
    const send = vi.fn().mockRejectedValueOnce(new Error('x'));
    const th = createActivityThrottle(send, 15_000, () => now);
    th.touch();
    await new Promise((r) => setTimeout(r, 0));
    now = 10;
    expect(th.touch()).toBe(true);
  });
});
