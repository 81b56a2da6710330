import { describe, expect, it } from 'vitest';
import { decodeEventColumns, encodeEventColumns } from './event-columns';
import type { CaseEvent } from './types';

const ev = (n: number, over: Partial<CaseEvent> = {}): CaseEvent => ({
  id: `e${n}`,
  case_id: 'c1',
  occurred_at: `2025-01-0${n + 1}T00:00:00Z`,
  precision: 'minute',
  actor: n % 2 ? 'Bob' : 'Alice',
  summary: `summary ${n}`,
  place: 'en.wikipedia.org: Talk:X',
  category: 'edit',
  tags: [],
  evidence: [],
  source: 'manual',
  import_id: null,
  ...over,
});

describe('event columns', () => {
  it('round-trips every field, in order', () => {
    const events = [ev(0, { tags: ['sock', 'ban'] }), ev(1, { evidence: ['ev1'], source: 'imported', import_id: 'i1' }), ev(2, { precision: 'day' })];
    const columns = encodeEventColumns(events);
    expect(decodeEventColumns(JSON.parse(JSON.stringify(columns)))).toEqual(events);
    expect(columns.strings.filter((s) => s === 'Alice')).toHaveLength(1);
    expect(columns.tags).toEqual([[0, [columns.strings.indexOf('sock'), columns.strings.indexOf('ban')]]]);
  });

  it('refuses columns of unequal length', () => {
    const columns = encodeEventColumns([ev(0), ev(1)]);
    columns.summary.pop();
    expect(() => decodeEventColumns(columns)).toThrow(/unequal/);
  });

  it('decodes an empty case', () => {
    expect(decodeEventColumns(encodeEventColumns([]))).toEqual([]);
  });
});
