-- Review server schema, version 2: resumable uploads, published bundles, the review cycle.

-- An upload session. The bytes live in the blob store under the session id until published.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users(name),
    device     TEXT NOT NULL REFERENCES devices(fingerprint),
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    decision   TEXT NOT NULL,
    signature  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Set when published; the session then only answers with the bundle.
    bundle_id  TEXT
) STRICT;
-- The same bytes for the same decision from the same device are one upload, never two.
CREATE UNIQUE INDEX uploads_once ON uploads(device, sha256, decision);

-- A published bundle: verified size, hash and envelope signature. Stored by content hash.
CREATE TABLE bundles (
    bundle_id   TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    author      TEXT NOT NULL,
    author_user TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    decision    TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;

CREATE TABLE bundle_recipients (
    bundle_id   TEXT NOT NULL REFERENCES bundles(bundle_id),
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (bundle_id, fingerprint)
) STRICT, WITHOUT ROWID;
CREATE INDEX recipients_by_device ON bundle_recipients(fingerprint);

-- Each case's place in the review cycle.
CREATE TABLE reviews (
    case_id     TEXT PRIMARY KEY,
    author_user TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Every transition, with the actor's signature over (case, decision, bundle hash).
CREATE TABLE transitions (
    seq           INTEGER PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES reviews(case_id),
    at            INTEGER NOT NULL,
    actor_user    TEXT NOT NULL,
    actor_device  TEXT NOT NULL,
    decision      TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT NOT NULL,
    bundle_id     TEXT NOT NULL REFERENCES bundles(bundle_id),
    bundle_sha256 TEXT NOT NULL,
    signature     TEXT NOT NULL
) STRICT;
CREATE INDEX transitions_by_case ON transitions(case_id, seq);
