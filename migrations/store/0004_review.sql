-- Casebook vault schema, version 4: the review cycle's outbox, inbox, decisions and states.

-- Sealed bundles waiting to reach the review server, or sent. The bundle file itself sits in
-- the vault directory's outbox/ (it is already encrypted to its recipients).
CREATE TABLE outbox (
    bundle_id     TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    local_case_id TEXT NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    decision      TEXT NOT NULL,
    file          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    signature     TEXT NOT NULL,
    upload_id     TEXT,
    -- queued | sent | refused
    state         TEXT NOT NULL,
    message       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    sent_at       TEXT
) STRICT;

-- Bundles the server lists as addressed to this vault.
CREATE TABLE inbox (
    bundle_id     TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    author        TEXT NOT NULL,
    author_user   TEXT NOT NULL,
    decision      TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    opened_at     TEXT,
    local_case_id TEXT
) STRICT;

-- Decisions opened from signed decision and appeal bundles.
CREATE TABLE review_decisions (
    bundle_id   TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    author      TEXT NOT NULL,
    author_name TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    decision    TEXT NOT NULL,
    rationale   TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (author, bundle_id)
) STRICT;
CREATE INDEX decisions_by_case ON review_decisions(case_id, author, sequence);

-- Each case's state on the server as last pulled, and whether every transition's signature
-- checked out against the key directory.
CREATE TABLE review_states (
    case_id   TEXT PRIMARY KEY,
    state     TEXT NOT NULL,
    history   TEXT NOT NULL,
    verified  INTEGER NOT NULL,
    synced_at TEXT NOT NULL
) STRICT;

-- Who else a received bundle was addressed to: a decision goes back to the same people.
ALTER TABLE received_bundles ADD COLUMN recipients TEXT NOT NULL DEFAULT '[]';
