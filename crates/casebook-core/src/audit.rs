//! The hash-chained audit log. Every change, and every read of restricted material, appends a
//! row in the same transaction as the change. Each row's hash covers the previous row's hash
//! and its own fields, so an edit, a deletion or a reordering breaks the chain at that row. The
//! chain head is also kept in `meta`, so cutting rows off the end is detected too.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::{Error, Result, model::AuditEntry, time};

const GENESIS: [u8; 32] = [0u8; 32];
const DOMAIN: &[u8] = b"casebook-audit/v1";

/// The fields that a row's hash covers, in a fixed, length-prefixed encoding.
struct RowFields<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    case_id: Option<&'a str>,
    entity: &'a str,
    payload_hash: &'a [u8],
}

fn row_hash(prev: &[u8], row: &RowFields<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(prev);
    h.update(row.seq.to_be_bytes());
    for field in [row.at, row.actor, row.action, row.case_id.unwrap_or("\u{0}none"), row.entity] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.update(row.payload_hash);
    h.finalize().into()
}

/// Appends one row. Call inside the transaction that makes the change it records.
pub(crate) fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    case_id: Option<&str>,
    entity: &str,
    payload: &[u8],
) -> Result<i64> {
    append_hashed(conn, actor, action, case_id, entity, &Sha256::digest(payload))
}

pub(crate) fn append_hashed(
    conn: &Connection,
    actor: &str,
    action: &str,
    case_id: Option<&str>,
    entity: &str,
    payload_hash: &[u8],
) -> Result<i64> {
    let last: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_vec()),
    };
    let at = time::to_db(&Utc::now());
    let hash = row_hash(&prev, &RowFields { seq, at: &at, actor, action, case_id, entity, payload_hash });
    conn.prepare_cached(
        "INSERT INTO audit(seq, at, actor, action, case_id, entity, payload_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![seq, at, actor, action, case_id, entity, payload_hash, prev, hash.as_slice()])?;
    conn.prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES ('audit_head', ?1)")?
        .execute([format!("{seq}:{}", hex::encode(hash))])?;
    Ok(seq)
}

/// Whether a row (from another vault's chain) is consistent with its own hash. Rows of one case
/// are not contiguous in the author's chain, so only each row's own link can be checked here.
pub(crate) fn entry_is_consistent(entry: &AuditEntry) -> bool {
    let decode = |h: &str| hex::decode(h).ok().filter(|b| b.len() == 32);
    let (Some(payload_hash), Some(prev), Some(hash)) =
        (decode(&entry.payload_hash), decode(&entry.prev_hash), decode(&entry.hash))
    else {
        return false;
    };
    let at = time::to_db(&entry.at);
    let fields = RowFields {
        seq: entry.seq,
        at: &at,
        actor: &entry.actor,
        action: &entry.action,
        case_id: entry.case_id.as_deref(),
        entity: &entry.entity,
        payload_hash: &payload_hash,
    };
    row_hash(&prev, &fields).as_slice() == hash.as_slice()
}

/// Walks the whole chain. Returns the number of rows, or `audit_broken` naming the first bad row.
pub fn verify_chain(conn: &Connection) -> Result<i64> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, case_id, entity, payload_hash, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_vec();
    let mut expected_seq = 1i64;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let broken = |reason: &str| Error::AuditBroken { seq, reason: reason.to_string() };
        if seq != expected_seq {
            return Err(Error::AuditBroken {
                seq: expected_seq,
                reason: format!("row {expected_seq} is missing (next row found is {seq})"),
            });
        }
        let (at, actor, action): (String, String, String) = (row.get(1)?, row.get(2)?, row.get(3)?);
        let case_id: Option<String> = row.get(4)?;
        let entity: String = row.get(5)?;
        let (payload_hash, prev_hash, hash): (Vec<u8>, Vec<u8>, Vec<u8>) = (row.get(6)?, row.get(7)?, row.get(8)?);
        if prev_hash != expected_prev {
            return Err(broken("its previous-hash does not match the row before it"));
        }
        let fields = RowFields {
            seq,
            at: &at,
            actor: &actor,
            action: &action,
            case_id: case_id.as_deref(),
            entity: &entity,
            payload_hash: &payload_hash,
        };
        if row_hash(&prev_hash, &fields).as_slice() != hash.as_slice() {
            return Err(broken("its contents do not match its hash (the row was altered)"));
        }
        expected_prev = hash;
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    let head: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| r.get(0)).optional()?;
    if head.is_none() && last > 0 {
        return Err(Error::AuditBroken { seq: last, reason: "the chain's recorded head is missing".into() });
    }
    if let Some(head) = head {
        let want = format!("{last}:{}", hex::encode(&expected_prev));
        if head != want {
            let head_seq = head.split(':').next().and_then(|s| s.parse().ok()).unwrap_or(last + 1);
            return Err(Error::AuditBroken {
                seq: head_seq.max(1),
                reason: format!("the chain ends at row {last} but its recorded head is row {head_seq}"),
            });
        }
    }
    Ok(last)
}

/// The audit rows, oldest first; of one case when `case_id` is given.
pub(crate) fn list(conn: &Connection, case_id: Option<&str>) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, case_id, entity, payload_hash, prev_hash, hash FROM audit
         WHERE ?1 IS NULL OR case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], |row| {
        let at: String = row.get(1)?;
        Ok((
            at,
            AuditEntry {
                seq: row.get(0)?,
                at: DateTime::<Utc>::UNIX_EPOCH,
                actor: row.get(2)?,
                action: row.get(3)?,
                case_id: row.get(4)?,
                entity: row.get(5)?,
                payload_hash: hex::encode(row.get::<_, Vec<u8>>(6)?),
                prev_hash: hex::encode(row.get::<_, Vec<u8>>(7)?),
                hash: hex::encode(row.get::<_, Vec<u8>>(8)?),
            },
        ))
    })?;
    rows.map(|row| {
        let (at, mut entry) = row?;
        entry.at = time::from_db(&at)?;
        Ok(entry)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor: &str) -> AuditEntry {
        let at = Utc::now();
        let payload_hash: [u8; 32] = Sha256::digest(b"payload").into();
        let prev = [7u8; 32];
        let stamp = time::to_db(&at);
        let fields = RowFields {
            seq: 4,
            at: &stamp,
            actor,
            action: "case.create",
            case_id: Some("c"),
            entity: "c",
            payload_hash: &payload_hash,
        };
        let hash = row_hash(&prev, &fields);
        AuditEntry {
            seq: 4,
            at: time::from_db(&stamp).expect("time"),
            actor: actor.into(),
            action: "case.create".into(),
            case_id: Some("c".into()),
            entity: "c".into(),
            payload_hash: hex::encode(payload_hash),
            prev_hash: hex::encode(prev),
            hash: hex::encode(hash),
        }
    }

    #[test]
    fn a_received_row_must_match_its_hash() {
        assert!(entry_is_consistent(&entry("alice")));
        let mut altered = entry("alice");
        altered.actor = "mallory".into();
        assert!(!entry_is_consistent(&altered));
        let mut short = entry("alice");
        short.hash = "ab".into();
        assert!(!entry_is_consistent(&short));
    }
}
