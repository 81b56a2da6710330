//! The review chain's local side that needs no server: an outbox queued before migration 0009
//! (no declared parties, no kept rationale) survives it and still reads.

use casebook_core::Vault;

use crate::support::{PASS, database_before, raw_connection, vault};

#[test]
fn an_outbox_queued_before_the_chain_migrates_and_still_reads() {
    let (tmp, v) = vault();
    let dir = tmp.path().join("v");
    let vault_id = v.id().to_string();
    drop(v);
    let conn = database_before(&dir, &vault_id, "0009");
    conn.execute_batch(
        "INSERT INTO cases(id, reference, title, kind, status, priority, opened_at)
         VALUES ('c1', 'TS-2025-0009', 'a submitted case', 'global_ban', 'submitted', 'normal', '2025-05-01T10:00:00.000000Z');
         INSERT INTO outbox(bundle_id, case_id, local_case_id, kind, sequence, decision, file, size, sha256, signature, state, created_at)
         VALUES ('b1', 'c1', 'c1', 'submission', 1, 'submit', 'b1.cbundle', 20000, 'aa', 'sig', 'queued', '2025-05-01T10:00:00.000000Z');",
    )
    .expect("old rows");
    drop(conn);
    let v = Vault::unlock(&dir, PASS).expect("unlock migrates");
    let outbox = v.outbox().expect("outbox reads");
    assert_eq!((outbox.len(), outbox[0].decision.as_str(), outbox[0].state.as_str()), (1, "submit", "queued"));
    let (declared, rationale): (String, String) = raw_connection(&dir)
        .query_row("SELECT declared, rationale FROM outbox WHERE bundle_id = 'b1'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("new columns");
    assert_eq!((declared.as_str(), rationale.as_str()), ("{}", ""));
}
