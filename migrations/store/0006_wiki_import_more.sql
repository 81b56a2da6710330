-- Casebook vault schema: multi-wiki imports.
--
-- wiki_imports learns the 'running' state (a row a killed process leaves behind is run again by
-- the next resume) and the namespaces an import was limited to (so a resumed import keeps them).
-- wiki_items learns a third kind, 'abuse': AbuseFilter log entries (list=abuselog).
-- SQLite cannot alter a CHECK constraint, so both tables are rebuilt with their rows.

CREATE TABLE wiki_imports_next (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    api          TEXT NOT NULL,
    users        TEXT NOT NULL,
    since        TEXT,
    until        TEXT,
    with_content INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    error        TEXT,
    -- A JSON array of namespace numbers; empty: every namespace.
    namespaces   TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO wiki_imports_next(id, case_id, api, users, since, until, with_content, state, created_at, finished_at, error)
    SELECT id, case_id, api, users, since, until, with_content, state, created_at, finished_at, error FROM wiki_imports;
DROP TABLE wiki_imports;
ALTER TABLE wiki_imports_next RENAME TO wiki_imports;
CREATE INDEX wiki_imports_state ON wiki_imports(state, created_at);

CREATE TABLE wiki_items_next (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    api         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('rev', 'log', 'abuse')),
    item_id     INTEGER NOT NULL,
    event_id    TEXT NOT NULL REFERENCES events(id),
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    user        TEXT NOT NULL,
    title       TEXT NOT NULL,
    ns          INTEGER NOT NULL,
    at          TEXT NOT NULL,
    sha1        TEXT,
    content_evidence_id TEXT REFERENCES evidence(id),
    diff_evidence_id    TEXT REFERENCES evidence(id),
    content_missing     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, api, kind, item_id)
) STRICT;
INSERT INTO wiki_items_next SELECT case_id, api, kind, item_id, event_id, evidence_id, user, title, ns, at, sha1,
    content_evidence_id, diff_evidence_id, content_missing FROM wiki_items;
DROP TABLE wiki_items;
ALTER TABLE wiki_items_next RENAME TO wiki_items;
CREATE INDEX wiki_items_page ON wiki_items(case_id, title, at);
