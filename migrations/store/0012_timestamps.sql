-- RFC 3161 trusted timestamps of evidence (docs/timestamps.md). When a time-stamping authority
-- is configured, every captured item is queued here in the transaction that adds it; the queue
-- is sent when the authority can be reached, and a checked token moves to evidence_timestamps.
CREATE TABLE timestamp_queue (
    evidence_id TEXT PRIMARY KEY REFERENCES evidence(id),
    sha256      TEXT NOT NULL,
    queued_at   TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- Why the last attempt failed (the authority unreachable, a refusal); never evidence.
    last_error  TEXT
);

CREATE TABLE evidence_timestamps (
    evidence_id TEXT PRIMARY KEY REFERENCES evidence(id),
    sha256      TEXT NOT NULL,
    -- The token's exact DER bytes, as the authority signed them.
    token       BLOB NOT NULL,
    -- What the token says, read when it was checked: the authority's time, its serial number.
    stamped_at  TEXT NOT NULL,
    serial      TEXT NOT NULL,
    -- The trusted root the token chained to, and where it was obtained.
    authority   TEXT NOT NULL,
    url         TEXT NOT NULL,
    obtained_at TEXT NOT NULL
);
