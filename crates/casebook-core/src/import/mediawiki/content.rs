//! `--with-content`: for each imported revision, its wikitext (checked against the wiki's own
//! SHA-1) and its diff against the parent revision (the API's HTML table rows, as returned, and a
//! plain-text unified diff made from both texts), stored as evidence linked to the event.

use chrono::Utc;
use rusqlite::{Connection, params};
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::collections::HashMap;

use super::{
    client::{Api, Page},
    records::Target,
};
use crate::{
    Error, Result, audit,
    model::{Case, Evidence, EvidenceKind},
    store::{
        evidence::{insert_evidence, store_content},
        new_id,
    },
    vault::chunks::Chunks,
};

/// Revisions per `prop=revisions` request with content (the API's limit for most clients).
const BATCH: usize = 50;

struct Pending {
    revid: i64,
    title: String,
    event_id: String,
}

fn bad(message: String) -> Error {
    Error::Remote { code: "wiki_bad_response", message }
}

/// Fetches and stores content and diffs for the case's revisions from `api` that lack them.
/// Returns how many revisions it completed. Each revision is one transaction.
pub(crate) async fn fetch_missing(target: &Target<'_>) -> Result<u64> {
    let Target { conn, case, api, .. } = *target;
    let pending: Vec<Pending> = {
        let mut stmt = conn.prepare(
            "SELECT item_id, title, event_id FROM wiki_items
             WHERE case_id = ?1 AND api = ?2 AND kind = 'rev' AND content_evidence_id IS NULL AND content_missing = 0
             ORDER BY item_id",
        )?;
        stmt.query_map([&case.id, &api.endpoint().to_string()], |r| {
            Ok(Pending { revid: r.get(0)?, title: r.get(1)?, event_id: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let mut done = 0;
    for batch in pending.chunks(BATCH) {
        let ids: Vec<i64> = batch.iter().map(|p| p.revid).collect();
        let revisions = fetch_revisions(api, &ids).await?;
        let parents: Vec<i64> = revisions.values().filter_map(|r| (r.parent != 0).then_some(r.parent)).collect();
        let parent_texts = fetch_revisions(api, &parents).await?;
        for item in batch {
            // Deleted or hidden since it was listed: say so, and never store it as empty text.
            let Some(rev) = revisions.get(&item.revid) else {
                mark_missing(conn, case, api, item.revid)?;
                continue;
            };
            let diff = match rev.parent {
                0 => None,
                parent => match compare(api, parent, item.revid).await {
                    Ok(page) => Some(page),
                    // The parent may be deleted or hidden; the revision itself is still kept.
                    Err(Error::Remote { code: "wiki_api_error", .. }) => None,
                    Err(e) => return Err(e),
                },
            };
            store_revision(target, item, rev, parent_texts.get(&rev.parent), diff.as_ref())?;
            done += 1;
        }
    }
    Ok(done)
}

struct Revision {
    parent: i64,
    sha1: String,
    text: String,
    retrieved_at: chrono::DateTime<Utc>,
}

async fn fetch_revisions(api: &Api, ids: &[i64]) -> Result<HashMap<i64, Revision>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let params = vec![
            ("action".to_string(), "query".to_string()),
            ("prop".to_string(), "revisions".to_string()),
            ("revids".to_string(), chunk.iter().map(i64::to_string).collect::<Vec<_>>().join("|")),
            ("rvslots".to_string(), "main".to_string()),
            ("rvprop".to_string(), "ids|timestamp|user|comment|sha1|size|content".to_string()),
        ];
        let page = api.get(&params).await?;
        let pages = page.json.pointer("/query/pages").and_then(Value::as_array).cloned().unwrap_or_default();
        for p in pages {
            for rev in p.get("revisions").and_then(Value::as_array).cloned().unwrap_or_default() {
                let revid =
                    rev.get("revid").and_then(Value::as_i64).ok_or_else(|| bad("a revision lacks its id".into()))?;
                let hidden =
                    ["texthidden", "sha1hidden"].iter().any(|k| rev.get(k).and_then(Value::as_bool).unwrap_or(false))
                        || rev.pointer("/slots/main/texthidden").and_then(Value::as_bool).unwrap_or(false);
                let Some(text) = rev.pointer("/slots/main/content").and_then(Value::as_str).filter(|_| !hidden) else {
                    continue;
                };
                let text = text.to_string();
                let sha1 = rev.get("sha1").and_then(Value::as_str).unwrap_or("").to_string();
                if !sha1.is_empty() && hex::encode(Sha1::digest(text.as_bytes())) != sha1 {
                    return Err(bad(format!("revision {revid}'s content does not match the wiki's SHA-1")));
                }
                let parent = rev.get("parentid").and_then(Value::as_i64).unwrap_or(0);
                found.insert(revid, Revision { parent, sha1, text, retrieved_at: page.retrieved_at });
            }
        }
    }
    Ok(found)
}

async fn compare(api: &Api, from: i64, to: i64) -> Result<Page> {
    let params = vec![
        ("action".to_string(), "compare".to_string()),
        ("fromrev".to_string(), from.to_string()),
        ("torev".to_string(), to.to_string()),
        ("prop".to_string(), "diff|ids|title|user|comment".to_string()),
    ];
    api.get(&params).await
}

fn mark_missing(conn: &Connection, case: &Case, api: &Api, revid: i64) -> Result<()> {
    conn.execute(
        "UPDATE wiki_items SET content_missing = 1 WHERE case_id = ?1 AND api = ?2 AND kind = 'rev' AND item_id = ?3",
        params![case.id, api.endpoint(), revid],
    )?;
    Ok(())
}

fn store_revision(
    target: &Target<'_>,
    item: &Pending,
    rev: &Revision,
    parent: Option<&Revision>,
    diff: Option<&Page>,
) -> Result<()> {
    let Target { conn, chunks, actor, case, api, .. } = *target;
    let tx = crate::store::write_tx(conn)?;
    let item_evidence = |bytes: &[u8], title: String, name: String, mime: &str, url: String, at| {
        put(&tx, chunks, actor, case, Item { bytes, title, name, mime, url, at })
    };
    let host = api.host();
    let source = |suffix: &str| api.endpoint().replace("api.php", &format!("index.php?{suffix}"));
    let mut stored = vec![item_evidence(
        rev.text.as_bytes(),
        format!("Revision {} of {} on {host} (wiki SHA-1 {})", item.revid, item.title, rev.sha1),
        format!("rev-{}.wikitext", item.revid),
        "text/plain",
        source(&format!("oldid={}", item.revid)),
        rev.retrieved_at,
    )?];
    // The diff's other side: the parent's text, unless the case already holds it.
    let parent_held: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM wiki_items WHERE case_id = ?1 AND api = ?2 AND kind = 'rev' AND item_id = ?3
                        AND content_evidence_id IS NOT NULL)",
        params![case.id, api.endpoint(), rev.parent],
        |r| r.get(0),
    )?;
    let parent_text = parent.map(|p| p.text.as_str()).unwrap_or("");
    if let Some(parent) = parent.filter(|_| !parent_held) {
        stored.push(item_evidence(
            parent.text.as_bytes(),
            format!(
                "Revision {} (parent of {}) of {} on {host} (wiki SHA-1 {})",
                rev.parent, item.revid, item.title, parent.sha1
            ),
            format!("rev-{}.wikitext", rev.parent),
            "text/plain",
            source(&format!("oldid={}", rev.parent)),
            parent.retrieved_at,
        )?);
    }
    if let Some(diff) = diff {
        stored.push(item_evidence(
            &diff.body,
            format!("Diff {} → {} of {} on {host} (API response)", rev.parent, item.revid, item.title),
            format!("diff-{}.json", item.revid),
            "application/json",
            diff.url.clone(),
            diff.retrieved_at,
        )?);
        let text = unified_diff(parent_text, &rev.text, rev.parent, item.revid);
        stored.push(item_evidence(
            text.as_bytes(),
            format!("Diff {} → {} of {} on {host} (plain text)", rev.parent, item.revid, item.title),
            format!("diff-{}.txt", item.revid),
            "text/plain",
            source(&format!("diff={}&oldid={}", item.revid, rev.parent)),
            Utc::now(),
        )?);
    }
    let event_seq: i64 = tx.query_row("SELECT seq FROM events WHERE id = ?1", [&item.event_id], |r| r.get(0))?;
    for evidence_id in &stored {
        tx.execute(
            "INSERT OR IGNORE INTO event_evidence(event_seq, evidence_id) VALUES (?1, ?2)",
            params![event_seq, evidence_id],
        )?;
    }
    tx.execute(
        "UPDATE wiki_items SET content_evidence_id = ?4, diff_evidence_id = ?5
         WHERE case_id = ?1 AND api = ?2 AND kind = 'rev' AND item_id = ?3",
        params![case.id, api.endpoint(), item.revid, stored[0], diff.and(stored.last())],
    )?;
    let record = serde_json::json!({ "revision": item.revid, "evidence": stored });
    audit::append(&tx, actor, "wiki.import_revision", Some(&case.id), &item.event_id, record.to_string().as_bytes())?;
    tx.commit()?;
    Ok(())
}

/// One piece of revision evidence to store.
struct Item<'b> {
    bytes: &'b [u8],
    title: String,
    name: String,
    mime: &'b str,
    url: String,
    at: chrono::DateTime<Utc>,
}

