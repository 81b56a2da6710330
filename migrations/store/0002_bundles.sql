-- Casebook vault schema, version 2: identity, contacts, sealed and received bundles.

-- This vault's own identity: an Ed25519 signing key and an age X25519 identity.
CREATE TABLE identity (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    signing_secret TEXT NOT NULL,
    age_secret     TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

-- The trusted key directory.
CREATE TABLE contacts (
    fingerprint TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    signing_key TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    source      TEXT NOT NULL,
    added_at    TEXT NOT NULL
) STRICT;

-- Bundles sealed here; `sequence` counts per case.
CREATE TABLE sealed_bundles (
    bundle_id  TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    sequence   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    recipients TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, sequence)
) STRICT;

-- Bundles opened here: the author's case id and sequence, and the local read-only copy.
CREATE TABLE received_bundles (
    bundle_id     TEXT NOT NULL,
    case_id       TEXT NOT NULL,
    author        TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    local_case_id TEXT NOT NULL REFERENCES cases(id),
    opened_at     TEXT NOT NULL,
    -- Authors choose bundle ids: one author's id must never displace another's record.
    PRIMARY KEY (author, bundle_id)
) STRICT;
CREATE INDEX received_by_case ON received_bundles(case_id, author, sequence);

-- '' for a case made here; the author's fingerprint for a received, read-only case.
ALTER TABLE cases ADD COLUMN origin TEXT NOT NULL DEFAULT '';
-- '' for a note written here (a reviewer's note beside a received case); else its author.
ALTER TABLE notes ADD COLUMN origin TEXT NOT NULL DEFAULT '';

-- A received case's audit chain, as its author's vault recorded it.
CREATE TABLE received_audit (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    payload_hash BLOB NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL,
    PRIMARY KEY (case_id, seq)
) STRICT;
