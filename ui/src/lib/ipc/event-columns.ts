// `event_list` answers with a case's events as columns (src-tauri/src/commands/event_columns.rs):
// an array per field, repeated strings once in `strings`. Turned back into events here, once per
// load; docs/desktop.md has the layout.
import type { CaseEvent, EventSource, Precision } from './types';

export interface EventColumns {
  strings: string[];
  id: string[];
  occurred_at: string[];
  summary: string[];
  case_id: number[];
  precision: number[];
  actor: number[];
  place: number[];
  category: number[];
  source: number[];
  import_id: (number | null)[];
  /** `[event index, string indexes]`, only for events that have any. */
  tags: [number, number[]][];
  evidence: [number, number[]][];
}

/** The events the columns hold, in their order. Throws on columns of unequal length. */
export function decodeEventColumns(c: EventColumns): CaseEvent[] {
  const s = c.strings;
  const n = c.id.length;
  const columns = [c.occurred_at, c.summary, c.case_id, c.precision, c.actor, c.place, c.category, c.source, c.import_id];
  if (columns.some((col) => col.length !== n)) throw new Error('event_list: columns of unequal length');
  const lists = (pairs: [number, number[]][]) => {
    const out = new Map<number, string[]>();
    for (const [i, refs] of pairs) out.set(i, refs.map((r) => s[r]!));
    return out;
  };
  const tags = lists(c.tags);
  const evidence = lists(c.evidence);
  const events = new Array<CaseEvent>(n);
  for (let i = 0; i < n; i++) {
    const imp = c.import_id[i]!;
    events[i] = {
      id: c.id[i]!,
      case_id: s[c.case_id[i]!]!,
      occurred_at: c.occurred_at[i]!,
      precision: s[c.precision[i]!] as Precision,
      actor: s[c.actor[i]!]!,
      summary: c.summary[i]!,
      place: s[c.place[i]!]!,
      category: s[c.category[i]!]!,
      tags: tags.get(i) ?? [],
      evidence: evidence.get(i) ?? [],
      source: s[c.source[i]!] as EventSource,
      import_id: imp === null ? null : s[imp]!,
    };
  }
  return events;
}

/** Events as columns: what the backend sends, for the in-browser mock backend and tests. */
export function encodeEventColumns(events: readonly CaseEvent[]): EventColumns {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const of = (v: string) => {
    let i = index.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      index.set(v, i);
    }
    return i;
  };
  const c: EventColumns = {
    strings,
    id: [],
    occurred_at: [],
    summary: [],
    case_id: [],
    precision: [],
    actor: [],
    place: [],
    category: [],
    source: [],
    import_id: [],
    tags: [],
    evidence: [],
  };
  events.forEach((e, i) => {
    c.id.push(e.id);
    c.occurred_at.push(e.occurred_at);
    c.summary.push(e.summary);
    c.case_id.push(of(e.case_id));
    c.precision.push(of(e.precision));
    c.actor.push(of(e.actor));
    c.place.push(of(e.place));
    c.category.push(of(e.category));
    c.source.push(of(e.source));
    c.import_id.push(e.import_id === null ? null : of(e.import_id));
    if (e.tags.length) c.tags.push([i, e.tags.map(of)]);
    if (e.evidence.length) c.evidence.push([i, e.evidence.map(of)]);
  });
  return c;
}
