-- Casebook vault schema, version 7: the intake queue (reports waiting for triage), and who
-- assists on a case and when it is due.
--
-- A report's reporter_contact is non-public and a child-protection report's text is restricted:
-- neither table below has a full-text index, so nothing of a report reaches search. A report
-- opened as a case carries its text and attachments into the case as evidence, which follows the
-- evidence rules (restricted items keep their text out of evidence_fts).

-- JSON array of names; '[]' while nobody assists.
ALTER TABLE cases ADD COLUMN assisting TEXT NOT NULL DEFAULT '[]';
-- RFC 3339 UTC; NULL while the case has no due date.
ALTER TABLE cases ADD COLUMN due_at TEXT;

CREATE TABLE reports (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    received_at      TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('general', 'emergency', 'child_protection', 'dmca', 'other')),
    state            TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'opened', 'merged', 'declined')),
    reporter         TEXT NOT NULL,
    reporter_contact TEXT,
    text             TEXT NOT NULL,
    restricted       INTEGER NOT NULL,
    acknowledged_by  TEXT,
    acknowledged_at  TEXT,
    severity         INTEGER CHECK (severity BETWEEN 1 AND 4),
    severity_reason  TEXT NOT NULL DEFAULT '',
    assignee         TEXT NOT NULL DEFAULT '',
    assisting        TEXT NOT NULL DEFAULT '[]',
    due_at           TEXT,
    case_id          TEXT REFERENCES cases(id),
    decline_reason   TEXT NOT NULL DEFAULT '',
    first_action_at  TEXT
) STRICT;
CREATE INDEX reports_state ON reports(state, received_at);

-- A report's files, in the vault's content store (the same chunks evidence uses), so opening the
-- report as a case makes them evidence without copying a byte.
CREATE TABLE report_attachments (
    seq       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    report_id TEXT NOT NULL REFERENCES reports(id),
    name      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    mime      TEXT NOT NULL,
    added_at  TEXT NOT NULL
) STRICT;
CREATE INDEX report_attachments_report ON report_attachments(report_id);

CREATE TABLE report_attachment_chunks (
    attachment_seq INTEGER NOT NULL REFERENCES report_attachments(seq),
    idx            INTEGER NOT NULL,
    chunk_hash     BLOB NOT NULL REFERENCES blob_chunks(hash),
    PRIMARY KEY (attachment_seq, idx)
) STRICT, WITHOUT ROWID;
