-- Review server schema for PostgreSQL, version 1: the same tables as migrations/server/0001-0003
-- (SQLite), in one step. `user` is a reserved word here, so the columns are `username`.

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    roles      TEXT NOT NULL,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

-- A token is `cbt_<id>_<secret>`; only the secret's SHA-256 is kept.
CREATE TABLE enroll_tokens (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES users(name),
    secret_sha256 BYTEA NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);

CREATE TABLE devices (
    fingerprint   TEXT PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES users(name),
    name          TEXT NOT NULL,
    identity_name TEXT NOT NULL,
    signing_key   TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    revoked       BOOLEAN NOT NULL DEFAULT FALSE,
    enrolled_at   BIGINT NOT NULL
);
CREATE INDEX devices_by_user ON devices(username);

-- Signatures accepted within the replay window, shared by every instance; each is accepted once.
CREATE TABLE seen_signatures (
    signature  BYTEA PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX seen_signatures_by_expiry ON seen_signatures(expires_at);

-- Every request that changes state, and every admin action.
CREATE TABLE audit (
    seq    BIGSERIAL PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
);

-- An upload session. The bytes live in the blob store under the session id until published.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users(name),
    device     TEXT NOT NULL REFERENCES devices(fingerprint),
    size       BIGINT NOT NULL,
    sha256     TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    decision   TEXT NOT NULL,
    signature  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- Set when published; the session then only answers with the bundle.
    bundle_id  TEXT,
    -- {case_kind, parties, appellant} as the upload's request declared them.
    declared   TEXT NOT NULL DEFAULT '{}'
);
-- The same bytes for the same decision from the same device are one upload, never two.
CREATE UNIQUE INDEX uploads_once ON uploads(device, sha256, decision);
CREATE INDEX uploads_open_by_user ON uploads(username) WHERE bundle_id IS NULL;

-- A published bundle: verified size, hash and envelope signature. Stored by content hash.
CREATE TABLE bundles (
    bundle_id   TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    author      TEXT NOT NULL,
    author_user TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    decision    TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX bundles_by_case ON bundles(case_id);

CREATE TABLE bundle_recipients (
    bundle_id   TEXT NOT NULL REFERENCES bundles(bundle_id),
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (bundle_id, fingerprint)
);
CREATE INDEX recipients_by_device ON bundle_recipients(fingerprint);

-- Each case's place in the review cycle; `policy` is the ReviewPolicy as JSON, fixed at the
-- case's first submission.
CREATE TABLE reviews (
    case_id     TEXT PRIMARY KEY,
    author_user TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    kind        TEXT,
    policy      TEXT,
    level       BIGINT NOT NULL DEFAULT 0
);

-- Every transition, with the actor's signature over (case, decision, bundle hash).
CREATE TABLE transitions (
    seq           BIGSERIAL PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES reviews(case_id),
    at            BIGINT NOT NULL,
    actor_user    TEXT NOT NULL,
    actor_device  TEXT NOT NULL,
    decision      TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT NOT NULL,
    bundle_id     TEXT NOT NULL REFERENCES bundles(bundle_id),
    bundle_sha256 TEXT NOT NULL,
    signature     TEXT NOT NULL,
    level         BIGINT
);
CREATE INDEX transitions_by_case ON transitions(case_id, seq);

CREATE TABLE review_policies (
    kind       TEXT PRIMARY KEY,
    -- The SignedPolicy as JSON: the policy and its admin's signature.
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The parties of office actions, as keyed hashes, never names.
CREATE TABLE case_parties (
    case_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    hash    TEXT NOT NULL,
    PRIMARY KEY (case_id, role, hash)
);
