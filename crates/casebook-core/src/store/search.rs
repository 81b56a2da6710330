//! Full-text search over events, evidence, notes and subjects (FTS5, BM25-ranked).
//!
//! Each entity has its own external-content FTS table kept by triggers. A query takes the best
//! `limit` hits of each table (FTS5 answers `ORDER BY rank LIMIT n` without ranking every match
//! twice), then merges them by rank.

use rusqlite::params;

use super::Store;
use crate::{Error, Result, model::SearchHit};

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
        let mut hits = Vec::new();
        for (entity, fts, base) in SOURCES {
            // Without a case filter FTS5 can stop at `limit`; with one, the filter must apply first.
            let sql = if case_id.is_none() {
                format!(
                    "SELECT c.reference, b.id, f.snip, f.rank FROM
                       (SELECT rowid, rank, snippet({fts}, -1, '[', ']', '…', 12) AS snip
                        FROM {fts} WHERE {fts} MATCH ?1 ORDER BY rank LIMIT ?3) f
                     JOIN {base} b ON b.seq = f.rowid JOIN cases c ON c.id = b.case_id
                     WHERE ?2 IS NULL ORDER BY f.rank"
                )
            } else {
                format!(
                    "SELECT c.reference, b.id, snippet({fts}, -1, '[', ']', '…', 12), {fts}.rank
                     FROM {fts} JOIN {base} b ON b.seq = {fts}.rowid JOIN cases c ON c.id = b.case_id
                     WHERE {fts} MATCH ?1 AND b.case_id = ?2 ORDER BY {fts}.rank LIMIT ?3"
                )
            };
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![fts_query, case_id, limit], |row| {
                Ok(SearchHit {
                    case_reference: row.get(0)?,
                    entity: entity.to_string(),
                    entity_id: row.get(1)?,
                    snippet: row.get(2)?,
                    rank: row.get(3)?,
                })
            })?;
            hits.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
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