fn put(conn: &Connection, chunks: &Chunks, actor: &str, case: &Case, item: Item<'_>) -> Result<String> {
    let Item { bytes, title, name, mime, url, at } = item;
    // A blanked page's empty revision is still evidence: it is kept as a marker, and its title
    // says so, because the store holds no empty items.
    let (bytes, title): (&[u8], String) = if bytes.is_empty() {
        (b"(empty)", format!("{title} [empty; stored as the marker \"(empty)\"]"))
    } else {
        (bytes, title)
    };
    let content = store_content(conn, chunks, &mut &bytes[..])?;
    let evidence = Evidence {
        id: new_id(),
        case_id: case.id.clone(),
        kind: EvidenceKind::Revision,
        title,
        source_url: Some(url),
        captured_at: at,
        captured_by: actor.to_string(),
        sha256: content.sha256.clone(),
        size: content.size,
        mime: mime.to_string(),
        original_name: name,
        sensitivity: case.default_sensitivity,
        redaction: None,
    };
    insert_evidence(conn, &evidence, &content)?;
    Ok(evidence.id)
}

fn unified_diff(old: &str, new: &str, from: i64, to: i64) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("revision {from}"), &format!("revision {to}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_diff_shows_removed_and_added_lines() {
        let d = super::unified_diff("a\nb\nc\n", "a\nB\nc\n", 1, 2);
        assert!(d.contains("-b\n") && d.contains("+B\n"), "{d}");
        assert!(d.starts_with("--- revision 1\n+++ revision 2\n"), "{d}");
    }
}
