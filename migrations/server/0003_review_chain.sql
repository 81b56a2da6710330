-- Review server schema, version 3: review policies (signed by an admin), the level a case is
-- at, the level of each decision, what an upload declared beside its decision, and the parties
-- of office actions (as keyed hashes, never names).

CREATE TABLE review_policies (
    kind       TEXT PRIMARY KEY,
    -- The SignedPolicy as JSON: the policy and its admin's signature.
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

ALTER TABLE reviews ADD COLUMN kind TEXT;
-- The ReviewPolicy as JSON, fixed at the case's first submission; NULL for cases submitted
-- before policies existed (they follow the server's default).
ALTER TABLE reviews ADD COLUMN policy TEXT;
ALTER TABLE reviews ADD COLUMN level INTEGER NOT NULL DEFAULT 0;

ALTER TABLE transitions ADD COLUMN level INTEGER;

-- {case_kind, parties, appellant} as the upload's request declared them.
ALTER TABLE uploads ADD COLUMN declared TEXT NOT NULL DEFAULT '{}';

CREATE TABLE case_parties (
    case_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    hash    TEXT NOT NULL,
    PRIMARY KEY (case_id, role, hash)
) STRICT, WITHOUT ROWID;
