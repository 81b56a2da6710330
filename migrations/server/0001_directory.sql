-- Review server schema, version 1: people, devices, enrolment tokens, replay guard, audit log.

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    roles      TEXT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;

-- A token is `cbt_<id>_<secret>`; only the secret's SHA-256 is kept.
CREATE TABLE enroll_tokens (
    id            TEXT PRIMARY KEY,
    user          TEXT NOT NULL REFERENCES users(name),
    secret_sha256 BLOB NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER
) STRICT;

CREATE TABLE devices (
    fingerprint   TEXT PRIMARY KEY,
    user          TEXT NOT NULL REFERENCES users(name),
    name          TEXT NOT NULL,
    identity_name TEXT NOT NULL,
    signing_key   TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0,
    enrolled_at   INTEGER NOT NULL
) STRICT;

-- Signatures accepted within the replay window; each is accepted once.
CREATE TABLE seen_signatures (
    signature  BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
) STRICT;

-- Every request that changes state, and every admin action.
CREATE TABLE audit (
    seq    INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
) STRICT;
