//! A case's timeline as columns for `event_list`: one array per field, and every string that
//! repeats across events (case id, actor, place, category, precision, source, import id, tags,
//! evidence ids) stored once in `strings` and named by index. 100,000 imported events are 37 MB
//! as an array of objects and a third of that as columns, and the webview parses them in a
//! fraction of the time (docs/benchmarks.md). The UI turns them back into events
//! (`ui/src/lib/ipc/event-columns.ts`); the layout is in docs/desktop.md.

use std::collections::HashMap;

use casebook_core::model::Event;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct EventColumns {
    /// Each repeated string once; the index columns below point into it.
    pub strings: Vec<String>,
    pub id: Vec<String>,
    pub occurred_at: Vec<DateTime<Utc>>,
    pub summary: Vec<String>,
    pub case_id: Vec<u32>,
    pub precision: Vec<u32>,
    pub actor: Vec<u32>,
    pub place: Vec<u32>,
    pub category: Vec<u32>,
    pub source: Vec<u32>,
    /// `null` for an event not made by an import.
    pub import_id: Vec<Option<u32>>,
    /// `[event index, [string index, …]]` for the events that have any, in event order.
    pub tags: Vec<(u32, Vec<u32>)>,
    pub evidence: Vec<(u32, Vec<u32>)>,
}

/// Interns strings into `EventColumns::strings`.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strings {
    fn of(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).expect("fewer than 2^32 distinct strings");
        self.list.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }
}

impl From<Vec<Event>> for EventColumns {
    fn from(events: Vec<Event>) -> Self {
        let mut strings = Strings::default();
        let mut c = EventColumns {
            id: Vec::with_capacity(events.len()),
            occurred_at: Vec::with_capacity(events.len()),
            summary: Vec::with_capacity(events.len()),
            ..EventColumns::default()
        };
        for (i, e) in events.into_iter().enumerate() {
            let i = u32::try_from(i).expect("fewer than 2^32 events");
            c.case_id.push(strings.of(&e.case_id));
            c.precision.push(strings.of(e.precision.as_str()));
            c.actor.push(strings.of(&e.actor));
            c.place.push(strings.of(&e.place));
            c.category.push(strings.of(&e.category));
            c.source.push(strings.of(e.source.as_str()));
            c.import_id.push(e.import_id.as_deref().map(|s| strings.of(s)));
            if !e.tags.is_empty() {
                c.tags.push((i, e.tags.iter().map(|t| strings.of(t)).collect()));
            }
            if !e.evidence.is_empty() {
                c.evidence.push((i, e.evidence.iter().map(|t| strings.of(t)).collect()));
            }
            c.id.push(e.id);
            c.occurred_at.push(e.occurred_at);
            c.summary.push(e.summary);
        }
        c.strings = strings.list;
        c
    }
}

#[cfg(test)]
mod tests {
    use casebook_core::model::{EventSource, Precision};
    use serde_json::{Value, json};

    use super::*;

    fn event(n: usize, actor: &str, tags: &[&str]) -> Event {
        Event {
            id: format!("e{n}"),
            case_id: "c1".into(),
            occurred_at: DateTime::parse_from_rfc3339("2025-03-01T12:00:00.250Z").expect("a valid time").to_utc()
                + chrono::Duration::minutes(n as i64),
            precision: if n == 0 { Precision::Day } else { Precision::Minute },
            actor: actor.into(),
            summary: format!("summary {n}"),
            place: "en.wikipedia.org: Talk:X".into(),
            category: "edit".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            evidence: if n == 1 { vec!["ev1".into()] } else { Vec::new() },
            source: if n == 2 { EventSource::Imported } else { EventSource::Manual },
            import_id: (n == 2).then(|| "imp1".into()),
        }
    }

    /// Rebuilds each event from the columns, as the UI does, and compares it with the event's
    /// own serialization: the columns lose nothing.
    #[test]
    fn columns_rebuild_every_event() {
        let events = vec![event(0, "Alice", &["sock"]), event(1, "Bob", &[]), event(2, "Alice", &["sock", "ban"])];
        let expected: Vec<Value> =
            events.iter().map(|e| serde_json::to_value(e).expect("an event serializes")).collect();
        let c = serde_json::to_value(EventColumns::from(events)).expect("columns serialize");
        let s = |v: &Value| c["strings"][v.as_u64().expect("an index") as usize].clone();
        let list = |col: &str, i: usize| -> Value {
            let hit = c[col].as_array().expect("a list column").iter().find(|p| p[0] == json!(i));
            Value::Array(
                hit.map(|p| p[1].as_array().expect("string indexes").iter().map(s).collect()).unwrap_or_default(),
            )
        };
        for (i, want) in expected.iter().enumerate() {
            let got = json!({
                "id": c["id"][i], "case_id": s(&c["case_id"][i]), "occurred_at": c["occurred_at"][i],
                "precision": s(&c["precision"][i]), "actor": s(&c["actor"][i]), "summary": c["summary"][i],
                "place": s(&c["place"][i]), "category": s(&c["category"][i]), "tags": list("tags", i),
                "evidence": list("evidence", i), "source": s(&c["source"][i]),
                "import_id": if c["import_id"][i].is_null() { Value::Null } else { s(&c["import_id"][i]) },
            });
            assert_eq!(&got, want, "event {i}");
        }
        // Repeated strings are stored once.
        let strings = c["strings"].as_array().expect("strings");
        assert_eq!(strings.iter().filter(|v| *v == "Alice").count(), 1);
        assert_eq!(c["tags"].as_array().expect("tags").len(), 2, "only events with tags are listed");
    }
}
