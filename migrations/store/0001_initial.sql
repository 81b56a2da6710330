-- Casebook vault schema, version 1. Append-only: never edit a shipped migration.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE reference_counter (
    year INTEGER PRIMARY KEY,
    next INTEGER NOT NULL
) STRICT;

CREATE TABLE cases (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    reference  TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    priority   TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    opened_at  TEXT NOT NULL,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    default_sensitivity TEXT NOT NULL DEFAULT 'normal'
) STRICT;

CREATE TABLE subjects (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    username        TEXT NOT NULL,
    wiki            TEXT NOT NULL,
    role            TEXT NOT NULL,
    linked_accounts TEXT NOT NULL DEFAULT '[]',
    nonpublic       TEXT NOT NULL DEFAULT '{}',
    added_at        TEXT NOT NULL,
    UNIQUE (case_id, username, wiki)
) STRICT;

-- Evidence content lives in content-addressed chunks; an item lists its chunks in order.
CREATE TABLE blob_chunks (
    seq  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL
) STRICT;

CREATE TABLE evidence (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    source_url    TEXT,
    captured_at   TEXT NOT NULL,
    captured_by   TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    mime          TEXT NOT NULL,
    original_name TEXT NOT NULL,
    sensitivity   TEXT NOT NULL,
    text_content  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX evidence_case ON evidence(case_id);

CREATE TABLE evidence_chunks (
    evidence_seq INTEGER NOT NULL REFERENCES evidence(seq),
    idx          INTEGER NOT NULL,
    chunk_hash   BLOB NOT NULL REFERENCES blob_chunks(hash),
    PRIMARY KEY (evidence_seq, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    occurred_at TEXT NOT NULL,
    precision   TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    import_id   TEXT
) STRICT;
CREATE INDEX events_case_time ON events(case_id, occurred_at);

CREATE TABLE event_evidence (
    event_seq   INTEGER NOT NULL REFERENCES events(seq),
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    PRIMARY KEY (event_seq, evidence_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tags (
    seq  INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE event_tags (
    event_seq INTEGER NOT NULL REFERENCES events(seq),
    tag_seq   INTEGER NOT NULL REFERENCES tags(seq),
    PRIMARY KEY (event_seq, tag_seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE notes (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL
) STRICT;
CREATE INDEX notes_case ON notes(case_id);

-- Hash-chained audit log: hash = SHA-256 over the previous hash and this row's fields.
CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    case_id      TEXT,
    entity       TEXT NOT NULL,
    payload_hash BLOB NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
) STRICT;
CREATE INDEX audit_case ON audit(case_id);

-- Full-text search: one external-content FTS5 table per searchable entity, kept by triggers.
CREATE VIRTUAL TABLE events_fts USING fts5(
    summary, place, category, actor, content='events', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, summary, place, category, actor) VALUES (new.seq, new.summary, new.place, new.category, new.actor);
END;
CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, summary, place, category, actor) VALUES ('delete', old.seq, old.summary, old.place, old.category, old.actor);
END;
CREATE TRIGGER events_au AFTER UPDATE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, summary, place, category, actor) VALUES ('delete', old.seq, old.summary, old.place, old.category, old.actor);
    INSERT INTO events_fts(rowid, summary, place, category, actor) VALUES (new.seq, new.summary, new.place, new.category, new.actor);
END;

CREATE VIRTUAL TABLE evidence_fts USING fts5(
    title, original_name, source_url, text_content, content='evidence', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER evidence_ai AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts(rowid, title, original_name, source_url, text_content) VALUES (new.seq, new.title, new.original_name, new.source_url, new.text_content);
END;
CREATE TRIGGER evidence_ad AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, title, original_name, source_url, text_content) VALUES ('delete', old.seq, old.title, old.original_name, old.source_url, old.text_content);
END;
CREATE TRIGGER evidence_au AFTER UPDATE ON evidence BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, title, original_name, source_url, text_content) VALUES ('delete', old.seq, old.title, old.original_name, old.source_url, old.text_content);
    INSERT INTO evidence_fts(rowid, title, original_name, source_url, text_content) VALUES (new.seq, new.title, new.original_name, new.source_url, new.text_content);
END;

CREATE VIRTUAL TABLE notes_fts USING fts5(
    body, content='notes', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.seq, old.body);
    INSERT INTO notes_fts(rowid, body) VALUES (new.seq, new.body);
END;

-- Subjects are searchable by public fields only: nonpublic data never enters the index.
CREATE VIRTUAL TABLE subjects_fts USING fts5(
    username, wiki, role, content='subjects', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER subjects_ai AFTER INSERT ON subjects BEGIN
    INSERT INTO subjects_fts(rowid, username, wiki, role) VALUES (new.seq, new.username, new.wiki, new.role);
END;
CREATE TRIGGER subjects_ad AFTER DELETE ON subjects BEGIN
    INSERT INTO subjects_fts(subjects_fts, rowid, username, wiki, role) VALUES ('delete', old.seq, old.username, old.wiki, old.role);
END;
CREATE TRIGGER subjects_au AFTER UPDATE ON subjects BEGIN
    INSERT INTO subjects_fts(subjects_fts, rowid, username, wiki, role) VALUES ('delete', old.seq, old.username, old.wiki, old.role);
    INSERT INTO subjects_fts(rowid, username, wiki, role) VALUES (new.seq, new.username, new.wiki, new.role);
END;
