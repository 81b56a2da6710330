-- Casebook vault schema, version 3: MediaWiki conduct import.

-- One row per revision or log entry imported into a case: what makes a re-import add only
-- what is new, and ties each timeline event to the API response it came from.
CREATE TABLE wiki_items (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    api         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('rev', 'log')),
    item_id     INTEGER NOT NULL,
    event_id    TEXT NOT NULL REFERENCES events(id),
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    user        TEXT NOT NULL,
    title       TEXT NOT NULL,
    ns          INTEGER NOT NULL,
    at          TEXT NOT NULL,
    sha1        TEXT,
    -- With --with-content: the revision's wikitext and its diff against the parent.
    content_evidence_id TEXT REFERENCES evidence(id),
    diff_evidence_id    TEXT REFERENCES evidence(id),
    -- 1 when the wiki no longer serves the revision's text (deleted or hidden).
    content_missing     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, api, kind, item_id)
) STRICT;
CREATE INDEX wiki_items_page ON wiki_items(case_id, title, at);

-- Import requests: queued while offline, run when the network returns.
CREATE TABLE wiki_imports (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    api          TEXT NOT NULL,
    users        TEXT NOT NULL,
    since        TEXT,
    until        TEXT,
    with_content INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed')),
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    error        TEXT
) STRICT;

-- What the wiki says about an account (groups, edit count, registration, block), per subject.
ALTER TABLE subjects ADD COLUMN wiki_facts TEXT NOT NULL DEFAULT '{}';
