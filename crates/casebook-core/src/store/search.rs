//! Full-text search over events, evidence, notes and subjects (FTS5, BM25-ranked).
//!
//! Each entity has its own external-content FTS table kept by triggers. One statement takes the
//! best `limit` hits of each table and merges them by rank.

use rusqlite::params;
use std::sync::LazyLock;

use super::Store;
use crate::{Error, Result, model::SearchHit};

/// One statement over every entity: per-statement overhead is a large part of a cheap query.
/// Without a case filter each table's best hits come from `ORDER BY rank LIMIT n` inside FTS5;
/// with one, the filter applies before the limit.
static UNFILTERED: LazyLock<Vec<String>> = LazyLock::new(|| {
    union(|entity, fts, base| {
        format!(
            "SELECT '{entity}', c.reference, b.id, f.snip, f.rank FROM
               (SELECT rowid, rank, snippet({fts}, -1, '[', ']', '…', 12) AS snip
                FROM {fts} WHERE {fts} MATCH ?1 ORDER BY rank LIMIT ?3) f
             JOIN {base} b ON b.seq = f.rowid JOIN cases c ON c.id = b.case_id WHERE ?2 IS NULL"
        )
    })
});
static BY_CASE: LazyLock<Vec<String>> = LazyLock::new(|| {
    union(|entity, fts, base| {
        format!(
            "SELECT * FROM (SELECT '{entity}', c.reference, b.id, snippet({fts}, -1, '[', ']', '…', 12), {fts}.rank
             FROM {fts} JOIN {base} b ON b.seq = {fts}.rowid JOIN cases c ON c.id = b.case_id
             WHERE {fts} MATCH ?1 AND b.case_id = ?2 ORDER BY {fts}.rank LIMIT ?3)"
        )
    })
});

/// The statement for every subset of entities (bit i set: `SOURCES[i]` has rows).
fn union(part: impl Fn(&str, &str, &str) -> String) -> Vec<String> {
    (0..1usize << SOURCES.len())
        .map(|mask| {
            let parts: Vec<String> = SOURCES
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, (entity, fts, base))| part(entity, fts, base))
                .collect();
            format!("{} ORDER BY 5 LIMIT ?3", parts.join(" UNION ALL "))
        })
        .collect()
}

/// Which entities have rows, in `SOURCES` order.
const PRESENT: &str = "SELECT EXISTS (SELECT 1 FROM events), EXISTS (SELECT 1 FROM evidence),
                              EXISTS (SELECT 1 FROM notes), EXISTS (SELECT 1 FROM subjects)";

/// (entity name, FTS table, base table) for each searchable entity.
const SOURCES: &[(&str, &str, &str)] = &[
    ("event", "events_fts", "events"),
    ("evidence", "evidence_fts", "evidence"),
    ("note", "notes_fts", "notes"),
    ("subject", "subjects_fts", "subjects"),
];

impl Store<'_> {
    /// The best `limit` hits for `query` across the vault, or within one case.
    pub fn search(&self, query: &str, case_reference: Option<&str>, limit: usize) -> Result<Vec<SearchHit>> {
        let fts_query = to_fts_query(query)?;
        let case_id = match case_reference {
            Some(reference) => Some(self.case(reference)?.id),
            None => None,
        };
        let limit = limit.clamp(1, 1000) as i64;
        // A MATCH costs ~13 µs even on an empty index, a third of a rare word's query: only the
        // entities that have rows are searched.
        let present: [bool; 4] =
            self.conn.prepare_cached(PRESENT)?.query_row([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?;
        let mask = present.iter().enumerate().fold(0usize, |m, (i, p)| if *p { m | 1 << i } else { m });
        if mask == 0 {
            return Ok(Vec::new());
        }
        let sql = if case_id.is_none() { &UNFILTERED[mask] } else { &BY_CASE[mask] };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![fts_query, case_id, limit], |row| {
            Ok(SearchHit {
                entity: row.get(0)?,
                case_reference: row.get(1)?,
                entity_id: row.get(2)?,
                snippet: row.get(3)?,
                rank: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Turns what a person types into a safe FTS5 query: every word must match (as a prefix when
/// it ends in `*`); quotes and operators are taken literally, never as syntax.
fn to_fts_query(input: &str) -> Result<String> {
    let terms: Vec<String> = input
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            let cleaned = word.replace('"', "");
            (!cleaned.trim().is_empty()).then(|| format!("\"{cleaned}\"{}", if prefix { "*" } else { "" }))
        })
        .collect();
    if terms.is_empty() {
        return Err(Error::invalid("the search query is empty"));
    }
    Ok(terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::to_fts_query;

    #[test]
    fn quotes_every_term_and_keeps_prefixes() {
        assert_eq!(to_fts_query("vandal* OR \"x").expect("query"), "\"vandal\"* \"OR\" \"x\"");
    }

    #[test]
    fn empty_query_is_refused() {
        assert_eq!(to_fts_query("  \"\" ").expect_err("empty").code(), "invalid_input");
    }
}
