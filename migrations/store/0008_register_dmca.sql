-- Casebook vault schema: the office-action register (global bans, event bans, warnings,
-- interaction bans) and DMCA notices with their takedowns and counter-notices. New tables only,
-- so this migration stands on its own beside the intake queue's.

-- One office action recorded on one of this vault's own cases. `expired` is never stored: it is
-- computed from `expires_on` against today.
CREATE TABLE office_actions (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    kind               TEXT NOT NULL,
    -- JSON [{username, wiki}], never empty
    accounts           TEXT NOT NULL,
    -- JSON {name, place, starts_on, ends_on} for event bans, else NULL
    event              TEXT,
    other_label        TEXT NOT NULL DEFAULT '',
    effective_on       TEXT NOT NULL,
    review_on          TEXT,
    expires_on         TEXT,
    recorded_by        TEXT NOT NULL,
    recorded_at        TEXT NOT NULL,
    -- active | overturned
    status             TEXT NOT NULL,
    overturned_at      TEXT,
    overturn_rationale TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX office_actions_by_case ON office_actions(case_id);

-- A DMCA notice received for a case. `complainant` is non-public ({name, address, email, phone});
-- the takedown and the counter-notice are JSON once recorded.
CREATE TABLE dmca_notices (
    seq                  INTEGER PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    case_id              TEXT NOT NULL REFERENCES cases(id),
    received_at          TEXT NOT NULL,
    work                 TEXT NOT NULL DEFAULT '',
    material             TEXT NOT NULL DEFAULT '',
    urls                 TEXT NOT NULL DEFAULT '[]',
    complainant          TEXT NOT NULL DEFAULT '{}',
    good_faith           INTEGER NOT NULL DEFAULT 0,
    accuracy             INTEGER NOT NULL DEFAULT 0,
    signature            TEXT NOT NULL DEFAULT '',
    takedown             TEXT,
    uploader             TEXT NOT NULL DEFAULT '',
    uploader_notified_at TEXT,
    counter_notice       TEXT
) STRICT;
CREATE INDEX dmca_notices_by_case ON dmca_notices(case_id);
