// The interactions view's logic: pairs of accounts that edited the same pages (leader first,
// follower after), aggregated per wiki from interactions_get, sorted, and the timeline highlight
// of one pair's shared-page edits.
import type { Interactions, SharedPage } from './ipc/types';
import { wikiFromPlace } from './timeline/model';

export interface PairRow {
  /** `leader|follower|wiki`, stable across reloads. */
  key: string;
  leader: string;
  follower: string;
  wiki: string;
  /** Shared pages where the follower edited after the leader. */
  pages: number;
  times: number;
  min_seconds: number;
  /** The median over pages' medians, weighted by how many times each page saw the pair. */
  median_seconds: number;
}

/** A page's wiki: its `wiki` field, else the host of a `host: Title` title, else ''. */
export function pageWiki(p: SharedPage): string {
  return p.wiki ?? wikiFromPlace(p.title);
}

export function weightedMedian(values: { value: number; weight: number }[]): number {
  const sorted = values.filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((n, v) => n + v.weight, 0);
  if (total === 0) return NaN;
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    if (seen * 2 >= total) return v.value;
  }
  return sorted.at(-1)!.value;
}

/** One row per (leader, follower, wiki). */
export function pairRows(data: Interactions): PairRow[] {
  const acc = new Map<string, { row: PairRow; medians: { value: number; weight: number }[] }>();
  for (const page of data.shared_pages) {
    const wiki = pageWiki(page);
    for (const g of page.gaps) {
      const key = `${g.leader}|${g.follower}|${wiki}`;
      let a = acc.get(key);
      if (!a) {
        a = {
          row: { key, leader: g.leader, follower: g.follower, wiki, pages: 0, times: 0, min_seconds: Infinity, median_seconds: 0 },
          medians: [],
        };
        acc.set(key, a);
      }
      a.row.pages++;
      a.row.times += g.times;
      a.row.min_seconds = Math.min(a.row.min_seconds, g.min_seconds);
      a.medians.push({ value: g.median_seconds, weight: g.times });
    }
  }
  return [...acc.values()].map(({ row, medians }) => ({ ...row, median_seconds: weightedMedian(medians) }));
}

export type SortDir = 'asc' | 'desc';

/** Sorted copy; ties broken by key so the order is stable. Text compares by locale. */
export function sortRows<T extends { key: string }>(rows: readonly T[], column: keyof T, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return c * sign || a.key.localeCompare(b.key);
  });
}

/** Clicking a header: same column flips the direction; a new column starts at `initial`. */
export function nextSort<C>(current: { column: C; dir: SortDir }, column: C, initial: SortDir = 'asc') {
  return current.column === column
    ? { column, dir: current.dir === 'asc' ? ('desc' as const) : ('asc' as const) }
    : { column, dir: initial };
}

/** A mark on the timeline: an account's edit at an instant. */
export interface EditPoint {
  actor: string;
  t: number;
}

export const pointKey = (actor: string, t: number) => `${actor}\u0000${t}`;

export interface Highlight {
  /** `pointKey`s of the highlighted edits. */
  keys: Set<string>;
  /** Per shared page, the pair's edits in time order: lines join consecutive points. */
  paths: EditPoint[][];
}

/** The shared-page edits of one pair on its wiki, for TimelineCanvas. */
export function highlightFor(data: Interactions, row: Pick<PairRow, 'leader' | 'follower' | 'wiki'>): Highlight {
  const keys = new Set<string>();
  const paths: EditPoint[][] = [];
  for (const page of data.shared_pages) {
    if (pageWiki(page) !== row.wiki) continue;
    if (!page.gaps.some((g) => g.leader === row.leader && g.follower === row.follower)) continue;
    const points = page.edits
      .filter(([who]) => who === row.leader || who === row.follower)
      .map(([actor, at]) => ({ actor, t: Date.parse(at) }))
      .sort((a, b) => a.t - b.t);
    for (const p of points) keys.add(pointKey(p.actor, p.t));
    if (points.length > 1) paths.push(points);
  }
  return { keys, paths };
}
