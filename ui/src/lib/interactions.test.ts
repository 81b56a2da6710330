import { describe, expect, it } from 'vitest';
import { highlightFor, nextSort, pairRows, pointKey, sortRows, weightedMedian } from './interactions';
import type { Interactions } from './ipc/types';

const data: Interactions = {
  accounts: ['A', 'B', 'C'],
  shared_pages: [
    {
      wiki: 'en.wikipedia.org',
      title: 'Climate change',
      accounts: ['A', 'B'],
      edits: [
        ['A', '2026-09-01T08:00:00Z', 1],
        ['B', '2026-09-01T08:05:00Z', 2],
        ['A', '2026-09-01T09:00:00Z', 3],
        ['B', '2026-09-01T09:02:00Z', 4],
      ],
      gaps: [
        { leader: 'A', follower: 'B', times: 2, min_seconds: 120, median_seconds: 210 },
        { leader: 'B', follower: 'A', times: 1, min_seconds: 3300, median_seconds: 3300 },
      ],
    },
    {
      wiki: 'en.wikipedia.org',
      title: 'Sea level rise',
      accounts: ['A', 'B', 'C'],
      edits: [
        ['A', '2026-09-02T08:00:00Z', 5],
        ['C', '2026-09-02T08:01:00Z', 6],
        ['B', '2026-09-02T08:10:00Z', 7],
      ],
      gaps: [
        { leader: 'A', follower: 'B', times: 1, min_seconds: 600, median_seconds: 600 },
        { leader: 'A', follower: 'C', times: 1, min_seconds: 60, median_seconds: 60 },
        { leader: 'C', follower: 'B', times: 1, min_seconds: 540, median_seconds: 540 },
      ],
    },
    {
      wiki: 'es.wikipedia.org',
      title: 'Cambio climático',
      accounts: ['A', 'B'],
      edits: [
        ['A', '2026-09-03T08:00:00Z', 8],
        ['B', '2026-09-03T08:00:30Z', 9],
      ],
      gaps: [{ leader: 'A', follower: 'B', times: 1, min_seconds: 30, median_seconds: 30 }],
    },
  ],
  talk: [],
};

describe('pairRows', () => {
  it('aggregates a pair per wiki: pages, times, fastest and a weighted median', () => {
    const rows = pairRows(data);
    const ab = rows.find((r) => r.key === 'A|B|en.wikipedia.org')!;
    expect(ab).toMatchObject({ leader: 'A', follower: 'B', wiki: 'en.wikipedia.org', pages: 2, times: 3, min_seconds: 120 });
    // Medians 210 (weight 2) and 600 (weight 1): the weighted median is 210.
    expect(ab.median_seconds).toBe(210);
    expect(rows.find((r) => r.key === 'A|B|es.wikipedia.org')).toMatchObject({ pages: 1, times: 1, min_seconds: 30 });
    expect(rows).toHaveLength(5);
  });

  it('falls back to the host in the title when a page has no wiki field', () => {
    const rows = pairRows({
      accounts: [],
      talk: [],
      shared_pages: [{ title: 'de.wikipedia.org: Klima', accounts: [], edits: [], gaps: [{ leader: 'X', follower: 'Y', times: 1, min_seconds: 5, median_seconds: 5 }] }],
    });
    expect(rows[0]!.wiki).toBe('de.wikipedia.org');
  });
});

describe('weightedMedian', () => {
  it('takes the value where half the weight is reached', () => {
    expect(weightedMedian([{ value: 10, weight: 1 }, { value: 1, weight: 1 }, { value: 100, weight: 5 }])).toBe(100);
    expect(weightedMedian([{ value: 3, weight: 1 }, { value: 9, weight: 1 }])).toBe(3);
    expect(weightedMedian([])).toBeNaN();
  });
});

describe('sorting', () => {
  const rows = pairRows(data);
  it('sorts numbers and text both ways, ties by key', () => {
    expect(sortRows(rows, 'median_seconds', 'asc').map((r) => r.median_seconds)).toEqual([30, 60, 210, 540, 3300]);
    expect(sortRows(rows, 'median_seconds', 'desc').map((r) => r.median_seconds)).toEqual([3300, 540, 210, 60, 30]);
    expect(sortRows(rows, 'leader', 'asc').map((r) => r.key)).toEqual([
      'A|B|en.wikipedia.org',
      'A|B|es.wikipedia.org',
      'A|C|en.wikipedia.org',
      'B|A|en.wikipedia.org',
      'C|B|en.wikipedia.org',
    ]);
  });
  it('a header click flips the same column and starts a new one at its default', () => {
    expect(nextSort({ column: 'times', dir: 'asc' }, 'times')).toEqual({ column: 'times', dir: 'desc' });
    expect(nextSort({ column: 'times', dir: 'desc' }, 'times')).toEqual({ column: 'times', dir: 'asc' });
    expect(nextSort({ column: 'times', dir: 'asc' }, 'pages', 'desc')).toEqual({ column: 'pages', dir: 'desc' });
  });
});

describe('highlightFor', () => {
  it("keeps the pair's edits on its shared pages of its wiki, one path per page in time order", () => {
    const h = highlightFor(data, { leader: 'A', follower: 'B', wiki: 'en.wikipedia.org' });
    expect(h.paths).toHaveLength(2);
    expect(h.paths[0]!.map((p) => p.actor)).toEqual(['A', 'B', 'A', 'B']);
    // C edited "Sea level rise" too, but is not in the pair.
    expect(h.paths[1]!.map((p) => p.actor)).toEqual(['A', 'B']);
    expect(h.keys.size).toBe(6);
    expect(h.keys.has(pointKey('A', Date.parse('2026-09-01T08:00:00Z')))).toBe(true);
    expect(h.keys.has(pointKey('C', Date.parse('2026-09-02T08:01:00Z')))).toBe(false);
  });
  it('ignores pages where the pair never followed in that direction', () => {
    const h = highlightFor(data, { leader: 'C', follower: 'B', wiki: 'en.wikipedia.org' });
    expect(h.paths).toHaveLength(1);
    expect(h.paths[0]!.map((p) => p.actor)).toEqual(['C', 'B']);
  });
});
